// core/commit: hashes, canonical tensor encoding, Merkle trees and proofs, and
// the shared vectors, with every Keccak value checked against Foundry's cast.
#include "core/commit/bisection.hpp"
#include "core/commit/game_tree.hpp"
#include "core/commit/merkle_tree.hpp"
#include "core/commit/tensor_hash.hpp"
#include "merkle_vectors.hpp"
#include "support/tools.hpp"

#include <QFile>
#include <QRandomGenerator>
#include <QtTest>
#include <fstream>

using namespace tao::commit;

class TestCommit : public QObject {
    Q_OBJECT

    QString cast_;

    // cast keccak of raw bytes given as 0x-hex.
    Hash32 castKeccak(ByteSpan data) {
        QString err;
        QString out =
            tao::test::runProgram(cast_, {"keccak", QString::fromStdString(toHex(data))}, &err);
        if (out.isEmpty()) qFatal("cast keccak failed: %s", qPrintable(err));
        return Hash32::fromHex(out.toStdString());
    }

    static Bytes concat(std::initializer_list<ByteSpan> parts) {
        Bytes out;
        for (auto p : parts)
            out.insert(out.end(), p.begin(), p.end());
        return out;
    }

private slots:
    void initTestCase() {
        cast_ = tao::test::foundryTool("cast");
        QVERIFY2(!cast_.isEmpty(),
                 "cast not found under contracts/node_modules: run scripts/setup");
    }

    void knownDigests() {
        QCOMPARE(QString::fromStdString(sha256(ByteSpan()).hex()),
                 QString("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(QString::fromStdString(keccak256(std::string_view()).hex()),
                 QString("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
        Bytes abc{'a', 'b', 'c'};
        QCOMPARE(keccak256(abc), castKeccak(abc));
    }

    // The documented hash of an undefined ("none") operator output
    // (docs/trace-format.md): SHA-256 of dtype tag 0 and rank 0.
    void noneOutputHash() {
        QCOMPARE(tao::commit::tensorHash(tao::commit::DType::None, {}, {}).hex(),
                 std::string("0x8855508aade16ec573d21e6a485dfd0a7624085c1a14b5ecdd6485de0c6839a4"));
        QCOMPARE(tao::commit::safetensorsName(tao::commit::DType::None), std::string_view("NONE"));
        const std::int64_t dims[] = {1};
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            tao::commit::tensorHash(tao::commit::DType::None, dims, tao::commit::ByteSpan()) ==
                tao::commit::Hash32());
    }

    void hexParsingRejectsBadInput() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Hash32::fromHex("0x1234"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fromHex("0xabc"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fromHex("zz"));
        QCOMPARE(fromHex("0x00ff10"), (Bytes{0x00, 0xff, 0x10}));
    }

    void leafAndNodeMatchCast() {
        for (std::uint32_t i : {0u, 1u, 255u, 65536u, 0xfffffffeu}) {
            auto d = tao::test::vectorLeaf(i);
            std::uint8_t prefix[5] = {0, std::uint8_t(i >> 24), std::uint8_t(i >> 16),
                                      std::uint8_t(i >> 8), std::uint8_t(i)};
            QCOMPARE(leafHash(d), castKeccak(concat({ByteSpan(prefix, 5), d.schemaHash.bytes,
                                                     d.outputHash.bytes})));
        }
        Hash32 l = keccak256("l"), r = keccak256("r");
        std::uint8_t one = 1;
        QCOMPARE(nodeHash(l, r), castKeccak(concat({ByteSpan(&one, 1), l.bytes, r.bytes})));
        QVERIFY(nodeHash(l, r) != nodeHash(r, l));
    }

    void rootsOfSmallTrees() {
        std::vector<Hash32> leaves;
        for (std::uint32_t i = 0; i < 3; ++i)
            leaves.push_back(leafHash(tao::test::vectorLeaf(i)));
        QCOMPARE(MerkleTree({leaves[0]}).root(), leaves[0]);
        QCOMPARE(MerkleTree({leaves[0]}).depth(), std::size_t(0));
        std::uint8_t one = 1;
        Hash32 n01 = castKeccak(concat({ByteSpan(&one, 1), leaves[0].bytes, leaves[1].bytes}));
        QCOMPARE(MerkleTree({leaves[0], leaves[1]}).root(), n01);
        Hash32 zero;
        Hash32 n2z = castKeccak(concat({ByteSpan(&one, 1), leaves[2].bytes, zero.bytes}));
        QCOMPARE(MerkleTree(leaves).root(),
                 castKeccak(concat({ByteSpan(&one, 1), n01.bytes, n2z.bytes})));
    }

    void proofsVerifyAndFlippedBitsFail() {
        auto* rng = QRandomGenerator::global();
        for (std::uint32_t n : {1u, 2u, 3u, 5u, 8u, 17u, 1000u}) {
            std::vector<Hash32> leaves;
            for (std::uint32_t i = 0; i < n; ++i)
                leaves.push_back(leafHash(tao::test::vectorLeaf(i)));
            MerkleTree tree(leaves);
            QCOMPARE(tree.depth(), merkleDepth(n));
            for (std::uint32_t i = 0; i < n; i += (n > 50 ? 37 : 1)) {
                auto p = tree.prove(i);
                QVERIFY(verifyProof(tree.root(), n, leaves[i], p));
                if (n > 1) {
                    auto bad = p;
                    auto& s = bad.siblings[rng->bounded(int(bad.siblings.size()))];
                    s.bytes[rng->bounded(32)] ^= std::uint8_t(1u << rng->bounded(8));
                    QVERIFY(!verifyProof(tree.root(), n, leaves[i], bad));
                    auto wrongIndex = p;
                    wrongIndex.index = (i + 1) % n;
                    QVERIFY(!verifyProof(tree.root(), n, leaves[i], wrongIndex));
                }
                Hash32 tampered = leaves[i];
                tampered.bytes[0] ^= 0x80;
                QVERIFY(!verifyProof(tree.root(), n, tampered, p));
            }
            QVERIFY_THROWS_EXCEPTION(std::out_of_range, tree.prove(n));
        }
    }

    void multiProofs() {
        std::vector<Hash32> leaves;
        for (std::uint32_t i = 0; i < 100; ++i)
            leaves.push_back(leafHash(tao::test::vectorLeaf(i)));
        MerkleTree tree(leaves);
        std::vector<std::uint64_t> idx{0, 1, 7, 8, 50, 99};
        auto mp = tree.proveMany(idx);
        std::vector<Hash32> picked;
        for (auto i : idx)
            picked.push_back(leaves[i]);
        QVERIFY(verifyMultiProof(tree.root(), 100, picked, mp));
        QVERIFY(mp.nodes.size() < idx.size() * tree.depth());
        auto bad = picked;
        bad[3].bytes[5] ^= 1;
        QVERIFY(!verifyMultiProof(tree.root(), 100, bad, mp));
        auto shortProof = mp;
        shortProof.nodes.pop_back();
        QVERIFY(!verifyMultiProof(tree.root(), 100, picked, shortProof));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tree.proveMany({3, 3}));
    }

    void tensorHashIsCanonical() {
        float v[6] = {1, 2, 3, 4, 5, 6};
        ByteSpan bytes(reinterpret_cast<const std::uint8_t*>(v), sizeof v);
        std::int64_t s23[2] = {2, 3}, s32[2] = {3, 2}, s6[1] = {6};
        Hash32 h = tensorHash(DType::Float32, s23, bytes);
        QVERIFY(h != tensorHash(DType::Float32, s32, bytes));
        QVERIFY(h != tensorHash(DType::Float32, s6, bytes));
        QVERIFY(h != tensorHash(DType::Int32, s23, bytes));
        // Encoding spelled out: tag, u32 rank, u64 dims, data.
        Bytes enc{1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0};
        enc.insert(enc.end(), bytes.begin(), bytes.end());
        QCOMPARE(h, sha256(enc));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tensorHash(DType::Float64, s23, bytes));
        QCOMPARE(outputsHash({h}), h);
        QVERIFY(outputsHash({h, h}) != h);
    }

