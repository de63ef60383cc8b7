// Encodings, signatures and keystores of the chain client, checked against known vectors
// and against Foundry's cast (an independent implementation) on seeded random cases.
#include "core/chain/abi_codec.hpp"
#include "core/chain/keystore.hpp"
#include "core/chain/network_config.hpp"
#include "core/chain/revert_reason.hpp"
#include "core/chain/rlp.hpp"
#include "core/chain/transaction.hpp"
#include "support/error_message.hpp"
#include "support/tools.hpp"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <random>
#include <sys/stat.h>

using namespace tao::chain;
using namespace tao::test;
using tao::commit::Bytes;

using tao::test::messageOf;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
std::string hex(const Bytes& b) {
    return tao::commit::toHex(b);
}

// Seeded generator of random ABI types with values, cast's input syntax for them and the
// text cast decode-abi prints for them.
class AbiCaseGenerator {
public:
    explicit AbiCaseGenerator(std::uint64_t seed)
        : rng_(seed) {}

    struct Case {
        AbiType type;
        AbiValue value;
        QString castInput;  // argument syntax of cast abi-encode (top-level strings unquoted)
        QString castOutput; // decode-abi's rendering
    };

    AbiType randomType(int depth) {
        int pick = uniform(0, depth < 2 ? 11 : 7);
        AbiType t;
        switch (pick) {
        case 0:
            t.kind = AbiType::Kind::Uint;
            t.bits = 8 * uniform(1, 32);
            return t;
        case 1:
            t.kind = AbiType::Kind::Int;
            t.bits = 8 * uniform(1, 32);
            return t;
        case 2:
            t.kind = AbiType::Kind::Bool;
            return t;
        case 3:
            t.kind = AbiType::Kind::Address;
            return t;
        case 4:
            t.kind = AbiType::Kind::FixedBytes;
            t.size = uniform(1, 32);
            return t;
        case 5:
            t.kind = AbiType::Kind::Bytes;
            return t;
        case 6:
            t.kind = AbiType::Kind::String;
            return t;
        case 7:
            t.kind = AbiType::Kind::Uint;
            t.bits = 256;
            return t;
        case 8:
            t.kind = AbiType::Kind::Array;
            t.components = {randomType(depth + 1)};
            return t;
        case 9:
            t.kind = AbiType::Kind::FixedArray;
            t.length = uniform(1, 3);
            t.components = {randomType(depth + 1)};
            return t;
        default: {
            std::vector<AbiType> members;
            for (int i = 0, n = uniform(1, 3); i < n; ++i)
                members.push_back(randomType(depth + 1));
            return AbiType::tuple(members);
        }
        }
    }

    Case randomValue(const AbiType& type, bool topLevel) {
        Case c{type, {}, {}, {}};
        switch (type.kind) {
        case AbiType::Kind::Uint: {
            Uint256 v = randomBits(uniform(0, static_cast<int>(type.bits)));
            c.value = v;
            c.castInput = c.castOutput = qs(v.toDecimal());
            break;
        }
        case AbiType::Kind::Int: {
            bool neg = uniform(0, 1) == 1;
            Uint256 mag = randomBits(uniform(0, static_cast<int>(type.bits) - 1));
            if (neg && uniform(0, 9) == 0) { // the most negative value
                Bytes be(32, 0);
                be[31 - (type.bits - 1) / 8] =
                    static_cast<std::uint8_t>(1u << ((type.bits - 1) % 8));
                mag = Uint256::fromBigEndian(be);
            }
            Int256 v(neg, mag);
            c.value = v;
            c.castInput = c.castOutput = qs(v.toDecimal());
            break;
        }
        case AbiType::Kind::Bool: {
            bool b = uniform(0, 1) == 1;
            c.value = AbiValue(b);
            c.castInput = c.castOutput = b ? "true" : "false";
            break;
        }
        case AbiType::Kind::Address: {
            Address a;
            for (auto& b : a.bytes)
                b = static_cast<std::uint8_t>(uniform(0, 255));
            c.value = a;
            c.castInput = c.castOutput = qs(a.checksumHex());
            break;
        }
        case AbiType::Kind::FixedBytes:
        case AbiType::Kind::Bytes: {
            Bytes b = randomBytes(type.kind == AbiType::Kind::Bytes ? uniform(0, 70) : type.size);
            c.value = b;
            c.castInput = c.castOutput = qs(hex(b));
            break;
        }
        case AbiType::Kind::String: {
            static const char charset[] =
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
            std::string s;
            for (int i = 0, n = uniform(0, 40); i < n; ++i) {
                bool interior = i > 0 && i + 1 < n;
                s.push_back(interior && uniform(0, 6) == 0 ? ' ' : charset[uniform(0, 62)]);
            }
            c.value = s;
            c.castOutput = "\"" + qs(s) + "\"";
            c.castInput = topLevel ? qs(s) : c.castOutput;
            break;
        }
        case AbiType::Kind::Array:
        case AbiType::Kind::FixedArray:
        case AbiType::Kind::Tuple: {
            std::vector<const AbiType*> members;
            if (type.kind == AbiType::Kind::Tuple) {
                for (const auto& m : type.components)
                    members.push_back(&m);
            } else {
                std::size_t n = type.kind == AbiType::Kind::Array ? uniform(0, 3) : type.length;
                members.assign(n, &type.element());
            }
            AbiValue::List list;
            QStringList in, out;
            for (const auto* m : members) {
                Case sub = randomValue(*m, false);
                list.push_back(sub.value);
                in << sub.castInput;
                out << sub.castOutput;
            }
            c.value = list;
            bool tuple = type.kind == AbiType::Kind::Tuple;
            c.castInput = (tuple ? "(" : "[") + in.join(", ") + (tuple ? ")" : "]");
            c.castOutput = (tuple ? "(" : "[") + out.join(", ") + (tuple ? ")" : "]");
            break;
        }
        }
        return c;
    }

