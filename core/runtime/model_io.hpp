#pragma once
// Getting a model's inputs and a trace's committed tensors into interpreter
// values: from safetensors files, from a seed, or from a trace bundle.
#include "core/graph/interpreter.hpp"
#include "core/trace/trace_bundle.hpp"

#include <map>
#include <mutex>

namespace tao::runtime {

// Reads one tensor per model input, named by model.inputNames(). Throws
// std::runtime_error naming the file and the missing input.
std::vector<c10::IValue> loadInputs(const graph::Model& model, const std::filesystem::path& file);
// The trace's own committed inputs, checked against their hashes.
std::vector<c10::IValue> traceInputs(const graph::Model& model, const trace::TraceBundle& bundle);
// Throws std::runtime_error when the trace was captured with another model or op list.
void checkTraceMatchesModel(const graph::Model& model, const trace::TraceBundle& bundle);

// Supplies committed operator outputs from a bundle (read on demand, checked
// against their hashes, cached).
class TraceTensors {
public:
    explicit TraceTensors(const trace::TraceBundle& bundle)
        : bundle_(bundle) {}
    std::vector<c10::IValue> outputs(std::uint32_t op);
    graph::OpOutputSource source() {
        return [this](std::uint32_t op) { return outputs(op); };
    }

private:
    const trace::TraceBundle& bundle_;
    std::mutex mutex_;
    std::map<std::uint32_t, std::vector<c10::IValue>> cache_;
};

} // namespace tao::runtime
