#pragma once
// A TorchScript model prepared for operator-by-operator execution: forward is
// inlined into one flat graph (no numerics-changing folding, so provider and
// auditor run the same canonical graph), every node gets a slot and a role, and
// operators (nodes producing tensors) are numbered in topological order.
#include "core/commit/hash.hpp"
#include "core/graph/model_error.hpp"
#include "core/graph/op_info.hpp"
#include "core/graph/write_history.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <torch/script.h>
#include <unordered_map>

namespace tao::graph {

// How the interpreter treats a node.
enum class NodeRole {
    Constant,
    Attribute,
    ListConstruct,
    ListUnpack,
    TupleConstruct,
    TupleUnpack,
    TupleIndex,
    Glue,
    Operator
};

struct NodeEntry {
    torch::jit::Node* node = nullptr;
    NodeRole role = NodeRole::Glue;
    int op = -1; // operator index for NodeRole::Operator
    std::vector<int> inputSlots;
    std::vector<int> outputSlots;
    std::vector<int> freeAfter;                             // slots whose last use is this node
    mutable std::optional<torch::jit::Operation> operation; // calling it is non-const in LibTorch
    std::string attribute;                                  // GetAttr name
};

// Input description stored in the archive's extra file "tao.json" by the demo
// model generator, so `--random-input` can make inputs of the right shape.
struct InputSpec {
    std::string name;
    std::string dtype = "F32";
    std::vector<std::int64_t> shape;
    std::string distribution = "normal"; // "normal" or "randint"
    std::int64_t high = 0;               // randint upper bound (exclusive)
};

// A parameter or buffer of a model by its dotted name ("layer1.0.conv1.weight").
struct NamedWeight {
    std::string name;
    at::Tensor tensor; // shares storage with the module's: writes into it are seen
    bool buffer = false;
};

class Model {
public:
    // Loads a TorchScript archive onto the CPU. Throws ModelError naming the file
    // for an unreadable or corrupted archive or a graph that cannot be flattened
    // (control flow such as prim::If/prim::Loop).
    static std::shared_ptr<Model> load(const std::filesystem::path& path,
                                       WeightResidence residence = WeightResidence::Heap);

    const std::filesystem::path& path() const { return path_; }
    std::string name() const { return path_.stem().string(); }
    const std::vector<OpInfo>& ops() const { return ops_; }
    const std::vector<NodeEntry>& nodes() const { return nodes_; }
    std::size_t slotCount() const { return slotCount_; }
    const std::vector<std::string>& inputNames() const { return inputNames_; }
    const std::vector<int>& inputSlots() const { return inputSlots_; }
    const std::vector<int>& outputSlots() const { return outputSlots_; }
    int selfSlot() const { return selfSlot_; }
    const std::vector<InputSpec>& inputSpecs() const { return inputSpecs_; }
    // Node position of each operator.
    int nodeOfOp(std::uint32_t op) const { return opNodes_.at(op); }
    // Slot -> defining node position (-1 for graph inputs).
    int producerOf(int slot) const { return producer_[slot]; }
    const c10::IValue& constant(int slot) const { return constants_[slot]; }
    // References ("op:<i>.<j>", "input:<name>") of the tensors forward returns.
    std::vector<std::string> outputRefs() const;
    // Inputs drawn from the archive's input description with a seeded generator
    // (normal floats, uniform integers). Throws ModelError when the archive has none.
    std::vector<c10::IValue> randomInputs(std::uint64_t seed) const;

