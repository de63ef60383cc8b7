#include "merkle_vectors.hpp"

#include <string>

namespace tao::test {

using commit::Hash32;

commit::LeafData vectorLeaf(std::uint32_t i) {
    static const char* kinds[] = {"aten::linear", "aten::relu",    "aten::add",
                                  "aten::conv2d", "aten::softmax", "aten::layer_norm"};
    std::uint8_t be[4] = {std::uint8_t(i >> 24), std::uint8_t(i >> 16), std::uint8_t(i >> 8),
                          std::uint8_t(i)};
    return {i, commit::keccak256(kinds[i % 6]), commit::sha256(commit::ByteSpan(be, 4))};
}

nlohmann::json buildMerkleVectors() {
    nlohmann::json doc;
    doc["rule"] = "leaf = keccak256(0x00 || uint32_be(index) || schemaHash || outputHash); "
                  "node = keccak256(0x01 || left || right); leaves padded with zero hashes "
                  "(not hashed) to a power of two; the root of one leaf is the leaf";
    doc["nodes"] = nlohmann::json::array();
    for (std::uint32_t i = 0; i < 4; ++i) {
        Hash32 l = commit::keccak256("left" + std::to_string(i));
        Hash32 r = i == 3 ? Hash32{} : commit::keccak256("right" + std::to_string(i));
        doc["nodes"].push_back(
            {{"left", l.hex()}, {"right", r.hex()}, {"node", commit::nodeHash(l, r).hex()}});
    }
    doc["trees"] = nlohmann::json::array();
    for (std::uint32_t n : {1u, 2u, 3u, 1000u}) {
        std::vector<Hash32> hashes;
        nlohmann::json leaves = nlohmann::json::array();
        for (std::uint32_t i = 0; i < n; ++i) {
            auto data = vectorLeaf(i);
            hashes.push_back(commit::leafHash(data));
            leaves.push_back({{"index", i},
                              {"schemaHash", data.schemaHash.hex()},
                              {"outputHash", data.outputHash.hex()},
                              {"leaf", hashes.back().hex()}});
        }
        commit::MerkleTree tree(hashes);
        nlohmann::json proofs = nlohmann::json::array();
        std::vector<std::uint32_t> sample;
        for (std::uint32_t i = 0; i < n; ++i)
            if (n <= 3 || i < 3 || i % 97 == 0 || i >= n - 3) sample.push_back(i);
        for (auto i : sample) {
            auto p = tree.prove(i);
            nlohmann::json sib = nlohmann::json::array();
            for (const auto& s : p.siblings)
                sib.push_back(s.hex());
            proofs.push_back({{"index", i}, {"leaf", hashes[i].hex()}, {"siblings", sib}});
        }
        doc["trees"].push_back({{"n", n},
                                {"depth", tree.depth()},
                                {"root", tree.root().hex()},
                                {"leaves", leaves},
                                {"proofs", proofs}});
    }
    return doc;
}

} // namespace tao::test
