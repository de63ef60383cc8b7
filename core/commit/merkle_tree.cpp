#include "core/commit/merkle_tree.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace tao::commit {

Hash32 leafHash(const LeafData& leaf) {
    std::uint8_t buf[1 + 4 + 32 + 32];
    buf[0] = 0x00;
    buf[1] = static_cast<std::uint8_t>(leaf.index >> 24);
    buf[2] = static_cast<std::uint8_t>(leaf.index >> 16);
    buf[3] = static_cast<std::uint8_t>(leaf.index >> 8);
    buf[4] = static_cast<std::uint8_t>(leaf.index);
    std::copy(leaf.schemaHash.bytes.begin(), leaf.schemaHash.bytes.end(), buf + 5);
    std::copy(leaf.outputHash.bytes.begin(), leaf.outputHash.bytes.end(), buf + 37);
    return keccak256(ByteSpan(buf, sizeof buf));
}

Hash32 nodeHash(const Hash32& left, const Hash32& right) {
    std::uint8_t buf[1 + 32 + 32];
    buf[0] = 0x01;
    std::copy(left.bytes.begin(), left.bytes.end(), buf + 1);
    std::copy(right.bytes.begin(), right.bytes.end(), buf + 33);
    return keccak256(ByteSpan(buf, sizeof buf));
}

std::size_t merkleDepth(std::uint64_t leafCount) {
    std::size_t depth = 0;
    while ((std::uint64_t{1} << depth) < leafCount)
        ++depth;
    return depth;
}

MerkleTree::MerkleTree(std::vector<Hash32> leaves)
    : leafCount_(leaves.size()) {
    if (leaves.empty()) throw std::invalid_argument("Merkle tree: no leaves");
    leaves.resize(std::size_t{1} << merkleDepth(leafCount_));
    levels_.push_back(std::move(leaves));
    while (levels_.back().size() > 1) {
        const auto& below = levels_.back();
        std::vector<Hash32> above(below.size() / 2);
        for (std::size_t i = 0; i < above.size(); ++i)
            above[i] = nodeHash(below[2 * i], below[2 * i + 1]);
        levels_.push_back(std::move(above));
    }
}

InclusionProof MerkleTree::prove(std::uint64_t index) const {
    if (index >= leafCount_)
        throw std::out_of_range("Merkle proof: leaf " + std::to_string(index) + " of " +
                                std::to_string(leafCount_));
    InclusionProof proof{index, {}};
    for (std::size_t level = 0; level + 1 < levels_.size(); ++level)
        proof.siblings.push_back(levels_[level][(index >> level) ^ 1]);
    return proof;
}

MultiProof MerkleTree::proveMany(std::vector<std::uint64_t> indices) const {
    if (indices.empty()) throw std::invalid_argument("Merkle multi-proof: no indices");
    for (std::size_t i = 0; i < indices.size(); ++i) {
        if (indices[i] >= leafCount_)
            throw std::invalid_argument("Merkle multi-proof: index " + std::to_string(indices[i]) +
                                        " out of range");
        if (i && indices[i] <= indices[i - 1])
            throw std::invalid_argument("Merkle multi-proof: indices must be strictly increasing");
    }
    MultiProof proof{indices, {}};
    // Walk up level by level; a sibling not already known becomes part of the proof.
    std::vector<std::uint64_t> known = std::move(indices);
    for (std::size_t level = 0; level + 1 < levels_.size(); ++level) {
        std::vector<std::uint64_t> parents;
        for (std::size_t i = 0; i < known.size(); ++i) {
            std::uint64_t pos = known[i];
            bool pairedWithNext = (pos % 2 == 0) && i + 1 < known.size() && known[i + 1] == pos + 1;
            if (pairedWithNext)
                ++i;
            else
                proof.nodes.push_back(levels_[level][pos ^ 1]);
            parents.push_back(pos / 2);
        }
        known = std::move(parents);
    }
    return proof;
}

bool verifyProof(const Hash32& root, std::uint64_t leafCount, const Hash32& leaf,
                 const InclusionProof& proof) {
    if (leafCount == 0 || proof.index >= leafCount) return false;
    if (proof.siblings.size() != merkleDepth(leafCount)) return false;
    Hash32 h = leaf;
    for (std::size_t level = 0; level < proof.siblings.size(); ++level) {
        bool isRight = (proof.index >> level) & 1;
        h = isRight ? nodeHash(proof.siblings[level], h) : nodeHash(h, proof.siblings[level]);
    }
    return h == root;
}

bool verifyMultiProof(const Hash32& root, std::uint64_t leafCount,
                      const std::vector<Hash32>& leaves, const MultiProof& proof) {
    const auto& idx = proof.indices;
    if (leafCount == 0 || idx.empty() || leaves.size() != idx.size()) return false;
    for (std::size_t i = 0; i < idx.size(); ++i)
        if (idx[i] >= leafCount || (i && idx[i] <= idx[i - 1])) return false;
    std::vector<std::pair<std::uint64_t, Hash32>> known;
    for (std::size_t i = 0; i < idx.size(); ++i)
        known.emplace_back(idx[i], leaves[i]);
    std::size_t next = 0;
    const std::size_t depth = merkleDepth(leafCount);
    for (std::size_t level = 0; level < depth; ++level) {
        std::vector<std::pair<std::uint64_t, Hash32>> parents;
        for (std::size_t i = 0; i < known.size(); ++i) {
            auto [pos, h] = known[i];
            Hash32 sibling;
            if ((pos % 2 == 0) && i + 1 < known.size() && known[i + 1].first == pos + 1) {
                sibling = known[++i].second;
            } else {
                if (next >= proof.nodes.size()) return false;
                sibling = proof.nodes[next++];
            }
            parents.emplace_back(pos / 2, pos % 2 ? nodeHash(sibling, h) : nodeHash(h, sibling));
        }
        known = std::move(parents);
    }
    return next == proof.nodes.size() && known.size() == 1 && known[0].second == root;
}

} // namespace tao::commit
