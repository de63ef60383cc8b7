#pragma once
// Running a provider's inference with the instrumented runtime and committing
// to every operator's output: the trace bundle and its Merkle root.
#include "core/runtime/runtime_settings.hpp"
#include "core/trace/manifest.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

namespace c10 {
struct IValue;
}
namespace tao::graph {
class Model;
}

namespace tao::runtime {

struct CaptureOptions {
    std::filesystem::path inputFile;   // safetensors with one tensor per model input, or
    std::optional<std::uint64_t> seed; // random inputs from the model's input description, or
    // inputs already in memory (a server answering a request), one per model input
    std::shared_ptr<const std::vector<c10::IValue>> inputs;
    std::filesystem::path out; // the .taotrace folder; empty = do not write
    bool light = false;        // hashes only, no tensors
    RuntimeSettings settings;
    // Threads that hash (and write) the outputs beside the forward; 0 = the cores
    // settings.threads leaves (hashingWorkers). The trace is the same with any number.
    unsigned hashingThreads = 0;
    // Called after each operator with (done, total); returning false cancels.
    std::function<bool(std::size_t, std::size_t)> progress;
    // Sees (and may replace) each operator's outputs before they are committed; later
    // operators consume what it leaves. This is how adversarial providers are simulated.
    std::function<void(std::uint32_t op, std::vector<c10::IValue>& outputs)> alterOutputs;
    // Called after the run and before anything is written; throwing aborts the capture.
    std::function<void()> beforeWrite;
};

// Runs the model once, records every operator's outputs, hashes them, builds the
// manifest and (if `out` is set) writes the bundle atomically. Throws
// graph::ModelError / std::runtime_error with the file and reason;
// graph::OperationCancelled when progress returned false.
trace::Manifest capture(const std::shared_ptr<graph::Model>& model, const CaptureOptions& options);

} // namespace tao::runtime
