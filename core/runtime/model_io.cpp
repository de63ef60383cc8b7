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

std::vector<c10::IValue> TraceTensors::outputs(std::uint32_t op) {
    std::lock_guard lock(mutex_);
    if (!lastReader_.empty())
        for (auto it = cache_.begin(); it != cache_.end() && it->first < op;)
            it = lastReader_.at(it->first) < std::int64_t(op) ? cache_.erase(it) : std::next(it);
    if (auto it = cache_.find(op); it != cache_.end()) return it->second;
    std::string caveat;
    auto values = committedValues(
        bundle_.manifest().ops.at(op), [&](std::size_t j) { return bundle_.opOutput(op, j); },
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
