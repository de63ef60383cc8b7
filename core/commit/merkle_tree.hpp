#pragma once
// The trace commitment: a binary Merkle tree over per-operator leaves in
// topological order, with Keccak-256 so the coordinator contract checks proofs
// natively. The rule (identical in contracts/src):
//   leaf = keccak256(0x00 || uint32_be(index) || schemaHash || outputHash)
//   node = keccak256(0x01 || left || right)
// The leaf layer is padded with zero hashes (not hashed) to a power of two; the
// root of a single leaf is that leaf.
#include "core/commit/hash.hpp"

#include <cstdint>
#include <vector>

namespace tao::commit {

// What one operator commits to.
struct LeafData {
    std::uint32_t index = 0;
    Hash32 schemaHash; // keccak256 of the operator's schema name, e.g. "aten::linear"
    Hash32 outputHash; // SHA-256 of the operator's canonical output encoding
};

Hash32 leafHash(const LeafData& leaf);
Hash32 nodeHash(const Hash32& left, const Hash32& right);

// Sibling hashes from the leaf level upwards.
struct InclusionProof {
    std::uint64_t index = 0;
    std::vector<Hash32> siblings;
};

// Several leaves proven together; `nodes` are the hashes the verifier cannot
// derive, in the order the verifier consumes them (level by level, left to right).
struct MultiProof {
    std::vector<std::uint64_t> indices; // strictly increasing
    std::vector<Hash32> nodes;
};

class MerkleTree {
public:
    // Builds the tree over already-hashed leaves. Throws std::invalid_argument when empty.
    explicit MerkleTree(std::vector<Hash32> leaves);

    const Hash32& root() const { return levels_.back().front(); }
    std::size_t leafCount() const { return leafCount_; }
    // Number of sibling hashes in every proof: ceil(log2(leafCount)).
    std::size_t depth() const { return levels_.size() - 1; }
    const Hash32& leaf(std::size_t i) const { return levels_.front().at(i); }

    // Throws std::out_of_range for an index >= leafCount().
    InclusionProof prove(std::uint64_t index) const;
    // Throws std::invalid_argument for empty, unsorted, duplicate or out-of-range indices.
    MultiProof proveMany(std::vector<std::uint64_t> indices) const;

private:
    std::size_t leafCount_;
    std::vector<std::vector<Hash32>> levels_; // levels_[0] = padded leaves, back() = {root}
};

// Depth of a tree over n leaves.
std::size_t merkleDepth(std::uint64_t leafCount);

// True when `leaf` at proof.index with these siblings hashes up to `root` in a tree
// of `leafCount` leaves. Never throws: a malformed proof is simply false.
bool verifyProof(const Hash32& root, std::uint64_t leafCount, const Hash32& leaf,
                 const InclusionProof& proof);

// True when all `leaves` (one per proof.indices entry) hash up to `root`.
bool verifyMultiProof(const Hash32& root, std::uint64_t leafCount,
                      const std::vector<Hash32>& leaves, const MultiProof& proof);

} // namespace tao::commit
