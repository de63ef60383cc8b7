// The provider data API: serves exactly what was committed, validates every parameter,
// rate-limits, and its answers verify against the trace root.
#include "core/commit/merkle_tree.hpp"
#include "core/dispute/remote_trace.hpp"
#include "core/graph/op_info.hpp"
#include "core/provider/adversary.hpp"
#include "core/provider/data_server.hpp"
#include "core/trace/trace_bundle.hpp"
#include "support/tools.hpp"

#include <QTemporaryDir>
#include <QtTest>
#include <httplib.h>
#include <nlohmann/json.hpp>

using namespace tao;

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
    }

    void proofsVerifyAgainstTheRoot() {
        provider::DataServer server(store_, {});
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
