#pragma once
// Getting a model's inputs and a trace's committed tensors into interpreter
// values: from safetensors files, from a seed, or from a trace bundle.
#include "core/graph/interpreter.hpp"
#include "core/trace/trace_bundle.hpp"

#include <functional>
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

// An operator's committed outputs as interpreter values: tensors rebuilt with
// their recorded layouts, lists regrouped by `rec.outputLists`. `fetch(j)` gives
// flattened output j. When a layout is missing or cannot be reproduced, `caveat`
// (if given) receives why replays consuming these outputs may not be bit-exact.
std::vector<c10::IValue> committedValues(const trace::OpRecord& rec,
                                         const std::function<trace::HostTensor(std::size_t)>& fetch,
                                         std::string* caveat = nullptr);

// Supplies committed operator outputs from a bundle (read on demand, checked
// against their hashes, rebuilt with their recorded layouts, cached).
class TraceTensors {
public:
    explicit TraceTensors(const trace::TraceBundle& bundle)
        : bundle_(bundle) {}
    // For a reader that walks the operators in order (the verifier): once operator k's own
    // outputs are asked for, the outputs no operator from k on reads are dropped, so memory
    // holds the live set instead of the whole trace. Out-of-order reads stay correct; a
    // dropped output is read (and checked) again.
    void readInOrder(const graph::Model& model);
    std::vector<c10::IValue> outputs(std::uint32_t op);
    graph::OpOutputSource source() {
        return [this](std::uint32_t op) { return outputs(op); };
    }
    // Why replays on op's outputs may not be bit-exact (no or unusable layout);
    // empty when they were rebuilt as captured. Valid after outputs(op).
    std::string caveat(std::uint32_t op);

private:
    const trace::TraceBundle& bundle_;
    std::mutex mutex_;
    std::map<std::uint32_t, std::vector<c10::IValue>> cache_;
    std::vector<std::int64_t> lastReader_; // per op, in in-order mode: the last op reading it
    std::map<std::uint32_t, std::string> caveats_;
};

} // namespace tao::runtime
