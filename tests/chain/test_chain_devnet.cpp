// The chain client against a real anvil devnet: transfers, receipts, reverts, logs and
// the errors a user meets (wrong chain, unfunded account, unreachable node).
#include "core/chain/abi_codec.hpp"
#include "core/chain/chain_errors.hpp"
#include "core/chain/devnet.hpp"
#include "core/chain/rpc_client.hpp"
#include "core/chain/transaction_sender.hpp"
#include "support/error_message.hpp"
#include "support/tools.hpp"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QtTest>
#include <atomic>
#include <future>
#include <httplib.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

using namespace tao::chain;
using namespace tao::test;
using tao::commit::Bytes;
using tao::commit::Hash32;

using tao::test::messageOf;

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Init code that deploys `runtime` unchanged (runtime up to 255 bytes).
Bytes deployerFor(const Bytes& runtime) {
    auto n = static_cast<std::uint8_t>(runtime.size());
    Bytes init = {0x60, n, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, n, 0x60, 0x00, 0xf3};
    for (auto b : runtime)
        init.push_back(b);
    return init;
}

// Always reverts with the 4-byte custom error selector 0xdeadbeef.
Bytes revertingRuntime() {
    return {0x63, 0xde, 0xad, 0xbe, 0xef, 0x60, 0xe0, 0x1b,
            0x60, 0x00, 0x52, 0x60, 0x04, 0x60, 0x00, 0xfd};
}

// Emits Ping(uint256) with the first calldata word as data.
Bytes pingRuntime() {
    Bytes code = {0x60, 0x20, 0x60, 0x00, 0x60, 0x00, 0x37, 0x7f};
    auto topic = eventTopic("Ping(uint256)");
    code.insert(code.end(), topic.bytes.begin(), topic.bytes.end());
    Bytes tail = {0x60, 0x20, 0x60, 0x00, 0xa1, 0x00};
    code.insert(code.end(), tail.begin(), tail.end());
    return code;
}

DevnetOptions ownDevnetOptions(bool persistState) {
    DevnetOptions o;
    o.anvilPath = foundryTool("anvil").toStdString();
    o.persistState = persistState;
    return o;
}

// Polls fast, re-checks quickly for a lost transaction, and gives a fault time to heal.
SendOptions patientSender(unsigned confirmations) {
    SendOptions o;
    o.confirmations = confirmations;
    o.pollInterval = std::chrono::milliseconds(20);
    o.resendInterval = std::chrono::milliseconds(100);
    o.receiptTimeout = std::chrono::milliseconds(30000);
    return o;
}

std::future<Receipt> sendInBackground(TransactionSender& sender, const Address& to,
                                      const Uint256& value) {
    return std::async(std::launch::async, [&sender, to, value] {
        return sender.sendAndWait({to, value, {}, {}});
    });
}

template <class Condition>
bool waitUntil(Condition done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

} // namespace

class TestChainDevnet : public QObject {
    Q_OBJECT

    std::unique_ptr<Devnet> devnet_;

private slots:
    void initTestCase() {
        QString anvil = foundryTool("anvil");
        if (anvil.isEmpty()) QFAIL(qPrintable(missingToolMessage("anvil")));
        DevnetOptions options;
        options.anvilPath = anvil.toStdString();
        devnet_ = std::make_unique<Devnet>(options);
    }

    void cleanupTestCase() { devnet_.reset(); }

    // Anvil's own id, shared with no public network: devnet signatures cannot replay there.
    void devnetAnswersWithItsOwnChainId() {
        EthClient& c = devnet_->client();
        QCOMPARE(c.chainId(), std::uint64_t{31337});
        for (const auto& p : networkPresets())
            if (p.name != "devnet") QVERIFY(p.chainId.value() != c.chainId());
        QCOMPARE(devnet_->devKeys().size(), std::size_t{10});
        auto accounts = c.rpc().call("eth_accounts");
        QCOMPARE(accounts.size(), std::size_t{10});
        for (std::size_t i = 0; i < 10; ++i)
            QCOMPARE(Address::fromHex(accounts[i].get<std::string>()), devnet_->devAddress(i));
        QCOMPARE(c.balance(devnet_->devAddress(3)),
                 Uint256(10000) * Uint256(1'000'000'000'000'000'000ull));
        std::uint64_t before = c.blockNumber();
        c.mine(3);
        QCOMPARE(c.blockNumber(), before + 3);
        QVERIFY(c.latestBaseFee().has_value());
    }

