#pragma once
// The module-scope hierarchy of a model's operators, for drawing large graphs a level at a
// time: groups come from scope prefixes ("layer1" > "layer1.0" > "layer1.0.conv1"), a scope
// holding a single operator is not a group of its own, and a level wider than
// kMaxChildren is split into consecutive ranges so no layout ever gets too wide.
#include "core/graph/op_info.hpp"
#include "core/layout/graph_layout.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tao::layout {

inline constexpr std::size_t kMaxChildren = 48;

// Node sizes in points, shared by every renderer so the GUI and `tao graph` agree.
inline constexpr double kOpNodeWidth = 150;
inline constexpr double kOpNodeHeight = 38;
inline constexpr double kGroupNodeWidth = 170;
inline constexpr double kGroupNodeHeight = 46;

struct HierarchyChild {
    bool isGroup = false;
    std::uint32_t id = 0; // group index or op index
};

struct ScopeGroup {
    std::string path;  // full scope path, or "<parent> [ops a-b]" for a range group
    std::string label; // what the node shows
    int parent = -1;   // -1 only for the root (index 0)
    int depth = 0;
    bool range = false;                   // made by splitting a wide level, not a module scope
    std::vector<HierarchyChild> children; // in topological order of their first op
    std::uint32_t firstOp = 0;
    std::uint32_t opCount = 0; // operators inside, at any depth
};

// Something drawn at the current expansion: an operator or a collapsed group.
struct VisibleItem {
    bool isGroup = false;
    std::uint32_t id = 0;
    int cluster = -1; // index into VisibleGraph::clusters (the expanded group it sits in)
};

struct VisibleCluster {
    int group = 0;
    int parent = -1; // enclosing cluster
    std::string label;
};

struct VisibleEdge {
    int from = 0;
    int to = 0;
    std::uint32_t producerOp = 0; // an operator whose output this edge carries
};

struct VisibleGraph {
    std::vector<VisibleItem> items;
    std::vector<VisibleCluster> clusters;
    std::vector<VisibleEdge> edges;
    std::vector<int> itemOfOp;    // op -> the item showing it (itself or a collapsed ancestor)
    std::vector<int> itemOfGroup; // group -> item, -1 when expanded or hidden

    LayoutRequest layoutRequest() const;
};

class OpHierarchy {
public:
    explicit OpHierarchy(const std::vector<graph::OpInfo>& ops);

    const std::vector<ScopeGroup>& groups() const { return groups_; }
    std::size_t opCount() const { return groupOfOp_.size(); }
    // The innermost group holding the operator.
    int groupOfOp(std::uint32_t op) const { return groupOfOp_.at(op); }
    // Groups from the root (exclusive) down to the op's group (inclusive).
    std::vector<int> ancestorsOfOp(std::uint32_t op) const;
    // Every operator inside a group, at any depth, in topological order.
    std::vector<std::uint32_t> opsIn(int group) const;
    // Producer op of each consumed tensor, per op (from "op:<i>.<j>" input references).
    const std::vector<std::vector<std::uint32_t>>& producers() const { return producers_; }
    const std::vector<std::vector<std::uint32_t>>& consumers() const { return consumers_; }

    // The graph drawn when exactly the groups with expanded[g] set are open (the root is
    // always open). `expanded` is indexed by group; missing entries count as collapsed.
    VisibleGraph visibleGraph(const std::vector<bool>& expanded) const;
    // The default for opening a model: everything open when it is small, else only the root.
    std::vector<bool> defaultExpansion(std::size_t smallGraphOps = 60) const;

private:
    void splitWideLevels(int group);
    void collectOps(int group, std::vector<std::uint32_t>& out) const;

    std::vector<ScopeGroup> groups_;
    std::vector<int> groupOfOp_;
    std::vector<std::vector<std::uint32_t>> producers_;
    std::vector<std::vector<std::uint32_t>> consumers_;
};

// Parses "op:<index>.<output>"; false for any other reference.
bool parseOpReference(const std::string& ref, std::uint32_t* op, std::uint32_t* output = nullptr);

} // namespace tao::layout
