#pragma once
// The second half of a job's commitment, shaped like the k-ary bisection game so that a
// provider's move carries O(k) hashes whatever the trace length (identical to
// contracts/src/lib/GameTree.sol). For [lo, hi) with hi - lo >= 2 split into m parts at the
// boundaries c_0 = lo < ... < c_m = hi of bisection.hpp:
//   node(lo, hi)  = keccak256(0x02 || leaf(c_1 - 1) || ... || leaf(c_{m-1} - 1)
//                               || node(c_0, c_1) || ... || node(c_{m-1}, c_m))
//   node(i, i+1)  = leaf(i)                      (merkle_tree.hpp's leaf hash)
//   commitment    = keccak256(0x03 || opRoot || gameRoot)   (opRoot: the binary trace root)
// That is the trace commitment; a job posts it bound to its domain (job_domain.hpp). The binary
// tree still proves single leaves (the disputed op and its inputs), the game tree each round's
// cuts.
#include "core/commit/hash.hpp"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tao::commit {

Hash32 gameNodeHash(const std::vector<Hash32>& cutLeaves, const std::vector<Hash32>& children);
// keccak256(0x03 || list...): the hash of a revealed children list, and of [opRoot, gameRoot].
Hash32 listHash(const std::vector<Hash32>& list);
// The trace commitment listHash({opRoot, gameRoot}); commit::jobCommitment binds it to a job.
Hash32 traceCommitment(const Hash32& opRoot, const Hash32& gameRoot);

class GameTree {
public:
    // Every node over already-hashed leaves at arity k. Throws std::invalid_argument when
    // `leaves` is empty or k is outside 2..16 (the coordinator's range).
    GameTree(std::vector<Hash32> leaves, unsigned k);

    unsigned arity() const { return k_; }
    const Hash32& root() const { return node(0, static_cast<std::uint32_t>(leaves_.size())); }
    // node(lo, hi) for an interval the game can reach; throws std::out_of_range otherwise.
    const Hash32& node(std::uint32_t lo, std::uint32_t hi) const;
    // The child nodes a bisect of [lo, hi) reveals (hi - lo >= 2).
    std::vector<Hash32> children(std::uint32_t lo, std::uint32_t hi) const;
    // The interval the game split to reach [lo, hi); empty for the whole range. Throws
    // std::out_of_range for an interval the game cannot reach.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> parentOf(std::uint32_t lo,
                                                                    std::uint32_t hi) const;

private:
    const Hash32& build(std::uint32_t lo, std::uint32_t hi);
    static std::uint64_t key(std::uint32_t lo, std::uint32_t hi) {
        return (std::uint64_t(lo) << 32) | hi;
    }

    std::vector<Hash32> leaves_;
    unsigned k_;
    std::unordered_map<std::uint64_t, Hash32> nodes_; // intervals of two or more ops
};

} // namespace tao::commit
