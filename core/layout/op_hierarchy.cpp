#include "core/layout/op_hierarchy.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace tao::layout {
namespace {

std::vector<std::string> splitScope(const std::string& scope) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start < scope.size()) {
        auto dot = scope.find('.', start);
        if (dot == std::string::npos) dot = scope.size();
        if (dot > start) parts.push_back(scope.substr(start, dot - start));
        start = dot + 1;
    }
    return parts;
}

// A scope tree before single-op scopes are folded into their parents.
struct ScopeNode {
    std::string name;
    std::string path;
    std::map<std::string, int> childIndex;
    std::vector<int> childNodes;
    std::vector<std::uint32_t> ops;
};

} // namespace

bool parseOpReference(const std::string& ref, std::uint32_t* op, std::uint32_t* output) {
    if (ref.rfind("op:", 0) != 0) return false;
    const char* begin = ref.data() + 3;
    const char* end = ref.data() + ref.size();
    std::uint32_t index = 0;
    auto [p, ec] = std::from_chars(begin, end, index);
    if (ec != std::errc() || p == begin) return false;
    std::uint32_t out = 0;
    if (p != end && *p == '.') std::from_chars(p + 1, end, out);
    *op = index;
    if (output) *output = out;
    return true;
}

OpHierarchy::OpHierarchy(const std::vector<graph::OpInfo>& ops) {
    const auto n = static_cast<std::uint32_t>(ops.size());
    producers_.resize(n);
    consumers_.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        for (const auto& ref : ops[i].inputs) {
            std::uint32_t p = 0;
            if (!parseOpReference(ref, &p) || p >= n || p == i) continue;
            if (std::find(producers_[i].begin(), producers_[i].end(), p) == producers_[i].end()) {
                producers_[i].push_back(p);
                consumers_[p].push_back(i);
            }
        }
    }

    std::vector<ScopeNode> tree(1);
    for (std::uint32_t i = 0; i < n; ++i) {
        int node = 0;
        std::string path;
        for (const auto& part : splitScope(ops[i].scope)) {
            path += (path.empty() ? "" : ".") + part;
            auto it = tree[node].childIndex.find(part);
            if (it == tree[node].childIndex.end()) {
                ScopeNode child;
                child.name = part;
                child.path = path;
                tree.push_back(std::move(child));
                const int created = static_cast<int>(tree.size()) - 1;
                tree[node].childIndex.emplace(part, created);
                tree[node].childNodes.push_back(created);
                node = created;
            } else {
                node = it->second;
            }
        }
        tree[node].ops.push_back(i);
    }

    groupOfOp_.assign(n, 0);
    groups_.push_back(ScopeGroup{});
    groups_[0].label = "model";
    // Depth-first emission; a scope with one operator and no sub-scopes is folded into its
    // parent (a group around one box only costs a click).
    auto emit = [&](auto&& self, int treeNode, int group) -> void {
        for (auto op : tree[treeNode].ops) {
            groups_[group].children.push_back({false, op});
            groupOfOp_[op] = group;
        }
        for (int child : tree[treeNode].childNodes) {
            const auto& c = tree[child];
            if (c.childNodes.empty() && c.ops.size() == 1) {
                groups_[group].children.push_back({false, c.ops[0]});
                groupOfOp_[c.ops[0]] = group;
                continue;
            }
            ScopeGroup g;
            g.path = c.path;
            g.label = c.name;
            g.parent = group;
            g.depth = groups_[group].depth + 1;
            groups_.push_back(std::move(g));
            const int index = static_cast<int>(groups_.size()) - 1;
            groups_[group].children.push_back({true, static_cast<std::uint32_t>(index)});
            self(self, child, index);
        }
    };
    emit(emit, 0, 0);

    // First op and op counts bottom-up (children were emitted after their parents).
    for (auto& g : groups_)
        g.firstOp = n;
    for (std::uint32_t i = 0; i < n; ++i) {
        for (int g = groupOfOp_[i]; g >= 0; g = groups_[g].parent) {
            groups_[g].opCount++;
            groups_[g].firstOp = std::min(groups_[g].firstOp, i);
        }
    }
    auto firstOf = [&](const HierarchyChild& c) {
        return c.isGroup ? groups_[c.id].firstOp : c.id;
    };
    const std::size_t scopeGroups = groups_.size();
    for (std::size_t g = 0; g < scopeGroups; ++g) {
        std::stable_sort(groups_[g].children.begin(), groups_[g].children.end(),
                         [&](const auto& a, const auto& b) { return firstOf(a) < firstOf(b); });
        splitWideLevels(static_cast<int>(g));
    }
}

