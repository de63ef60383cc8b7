#pragma once
// Which in-place writes a read of a value must see, and how to rebuild that value from
// committed tensors. A trace commits every operator's output as it was produced; an
// operator that reads a tensor after a later node wrote into it (through a view, say
// `y[:, :4].mul_(0.5)` and then `tanh(y)`) read the written values, which no committed
// output holds as a whole. They are rebuilt exactly: the storage's first value (its
// root), then each writer's committed output copied into the part it wrote, found by
// re-running the view operators between the root and the written tensor.
#include <cstdint>
#include <torch/script.h>
#include <vector>

namespace tao::graph {

struct NodeEntry;

// One node writing into a tensor that a root value owns.
struct StorageWrite {
    int node = -1;   // node position of the writer
    int target = -1; // slot of the tensor it writes into (a view of, or the root itself)
    int output = -1; // which of the writer's outputs holds the written tensor afterwards
    // Made after node position `after` and before `before`.
    bool between(int after, int before) const { return node > after && node < before; }
};

class WriteHistory {
public:
    // Follows schema alias annotations: a view's or an in-place operator's output derives
    // from the input sharing its alias set, a list element from its list. `values` holds
    // the graph value of each slot. `aliases` cross-checks what the annotations do not
    // say: a write the alias analysis sees but the chains cannot place marks the values it
    // may reach as unrebuildable from that node on.
    void build(const std::vector<NodeEntry>& nodes, const std::vector<int>& producer,
               const std::vector<const torch::jit::Value*>& values, torch::jit::AliasDb& aliases);

    bool empty() const { return writes_.empty() && unplaced_.empty(); }
    // The slot whose storage `slot` shares (itself when it owns its storage); -1 when the
    // annotations cannot say.
    int root(int slot) const { return parent_.empty() ? slot : rootOf(slot); }
    // Writes into the storage of `root`, in node order.
    const std::vector<StorageWrite>& writesInto(int root) const;
    // The slot `slot` derives from (-1 for a root) and the node deriving it.
    int parent(int slot) const { return parent_.empty() ? -1 : parent_[slot]; }
    int derivedBy(int slot) const { return parentNode_.at(slot); }
    // True when `slot` is the very tensor its parent is (an in-place or out= writer's
    // result, an element of a list built in the graph): re-running that node would write
    // again, so the parent's value is taken as it is.
    bool passesThrough(int slot) const { return !through_.empty() && through_[slot]; }

    // Whether a read of `slot` before node position `before` sees a write made after the
    // slot was produced (at `producedAt`; -1 for graph inputs) that can be rebuilt.
    bool writtenBefore(int slot, int producedAt, int before) const;
    // The node position of a write in that range that the alias analysis sees but the
    // annotations cannot place (the value read cannot be rebuilt); -1 when there is none.
    int unplacedWriteBefore(int slot, int producedAt, int before) const;

private:
    int rootOf(int slot) const;

    std::vector<int> parent_;     // per slot: the slot it derives from; -1 root, -2 unknown
    std::vector<int> parentNode_; // per slot: the node deriving it
    std::vector<char> through_;   // per slot: that node returns its input itself
    std::vector<std::vector<StorageWrite>> writes_; // per root slot
    // Per slot: the first node position that may write into it but cannot be rebuilt.
    std::vector<std::pair<int, int>> unplaced_; // (slot, node), sorted by slot
};

} // namespace tao::graph
