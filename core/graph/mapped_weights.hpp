#pragma once
// A TorchScript archive whose stored tensors are read in place from a private mapping of
// the file instead of copies in the heap. torch::jit::load copies every weight into the
// heap, so a verifier held the whole model resident from start to end although it reads
// each weight for one operator (issue 19's memory goal: the model plus twice the largest
// live set). Mapped, a weight's pages come from the page cache when an operator reads them
// and can be dropped again after it (release); the kernel keeps the file cached.
//
// The mapping is private and writable: a write to a weight (a model that updates its
// buffers in forward, an adversary editing weights) gets its own copy of the page and
// never reaches the file. The file must not be rewritten in place while a model mapped
// from it is in use (a truncated file faults on access); replacing it by rename is safe.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <torch/script.h>
#include <unordered_map>

namespace tao::graph {

class MappedWeights {
public:
    struct Loaded;

    // Loads the archive with each stored tensor record of at least 64 KiB backed by the
    // mapping. Returns nullopt where that cannot be done faithfully (the file cannot be
    // mapped, or a record did not end up as exactly one tensor storage, as with a
    // compressed record); the caller then loads it the ordinary way. Throws what
    // torch::jit::load throws for an unreadable archive.
    static std::optional<Loaded> load(const std::filesystem::path& path,
                                      torch::jit::ExtraFilesMap& extra);

    // Drops the resident pages that lie wholly inside `t`'s bytes and still hold the
    // file's contents, so they leave this process's resident set; the next read maps
    // them again from the page cache. Pages written since (copies of their own) are
    // kept. Does nothing for a tensor outside the mapping.
    void release(const at::Tensor& t) const;

    // Bytes of the archive backing tensors (tests and benchmarks report it).
    std::size_t mappedTensorBytes() const { return tensorBytes_; }

private:
    class Mapping;
    MappedWeights() = default;
    bool holds(const void* begin, const void* end) const;

    std::shared_ptr<Mapping> mapping_;
    std::size_t tensorBytes_ = 0;
};

struct MappedWeights::Loaded {
    torch::jit::Module module;
    std::shared_ptr<const MappedWeights> weights;
};

} // namespace tao::graph