    Bytes randomBytes(int n) {
        Bytes b(static_cast<std::size_t>(n));
        for (auto& x : b)
            x = static_cast<std::uint8_t>(uniform(0, 255));
        return b;
    }

    // A random value below 2^bits, biased towards using all the bits.
    Uint256 randomBits(int bits) {
        Bytes be = randomBytes(32);
        for (int bit = 0; bit < 256; ++bit)
            if (bit >= bits) be[31 - bit / 8] &= static_cast<std::uint8_t>(~(1u << (bit % 8)));
        return Uint256::fromBigEndian(be);
    }

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    std::mt19937_64& rng() { return rng_; }

private:
    std::mt19937_64 rng_;
};

// JSON-ish input of cast to-rlp, and the matching item.
RlpItem randomRlp(AbiCaseGenerator& g, int depth, QString& text) {
    if (depth > 0 && (depth >= 3 || g.uniform(0, 2) != 0)) {
        static const int lengths[] = {0, 1, 1, 2, 5, 20, 55, 56, 57, 100, 300, 1100};
        int len = lengths[g.uniform(0, 11)];
        Bytes b = g.randomBytes(len);
        if (len == 1 && g.uniform(0, 1)) b[0] &= 0x7f;
        text = "\"" + qs(hex(b)) + "\"";
        return RlpItem(b);
    }
    RlpItem::List list;
    QStringList parts;
    for (int i = 0, n = g.uniform(0, depth == 0 ? 6 : 4); i < n; ++i) {
        QString sub;
        list.push_back(randomRlp(g, depth + 1, sub));
        parts << sub;
    }
    text = "[" + parts.join(",") + "]";
    return RlpItem(list);
}

QString stripNumberAnnotations(QString s) {
    static const QRegularExpression annotation(" \\[-?[0-9.]+e-?[0-9]+\\]");
    return s.remove(annotation);
}

} // namespace

class TestChain : public QObject {
    Q_OBJECT

    QString cast_;

private slots:
    void initTestCase() {
        cast_ = foundryTool("cast");
        if (cast_.isEmpty()) QFAIL(qPrintable(missingToolMessage("cast")));
    }

