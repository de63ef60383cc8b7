#include "core/commit/game_tree.hpp"

#include "core/commit/bisection.hpp"

#include <stdexcept>
#include <string>

namespace tao::commit {

namespace {
Hash32 prefixedHash(std::uint8_t prefix, const std::vector<Hash32>& a,
                    const std::vector<Hash32>& b = {}) {
    Bytes buf;
    buf.reserve(1 + 32 * (a.size() + b.size()));
    buf.push_back(prefix);
    for (const auto* list : {&a, &b})
        for (const auto& h : *list)
            buf.insert(buf.end(), h.bytes.begin(), h.bytes.end());
    return keccak256(ByteSpan(buf));
}
} // namespace

Hash32 gameNodeHash(const std::vector<Hash32>& cutLeaves, const std::vector<Hash32>& children) {
    return prefixedHash(0x02, cutLeaves, children);
}

Hash32 listHash(const std::vector<Hash32>& list) {
    return prefixedHash(0x03, list);
}

Hash32 traceCommitment(const Hash32& opRoot, const Hash32& gameRoot) {
    return listHash({opRoot, gameRoot});
}

GameTree::GameTree(std::vector<Hash32> leaves, unsigned k)
    : leaves_(std::move(leaves))
    , k_(k) {
    if (leaves_.empty()) throw std::invalid_argument("game tree: no leaves");
    if (k < 2 || k > 16) throw std::invalid_argument("game tree: arity " + std::to_string(k));
    nodes_.reserve(leaves_.size() / (k - 1) + 1);
    build(0, static_cast<std::uint32_t>(leaves_.size()));
}

const Hash32& GameTree::build(std::uint32_t lo, std::uint32_t hi) {
    if (hi - lo == 1) return leaves_[lo];
    const auto m = bisectionParts(lo, hi, k_);
    std::vector<Hash32> cuts, kids;
    for (std::uint32_t i = 1; i < m; ++i)
        cuts.push_back(leaves_[bisectionBoundary(lo, hi, m, i) - 1]);
    for (std::uint32_t i = 0; i < m; ++i)
        kids.push_back(build(bisectionBoundary(lo, hi, m, i), bisectionBoundary(lo, hi, m, i + 1)));
    return nodes_[key(lo, hi)] = gameNodeHash(cuts, kids);
}

const Hash32& GameTree::node(std::uint32_t lo, std::uint32_t hi) const {
    if (hi > leaves_.size() || lo >= hi)
        throw std::out_of_range("game tree: no interval [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + ")");
    if (hi - lo == 1) return leaves_[lo];
    auto it = nodes_.find(key(lo, hi));
    if (it == nodes_.end())
        throw std::out_of_range("game tree: [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                ") is not an interval of the game");
    return it->second;
}

std::vector<Hash32> GameTree::children(std::uint32_t lo, std::uint32_t hi) const {
    node(lo, hi); // checks the interval
    if (hi - lo < 2) throw std::invalid_argument("game tree: a single op has no children");
    const auto m = bisectionParts(lo, hi, k_);
    std::vector<Hash32> kids;
    for (std::uint32_t i = 0; i < m; ++i)
        kids.push_back(node(bisectionBoundary(lo, hi, m, i), bisectionBoundary(lo, hi, m, i + 1)));
    return kids;
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> GameTree::parentOf(std::uint32_t lo,
                                                                          std::uint32_t hi) const {
    node(lo, hi); // checks the interval
    std::pair<std::uint32_t, std::uint32_t> cur{0, static_cast<std::uint32_t>(leaves_.size())};
    if (cur == std::pair{lo, hi}) return std::nullopt;
    for (;;) {
        const auto m = bisectionParts(cur.first, cur.second, k_);
        std::uint32_t j = 0;
        while (bisectionBoundary(cur.first, cur.second, m, j + 1) <= lo)
            ++j;
        const std::pair child{bisectionBoundary(cur.first, cur.second, m, j),
                              bisectionBoundary(cur.first, cur.second, m, j + 1)};
        if (child == std::pair{lo, hi}) return cur;
        if (child.first > lo || child.second < hi || child.second - child.first < 2)
            throw std::out_of_range("game tree: [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + ") is not an interval of the game");
        cur = child;
    }
}

} // namespace tao::commit
