#include "merkle_vectors.hpp"

#include "core/commit/bisection.hpp"
#include "core/commit/game_tree.hpp"
#include "core/commit/graph_commitment.hpp"
#include "core/commit/job_domain.hpp"

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

namespace {
void addGraphVectors(nlohmann::json& doc);
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
    doc["gameRule"] = "node(lo, hi) = keccak256(0x02 || cut leaves || child nodes) over the "
                      "k-ary bisection of [lo, hi); node(i, i + 1) = leaf(i); commitment = "
                      "keccak256(0x03 || opRoot || gameRoot)";
    doc["gameTrees"] = nlohmann::json::array();
    for (auto [n, k] : {std::pair{1u, 2u}, {3u, 2u}, {10u, 4u}, {37u, 3u}, {100u, 8u}}) {
        std::vector<Hash32> hashes;
        for (std::uint32_t i = 0; i < n; ++i)
            hashes.push_back(commit::leafHash(vectorLeaf(i)));
        commit::GameTree game(hashes, k);
        const auto opRoot = commit::MerkleTree(hashes).root();
        nlohmann::json leaves = nlohmann::json::array(), splits = nlohmann::json::array();
        for (const auto& h : hashes)
            leaves.push_back(h.hex());
        // The intervals a game reaches when the challenger always takes the last part.
        for (std::uint32_t lo = 0, hi = n; hi - lo >= 2;) {
            nlohmann::json kids = nlohmann::json::array();
            for (const auto& c : game.children(lo, hi))
                kids.push_back(c.hex());
            splits.push_back({{"lo", lo}, {"hi", hi}, {"children", kids}});
            const auto m = commit::bisectionParts(lo, hi, k);
            std::tie(lo, hi) = commit::selectedInterval(lo, hi, k, m - 1);
        }
        doc["gameTrees"].push_back(
            {{"k", k},
             {"leaves", leaves},
             {"opRoot", opRoot.hex()},
             {"gameRoot", game.root().hex()},
             {"commitment", commit::traceCommitment(opRoot, game.root()).hex()},
             {"splits", splits}});
    }
    doc["jobRule"] = "jobCommitment = keccak256(0x04 || uint256 chainId || address coordinator "
                     "|| uint256 jobId || address provider || traceCommitment)";
    doc["jobCommitments"] = nlohmann::json::array();
    const struct {
        std::uint64_t chainId, jobId;
        const char* coordinator;
        const char* provider;
    } domains[] = {{17000, 1, "coordinator-a", "provider-a"},
                   {17000, 2, "coordinator-a", "provider-a"},
                   {17000, 1, "coordinator-a", "provider-b"},
                   {17000, 1, "coordinator-b", "provider-a"},
                   {11155111, 1, "coordinator-a", "provider-a"},
                   {31337, (1ull << 40) + 7, "coordinator-b", "provider-b"}};
    // The trace commitment of the k = 4 game tree above.
    const auto trace = Hash32::fromHex(doc["gameTrees"][2]["commitment"].get<std::string>());
    // Addresses: the last 20 bytes of keccak256(name), so the file says where they came from.
    auto address = [](const char* name) {
        const auto h = commit::keccak256(name);
        std::array<std::uint8_t, 20> a{};
        std::copy(h.bytes.end() - 20, h.bytes.end(), a.begin());
        return a;
    };
    for (const auto& d : domains) {
        commit::JobDomain jd{d.chainId, address(d.coordinator), d.jobId, address(d.provider)};
        doc["jobCommitments"].push_back({{"chainId", d.chainId},
                                         {"coordinator", commit::toHex(jd.coordinator)},
                                         {"jobId", d.jobId},
                                         {"provider", commit::toHex(jd.provider)},
                                         {"traceCommitment", trace.hex()},
                                         {"commitment", commit::jobCommitment(jd, trace).hex()}});
    }
    addGraphVectors(doc);
    return doc;
}

namespace {
void addGraphVectors(nlohmann::json& doc) {
    doc["graphRule"] =
        "entry = keccak256(0x05 || uint32_be(index) || schemaHash || uint32_be(input) "
        "...); graphHash = the binary tree of the leaf rule's nodes over the entries";
    doc["graphTrees"] = nlohmann::json::array();
    for (std::uint32_t n : {1u, 5u, 37u}) {
        // Op i reads the ops at i - 1 and i / 2 (once each); the last entry is the output leaf
        // reading the last two ops.
        std::vector<commit::GraphEntry> entries;
        for (std::uint32_t i = 0; i < n; ++i) {
            commit::GraphEntry e{i, vectorLeaf(i).schemaHash, {}};
            if (i + 1 == n && n > 1) {
                e.schemaHash = commit::keccak256(commit::kOutputLeafKind);
                e.inputs = n > 2 ? std::vector<std::uint32_t>{n - 3, n - 2}
                                 : std::vector<std::uint32_t>{0};
            } else if (i > 0) {
                e.inputs = {i / 2};
                if (i - 1 != i / 2) e.inputs.push_back(i - 1);
            }
            entries.push_back(e);
        }
        nlohmann::json js = nlohmann::json::array();
        for (const auto& e : entries)
            js.push_back({{"index", e.index},
                          {"schemaHash", e.schemaHash.hex()},
                          {"inputs", e.inputs},
                          {"entry", commit::graphEntryHash(e).hex()}});
        doc["graphTrees"].push_back(
            {{"n", n}, {"entries", js}, {"root", commit::graphTree(entries).root().hex()}});
    }
}
} // namespace

} // namespace tao::test