    // Hashing in pieces (for data read from a mapped file) gives the same hash, and hands
    // over every byte once, in order, in pieces of at most 16 MiB, each after it is hashed.
    void tensorHashInPiecesIsTheSameHash() {
        const std::int64_t n = (40 << 20) / 4 + 3; // three pieces, the last short
        std::vector<float> v(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i)
            v[static_cast<std::size_t>(i)] = static_cast<float>(i % 1000) * 0.5f;
        ByteSpan bytes(reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * sizeof(float));
        const std::int64_t shape[1] = {n};
        std::vector<ByteSpan> pieces;
        const auto h = tensorHash(DType::Float32, shape, bytes,
                                  [&](ByteSpan piece) { pieces.push_back(piece); });
        QCOMPARE(h, tensorHash(DType::Float32, shape, bytes));
        QCOMPARE(pieces.size(), std::size_t(3));
        const std::uint8_t* next = bytes.data();
        for (const auto& p : pieces) {
            QCOMPARE(p.data(), next);
            QVERIFY(p.size() <= std::size_t(16) << 20);
            next += p.size();
        }
        QCOMPARE(next, bytes.data() + bytes.size());
        // The same as one SHA-256 of the whole encoding: the chunks inside each piece (and
        // the odd tail of the last) drop and repeat nothing.
        Bytes enc{1, 1, 0, 0, 0};
        for (int i = 0; i < 8; ++i)
            enc.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(n) >> (8 * i)));
        enc.insert(enc.end(), bytes.begin(), bytes.end());
        QCOMPARE(h, sha256(enc));
    }

    // The game tree (commit/game_tree.hpp) on three ops at k = 2, every hash by cast:
    // [0, 3) splits at 1 into leaf 0 and [1, 3), which splits at 2 into leaves 1 and 2.
    void gameTreeMatchesCast() {
        std::vector<Hash32> leaves;
        for (std::uint32_t i = 0; i < 3; ++i)
            leaves.push_back(leafHash(tao::test::vectorLeaf(i)));
        GameTree game(leaves, 2);
        const std::uint8_t two = 2, three = 3;
        const auto n13 = castKeccak(
            concat({ByteSpan(&two, 1), leaves[1].bytes, leaves[1].bytes, leaves[2].bytes}));
        QCOMPARE(game.node(1, 3), n13);
        QCOMPARE(game.root(), castKeccak(concat({ByteSpan(&two, 1), leaves[0].bytes,
                                                 leaves[0].bytes, n13.bytes})));
        QCOMPARE(game.node(2, 3), leaves[2]);
        QCOMPARE(game.children(0, 3), (std::vector<Hash32>{leaves[0], n13}));
        const auto opRoot = MerkleTree(leaves).root();
        QCOMPARE(traceCommitment(opRoot, game.root()),
                 castKeccak(concat({ByteSpan(&three, 1), opRoot.bytes, game.root().bytes})));
        // Parents: the game reaches [1, 3) from the whole range, and [1, 2) from [1, 3).
        QVERIFY(!game.parentOf(0, 3));
        QCOMPARE(*game.parentOf(1, 3), (std::pair<std::uint32_t, std::uint32_t>{0, 3}));
        QCOMPARE(*game.parentOf(1, 2), (std::pair<std::uint32_t, std::uint32_t>{1, 3}));
        QVERIFY_EXCEPTION_THROWN(game.node(0, 2), std::out_of_range); // not a game interval
        QVERIFY_EXCEPTION_THROWN(GameTree({}, 2), std::invalid_argument);
        QVERIFY_EXCEPTION_THROWN(GameTree(leaves, 1), std::invalid_argument);
    }

    // Every interval a game can reach has the parent the bisection gives it, at any arity.
    void gameTreeParentsFollowTheBisection() {
        std::vector<Hash32> leaves;
        for (std::uint32_t i = 0; i < 1000; ++i)
            leaves.push_back(leafHash(tao::test::vectorLeaf(i)));
        for (unsigned k : {2u, 3u, 4u, 8u, 16u}) {
            GameTree game(leaves, k);
            std::vector<std::pair<std::uint32_t, std::uint32_t>> todo{{0, 1000}};
            int checked = 0;
            while (!todo.empty()) {
                auto [lo, hi] = todo.back();
                todo.pop_back();
                const auto m = bisectionParts(lo, hi, k);
                for (std::uint32_t j = 0; j < m; ++j) {
                    auto child = selectedInterval(lo, hi, k, j);
                    QCOMPARE(*game.parentOf(child.first, child.second), std::pair(lo, hi));
                    QCOMPARE(game.node(child.first, child.second), game.children(lo, hi)[j]);
                    ++checked;
                    if (child.second - child.first >= 2 && (j == 0 || j == m - 1))
                        todo.push_back(child);
                }
            }
            QVERIFY(checked > 10);
        }
    }

    // The shared vector file must be exactly what this implementation produces;
    // its Keccak values are spot-checked with cast. TAO_UPDATE_VECTORS=1 rewrites it.
    void sharedVectorFile() {
        auto doc = tao::test::buildMerkleVectors();
        QString path = tao::test::sourceDir() + "/tests/vectors/merkle.json";
        if (qEnvironmentVariableIntValue("TAO_UPDATE_VECTORS")) {
            std::ofstream(path.toStdString() + ".tmp") << doc.dump(1) << "\n";
            QVERIFY(QFile::remove(path) || !QFile::exists(path));
            QVERIFY(QFile::rename(path + ".tmp", path));
        }
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable("missing " + path));
        auto committed = nlohmann::json::parse(f.readAll().toStdString());
        QVERIFY2(committed == doc, "tests/vectors/merkle.json differs from the C++ Merkle rule");
        for (const auto& node : doc["nodes"]) {
            Bytes in{1};
            auto l = fromHex(node["left"].get<std::string>()),
                 r = fromHex(node["right"].get<std::string>());
            in.insert(in.end(), l.begin(), l.end());
            in.insert(in.end(), r.begin(), r.end());
            QCOMPARE(castKeccak(in).hex(), node["node"].get<std::string>());
        }
        const auto& big = doc["trees"][3];
        QCOMPARE(big["n"].get<int>(), 1000);
        QCOMPARE(big["depth"].get<int>(), 10);
        // Re-derive one proof path of the 1000-leaf tree with cast alone.
        const auto& proof = big["proofs"][4];
        auto h = Hash32::fromHex(proof["leaf"].get<std::string>());
        auto index = proof["index"].get<std::uint64_t>();
        for (std::size_t level = 0; level < proof["siblings"].size(); ++level) {
            auto s = Hash32::fromHex(proof["siblings"][level].get<std::string>());
            std::uint8_t one = 1;
            h = ((index >> level) & 1) ? castKeccak(concat({ByteSpan(&one, 1), s.bytes, h.bytes}))
                                       : castKeccak(concat({ByteSpan(&one, 1), h.bytes, s.bytes}));
        }
        QCOMPARE(h.hex(), big["root"].get<std::string>());
    }
};

QTEST_GUILESS_MAIN(TestCommit)
#include "test_commit.moc"