    void uint256Arithmetic() {
        Uint256 max = Uint256::max();
        QCOMPARE(qs(max.toDecimal()),
                 "115792089237316195423570985008687907853269984665640564039457584007913129639935");
        QCOMPARE(Uint256::parse(max.toDecimal()), max);
        QCOMPARE(qs(Uint256::fromHex("0x00ff").toHex()), QString("0xff"));
        QCOMPARE(qs(Uint256(0).toHex()), QString("0x0"));
        QVERIFY_THROWS_EXCEPTION(std::overflow_error, max + Uint256(1));
        QVERIFY_THROWS_EXCEPTION(std::underflow_error, Uint256(1) - Uint256(2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Uint256::parse(max.toDecimal() + "0"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Uint256::parse("12a"));
        Uint256 gwei = Uint256(1'000'000'000);
        Uint256 ether = gwei * gwei;
        QCOMPARE(qs(ether.toDecimal()), QString("1000000000000000000"));
        auto [q, r] = (ether + Uint256(7)).divmod(10);
        QCOMPARE(qs(q.toDecimal()), QString("100000000000000000"));
        QCOMPARE(r, std::uint64_t{7});
        QCOMPARE(qs(Int256::parse("-1").toTwosComplement().toHex()),
                 QString("0x") + QString(64, 'f'));
        QCOMPARE(Int256::fromTwosComplement(Int256::parse("-12345").toTwosComplement()),
                 Int256::parse("-12345"));
        QVERIFY(Int256::parse("-128").fitsBits(8));
        QVERIFY(!Int256::parse("-129").fitsBits(8));
        QVERIFY(!Int256::parse("128").fitsBits(8));
    }

    void addressesAndChecksums() {
        // EIP-55 examples.
        for (const char* a : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                              "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                              "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"}) {
            QCOMPARE(qs(Address::fromHex(a).checksumHex()), QString(a));
        }
        QString bad = messageOf<std::invalid_argument>(
            [] { Address::fromHex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"); });
        QVERIFY2(bad.contains("checksum"), qPrintable(bad));
        bad = messageOf<std::invalid_argument>([] { Address::fromHex("0x1234", "recipient"); });
        QVERIFY2(bad.contains("recipient") && bad.contains("malformed address"), qPrintable(bad));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 Address::fromHex("0xzzzzb6053f3e94c9b9a09f33669435e7ef1beaed"));
    }

    // Amounts for people: exact below a micro-ether (a rounded zero would hide a payment),
    // rounded half up to six decimals above; long hex shortened, short hex kept.
    void amountsAndHexForPeople() {
        QCOMPARE(etherText(Uint256::fromDecimal("1500000000000000000")), std::string("1.5 ETH"));
        QCOMPARE(etherRounded(Uint256(1)), std::string("0.000000000000000001 ETH"));
        QCOMPARE(etherRounded(Uint256::fromDecimal("9999998746500000000000")),
                 std::string("9999.998747 ETH"));
        QCOMPARE(etherRounded(Uint256::fromDecimal("9999998746499999999999")),
                 std::string("9999.998746 ETH"));
        QCOMPARE(etherRounded(Uint256::fromDecimal("1000000000000000000")), std::string("1 ETH"));
        const std::string address = "0x1234567890abcdef1234567890abcdef1234abcd";
        QCOMPARE(shortHex(address), std::string("0x1234\u2026abcd"));
        QCOMPARE(shortHex("0x1234"), std::string("0x1234"));
    }

    void rlpKnownVectors() {
        auto enc = [](const RlpItem& i) { return qs(hex(rlpEncode(i))); };
        QCOMPARE(enc(RlpItem(Bytes{'d', 'o', 'g'})), QString("0x83646f67"));
        QCOMPARE(enc(RlpItem(RlpItem::List{})), QString("0xc0"));
        QCOMPARE(enc(RlpItem(Bytes{})), QString("0x80"));
        QCOMPARE(enc(RlpItem(Bytes{0x00})), QString("0x00"));
        QCOMPARE(enc(RlpItem::integer(0)), QString("0x80"));
        QCOMPARE(enc(RlpItem::integer(1024)), QString("0x820400"));
        // [ [], [[]], [ [], [[]] ] ]
        RlpItem e(RlpItem::List{});
        RlpItem set(RlpItem::List{e, RlpItem(RlpItem::List{e}),
                                  RlpItem(RlpItem::List{e, RlpItem(RlpItem::List{e})})});
        QCOMPARE(enc(set), QString("0xc7c0c1c0c3c0c1c0"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 rlpDecode(Bytes{0x81, 0x05})); // non-canonical
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rlpDecode(Bytes{0x83, 0x01})); // truncated
        QString msg = messageOf<std::invalid_argument>([] { rlpDecode(Bytes{0x80, 0x80}); });
        QVERIFY2(msg.contains("trailing"), qPrintable(msg));
    }

    void abiKnownVectors() {
        QCOMPARE(qs(tao::commit::toHex(functionSelector("transfer(address,uint256)"))),
                 QString("0xa9059cbb"));
        QCOMPARE(qs(eventTopic("Transfer(address indexed from, address indexed to, uint256 value)")
                        .hex()),
                 QString("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"));
        QCOMPARE(qs(AbiType::parse("tuple(uint,(int,bytes32)[2])[]").canonical()),
                 QString("(uint256,(int256,bytes32)[2])[]"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, AbiType::parse("uint7"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, AbiType::parse("bytes33"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, AbiType::parse("(uint256"));

        auto types = AbiType::parseList("uint256,string");
        Bytes data = abiEncode(types, {Uint256(5), std::string("hi")});
        Bytes truncated(data.begin(), data.end() - 32);
        QString msg = messageOf<std::invalid_argument>([&] { abiDecode(types, truncated); });
        QVERIFY2(msg.contains("arg 1") && msg.contains("string"), qPrintable(msg));
        Bytes badOffset = data;
        badOffset[63] = 0xff;
        msg = messageOf<std::invalid_argument>([&] { abiDecode(types, badOffset); });
        QVERIFY2(msg.contains("offset"), qPrintable(msg));
        Bytes dirtyBool = abiEncode({AbiType::parse("bool")}, {AbiValue(true)});
        dirtyBool[31] = 2;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 abiDecode({AbiType::parse("bool")}, dirtyBool));
        msg = messageOf<std::invalid_argument>(
            [] { abiEncode({AbiType::parse("uint8")}, {Uint256(256)}); });
        QVERIFY2(msg.contains("uint8") && msg.contains("256"), qPrintable(msg));
        msg = messageOf<std::invalid_argument>(
            [] { abiEncode({AbiType::parse("bytes32")}, {Bytes(31, 0)}); });
        QVERIFY2(msg.contains("expected 32 bytes"), qPrintable(msg));

        // Event log with an indexed static, an indexed dynamic and a data parameter.
        auto event =
            EventSignature::parse("Moved(uint256 indexed game, string indexed note, bytes32 root)");
        tao::commit::Hash32 root = tao::commit::keccak256(std::string_view("root"));
        std::vector<tao::commit::Hash32> topics = {
            event.topic(), {}, tao::commit::keccak256(std::string_view("n"))};
        topics[1].bytes = Uint256(7).toBigEndian();
        auto values = decodeEventLog(event, topics, abiEncode({AbiType::parse("bytes32")}, {root}));
        QCOMPARE(values.size(), std::size_t{3});
        QCOMPARE(values[0].asUint(), Uint256(7));
        QCOMPARE(values[1].asHash32(), topics[2]);
        QCOMPARE(values[2].asHash32(), root);
        topics[0] = root;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, decodeEventLog(event, topics, {}));

        Bytes revert = encodeCall("Error(string)", {std::string("not your turn")});
        QCOMPARE(qs(describeRevert(revert)), QString("reverted: \"not your turn\""));
        Bytes custom = encodeCall("Late(uint256)", {Uint256(9)});
        QCOMPARE(qs(describeRevert(custom, {"Late(uint256)"})), QString("Late(9)"));
        QVERIFY(
            qs(describeRevert(custom))
                .startsWith("custom error " + qs(hex(Bytes(custom.begin(), custom.begin() + 4)))));
        QVERIFY(
            qs(describeRevert(encodeCall("Panic(uint256)", {Uint256(0x11)}))).contains("overflow"));
    }

    void abiMatchesCast() {
        AbiCaseGenerator gen(20240611);
        const int cases = 120;
        for (int i = 0; i < cases; ++i) {
            std::vector<AbiType> types;
            std::vector<AbiValue> values;
            QStringList args, expectedLines;
            for (int p = 0, n = gen.uniform(1, 4); p < n; ++p) {
                types.push_back(gen.randomType(0));
                auto c = gen.randomValue(types.back(), true);
                values.push_back(c.value);
                args << c.castInput;
                expectedLines << c.castOutput;
            }
            const QString sig = qs(canonicalList(types));
            Bytes ours = abiEncode(types, values);

            auto encoded = runTool(cast_, QStringList{"abi-encode", "f(" + sig + ")"} + args);
            QVERIFY2(encoded.exitCode == 0, qPrintable("cast abi-encode f(" + sig + ") " +
                                                       args.join(" ") + ": " + encoded.err));
            QVERIFY2(encoded.out == qs(hex(ours)),
                     qPrintable(QString("case %1 f(%2) %3\ncast %4\nours %5")
                                    .arg(i)
                                    .arg(sig, args.join(" | "), encoded.out, qs(hex(ours)))));
            QVERIFY2(
                abiDecode(types, tao::commit::fromHex(encoded.out.toStdString())) == values,
                qPrintable(QString("case %1: decoding cast's encoding of f(%2)").arg(i).arg(sig)));

            auto decoded = runTool(cast_, {"decode-abi", "f()(" + sig + ")", qs(hex(ours))});
            QVERIFY2(decoded.exitCode == 0, qPrintable(decoded.err));
            QCOMPARE(stripNumberAnnotations(decoded.out), expectedLines.join("\n"));
        }
    }

    void rlpMatchesCast() {
        AbiCaseGenerator gen(77);
        for (int i = 0; i < 120; ++i) {
            QString text;
            RlpItem item = randomRlp(gen, 0, text);
            Bytes ours = rlpEncode(item);
            auto r = runTool(cast_, {"to-rlp", text});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(r.out == qs(hex(ours)),
                     qPrintable(QString("case %1: %2").arg(i).arg(text.left(200))));
            QVERIFY(rlpDecode(ours) == item);
        }
    }

    void signedTransactionsMatchCast() {
        AbiCaseGenerator gen(4242);
        const std::uint64_t chains[] = {1, 17000, 560048, 11155111, 31337, 4294967295ull};
        for (int i = 0; i < 120; ++i) {
            PrivateKey key = PrivateKey::fromBytes(gen.randomBytes(32));
            Eip1559Transaction tx;
            tx.chainId = chains[gen.uniform(0, 5)];
            tx.nonce = gen.uniform(0, 3) == 0 ? 0 : gen.randomBits(gen.uniform(1, 40)).toU64();
            tx.gasLimit = 21000 + gen.randomBits(24).toU64();
            tx.maxPriorityFeePerGas = gen.randomBits(gen.uniform(0, 40));
            tx.maxFeePerGas = tx.maxPriorityFeePerGas + gen.randomBits(gen.uniform(0, 45));
            tx.value = gen.uniform(0, 2) == 0 ? Uint256(0) : gen.randomBits(gen.uniform(1, 90));
            bool create = gen.uniform(0, 4) == 0;
            tx.data = gen.randomBytes(create ? gen.uniform(1, 80)
                                             : gen.uniform(0, 2) * gen.uniform(1, 80));
            if (!create) {
                Address to;
                for (auto& b : to.bytes)
                    b = static_cast<std::uint8_t>(gen.uniform(0, 255));
                tx.to = to;
            }
            SignedTransaction ours = tx.sign(key);

            std::string keyHex = hex(Bytes(key.secretBytes().begin(), key.secretBytes().end()));
            QStringList args = {"mktx",
                                "--private-key",
                                qs(keyHex),
                                "--chain",
                                QString::number(tx.chainId),
                                "--nonce",
                                QString::number(tx.nonce),
                                "--gas-limit",
                                QString::number(tx.gasLimit),
                                "--gas-price",
                                qs(tx.maxFeePerGas.toDecimal()),
                                "--priority-gas-price",
                                qs(tx.maxPriorityFeePerGas.toDecimal()),
                                "--value",
                                qs(tx.value.toDecimal())};
            if (create) {
                args << "--create" << qs(hex(tx.data));
            } else {
                args << qs(tx.to->checksumHex());
                if (!tx.data.empty()) args << qs(hex(tx.data));
            }
            auto r = runTool(cast_, args);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(
                r.out == qs(hex(ours.raw)),
                qPrintable(
                    QString("case %1\ncast %2\nours %3").arg(i).arg(r.out, qs(hex(ours.raw)))));
            QCOMPARE(SignedTransaction::decode(ours.raw).sender(), key.address());
            // s is in the lower half of the curve order (EIP-2).
            QVERIFY(ours.signature.s.bytes[0] < 0x80);

            if (i < 12) {
                auto d = runTool(cast_, {"decode-transaction", qs(hex(ours.raw))});
                QVERIFY2(d.exitCode == 0, qPrintable(d.err));
                // cast prints the JSON object as a JSON string.
                auto outer = QJsonDocument::fromJson("[" + d.out.toUtf8() + "]");
                auto inner =
                    QJsonDocument::fromJson(outer.array().at(0).toString().toUtf8()).object();
                QCOMPARE(inner.value("hash").toString(), qs(ours.hash.hex()));
                QCOMPARE(inner.value("signer").toString(), qs(key.address().hex()));
                auto w = runTool(cast_, {"wallet", "address", "--private-key", qs(keyHex)});
                QCOMPARE(w.out, qs(key.address().checksumHex()));
            }
        }
    }

    void keystoreRoundTripAndErrors() {
        QTemporaryDir dir;
        PrivateKey key = PrivateKey::generate();
        auto created =
            importKeyToKeystore(dir.path().toStdString(), key, "correct horse", KdfParams::light());
        QCOMPARE(created.address, key.address());
        struct stat st {};
        QCOMPARE(::stat(created.path.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QCOMPARE(unlockKeystoreFile(created.path, "correct horse").address(), key.address());
        QCOMPARE(keystoreAddress(created.path).value(), key.address());

        QString msg =
            messageOf<KeystoreError>([&] { unlockKeystoreFile(created.path, "wrong horse"); });
        QVERIFY2(msg.contains("wrong passphrase or corrupted keystore"), qPrintable(msg));
        QVERIFY(!msg.contains("horse"));
        QVERIFY(!msg.contains(
            qs(hex(Bytes(key.secretBytes().begin(), key.secretBytes().end())).substr(2))));

        auto doc = encryptKeystore(key, "pw", KdfParams::light());
        doc["crypto"]["ciphertext"] = std::string(64, '0');
        msg = messageOf<KeystoreError>([&] { decryptKeystore(doc, "pw"); });
        QVERIFY2(msg.contains("wrong passphrase or corrupted keystore"), qPrintable(msg));
        doc["crypto"].erase("mac");
        msg = messageOf<KeystoreError>([&] { decryptKeystore(doc, "pw"); });
        QVERIFY2(msg.contains("crypto.mac"), qPrintable(msg));

        msg = messageOf<std::invalid_argument>(
            [] { PrivateKey::fromHex("0x" + std::string(64, '0')); });
        QVERIFY2(msg.contains("invalid private key"), qPrintable(msg));
    }

    // Web3 Secret Storage's published vectors: the PBKDF2 one opens; the scrypt one
    // (n = 2^18 with r = 1) breaks RFC 7914's n < 2^(16 r), which OpenSSL enforces,
    // and the error says exactly that. Hostile KDF parameters are refused at once.
    void keystoreSpecVectorsAndKdfLimits() {
        auto vector = nlohmann::json::parse(R"({"crypto": {"cipher": "aes-128-ctr",
            "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
            "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
            "kdf": "pbkdf2", "kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256",
            "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
            "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},
            "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6", "version": 3})");
        auto key = decryptKeystore(vector, "testpassword");
        QCOMPARE(hex(Bytes(key.secretBytes().begin(), key.secretBytes().end())),
                 std::string("0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"));

        auto scrypt = nlohmann::json::parse(R"({"crypto": {"cipher": "aes-128-ctr",
            "cipherparams": {"iv": "83dbcc02d8ccb40e466191a123791e0e"},
            "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
            "kdf": "scrypt", "kdfparams": {"dklen": 32, "n": 262144, "r": 1, "p": 8,
            "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
            "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"},
            "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6", "version": 3})");
        QString msg = messageOf<KeystoreError>([&] { decryptKeystore(scrypt, "testpassword"); });
        QVERIFY2(msg.contains("RFC 7914") && msg.contains("r >= 2"), qPrintable(msg));

        // n = 2^20, r = 32, p = 16 took minutes and 4 GB before it was bounded.
        auto hostile = encryptKeystore(PrivateKey::generate(), "pw", KdfParams::light());
        hostile["crypto"]["kdfparams"]["n"] = 1 << 20;
        hostile["crypto"]["kdfparams"]["r"] = 32;
        hostile["crypto"]["kdfparams"]["p"] = 16;
        QElapsedTimer clock;
        clock.start();
        msg = messageOf<KeystoreError>([&] { decryptKeystore(hostile, "pw"); });
        QVERIFY2(msg.contains("this program opens keystores up to"), qPrintable(msg));
        QVERIFY(clock.elapsed() < 3000); // refused before any key derivation
        hostile["crypto"]["kdf"] = "pbkdf2";
        hostile["crypto"]["kdfparams"] = {{"c", 1'000'000'000},
                                          {"dklen", 32},
                                          {"prf", "hmac-sha256"},
                                          {"salt", hostile["crypto"]["kdfparams"]["salt"]}};
        msg = messageOf<KeystoreError>([&] { decryptKeystore(hostile, "pw"); });
        QVERIFY2(msg.contains("this program opens keystores with 1 to"), qPrintable(msg));

        // A keystore directory we create is private to its owner.
        QTemporaryDir dir;
        auto created =
            createKeystore(dir.filePath("keys/new").toStdString(), "pw", KdfParams::light());
        struct stat st {};
        QCOMPARE(::stat(created.path.parent_path().c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0700u);
    }

    void keystoresInteroperateWithCast() {
        QTemporaryDir dir;
        // cast -> ours
        auto made = runTool(cast_, {"wallet", "new", dir.path(), "--unsafe-password", "s3cret"});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        auto m = QRegularExpression("Address:\\s+(0x[0-9a-fA-F]{40})").match(made.out);
        QVERIFY2(m.hasMatch(), qPrintable(made.out));
        auto file = QRegularExpression("keystore file: (\\S+)").match(made.out);
        QVERIFY2(file.hasMatch(), qPrintable(made.out));
        PrivateKey unlocked = unlockKeystoreFile(file.captured(1).toStdString(), "s3cret");
        QCOMPARE(qs(unlocked.address().checksumHex()), m.captured(1));
        QVERIFY_THROWS_EXCEPTION(KeystoreError,
                                 unlockKeystoreFile(file.captured(1).toStdString(), "s3cret!"));

        // ours -> cast, both KDFs
        KdfParams pbkdf2;
        pbkdf2.kind = KdfParams::Kind::Pbkdf2;
        pbkdf2.pbkdf2Iterations = 4096;
        for (const KdfParams& params : {KdfParams::light(), pbkdf2}) {
            auto created = createKeystore((dir.path() + "/ours").toStdString(), "pässwörd", params);
            auto r = runTool(cast_, {"wallet", "address", "--keystore", qs(created.path.string()),
                                     "--password", "pässwörd"});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QCOMPARE(r.out, qs(created.address.checksumHex()));
        }
    }

    void networkConfig() {
        QCOMPARE(networkPreset("holesky").chainId.value(), std::uint64_t{17000});
        QCOMPARE(networkPreset("hoodi").chainId.value(), std::uint64_t{560048});
        QCOMPARE(networkPreset("sepolia").chainId.value(), std::uint64_t{11155111});
        QCOMPARE(networkPreset("devnet").chainId.value(), kDevnetChainId);
        QVERIFY(isPublicChain(11155111) && isPublicChain(1) && !isPublicChain(kDevnetChainId));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, networkPreset("mainnet-typo"));

        QTemporaryDir dir;
        std::filesystem::path path = dir.path().toStdString() + "/chain.json";
        ChainConfig c = ChainConfig::load(path); // missing: defaults
        QCOMPARE(qs(c.active().name), QString("devnet"));
        c.activeNetwork = "mine";
        c.networks["mine"] = {"mine", "https://rpc.example.org/key", 5, {}};
        c.networks["mine"].contracts["coordinator"] =
            Address::fromHex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        c.save(path);
        ChainConfig back = ChainConfig::load(path);
        QCOMPARE(qs(back.active().rpcUrl), QString("https://rpc.example.org/key"));
        QCOMPARE(back.active().chainId.value(), std::uint64_t{5});
        QCOMPARE(back.active().contracts.at("coordinator"),
                 c.networks["mine"].contracts["coordinator"]);
        QCOMPARE(back.networks.at("hoodi").chainId.value(), std::uint64_t{560048});

        QFile f(qs(path.string()));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"networks\":{\"x\":{\"rpcUrl\":\"http://a\",\"contracts\":{\"c\":\"0x12\"}}}}");
        f.close();
        QString msg = messageOf<std::runtime_error>([&] { ChainConfig::load(path); });
        QVERIFY2(msg.contains("networks.x.contracts.c") && msg.contains("malformed address"),
                 qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestChain)
#include "test_chain.moc"
