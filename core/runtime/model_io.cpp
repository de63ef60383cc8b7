#include "core/runtime/model_io.hpp"

#include "core/graph/tensor_convert.hpp"

namespace tao::runtime {

std::vector<c10::IValue> loadInputs(const graph::Model& model, const std::filesystem::path& file) {
    trace::SafetensorsFile st(file);
    std::vector<c10::IValue> values;
    for (const auto& name : model.inputNames()) {
        if (!st.contains(name)) {
            std::string have;
            for (const auto& n : st.names())
                have += (have.empty() ? "" : ", ") + n;
            throw std::runtime_error(file.string() + ": no tensor named '" + name +
                                     "' (the model's input); the file holds: " + have);
        }
        values.emplace_back(graph::fromHost(st.read(name)));
    }
    return values;
}

void checkTraceMatchesModel(const graph::Model& model, const trace::TraceBundle& bundle) {
    const auto& m = bundle.manifest();
    if (graph::matchId(model, m.modelId) == graph::IdMatch::None)
        throw std::runtime_error(bundle.path().string() + ": captured with model " +
                                 m.modelId.hex() + ", but " + model.path().string() + " is model " +
                                 model.id().hex());
    if (m.ops.size() != model.ops().size())
        throw std::runtime_error(bundle.path().string() + ": holds " +
                                 std::to_string(m.ops.size()) + " operators, the model has " +
                                 std::to_string(model.ops().size()));
}

std::vector<c10::IValue> traceInputs(const graph::Model& model, const trace::TraceBundle& bundle) {
    std::vector<c10::IValue> values;
    for (const auto& name : model.inputNames())
        values.emplace_back(graph::fromHost(bundle.input(name)));
    return values;
}

std::vector<c10::IValue> committedValues(const trace::OpRecord& rec,
                                         const std::function<trace::HostTensor(std::size_t)>& fetch,
                                         std::string* caveat) {
    std::size_t flat = 0;
    auto next = [&] {
        const auto j = flat++;
        auto t = graph::fromHost(fetch(j));
        const auto& out = rec.outputs.at(j);
        if (out.dtype == commit::DType::None) return t;
        std::string why;
        if (!out.layout)
            why = "output " + std::to_string(j) + " has no recorded layout (trace format 1)";
        else
            t = graph::withLayout(t, *out.layout, why);
        if (!why.empty() && caveat && caveat->empty())
            *caveat = "op " + std::to_string(rec.index) + " " + why;
        return t;
    };
    std::vector<c10::IValue> values;
    for (int list : rec.outputLists) {
        if (list < 0) {
            values.emplace_back(next());
        } else {
            c10::List<at::Tensor> tensors;
            for (int i = 0; i < list; ++i)
                tensors.push_back(next());
            values.emplace_back(std::move(tensors));
        }
    }
    return values;
}

void TraceTensors::readInOrder(const graph::Model& model) {
    // An operator reads its producers' outputs directly and through glue nodes (aten::size,
    // list constructs) the interpreter evaluates on the way: follow those to operators.
    lastReader_.assign(model.ops().size(), -1);
    std::vector<int> stack, seen(model.nodes().size(), -1);
    for (const auto& op : model.ops()) {
        const int me = static_cast<int>(op.index);
        stack = model.nodes()[model.nodeOfOp(op.index)].inputSlots;
        while (!stack.empty()) {
            const int pos = model.producerOf(stack.back());
            stack.pop_back();
            if (pos < 0 || seen[pos] == me) continue;
            seen[pos] = me;
            const auto& node = model.nodes()[pos];
            if (node.role == graph::NodeRole::Operator)
                lastReader_[node.op] = std::max<std::int64_t>(lastReader_[node.op], me);
            else
                stack.insert(stack.end(), node.inputSlots.begin(), node.inputSlots.end());
        }
        // A value written after it was produced is rebuilt from its producer's and its
        // writers' outputs (graph::WriteHistory): they are read here too.
        for (auto producer : trace::inputOpsOf(model.rebuildRefs(op.index)))
            lastReader_[producer] = std::max<std::int64_t>(lastReader_[producer], me);
    }
}

TraceTensors::~TraceTensors() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    if (reader_.joinable()) reader_.join();
}