    void valueTransferMovesBalances() {
        EthClient& c = devnet_->client();
        TransactionSender sender(c, devnet_->devKeys()[1], kDevnetChainId);
        Address recipient = PrivateKey::generate().address();
        Uint256 value = Uint256(123456789) * Uint256(1'000'000'000);
        Uint256 senderBefore = c.balance(sender.address());
        std::uint64_t nonceBefore = c.pendingNonce(sender.address());

        Receipt receipt = sender.sendAndWait({recipient, value, {}, std::nullopt});
        QVERIFY(receipt.success);
        QCOMPARE(receipt.from, sender.address());
        QCOMPARE(receipt.to.value(), recipient);
        QCOMPARE(receipt.gasUsed, std::uint64_t{21000});
        QCOMPARE(c.balance(recipient), value);
        QCOMPARE(c.balance(sender.address()),
                 senderBefore - value - Uint256(receipt.gasUsed) * receipt.effectiveGasPrice);
        QCOMPARE(c.pendingNonce(sender.address()), nonceBefore + 1);

        // Two transactions in a row use consecutive nonces.
        auto h1 = sender.send({recipient, Uint256(1), {}, std::nullopt});
        auto h2 = sender.send({recipient, Uint256(2), {}, std::nullopt});
        QVERIFY(sender.waitForReceipt(h1).success);
        QVERIFY(sender.waitForReceipt(h2).success);
        QCOMPARE(c.balance(recipient), value + Uint256(3));
    }

    // A send the node refuses leaves no nonce gap: the next transaction takes the same nonce
    // and is mined, where a gap would hold it (and every later one) forever.
    void refusedSendLeavesNoNonceGap() {
        EthClient& c = devnet_->client();
        TransactionSender sender(c, devnet_->devKeys()[4], kDevnetChainId);
        const Address to = PrivateKey::generate().address();
        const auto before = c.pendingNonce(sender.address());
        QVERIFY_THROWS_EXCEPTION(RpcError, sender.send({to, Uint256(1), {}, 1000})); // < 21,000
        auto receipt = sender.sendAndWait({to, Uint256(1), {}, std::nullopt});
        QVERIFY(receipt.success);
        QCOMPARE(c.pendingNonce(sender.address()), before + 1);
    }

    // Faults injected between the sender and the node: the answer to a send is lost after the
    // node took the transaction (the client retries and is told it is known), and receipts
    // come back empty for a while. The transfer lands once, the next one takes the next nonce.
    void injectedFaultsLoseAndDoubleNothing() {
        EthClient& direct = devnet_->client();
        httplib::Client upstream(devnet_->rpcUrl());
        std::atomic<int> sendsToDrop{1}, receiptsToHide{3}, hidden{0};
        httplib::Server proxy;
        proxy.Post("/", [&](const httplib::Request& req, httplib::Response& res) {
            auto forwarded = upstream.Post("/", req.body, "application/json");
            if (!forwarded) {
                res.status = 502;
                return;
            }
            const bool send = req.body.find("eth_sendRawTransaction") != std::string::npos;
            const bool receipt = req.body.find("eth_getTransactionReceipt") != std::string::npos;
            if (send && sendsToDrop.fetch_sub(1) > 0) {
                res.status = 502; // the node has it; the client never hears
                return;
            }
            if (receipt && receiptsToHide.fetch_sub(1) > 0) {
                ++hidden;
                auto id = nlohmann::json::parse(req.body)["id"];
                res.set_content(
                    nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"result", nullptr}}.dump(),
                    "application/json");
                return;
            }
            res.status = forwarded->status;
            res.set_content(forwarded->body, "application/json");
        });
        const int port = proxy.bind_to_any_port("127.0.0.1");
        std::jthread serving([&] { proxy.listen_after_bind(); });
        auto stopProxy = qScopeGuard([&] { proxy.stop(); });
        while (!proxy.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        RpcOptions quick;
        quick.initialBackoff = std::chrono::milliseconds(10);
        EthClient viaProxy("http://127.0.0.1:" + std::to_string(port), quick);
        SendOptions o;
        o.pollInterval = std::chrono::milliseconds(20);
        TransactionSender sender(viaProxy, devnet_->devKeys()[7], kDevnetChainId, o);
        const Address to = PrivateKey::generate().address();
        const auto nonce = direct.pendingNonce(sender.address());

        // The lost answer surfaces as an error; the transfer itself happened, once.
        QVERIFY_THROWS_EXCEPTION(ChainError, sender.sendAndWait({to, Uint256(5), {}, {}}));
        QCOMPARE(direct.balance(to), Uint256(5));
        QCOMPARE(direct.pendingNonce(sender.address()), nonce + 1);
        // The next transfer takes the next nonce (no gap, no replay) and outlasts the
        // missing receipts.
        auto r = sender.sendAndWait({to, Uint256(6), {}, {}});
        QVERIFY(r.success);
        QVERIFY(hidden.load() >= 3);
        QCOMPARE(direct.balance(to), Uint256(11));
        QCOMPARE(direct.pendingNonce(sender.address()), nonce + 2);
    }

