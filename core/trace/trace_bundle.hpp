#pragma once
// A trace bundle is a folder `<name>.taotrace/` holding
//   manifest.json          what was run and every operator's output hashes and the root
//   inputs.safetensors     the model inputs, named by the graph's input names
//   tensors.safetensors    every defined operator output as "op.<index>.<output>" (full mode
//                          only; undefined "none" outputs live in the manifest alone)
// Bundles are written atomically: readers see the old bundle or the complete new one.
#include "core/trace/manifest.hpp"
#include "core/trace/safetensors.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

namespace tao::trace {

std::string opTensorName(std::uint32_t op, std::size_t output);

// The files of a bundle, for a writer that streams operator tensors into the folder
// while it captures (inside io::writeDirectoryAtomically), and the tensors file's metadata.
inline constexpr const char* kInputsFile = "inputs.safetensors";
inline constexpr const char* kTensorsFile = "tensors.safetensors";
inline constexpr const char* kManifestFile = "manifest.json";
std::map<std::string, std::string> tensorsMetadata(const Manifest& manifest);

// Writes the bundle. `opTensors` must be empty for a light manifest.
// Throws std::runtime_error naming the path; nothing is left behind on failure.
void writeTraceBundle(const std::filesystem::path& path, const Manifest& manifest,
                      const std::vector<TensorView>& inputTensors,
                      const std::vector<TensorView>& opTensors);

// A stored tensor whose bytes do not hash to the committed hash (the bundle was altered or
// corrupted after the commitment). `op()` names the operator whose output it is; empty for
// a model input.
class TensorIntegrityError : public std::runtime_error {
public:
    TensorIntegrityError(const std::string& what, std::optional<std::uint32_t> op)
        : std::runtime_error(what)
        , op_(op) {}
    std::optional<std::uint32_t> op() const { return op_; }

private:
    std::optional<std::uint32_t> op_;
};

class TraceBundle {
public:
    // Opens and checks a bundle: manifest well-formed, every op's output hash
    // consistent with its tensor hashes, the root consistent with the leaves, the
    // input hash consistent with the inputs, and (full mode) every tensor present
    // with the recorded dtype and shape. Tensor contents are hashed when read.
    // Throws std::runtime_error "<path>: <reason>".
    static TraceBundle open(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    const Manifest& manifest() const { return manifest_; }
    bool hasOpTensors() const { return tensors_ != nullptr; }

    // Reads an operator output and checks it against its committed hash.
    // Throws TensorIntegrityError on a hash mismatch, std::runtime_error otherwise, each
    // naming the bundle, op and reason.
    HostTensor opOutput(std::uint32_t op, std::size_t output) const;
    HostTensor input(const std::string& name) const;
    // Hashes every stored tensor; `progress(done, total)` may return false to stop.
    // Throws on the first mismatch.
    void verifyAllTensors(const std::function<bool(std::size_t, std::size_t)>& progress = {}) const;

private:
    std::filesystem::path path_;
    Manifest manifest_;
    std::shared_ptr<SafetensorsFile> inputs_;
    std::shared_ptr<SafetensorsFile> tensors_;
};

} // namespace tao::trace