void TraceTensors::readAhead(std::uint32_t from, std::uint32_t to, std::size_t budget) {
    std::lock_guard lock(mutex_);
    if (reader_.joinable()) return;
    to = std::min<std::uint32_t>(to, static_cast<std::uint32_t>(bundle_.manifest().ops.size()));
    if (from >= to) return;
    aheadFrom_ = aheadNext_ = from;
    aheadTo_ = to;
    reader_ = std::thread([this, from, to, budget] { readAheadLoop(from, to, budget); });
}

void TraceTensors::readAheadLoop(std::uint32_t from, std::uint32_t to, std::size_t budget) {
    for (auto op = from; op < to; ++op) {
        {
            // Past the budget, wait for the caller to take something, unless it waits for
            // an operator not read yet (then only reading on can free it).
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] {
                return stop_ || aheadBytes_ < budget || ahead_.empty() || waitingFor_ >= op;
            });
            if (stop_) return;
        }
        ReadAhead r;
        try {
            const auto count = bundle_.manifest().ops[op].outputs.size();
            for (std::size_t j = 0; j < count; ++j) {
                r.tensors.push_back(bundle_.opOutput(op, j));
                r.bytes += r.tensors.back().data.size();
            }
        } catch (...) {
            r.tensors.clear();
            r.error = std::current_exception();
        }
        {
            std::lock_guard lock(mutex_);
            aheadBytes_ += r.bytes;
            ahead_[op] = std::move(r);
            aheadNext_ = op + 1;
        }
        changed_.notify_all();
    }
}

// The read-ahead outputs of `op` once the reader has them (the error it met rethrown);
// empty when op is outside the read-ahead or was already taken.
std::vector<trace::HostTensor> TraceTensors::takeReadAhead(std::uint32_t op,
                                                           std::unique_lock<std::mutex>& lock) {
    if (!reader_.joinable() || op < aheadFrom_ || op >= aheadTo_) return {};
    // Outputs read ahead for earlier operators and never asked for (an operator whose
    // inputs could not be read is not judged): an in-order reader will not take them now.
    for (auto it = ahead_.begin(); it != ahead_.end() && it->first < op;) {
        aheadBytes_ -= it->second.bytes;
        it = ahead_.erase(it);
    }
    if (op >= aheadNext_) {
        waitingFor_ = op;
        changed_.notify_all();
        changed_.wait(lock, [&] { return op < aheadNext_; });
        waitingFor_ = -1;
    }
    auto it = ahead_.find(op);
    if (it == ahead_.end()) return {};
    auto r = std::move(it->second);
    ahead_.erase(it);
    aheadBytes_ -= r.bytes;
    changed_.notify_all();
    if (r.error) std::rethrow_exception(r.error);
    return std::move(r.tensors);
}

std::vector<c10::IValue> TraceTensors::outputs(std::uint32_t op) {
    std::unique_lock lock(mutex_);
    if (!lastReader_.empty())
        for (auto it = cache_.begin(); it != cache_.end() && it->first < op;)
            it = lastReader_.at(it->first) < std::int64_t(op) ? cache_.erase(it) : std::next(it);
    if (auto it = cache_.find(op); it != cache_.end()) return it->second;
    const auto& rec = bundle_.manifest().ops.at(op);
    auto ready = takeReadAhead(op, lock);
    const bool readAlready = ready.size() == rec.outputs.size() && !ready.empty();
    std::string caveat;
    auto values = committedValues(
        rec,
        [&](std::size_t j) { return readAlready ? std::move(ready[j]) : bundle_.opOutput(op, j); },
        &caveat);
    cache_[op] = values;
    if (!caveat.empty()) caveats_[op] = caveat;
    return values;
}

std::string TraceTensors::caveat(std::uint32_t op) {
    std::lock_guard lock(mutex_);
    auto it = caveats_.find(op);
    return it == caveats_.end() ? std::string() : it->second;
}

} // namespace tao::runtime