    // A transaction stuck in the pool is signed again with the same nonce and higher fees; the
    // replacement is what gets mined, once.
    void stuckTransactionIsReplacedWithHigherFees() {
        EthClient& c = devnet_->client();
        const Uint256 gwei(1'000'000'000);
        SendOptions o;
        o.maxFeePerGas = gwei * Uint256(50);
        o.maxPriorityFeePerGas = gwei; // what the first signature offers the block producer
        o.replaceAfter = std::chrono::milliseconds(150);
        o.feeBumpPercent = 100;
        o.pollInterval = std::chrono::milliseconds(20);
        TransactionSender sender(c, devnet_->devKeys()[5], kDevnetChainId, o);
        const Address to = PrivateKey::generate().address();
        const auto nonce = c.pendingNonce(sender.address());
        c.setAutomine(false);
        auto automine = qScopeGuard([&] { c.setAutomine(true); });
        std::thread miner([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(800)); // several fee levels
            EthClient own(devnet_->rpcUrl());
            own.mine(1);
        });
        Receipt receipt;
        try {
            receipt = sender.sendAndWait({to, Uint256(7), {}, std::nullopt});
        } catch (...) {
            miner.join();
            throw;
        }
        miner.join();
        QVERIFY(receipt.success);
        QCOMPARE(c.balance(to), Uint256(7));
        QCOMPARE(c.pendingNonce(sender.address()), nonce + 1);
        // Paid above the first offer: a replacement with a raised tip was mined.
        const auto block =
            c.rpc().call("eth_getBlockByNumber", {Uint256(receipt.blockNumber).toHex(), false});
        const auto baseFee = Uint256::fromHex(block["baseFeePerGas"].get<std::string>());
        QVERIFY2(receipt.effectiveGasPrice > baseFee + gwei,
                 qPrintable(qs("paid " + receipt.effectiveGasPrice.toDecimal() + " at base fee " +
                               baseFee.toDecimal())));
    }

