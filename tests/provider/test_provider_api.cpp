// The provider data API: serves exactly what was committed, validates every parameter,
// rate-limits, and its answers verify against the trace root.
#include "core/commit/merkle_tree.hpp"
#include "core/dispute/remote_trace.hpp"
#include "core/graph/op_info.hpp"
#include "core/provider/adversary.hpp"
#include "core/provider/data_server.hpp"
#include "core/provider/rate_limiter.hpp"
#include "core/trace/trace_bundle.hpp"
#include "support/slow_client.hpp"
#include "support/tools.hpp"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>
#include <arpa/inet.h>
#include <fstream>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <zlib.h>

using namespace tao;
using tao::test::halfRequest;

namespace {
// A gzip stream of `mib` MiB of zeros: about a thousandth of that on the wire.
std::string gzipBomb(int mib) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::vector<unsigned char> zeros(1 << 20, 0);
    std::string out;
    std::vector<unsigned char> buffer(1 << 16);
    for (int i = 0; i < mib; ++i) {
        z.next_in = zeros.data();
        z.avail_in = static_cast<uInt>(zeros.size());
        const int flush = i + 1 == mib ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = buffer.data();
            z.avail_out = static_cast<uInt>(buffer.size());
            deflate(&z, flush);
            out.append(reinterpret_cast<const char*>(buffer.data()), buffer.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    return out;
}
} // namespace

class TestProviderApi : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    trace::Manifest manifest_;
    provider::JobStore store_;

private slots:
    void initTestCase() {
        auto path = test::demoModel("fashion_cnn");
        if (path.isEmpty()) QSKIP("fashion_cnn demo model missing");
        runtime::CaptureOptions c;
        c.seed = 3;
        c.out = (dir_.path() + "/t.taotrace").toStdString();
        manifest_ =
            provider::adversarialCapture(graph::loadModel(path.toStdString()), c, {}, nullptr);
        store_.add(42, c.out);
    }