    // SHA-256 of canonicalText(): the same on every LibTorch/PyTorch version for the
    // same archive (docs/trace-format.md, "Model id").
    const commit::Hash32& id() const { return id_; }
    // Per operator its kind, schema and input references, constants by value, weights
    // by name and canonical tensor hash (dtype, shape, bytes).
    const std::string& canonicalText() const { return canonicalText_; }
    // The id of trace format 1 (SHA-256 over LibTorch's printed graph and the weights),
    // which depends on the LibTorch version; accepted as an alias of id().
    const commit::Hash32& legacyId() const { return legacyId_; }
    // True when some node writes into an existing tensor (aten::relu_, aten::add_, ...):
    // a recorded output may then change after it was produced (the adversary keeps copies).
    bool mutatesInPlace() const { return mutatesInPlace_; }
    // Whether a later node may write into an output of `op` (in place, or through a view
    // or alias), by TorchScript's alias analysis. Capture copies only these outputs before
    // hashing them in the background; every other output is committed without a copy.
    // Conservative: a list output of a model that writes anything counts as written.
    bool outputWrittenLater(std::uint32_t op) const { return writtenLater_.at(op); }
    // The in-place writes a read must see (empty when no node writes): what the
    // interpreter needs to rebuild, from committed tensors, a value read after a write.
    const WriteHistory& writes() const { return writes_; }
    // True when something forward returns was written after the operator producing it
    // (through a view, or a written input): the returned values are then no committed
    // operator output and are rebuilt (Interpreter::committedGraphOutputs).
    bool returnsWrittenValues() const;
    // References of the committed values operator `op` (op == ops().size(): forward's
    // return) reads beyond its inputs, to rebuild a value written after it was produced:
    // the storage's first value, the writers' outputs and what the views between read.
    std::vector<std::string> rebuildRefs(std::uint32_t op) const;
    torch::jit::Module& module() { return module_; }
    // The module's parameters, then its buffers, as found at load: collected once, since
    // walking the module for them took about a quarter of a millisecond per capture of
    // resnet18.
    const std::vector<NamedWeight>& weights() const { return weights_; }
    // With WeightResidence::MappedFile, once operator `op` is done with the weights among
    // `values` (tensors and tensor lists): gives back the resident pages of those that still
    // equal the file and no later operator reads; a later read maps them again. Keeping the
    // ones read again matters: GPT-2's causal mask, read by every layer, was otherwise mapped
    // in again by each (2.6 ms per layer on the machines measured). Does nothing for other
    // values or models; an `op` at or past the last operator gives back all of them.
    void releaseWeightsAfter(std::uint32_t op, const std::vector<c10::IValue>& values) const;
    // The weights' bytes read in place from the archive (0 when they live in the heap).
    std::size_t mappedWeightBytes() const;
    // With WeightResidence::MappedFile: throws ModelError naming the archive when its file
    // has been written since the load (MappedWeights::Loaded::fileUnchanged), since weights
    // given back and read again may then differ from the ones hashed into id(). A command
    // whose results rest on the weights calls it after its last read of them. Does nothing
    // for weights in the heap.
    void requireWeightsUnchanged() const;
    const std::string& graphText() const { return graphText_; }

private:
    void build();
    void computeId();
    void collectRefs(int slot, std::vector<std::string>& out) const;
    void collectTensorSlots(int slot, std::vector<int>& out) const;
    void collectRebuildRefs(int slot, int before, std::vector<std::string>& out) const;
    void findWrittenOutputs(const std::vector<const torch::jit::Value*>& values);
    // Fills lastWeightReader_ from the operators' "param:" inputs (after build and computeId).
    void indexWeightReaders();

    std::filesystem::path path_;
    torch::jit::Module module_;
    std::size_t mappedWeightBytes_ = 0;          // 0 for WeightResidence::Heap
    std::function<bool()> weightsFileUnchanged_; // empty for WeightResidence::Heap
    std::shared_ptr<torch::jit::Graph> graph_;
    std::string graphText_;
    std::vector<NodeEntry> nodes_;
    std::vector<OpInfo> ops_;
    std::vector<int> opNodes_;
    std::vector<int> producer_;
    std::vector<c10::IValue> constants_;
    std::vector<std::string> paramName_; // per slot, for GetAttr results
    std::vector<std::pair<int, int>>
        opOutputOf_; // per slot: (op, first flattened output) or (-1,-1)
    std::size_t slotCount_ = 0;
    std::vector<std::string> inputNames_;
    std::vector<int> inputSlots_;
    std::vector<int> outputSlots_;
    int selfSlot_ = -1;
    std::vector<InputSpec> inputSpecs_;
    std::vector<NamedWeight> weights_;
    // Per weight storage: the last operator that reads it (as "param:<name>").
    std::unordered_map<const void*, std::uint32_t> lastWeightReader_;
    commit::Hash32 id_;
    commit::Hash32 legacyId_;
    std::string canonicalText_;
    bool mutatesInPlace_ = false;
    std::vector<bool> writtenLater_; // per operator
    WriteHistory writes_;
};

} // namespace tao::graph