    // With confirmations, a receipt counts only once that many blocks are on top of it.
    void receiptWaitsForConfirmations() {
        EthClient& c = devnet_->client();
        SendOptions o;
        o.confirmations = 3;
        o.pollInterval = std::chrono::milliseconds(20);
        TransactionSender sender(c, devnet_->devKeys()[6], kDevnetChainId, o);
        std::atomic<bool> done{false};
        std::thread miner([&] {
            EthClient own(devnet_->rpcUrl());
            while (!done) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                own.mine(1);
            }
        });
        Receipt receipt;
        try {
            receipt = sender.sendAndWait({PrivateKey::generate().address(), Uint256(1), {}, {}});
        } catch (...) {
            done = true;
            miner.join();
            throw;
        }
        const auto head = c.blockNumber();
        done = true;
        miner.join();
        QVERIFY(receipt.success);
        QVERIFY2(head >= receipt.blockNumber + 3,
                 qPrintable(QString("head %1, receipt in %2").arg(head).arg(receipt.blockNumber)));
    }

    // A transfer mined and then reorged out (anvil drops the block's transactions) is sent
    // again with the same signature and counts only with its confirmations in the chain that
    // won: it lands once, with no nonce gap.
    void reorgedOutTransferLandsOnce() {
        Devnet net(ownDevnetOptions(false));
        EthClient& c = net.client();
        EthClient senderNode(net.rpcUrl());
        TransactionSender sender(senderNode, net.devKeys()[2], kDevnetChainId, patientSender(2));
        const Address to = PrivateKey::generate().address();
        const auto nonce = c.pendingNonce(sender.address());
        auto sent = sendInBackground(sender, to, Uint256(7));

        QVERIFY(waitUntil([&] { return c.balance(to) == Uint256(7); }));
        const auto orphan = c.rpc().call("eth_getBlockByNumber", {"latest", false});
        const auto txHash = Hash32::fromHex(orphan["transactions"][0].get<std::string>());
        c.reorg(1);
        // The height now holds an empty block: the transfer went with the orphan.
        const auto replaced = c.rpc().call("eth_getBlockByNumber", {orphan["number"], false});
        QVERIFY(replaced["hash"] != orphan["hash"]);
        QVERIFY(replaced["transactions"].empty());
        QVERIFY(waitUntil([&] { return c.balance(to) == Uint256(7); })); // sent again
        c.mine(2);
        const Receipt r = sent.get();
        QVERIFY(r.success);
        QCOMPARE(r.transactionHash, txHash);
        QVERIFY(r.blockNumber > parseQuantityU64(orphan["number"], "block", "number"));
        QCOMPARE(c.balance(to), Uint256(7));
        QCOMPARE(c.pendingNonce(sender.address()), nonce + 1);
    }

    // The node restarts while a transfer waits in its pool: the chain survives (state file),
    // the pool does not. The sender outlasts the outage, sends the same transaction again,
    // and it lands once; an earlier transfer is still there.
    void nodeRestartLosesNoTransfer() {
        Devnet net(ownDevnetOptions(true));
        EthClient& c = net.client();
        RpcOptions quick;
        quick.initialBackoff = std::chrono::milliseconds(20);
        quick.maxRetries = 1;
        EthClient senderNode(net.rpcUrl(), quick);
        TransactionSender sender(senderNode, net.devKeys()[3], kDevnetChainId, patientSender(0));
        const Address to = PrivateKey::generate().address();
        QVERIFY(sender.sendAndWait({to, Uint256(1), {}, {}}).success);
        const auto nonce = c.pendingNonce(sender.address());

        c.setAutomine(false);
        auto sent = sendInBackground(sender, to, Uint256(9));
        QVERIFY(waitUntil([&] { return c.pendingNonce(sender.address()) == nonce + 1; }));
        net.restart(std::chrono::milliseconds(600)); // comes back mining on every transaction
        const Receipt r = sent.get();
        QVERIFY(r.success);
        QCOMPARE(c.balance(to), Uint256(10));
        QCOMPARE(c.pendingNonce(sender.address()), nonce + 1);
    }

    void revertGivesClearError() {
        Address target = devnet_->deploy(deployerFor(revertingRuntime()));
        QCOMPARE(devnet_->client().code(target), revertingRuntime());
        TransactionSender sender(devnet_->client(), devnet_->devKeys()[2]);

        // Estimation already sees the revert: nothing is sent.
        try {
            sender.send({target, Uint256(0), {0x01}, std::nullopt});
            QFAIL("expected a revert");
        } catch (const TransactionRevertedError& e) {
            QVERIFY(e.txHash.isZero());
            QCOMPARE(qs(tao::commit::toHex(e.revertData)), QString("0xdeadbeef"));
            QVERIFY2(QString(e.what()).contains("custom error 0xdeadbeef"), e.what());
        }
        // With a fixed gas limit it is mined, fails, and the replay recovers the reason.
        try {
            sender.sendAndWait({target, Uint256(0), {0x01}, 100000});
            QFAIL("expected a revert");
        } catch (const TransactionRevertedError& e) {
            QVERIFY(!e.txHash.isZero());
            auto receipt = devnet_->client().transactionReceipt(e.txHash);
            QVERIFY(receipt && !receipt->success);
            QCOMPARE(qs(tao::commit::toHex(e.revertData)), QString("0xdeadbeef"));
            QVERIFY2(QString(e.what()).contains("reverted in block"), e.what());
        }
    }

    void eventsAreDecodedFromReceiptsAndLogs() {
        Address pinger = devnet_->deploy(deployerFor(pingRuntime()), {}, 4);
        TransactionSender sender(devnet_->client(), devnet_->devKeys()[4]);
        auto event = EventSignature::parse("Ping(uint256 value)");
        Receipt r = sender.sendAndWait({pinger, Uint256(0),
                                        abiEncode({AbiType::parse("uint256")}, {Uint256(42)}),
                                        std::nullopt});
        QCOMPARE(r.logs.size(), std::size_t{1});
        QCOMPARE(r.logs[0].address, pinger);
        QCOMPARE(decodeEventLog(event, r.logs[0].topics, r.logs[0].data)[0].asUint(), Uint256(42));

        LogFilter filter;
        filter.addresses = {pinger};
        filter.topics = {{event.topic()}};
        auto logs = devnet_->client().logs(filter);
        QCOMPARE(logs.size(), std::size_t{1});
        QCOMPARE(logs[0].transactionHash, r.transactionHash);
        filter.topics = {{eventTopic("Other()")}};
        QVERIFY(devnet_->client().logs(filter).empty());
    }

    void userErrorsAreClear() {
        EthClient& c = devnet_->client();
        QString msg = messageOf<WrongChainError>(
            [&] { TransactionSender(c, devnet_->devKeys()[0], 11155111); });
        QVERIFY2(msg.contains("31337") && msg.contains("11155111"), qPrintable(msg));

        PrivateKey poor = PrivateKey::generate();
        TransactionSender poorSender(c, poor);
        msg = messageOf<InsufficientFundsError>([&] {
            poorSender.send({devnet_->devAddress(0), Uint256(1), {}, std::nullopt});
        });
        QVERIFY2(msg.contains(qs(poor.address().checksumHex())) && msg.contains("has 0 wei"),
                 qPrintable(msg));
        devnet_->fund(poor.address(), Uint256(1'000'000'000'000'000'000ull));
        QVERIFY(
            poorSender.sendAndWait({devnet_->devAddress(0), Uint256(1), {}, std::nullopt}).success);

        msg = messageOf<RpcError>([&] { c.rpc().call("eth_noSuchMethod"); });
        QVERIFY2(msg.contains("eth_noSuchMethod"), qPrintable(msg));

        // A raw transaction for another chain is refused by the node.
        Eip1559Transaction tx;
        tx.chainId = 1;
        tx.gasLimit = 21000;
        tx.maxFeePerGas = Uint256(100'000'000'000ull);
        tx.to = devnet_->devAddress(0);
        tx.nonce = c.pendingNonce(devnet_->devAddress(5));
        auto signedTx = tx.sign(devnet_->devKeys()[5]);
        QVERIFY_THROWS_EXCEPTION(RpcError, c.sendRawTransaction(signedTx.raw));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RpcClient("ftp://x"));
        RpcOptions quick;
        quick.maxRetries = 2;
        quick.initialBackoff = std::chrono::milliseconds(10);
        quick.connectTimeout = std::chrono::milliseconds(300);
        EthClient nowhere("http://127.0.0.1:1/secret-api-key", quick);
        msg = messageOf<RpcTransportError>([&] { nowhere.chainId(); });
        QVERIFY2(msg.contains("eth_chainId") && msg.contains("3 attempts"), qPrintable(msg));
        QVERIFY2(!msg.contains("secret-api-key"), qPrintable(msg));
    }

    // A hostile or broken node: an answer dripped a byte at a time ends at the attempt
    // deadline (and is retried, then reported), an oversized one is refused at once.
    void hostileNodeIsBounded() {
        httplib::Server node;
        node.Post("/drip", [](const httplib::Request&, httplib::Response& res) {
            res.set_chunked_content_provider(
                "application/json", [](std::size_t offset, httplib::DataSink& sink) {
                    static const std::string answer = R"({"jsonrpc":"2.0","id":0,"result":"0x1"})";
                    if (offset >= answer.size()) return false;
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    return sink.write(answer.data() + offset, 1);
                });
        });
        node.Post("/huge", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(std::string(40u << 20, ' '), "application/json");
        });
        const int port = node.bind_to_any_port("127.0.0.1");
        std::jthread serving([&] { node.listen_after_bind(); });
        // Stops the server however the test leaves this scope (a failed check returns early).
        auto stopServer = qScopeGuard([&] { node.stop(); });
        while (!node.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        RpcOptions quick;
        quick.maxRetries = 1;
        quick.initialBackoff = std::chrono::milliseconds(10);
        quick.attemptDeadline = std::chrono::milliseconds(1000);
        QElapsedTimer clock;
        clock.start();
        auto msg = messageOf<RpcTransportError>(
            [&] { RpcClient(base + "/drip", quick).call("eth_chainId"); });
        QVERIFY2(msg.contains("no complete reply within"), qPrintable(msg));
        QVERIFY(clock.elapsed() < 8000); // two 1 s attempts; an unbounded one drips for 12 s
        // The size cap, not the clock, must stop this one: a deadline loaded machines meet.
        RpcOptions patient = quick;
        patient.attemptDeadline = std::chrono::milliseconds(60000);
        msg = messageOf<MalformedResponseError>(
            [&] { RpcClient(base + "/huge", patient).call("eth_chainId"); });
        QVERIFY2(msg.contains("reply larger than"), qPrintable(msg));
    }

    void devnetStopsItsProcess() {
        DevnetOptions options;
        options.anvilPath = foundryTool("anvil").toStdString();
        options.chainId = 31337;
        std::string url;
        {
            Devnet second(options);
            url = second.rpcUrl();
            QVERIFY(second.running());
            QCOMPARE(second.client().chainId(), std::uint64_t{31337});
            QVERIFY(second.port() != devnet_->port());
        }
        RpcOptions quick;
        quick.maxRetries = 0;
        EthClient gone(url, quick);
        QVERIFY_THROWS_EXCEPTION(RpcTransportError, gone.chainId());
    }
};

QTEST_GUILESS_MAIN(TestChainDevnet)
#include "test_chain_devnet.moc"