void OpHierarchy::splitWideLevels(int group) {
    while (groups_[group].children.size() > kMaxChildren) {
        auto children = std::move(groups_[group].children);
        groups_[group].children.clear();
        const std::size_t chunks = (children.size() + kMaxChildren - 1) / kMaxChildren;
        const std::size_t per = (children.size() + chunks - 1) / chunks;
        for (std::size_t start = 0; start < children.size(); start += per) {
            const std::size_t end = std::min(children.size(), start + per);
            ScopeGroup range;
            range.parent = group;
            range.depth = groups_[group].depth + 1;
            range.range = true;
            range.firstOp = static_cast<std::uint32_t>(opCount());
            std::uint32_t lastOp = 0;
            const int index = static_cast<int>(groups_.size());
            for (std::size_t k = start; k < end; ++k) {
                const auto& c = children[k];
                if (c.isGroup) {
                    groups_[c.id].parent = index;
                    range.opCount += groups_[c.id].opCount;
                    range.firstOp = std::min(range.firstOp, groups_[c.id].firstOp);
                    lastOp = std::max(lastOp, groups_[c.id].firstOp + groups_[c.id].opCount - 1);
                } else {
                    groupOfOp_[c.id] = index;
                    range.opCount += 1;
                    range.firstOp = std::min(range.firstOp, c.id);
                    lastOp = std::max(lastOp, c.id);
                }
                range.children.push_back(c);
            }
            range.label = "ops " + std::to_string(range.firstOp) + "–" + std::to_string(lastOp);
            range.path = groups_[group].path + (groups_[group].path.empty() ? "" : " ") + "[" +
                         range.label + "]";
            groups_.push_back(std::move(range));
            groups_[group].children.push_back({true, static_cast<std::uint32_t>(index)});
        }
    }
    // Depths below a new range group moved down by one.
    auto fixDepth = [&](auto&& self, int g) -> void {
        for (const auto& c : groups_[g].children)
            if (c.isGroup) {
                groups_[c.id].depth = groups_[g].depth + 1;
                self(self, static_cast<int>(c.id));
            }
    };
    fixDepth(fixDepth, group);
}

std::vector<int> OpHierarchy::ancestorsOfOp(std::uint32_t op) const {
    std::vector<int> chain;
    for (int g = groupOfOp_.at(op); g > 0; g = groups_[g].parent)
        chain.push_back(g);
    std::reverse(chain.begin(), chain.end());
    return chain;
}

void OpHierarchy::collectOps(int group, std::vector<std::uint32_t>& out) const {
    for (const auto& c : groups_[group].children) {
        if (c.isGroup)
            collectOps(static_cast<int>(c.id), out);
        else
            out.push_back(c.id);
    }
}

std::vector<std::uint32_t> OpHierarchy::opsIn(int group) const {
    std::vector<std::uint32_t> out;
    collectOps(group, out);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<bool> OpHierarchy::defaultExpansion(std::size_t smallGraphOps) const {
    std::vector<bool> expanded(groups_.size(), false);
    expanded[0] = true;
    if (opCount() <= smallGraphOps)
        for (std::size_t g = 0; g < groups_.size(); ++g)
            expanded[g] = true;
    return expanded;
}

VisibleGraph OpHierarchy::visibleGraph(const std::vector<bool>& expanded) const {
    VisibleGraph vg;
    vg.itemOfOp.assign(opCount(), -1);
    vg.itemOfGroup.assign(groups_.size(), -1);
    auto isExpanded = [&](std::uint32_t g) { return g < expanded.size() && expanded[g]; };
    auto walk = [&](auto&& self, int group, int cluster) -> void {
        for (const auto& c : groups_[group].children) {
            if (!c.isGroup) {
                vg.itemOfOp[c.id] = static_cast<int>(vg.items.size());
                vg.items.push_back({false, c.id, cluster});
            } else if (isExpanded(c.id)) {
                vg.clusters.push_back({static_cast<int>(c.id), cluster, groups_[c.id].label});
                self(self, static_cast<int>(c.id), static_cast<int>(vg.clusters.size()) - 1);
            } else {
                const int item = static_cast<int>(vg.items.size());
                vg.itemOfGroup[c.id] = item;
                vg.items.push_back({true, c.id, cluster});
                std::vector<std::uint32_t> inside;
                collectOps(static_cast<int>(c.id), inside);
                for (auto op : inside)
                    vg.itemOfOp[op] = item;
            }
        }
    };
    walk(walk, 0, -1);

    std::set<std::pair<int, int>> seen;
    for (std::uint32_t op = 0; op < opCount(); ++op) {
        for (auto p : producers_[op]) {
            const int from = vg.itemOfOp[p];
            const int to = vg.itemOfOp[op];
            if (from < 0 || to < 0 || from == to) continue;
            if (seen.insert({from, to}).second) vg.edges.push_back({from, to, p});
        }
    }
    return vg;
}

LayoutRequest VisibleGraph::layoutRequest() const {
    LayoutRequest request;
    for (const auto& item : items) {
        LayoutNode node;
        node.width = item.isGroup ? kGroupNodeWidth : kOpNodeWidth;
        node.height = item.isGroup ? kGroupNodeHeight : kOpNodeHeight;
        node.cluster = item.cluster;
        request.nodes.push_back(node);
    }
    for (const auto& c : clusters)
        request.clusters.push_back({c.label, c.parent});
    for (const auto& e : edges)
        request.edges.push_back({e.from, e.to});
    return request;
}

} // namespace tao::layout
