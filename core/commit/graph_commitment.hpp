#pragma once
// The model's graph commitment, registered with the model on chain (identical to
// contracts/src/lib/GraphMerkle.sol). One entry per trace leaf:
//   entry = keccak256(0x05 || uint32_be(index) || schemaHash || uint32_be(in_0) || ...)
// with in_0 < in_1 < ... the trace leaves whose outputs the leaf's operator reads. The root is
// a binary tree over the entries with merkle_tree.hpp's node rule and zero padding. A revealed
// op must open exactly its entry's inputs, so the registry, not the provider, decides which
// leaves feed the disputed op.
#include "core/commit/merkle_tree.hpp"

#include <string>

namespace tao::commit {

// The kind of a trace's last leaf: the model's result, read from the ops forward returns.
inline constexpr const char* kOutputLeafKind = "tao::output";

struct GraphEntry {
    std::uint32_t index = 0;
    Hash32 schemaHash;                 // keccak256 of the kind, as in the trace leaf
    std::vector<std::uint32_t> inputs; // strictly increasing leaf indices below index
};

Hash32 graphEntryHash(const GraphEntry& entry);
// The tree over the entries (entry i at position i). Throws std::invalid_argument when empty.
MerkleTree graphTree(const std::vector<GraphEntry>& entries);

} // namespace tao::commit
