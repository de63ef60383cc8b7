#pragma once
// Executes a Model node by node, as module.forward would, with hooks to observe
// or replace each operator's outputs, to run only a segment of operators from
// committed tensors (the cut state), or to re-run a single operator.
#include "core/graph/model.hpp"

#include <functional>
#include <memory>

namespace tao::graph {

// Supplies the outputs of an operator that is not executed (one IValue per node
// output: a tensor or a list of tensors), typically from a committed trace.
using OpOutputSource = std::function<std::vector<c10::IValue>(std::uint32_t op)>;

struct ExecutionHooks {
    // Called after each executed operator with its outputs (one per node output);
    // may replace them, which is how substitution and tampering are done.
    std::function<void(std::uint32_t op, std::vector<c10::IValue>& outputs)> afterOp;
    // Polled between operators; returning true stops the run with OperationCancelled.
    std::function<bool()> cancelled;
};

class OperationCancelled : public std::runtime_error {
public:
    OperationCancelled()
        : std::runtime_error("cancelled") {}
};

class Interpreter {
public:
    explicit Interpreter(std::shared_ptr<Model> model);

    const Model& model() const { return *model_; }

    // The whole forward pass on inputs in model().inputNames() order; returns the
    // graph outputs. Throws ModelError naming the operator when one fails.
    std::vector<c10::IValue> run(const std::vector<c10::IValue>& inputs,
                                 const ExecutionHooks& hooks = {});

    // Executes operators [lo, hi) starting from the cut state: every value defined
    // before operator lo is taken from `source` (operator outputs) or `inputs`
    // (graph inputs); non-operator glue such as shape arithmetic is recomputed.
    // Results reach the caller through hooks.afterOp. Returns the graph outputs
    // when hi == op count, else an empty vector.
    std::vector<c10::IValue> runSegment(std::uint32_t lo, std::uint32_t hi,
                                        const std::vector<c10::IValue>& inputs,
                                        const OpOutputSource& source,
                                        const ExecutionHooks& hooks = {});

    // The graph outputs as a whole run leaves them, from committed tensors: a returned
    // value written in place after its operator produced it is rebuilt (Model::writes).
    std::vector<c10::IValue> committedGraphOutputs(const std::vector<c10::IValue>& inputs,
                                                   const OpOutputSource& source);

    // The values operator `op` consumes (in schema order), resolved from `source`; a
    // value an earlier node wrote into after it was produced is rebuilt as it was read.
    // Throws ModelError when such a write cannot be placed (Model::writes).
    std::vector<c10::IValue> opInputs(std::uint32_t op, const std::vector<c10::IValue>& inputs,
                                      const OpOutputSource& source);
    // Re-runs one operator on the given input values; returns its outputs.
    std::vector<c10::IValue> runOp(std::uint32_t op, std::vector<c10::IValue> opInputs);

private:
    struct Env;
    void execute(std::size_t pos, Env& env, const std::vector<c10::IValue>* inputs,
                 const OpOutputSource* source, const ExecutionHooks& hooks);
    const c10::IValue& value(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                             const OpOutputSource& source);
    const c10::IValue& resolve(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                               const OpOutputSource& source);
    const c10::IValue& rebuild(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                               const OpOutputSource& source);
    const c10::IValue& derive(int slot, Env& env, const std::vector<c10::IValue>& inputs,
                              const OpOutputSource& source);
    void seedInputs(Env& env, const std::vector<c10::IValue>& inputs);
    [[noreturn]] void fail(std::size_t pos, const std::string& why) const;
    [[noreturn]] void unplacedWrite(int pos) const;

    std::shared_ptr<Model> model_;
    c10::IValue self_;
};

} // namespace tao::graph
