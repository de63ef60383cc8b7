#pragma once
// Running a provider's inference with the instrumented runtime and committing
// to every operator's output: the trace bundle and its Merkle root.
#include "core/runtime/runtime_settings.hpp"
#include "core/trace/manifest.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

namespace tao::graph {
class Model;
}

namespace tao::runtime {

struct CaptureOptions {
    std::filesystem::path inputFile;   // safetensors with one tensor per model input, or
    std::optional<std::uint64_t> seed; // random inputs from the model's input description
    std::filesystem::path out;         // the .taotrace folder; empty = do not write
    bool light = false;                // hashes only, no tensors
    RuntimeSettings settings;
    // Called after each operator with (done, total); returning false cancels.
    std::function<bool(std::size_t, std::size_t)> progress;
};

// Runs the model once, records every operator's outputs, hashes them, builds the
// manifest and (if `out` is set) writes the bundle atomically. Throws
// graph::ModelError / std::runtime_error with the file and reason;
// graph::OperationCancelled when progress returned false.
trace::Manifest capture(const std::shared_ptr<graph::Model>& model, const CaptureOptions& options);

} // namespace tao::runtime
