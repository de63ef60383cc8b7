#pragma once
// Getting a model's inputs and a trace's committed tensors into interpreter
// values: from safetensors files, from a seed, or from a trace bundle.
#include "core/graph/interpreter.hpp"
#include "core/trace/trace_bundle.hpp"

#include <condition_variable>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

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
    // Also for an in-order reader: a background thread reads and hash-checks the outputs of
    // operators [from, to) in order, at most about `budget` bytes ahead of the ones taken
    // (always one operator), so that reading and hashing overlap the reader's own work on
    // another core. outputs() then gives the same values and throws the same errors, at
    // the operator that asks; an output asked for again after it was dropped is read on
    // the calling thread, as without read-ahead.
    void readAhead(std::uint32_t from, std::uint32_t to, std::size_t budget);
    ~TraceTensors();
    TraceTensors(const TraceTensors&) = delete;
    TraceTensors& operator=(const TraceTensors&) = delete;
    std::vector<c10::IValue> outputs(std::uint32_t op);
    graph::OpOutputSource source() {
        return [this](std::uint32_t op) { return outputs(op); };
    }
    // Why replays on op's outputs may not be bit-exact (no or unusable layout);
    // empty when they were rebuilt as captured. Valid after outputs(op).
    std::string caveat(std::uint32_t op);

private:
    // An operator's outputs as read ahead, or the error reading them gave.
    struct ReadAhead {
        std::vector<trace::HostTensor> tensors;
        std::exception_ptr error;
        std::size_t bytes = 0;
    };
    void readAheadLoop(std::uint32_t from, std::uint32_t to, std::size_t budget);
    std::vector<trace::HostTensor> takeReadAhead(std::uint32_t op,
                                                 std::unique_lock<std::mutex>& lock);

    const trace::TraceBundle& bundle_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::thread reader_;
    bool stop_ = false;
    std::uint32_t aheadFrom_ = 0, aheadTo_ = 0; // the read-ahead range
    std::uint32_t aheadNext_ = 0;               // the next operator the reader reads
    std::int64_t waitingFor_ = -1;              // an operator a caller waits for
    std::size_t aheadBytes_ = 0;                // bytes read ahead and not yet taken
    std::map<std::uint32_t, ReadAhead> ahead_;
    std::map<std::uint32_t, std::vector<c10::IValue>> cache_;
    std::vector<std::int64_t> lastReader_; // per op, in in-order mode: the last op reading it
    std::map<std::uint32_t, std::string> caveats_;
};

} // namespace tao::runtime
