#include "core/graph/write_history.hpp"

#include "core/graph/model.hpp"

#include <algorithm>
#include <climits>
#include <torch/csrc/jit/ir/alias_analysis.h>

namespace tao::graph {

namespace {

// The alias sets an argument or return belongs to, its list elements' included.
void collectSets(const c10::AliasInfo* info, std::vector<c10::Symbol>& sets) {
    if (!info) return;
    for (const auto& s : info->beforeSets())
        sets.push_back(s);
    for (const auto& c : info->containedTypes())
        collectSets(&c, sets);
}

std::vector<c10::Symbol> setsOf(const c10::Argument& a) {
    std::vector<c10::Symbol> sets;
    collectSets(a.alias_info(), sets);
    return sets;
}

bool intersects(const std::vector<c10::Symbol>& a, const std::vector<c10::Symbol>& b) {
    for (const auto& s : a)
        if (std::find(b.begin(), b.end(), s) != b.end()) return true;
    return false;
}

bool isWildcard(const std::vector<c10::Symbol>& sets) {
    return std::find(sets.begin(), sets.end(), c10::AliasInfo::wildcardSet()) != sets.end();
}

bool isTensor(const torch::jit::Value* v) {
    return v->type()->kind() == c10::TypeKind::TensorType;
}

// Past this many (value, writer) checks the alias analysis is not consulted (huge graphs
// full of in-place operators); the schema annotations alone then place the writes.
constexpr std::size_t kMaxChecks = 4'000'000;

} // namespace

void WriteHistory::build(const std::vector<NodeEntry>& nodes, const std::vector<int>& producer,
                         const std::vector<const torch::jit::Value*>& values,
                         torch::jit::AliasDb& aliases) {
    const std::size_t slots = values.size();
    parent_.assign(slots, -1);
    parentNode_.assign(slots, -1);
    through_.assign(slots, 0);
    writes_.assign(slots, {});
    unplaced_.clear();
    std::vector<int> unplacedWriters;
    for (std::size_t pos = 0; pos < nodes.size(); ++pos) {
        const auto& e = nodes[pos];
        const auto* n = e.node;
        auto derive = [&](int out, int from, bool through) {
            parent_[out] = from;
            parentNode_[out] = static_cast<int>(pos);
            through_[out] = through;
        };
        if (e.role == NodeRole::ListUnpack || e.role == NodeRole::TupleUnpack) {
            // An element of a list built in this graph is the tensor that went in.
            const int list = e.inputSlots[0];
            const int made = producer[list];
            const bool built = made >= 0 && (nodes[made].role == NodeRole::ListConstruct ||
                                             nodes[made].role == NodeRole::TupleConstruct);
            for (std::size_t i = 0; i < e.outputSlots.size(); ++i) {
                if (built && i < nodes[made].inputSlots.size())
                    derive(e.outputSlots[i], nodes[made].inputSlots[i], true);
                else
                    derive(e.outputSlots[i], list, false);
            }
            continue;
        }
        const auto* schema = n->maybeSchema();
        if (!schema) {
            if (e.role != NodeRole::Constant && e.role != NodeRole::Attribute &&
                !n->kind().is_prim())
                unplacedWriters.push_back(static_cast<int>(pos)); // unknown effects
            continue;
        }
        const auto& args = schema->arguments();
        const auto& rets = schema->returns();
        for (std::size_t i = 0; i < e.outputSlots.size() && i < rets.size(); ++i) {
            const auto sets = setsOf(rets[i]);
            if (sets.empty()) continue; // a fresh tensor: a root
            std::vector<std::size_t> from;
            for (std::size_t j = 0; j < args.size() && j < e.inputSlots.size(); ++j)
                if (intersects(setsOf(args[j]), sets)) from.push_back(j);
            if (from.size() != 1 || isWildcard(sets)) {
                parent_[e.outputSlots[i]] = -2;
                continue;
            }
            const auto* info = args[from[0]].alias_info();
            derive(e.outputSlots[i], e.inputSlots[from[0]], info && info->isWrite());
        }
        if (!schema->is_mutable()) continue;
        std::vector<std::size_t> written;
        for (std::size_t j = 0; j < args.size(); ++j)
            if (args[j].alias_info() && args[j].alias_info()->isWrite()) written.push_back(j);
        int output = -1;
        if (written.size() == 1 && written[0] < e.inputSlots.size())
            for (std::size_t k = 0; k < rets.size() && k < e.outputSlots.size(); ++k)
                if (intersects(setsOf(rets[k]), setsOf(args[written[0]])))
                    output = static_cast<int>(k);
        const int target = output >= 0 ? e.inputSlots[written[0]] : -1;
        const int root = target >= 0 ? rootOf(target) : -1;
        if (root >= 0)
            writes_[root].push_back({static_cast<int>(pos), target, output});
        else
            unplacedWriters.push_back(static_cast<int>(pos));
    }

    // Cross-check with the alias analysis: a write it sees into a value whose chain does
    // not lead to the writer's target cannot be rebuilt.
    std::vector<std::pair<int, int>> writers; // (position, placed root or -1)
    for (std::size_t r = 0; r < slots; ++r)
        for (const auto& w : writes_[r])
            writers.emplace_back(w.node, static_cast<int>(r));
    for (int pos : unplacedWriters)
        writers.emplace_back(pos, -1);
    std::sort(writers.begin(), writers.end());
    std::size_t checks = 0;
    for (std::size_t s = 0; s < slots && checks <= kMaxChecks; ++s) {
        const auto* v = values[s];
        if (!v || !isTensor(v) || !aliases.hasWriters(v)) continue;
        const int root = rootOf(static_cast<int>(s));
        auto w =
            std::upper_bound(writers.begin(), writers.end(), std::make_pair(producer[s], INT_MAX));
        for (; w != writers.end() && checks++ <= kMaxChecks; ++w) {
            if (root >= 0 && w->second == root) continue;
            if (aliases.writesToAlias(nodes[w->first].node, {v})) {
                unplaced_.emplace_back(static_cast<int>(s), w->first);
                break;
            }
        }
    }
}

int WriteHistory::rootOf(int slot) const {
    int s = slot;
    while (parent_[s] >= 0)
        s = parent_[s];
    return parent_[s] == -2 ? -1 : s;
}

const std::vector<StorageWrite>& WriteHistory::writesInto(int root) const {
    static const std::vector<StorageWrite> none;
    return writes_.empty() ? none : writes_.at(root);
}

bool WriteHistory::writtenBefore(int slot, int producedAt, int before) const {
    if (writes_.empty()) return false;
    const int root = rootOf(slot);
    if (root < 0) return false;
    return std::any_of(writes_[root].begin(), writes_[root].end(),
                       [&](const StorageWrite& w) { return w.between(producedAt, before); });
}

int WriteHistory::unplacedWriteBefore(int slot, int producedAt, int before) const {
    auto u = std::lower_bound(unplaced_.begin(), unplaced_.end(), std::make_pair(slot, INT_MIN));
    if (u != unplaced_.end() && u->first == slot && u->second > producedAt && u->second < before)
        return u->second;
    return -1;
}

} // namespace tao::graph
