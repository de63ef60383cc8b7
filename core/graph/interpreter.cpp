#include "core/graph/interpreter.hpp"

namespace tao::graph {

struct Interpreter::Env {
    std::vector<c10::IValue> values;
    std::vector<char> have;
    // Values rebuilt from committed tensors for a read after an in-place write (and the
    // views derived from them), which later reads and live writes must share.
    std::vector<char> rebuilt;
    // Reading from committed tensors: a value is rebuilt when a write into it before node
    // position readBefore follows its production, with the writes before applyBefore
    // replayed (later ones run live). -1: everything is computed, nothing committed.
    int readBefore = -1;
    int applyBefore = -1;
    explicit Env(std::size_t n)
        : values(n)
        , have(n, 0)
        , rebuilt(n, 0) {}
    void set(int slot, c10::IValue v) {
        values[slot] = std::move(v);
        have[slot] = 1;
    }
};

Interpreter::Interpreter(std::shared_ptr<Model> model)
    : model_(std::move(model))
    , self_(model_->module()._ivalue()) {}

void Interpreter::unplacedWrite(int pos) const {
    const auto& e = model_->nodes()[static_cast<std::size_t>(pos)];
    const std::string writer =
        e.op >= 0 ? "op " + std::to_string(e.op) + " (" + model_->ops()[e.op].kind + ")"
                  : std::string("node ") + e.node->kind().toQualString();
    throw UnrebuildableRead(model_->path().string() + ": " + writer +
                            " may write into a tensor read later, through an alias no schema "
                            "names; the value read cannot be rebuilt from the trace");
}

void Interpreter::fail(std::size_t pos, const std::string& why) const {
    const auto& e = model_->nodes()[pos];
    std::string where = e.op >= 0 ? "op " + std::to_string(e.op) + " (" + model_->ops()[e.op].kind +
                                        " in '" + model_->ops()[e.op].scope + "')"
                                  : std::string("node ") + e.node->kind().toQualString();
    auto firstLine = why.substr(0, why.find('\n'));
    throw ModelError(model_->path().string() + ": " + where + " failed: " + firstLine);
}

void Interpreter::seedInputs(Env& env, const std::vector<c10::IValue>& inputs) {
    const auto& slots = model_->inputSlots();
    if (inputs.size() != slots.size())
        throw ModelError(model_->path().string() + ": forward takes " +
                         std::to_string(slots.size()) + " inputs, " +
                         std::to_string(inputs.size()) + " given");
    env.set(model_->selfSlot(), self_);
    for (std::size_t i = 0; i < slots.size(); ++i)
        env.set(slots[i], inputs[i]);
}

void Interpreter::execute(std::size_t pos, Env& env, const std::vector<c10::IValue>* inputs,
                          const OpOutputSource* source, const ExecutionHooks& hooks) {
    const auto& e = model_->nodes()[pos];
    torch::jit::Stack stack;
    stack.reserve(e.inputSlots.size());
    for (int s : e.inputSlots)
        stack.push_back(source ? value(s, env, *inputs, *source) : env.values[s]);
    try {
        switch (e.role) {
        case NodeRole::Constant:
            env.set(e.outputSlots[0], model_->constant(e.outputSlots[0]));
            return;
        case NodeRole::Attribute:
            env.set(e.outputSlots[0], stack[0].toObjectRef().getAttr(e.attribute));
            return;
        case NodeRole::ListConstruct: {
            auto elem = e.node->output()->type()->expectRef<c10::ListType>().getElementType();
            c10::impl::GenericList list(elem);
            list.reserve(stack.size());
            for (auto& v : stack)
                list.push_back(std::move(v));
            env.set(e.outputSlots[0], c10::IValue(std::move(list)));
            return;
        }
        case NodeRole::ListUnpack: {
            const auto& list = stack[0].toListRef();
            if (list.size() != e.outputSlots.size())
                fail(pos, "list of " + std::to_string(list.size()) + " unpacked into " +
                              std::to_string(e.outputSlots.size()));
            for (std::size_t i = 0; i < list.size(); ++i)
                env.set(e.outputSlots[i], list[i]);
            return;
        }
        case NodeRole::TupleConstruct:
            env.set(e.outputSlots[0], c10::ivalue::Tuple::create(std::move(stack)));
            return;
        case NodeRole::TupleUnpack: {
            const auto& elems = stack[0].toTupleRef().elements();
            for (std::size_t i = 0; i < e.outputSlots.size(); ++i)
                env.set(e.outputSlots[i], elems.at(i));
            return;
        }
        case NodeRole::TupleIndex: {
            const auto& elems = stack[0].toTupleRef().elements();
            auto i = stack[1].toInt();
            if (i < 0) i += static_cast<std::int64_t>(elems.size());
            env.set(e.outputSlots[0], elems.at(static_cast<std::size_t>(i)));
            return;
        }
        case NodeRole::Glue:
        case NodeRole::Operator:
            (*e.operation)(stack);
            break;
        }
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& err) {
        fail(pos, err.what());
    }
    if (stack.size() != e.outputSlots.size())
        fail(pos, "produced " + std::to_string(stack.size()) + " values, expected " +
                      std::to_string(e.outputSlots.size()));
    if (e.role == NodeRole::Operator && hooks.afterOp)
        hooks.afterOp(static_cast<std::uint32_t>(e.op), stack);
    for (std::size_t i = 0; i < stack.size(); ++i)
        env.set(e.outputSlots[i], std::move(stack[i]));
}

const c10::IValue& Interpreter::value(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                                      const OpOutputSource& source) {
    if (env.rebuilt[slot]) return env.values[slot];
    const auto& history = model_->writes();
    if (env.readBefore >= 0 && !history.empty()) {
        const int producedAt = model_->producerOf(slot);
        if (const int w = history.unplacedWriteBefore(slot, producedAt, env.readBefore); w >= 0)
            unplacedWrite(w);
        if (history.writtenBefore(slot, producedAt, env.readBefore))
            return rebuild(slot, env, inputs, source);
    }
    return env.have[slot] ? env.values[slot] : resolve(slot, env, inputs, source);
}

// The root's committed value, copied, with the writes before env.applyBefore copied in
// from their writers' committed outputs; then the views leading to `slot` re-run on it.
const c10::IValue& Interpreter::rebuild(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                                        const OpOutputSource& source) {
    const auto& history = model_->writes();
    const int root = history.root(slot);
    if (!env.rebuilt[root]) {
        const auto& committed =
            env.have[root] ? env.values[root] : resolve(root, env, inputs, source);
        if (!committed.isTensor())
            throw UnrebuildableRead(model_->path().string() +
                                    ": a value written in place after it was produced is a "
                                    "list, not a tensor; it cannot be rebuilt from the trace");
        env.set(root, committed.toTensor().clone());
        env.rebuilt[root] = 1;
        for (const auto& w : history.writesInto(root)) {
            if (!w.between(model_->producerOf(root), env.applyBefore)) continue;
            const auto op = static_cast<std::uint32_t>(model_->nodes()[w.node].op);
            auto written = source(op).at(static_cast<std::size_t>(w.output));
            auto target = derive(w.target, env, inputs, source).toTensor();
            target.copy_(written.toTensor());
        }
    }
    return derive(slot, env, inputs, source);
}

const c10::IValue& Interpreter::derive(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                                       const OpOutputSource& source) {
    if (env.rebuilt[slot]) return env.values[slot];
    const auto& history = model_->writes();
    const int parent = history.parent(slot);
    derive(parent, env, inputs, source);
    if (history.passesThrough(slot))
        env.set(slot, env.values[parent]);
    else
        execute(static_cast<std::size_t>(history.derivedBy(slot)), env, &inputs, &source, {});
    env.rebuilt[slot] = 1;
    return env.values[slot];
}

const c10::IValue& Interpreter::resolve(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                                        const OpOutputSource& source) {
    if (env.have[slot]) return env.values[slot];
    int pos = model_->producerOf(slot);
    if (pos < 0) throw ModelError(model_->path().string() + ": graph input not provided");
    const auto& e = model_->nodes()[pos];
    if (e.role == NodeRole::Operator) {
        auto outs = source(static_cast<std::uint32_t>(e.op));
        if (outs.size() != e.outputSlots.size())
            throw ModelError("op " + std::to_string(e.op) + ": " + std::to_string(outs.size()) +
                             " committed outputs supplied, the graph has " +
                             std::to_string(e.outputSlots.size()));
        for (std::size_t i = 0; i < outs.size(); ++i)
            env.set(e.outputSlots[i], std::move(outs[i]));
    } else {
        execute(static_cast<std::size_t>(pos), env, &inputs, &source, {});
    }
    return env.values[slot];
}

std::vector<c10::IValue> Interpreter::run(const std::vector<c10::IValue>& inputs,
                                          const ExecutionHooks& hooks) {
    Env env(model_->slotCount());
    seedInputs(env, inputs);
    const auto& nodes = model_->nodes();
    for (std::size_t pos = 0; pos < nodes.size(); ++pos) {
        if (hooks.cancelled && nodes[pos].op >= 0 && hooks.cancelled()) throw OperationCancelled();
        execute(pos, env, nullptr, nullptr, hooks);
        for (int s : nodes[pos].freeAfter)
            env.values[s] = c10::IValue();
    }
    std::vector<c10::IValue> outs;
    for (int s : model_->outputSlots())
        outs.push_back(env.values[s]);
    return outs;
}

std::vector<c10::IValue> Interpreter::runSegment(std::uint32_t lo, std::uint32_t hi,
                                                 const std::vector<c10::IValue>& inputs,
                                                 const OpOutputSource& source,
                                                 const ExecutionHooks& hooks) {
    const auto opCount = model_->ops().size();
    if (lo >= hi || hi > opCount)
        throw std::out_of_range("segment [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                ") outside the model's " + std::to_string(opCount) + " operators");
    Env env(model_->slotCount());
    seedInputs(env, inputs);
    const auto& nodes = model_->nodes();
    std::size_t begin = static_cast<std::size_t>(model_->nodeOfOp(lo));
    std::size_t end = hi == opCount ? nodes.size() : static_cast<std::size_t>(model_->nodeOfOp(hi));
    // Writes inside the segment run live into the values rebuilt at the cut.
    env.applyBefore = static_cast<int>(begin);
    env.readBefore = static_cast<int>(end);
    for (std::size_t pos = begin; pos < end; ++pos) {
        if (hooks.cancelled && nodes[pos].op >= 0 && hooks.cancelled()) throw OperationCancelled();
        execute(pos, env, &inputs, &source, hooks);
        // Lazily resolved glue may still need a freed value (its graph-order use came
        // before the cut): forget it entirely so it is resolved again on demand.
        for (int s : nodes[pos].freeAfter) {
            if (env.rebuilt[s]) continue; // its views may still be read, and written
            env.values[s] = c10::IValue();
            env.have[s] = 0;
        }
    }
    std::vector<c10::IValue> outs;
    if (hi == opCount)
        for (int s : model_->outputSlots())
            outs.push_back(value(s, env, inputs, source));
    return outs;
}

std::vector<c10::IValue> Interpreter::committedGraphOutputs(const std::vector<c10::IValue>& inputs,
                                                            const OpOutputSource& source) {
    Env env(model_->slotCount());
    seedInputs(env, inputs);
    env.readBefore = env.applyBefore = static_cast<int>(model_->nodes().size());
    std::vector<c10::IValue> outs;
    for (int s : model_->outputSlots())
        outs.push_back(value(s, env, inputs, source));
    return outs;
}

std::vector<c10::IValue> Interpreter::opInputs(std::uint32_t op,
                                               const std::vector<c10::IValue>& inputs,
                                               const OpOutputSource& source) {
    Env env(model_->slotCount());
    seedInputs(env, inputs);
    env.readBefore = env.applyBefore = model_->nodeOfOp(op);
    std::vector<c10::IValue> values;
    for (int s : model_->nodes()[model_->nodeOfOp(op)].inputSlots)
        values.push_back(value(s, env, inputs, source));
    return values;
}

std::vector<c10::IValue> Interpreter::runOp(std::uint32_t op, std::vector<c10::IValue> opInputs) {
    auto pos = static_cast<std::size_t>(model_->nodeOfOp(op));
    const auto& e = model_->nodes()[pos];
    torch::jit::Stack stack = std::move(opInputs);
    // An in-place kernel would write into the caller's (possibly cached) committed tensors.
    if (model_->ops()[op].kind.back() == '_')
        for (auto& v : stack)
            if (v.isTensor()) v = v.toTensor().clone();
    try {
        (*e.operation)(stack);
    } catch (const std::exception& err) {
        fail(pos, err.what());
    }
    return stack;
}

} // namespace tao::graph
