#pragma once
// Deterministic Merkle test vectors shared with the contracts' tests
// (tests/vectors/merkle.json).
#include "core/commit/merkle_tree.hpp"

#include <nlohmann/json.hpp>

namespace tao::test {

// Leaf data for position i of a vector tree: fixed, reproducible content.
commit::LeafData vectorLeaf(std::uint32_t i);
// The full vector document: node samples, trees of 1, 2, 3, 1000 leaves with proofs, game
// trees, job commitments and model graph trees.
nlohmann::json buildMerkleVectors();

} // namespace tao::test