    void servesOnlyWhatWasCommitted() {
        provider::DataServer server(store_, {});
        httplib::Client http(server.url());
        QCOMPARE(http.Get("/v1/health")->status, 200);
        QCOMPARE(http.Get("/v1/jobs/41/manifest")->status, 404);
        QCOMPARE(http.Get("/v1/jobs/abc/manifest")->status, 400);
        QCOMPARE(http.Get("/v1/jobs/-1/manifest")->status, 400);
        QCOMPARE(http.Get("/v1/jobs/99999999999999999999999/manifest")->status, 400);
        auto n = manifest_.ops.size();
        QCOMPARE(http.Get(("/v1/jobs/42/ops/" + std::to_string(n) + "/outputs").c_str())->status,
                 400);
        QCOMPARE(http.Get("/v1/jobs/42/ops/1x/proof")->status, 400);
        QCOMPARE(http.Get("/v1/jobs/42/../../etc/passwd")->status, 404);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, server.prepare(41));
    }

    // Served from the cache prepare() builds before the result is posted.
    void proofsVerifyAgainstTheRoot() {
        provider::DataServer server(store_, {});
        server.prepare(42);
        httplib::Client http(server.url());
        for (std::uint32_t op : {0u, 3u, static_cast<std::uint32_t>(manifest_.ops.size() - 1)}) {
            auto res = http.Get(("/v1/jobs/42/ops/" + std::to_string(op) + "/proof").c_str());
            QCOMPARE(res->status, 200);
            auto j = nlohmann::json::parse(res->body);
            commit::LeafData leaf{
                j["leaf"]["index"].get<std::uint32_t>(),
                commit::Hash32::fromHex(j["leaf"]["schemaHash"].get<std::string>()),
                commit::Hash32::fromHex(j["leaf"]["outputHash"].get<std::string>())};
            commit::InclusionProof proof{op, {}};
            for (const auto& h : j["proof"])
                proof.siblings.push_back(commit::Hash32::fromHex(h.get<std::string>()));
            QVERIFY(commit::verifyProof(manifest_.root, manifest_.ops.size(),
                                        commit::leafHash(leaf), proof));
        }
        dispute::RemoteTraceOptions o;
        o.url = server.url();
        o.jobId = 42;
        o.arity = 4;
        o.commitment = manifest_.commitment(4);
        o.inputHash = manifest_.inputHash;
        dispute::RemoteTraceSource src(o);
        QCOMPARE(src.opOutputs(2).size(), manifest_.ops[2].outputs.size());
        QCOMPARE(src.graphInputs().size(), manifest_.inputs.size());
        QVERIFY(src.bytesFetched() > 0);
        // A client holding another commitment, or the commitment of another arity, rejects the
        // provider outright.
        o.commitment = commit::keccak256("another trace");
        QVERIFY_EXCEPTION_THROWN(dispute::RemoteTraceSource{o}, dispute::ProviderFaultError);
        o.commitment = manifest_.commitment(4);
        o.arity = 2;
        QVERIFY_EXCEPTION_THROWN(dispute::RemoteTraceSource{o}, dispute::ProviderFaultError);
    }

    void rateLimited() {
        provider::DataServerOptions opt;
        opt.ratePerSecond = 1;
        opt.burst = 3;
        provider::DataServer server(store_, opt);
        httplib::Client http(server.url());
        int limited = 0;
        for (int i = 0; i < 6; ++i)
            if (http.Get("/v1/health")->status == 429) ++limited;
        QVERIFY(limited >= 2);
    }

    // The API is read-only: a large body is refused before it is buffered, and the
    // server keeps answering.
    void bodiesAreRefused() {
        provider::DataServer server(store_, {});
        httplib::Client http(server.url());
        std::string big(8 << 20, 'x');
        auto res = http.Post("/v1/health", big, "application/octet-stream");
        QVERIFY(!res || res->status == 413);
        QCOMPARE(http.Get("/v1/health")->status, 200);
    }

    // A failure inside the provider (here a tensor file corrupted after the job was
    // committed) reaches the client as a status and a fixed message, not internal text.
    void internalErrorsStayInternal() {
        auto path = test::demoModel("fashion_cnn");
        runtime::CaptureOptions c;
        c.seed = 8;
        c.out = (dir_.path() + "/corrupt.taotrace").toStdString();
        provider::adversarialCapture(graph::loadModel(path.toStdString()), c, {}, nullptr);
        provider::JobStore store;
        store.add(7, c.out);
        {
            std::fstream f(c.out / "tensors.safetensors",
                           std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(-4, std::ios::end);
            f.put('\x7f');
        }
        provider::DataServer server(store, {});
        httplib::Client http(server.url());
        bool sawError = false;
        for (std::size_t op = 0; op < manifest_.ops.size(); ++op) {
            auto res = http.Get(("/v1/jobs/7/ops/" + std::to_string(op) + "/outputs").c_str());
            QVERIFY(res);
            if (res->status == 200) continue;
            sawError = true;
            QCOMPARE(res->status, 500);
            QVERIFY2(res->body.find("taotrace") == std::string::npos, res->body.c_str());
            QVERIFY2(res->body.find("internal error") != std::string::npos, res->body.c_str());
        }
        QVERIFY(sawError);
    }

    // Clients that open connections and send half a request hold a worker each until
    // their read times out; the pool is large enough that health checks still answer.
    void slowClientsDoNotStarveTheServer() {
        // Slow clients hold their workers for 10 s here: a starved health check would take
        // that long, a served one far less, whatever else the machine is doing.
        provider::DataServerOptions opt;
        opt.readTimeoutSeconds = 10;
        provider::DataServer server(store_, opt);
        std::vector<int> sockets;
        for (int i = 0; i < 50; ++i) {
            sockets.push_back(halfRequest(server.port()));
            QVERIFY(sockets.back() >= 0);
        }
        httplib::Client http(server.url());
        http.set_read_timeout(20, 0);
        QElapsedTimer clock;
        clock.start();
        auto res = http.Get("/v1/health");
        QVERIFY2(res && res->status == 200, "health did not answer beside 50 slow clients");
        QVERIFY(clock.elapsed() < 5000);
        for (int fd : sockets)
            ::close(fd);
    }

    // Fifty clients arriving at once are all taken in and held: each keeps its request alive
    // with a byte every 200 ms, well inside the 2 s read timeout, and none is answered or
    // dropped. (With cpp-httplib's listen backlog of 5, most of these handshakes were dropped
    // and retried for longer than the timeout, and the server answered them 400.)
    void aBurstOfClientsIsHeldNotDropped() {
        provider::DataServer server(store_, {});
        std::vector<int> sockets;
        auto closeAll = qScopeGuard([&] {
            for (int fd : sockets)
                ::close(fd);
        });
        for (int i = 0; i < 50; ++i) {
            sockets.push_back(halfRequest(server.port()));
            QVERIFY(sockets.back() >= 0);
        }
        for (int round = 0; round < 15; ++round) {
            tao::test::drip(sockets);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        QCOMPARE(tao::test::stillWaiting(sockets), 50);
    }

    // Buckets of clients that have gone quiet are forgotten once full again.
    void rateLimiterForgetsQuietClients() {
        provider::RateLimiter limiter(1000, 10); // refills in 10 ms
        for (int i = 0; i < 5000; ++i)
            QVERIFY(
                limiter.allow("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)));
        QVERIFY(limiter.tracked() >= 4000);
        QTest::qWait(30);
        QVERIFY(limiter.allow("192.0.2.1"));
        QCOMPARE(limiter.tracked(), std::size_t(1));
    }

    // A hostile provider cannot stall or flood the challenger's client: a reply dripped a
    // byte at a time ends at the deadline, one larger than the committed shapes allow is
    // cut off, and neither is mistaken for a provable mismatch.
    void hostileProviderRepliesAreBounded() {
        httplib::Server hostile;
        const auto manifestJson = [&] {
            auto m = manifest_;
            m.light = true;
            return m.toJson();
        }();
        hostile.Get(R"(/v1/jobs/1/manifest)", [&](const httplib::Request&, httplib::Response& res) {
            res.set_content(manifestJson, "application/json");
        });
        hostile.Get(R"(/v1/jobs/2/manifest)", [&](const httplib::Request&, httplib::Response& res) {
            res.set_chunked_content_provider(
                "application/json", [&](std::size_t offset, httplib::DataSink& sink) {
                    if (offset >= manifestJson.size()) return false;
                    std::this_thread::sleep_for(std::chrono::milliseconds(200));
                    return sink.write(manifestJson.data() + offset, 1);
                });
        });
        const std::string bomb = gzipBomb(256);
        hostile.Get(R"(/v1/jobs/3/manifest)", [&](const httplib::Request&, httplib::Response& res) {
            res.set_header("Content-Encoding", "gzip");
            res.set_content(bomb, "application/json");
        });
        hostile.Get(R"(/v1/jobs/1/ops/(\d+)/outputs)", [&](const httplib::Request&,
                                                           httplib::Response& res) {
            res.set_chunked_content_provider("application/octet-stream",
                                             [](std::size_t offset, httplib::DataSink& sink) {
                                                 static const std::string block(1 << 20, '\0');
                                                 if (offset >= (std::size_t(1) << 32)) return false;
                                                 return sink.write(block.data(), block.size());
                                             });
        });
        const int port = hostile.bind_to_any_port("127.0.0.1");
        std::jthread serving([&] { hostile.listen_after_bind(); });
        // Stops the server however the test leaves this scope (a failed check returns early).
        auto stopServer = qScopeGuard([&] { hostile.stop(); });
        while (!hostile.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));

        dispute::RemoteTraceOptions o;
        o.url = "http://127.0.0.1:" + std::to_string(port);
        o.arity = 4;
        o.commitment = manifest_.commitment(4);
        o.manifestDeadline = o.requestDeadlineBase = std::chrono::milliseconds(1500);
        QElapsedTimer clock;
        clock.start();
        o.jobId = 2;
        QVERIFY_EXCEPTION_THROWN(dispute::RemoteTraceSource{o}, dispute::ProviderUnavailableError);
        QVERIFY(clock.elapsed() < 5000);

        // A compression bomb (256 KiB that inflate to 256 MiB) is taken as the bytes sent,
        // never inflated: not a manifest, so a fault, found at once.
        QVERIFY(bomb.size() < (1u << 20));
        o.jobId = 3;
        o.maxManifestBytes = 8u << 20; // inflated, it would break this cap instead
        clock.restart();
        try {
            dispute::RemoteTraceSource{o};
            QFAIL("a compressed manifest was accepted");
        } catch (const dispute::ProviderFaultError& e) {
            QVERIFY2(std::string(e.what()).find("malformed manifest") != std::string::npos,
                     e.what());
        }
        QVERIFY(clock.elapsed() < 5000);
        o.maxManifestBytes = dispute::RemoteTraceOptions{}.maxManifestBytes;

        o.jobId = 1;
        dispute::RemoteTraceSource src(o);
        clock.restart();
        try {
            src.opOutputs(0);
            QFAIL("a 4 GiB answer was accepted");
        } catch (const dispute::ProviderUnavailableError& e) {
            QVERIFY2(std::string(e.what()).find("reply larger than") != std::string::npos,
                     e.what());
        }
        QVERIFY(clock.elapsed() < 5000);
        QVERIFY(src.faults().empty()); // withholding is not a provable mismatch
    }

    void tlsNeedsCertAndKey() {
        provider::DataServerOptions opt;
        opt.certFile = "/nonexistent/cert.pem";
        QVERIFY_EXCEPTION_THROWN(provider::DataServer(store_, opt), std::runtime_error);
        opt.keyFile = "/nonexistent/key.pem";
        bool named = false;
        try {
            provider::DataServer s(store_, opt);
        } catch (const std::runtime_error& e) {
            named = std::string(e.what()).find("/nonexistent/cert.pem") != std::string::npos;
        }
        QVERIFY(named);
    }

    void adversaryModesParse() {
        for (const auto& n : provider::adversaryModeNames())
            QCOMPARE(provider::adversaryModeName(provider::parseAdversaryMode(n)), n);
        QVERIFY_EXCEPTION_THROWN(provider::parseAdversaryMode("nope"), std::invalid_argument);
    }
};

QTEST_GUILESS_MAIN(TestProviderApi)
#include "test_provider_api.moc"
