// The protocol as separate `tao` processes, the way operators run it: `tao provider serve`
// posts the result, serves its data and answers its moves; three `tao committee serve`
// daemons and one `tao challenge` each poll the chain on their own. Nothing advances the
// chain clock but real time (this test only mines empty blocks so timestamps move), so
// every deadline is met or missed as it would be on a public network.
#include "core/chain/keystore.hpp"
#include "core/trace/trace_bundle.hpp"
#include "dispute/dispute_world.hpp"
#include "support/tools.hpp"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <set>
#include <thread>

using namespace tao;
using namespace tao::dispute;
using tao::test::DisputeWorld;

namespace {
const QString kTao = QString(TAO_BINARY_DIR) + "/bin/tao";

// Starts `tao` with `args`, its stdout and stderr going to one file (a file keeps every
// byte a process wrote before it ended, whenever the test reads it); the process is
// killed when the object goes.
struct Daemon {
    std::unique_ptr<QProcess> p = std::make_unique<QProcess>();
    QString name, log;
    QString output;
    Daemon(QString n, const QStringList& args, const QString& logFile)
        : name(std::move(n))
        , log(logFile) {
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->setStandardOutputFile(log);
        p->start(kTao, args);
    }
    ~Daemon() {
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished(5000);
        }
    }
    // waitForFinished() answers false for a process that already ended while the test
    // was reading it, so an early, clean exit must not count as a hang.
    bool finished(int ms) { return p->state() == QProcess::NotRunning || p->waitForFinished(ms); }
    // Everything the process has written so far.
    QString read() {
        p->waitForFinished(50);
        QFile f(log);
        if (f.open(QIODevice::ReadOnly)) output = QString::fromUtf8(f.readAll());
        return output;
    }
};
} // namespace

class TestDisputeDaemons : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QStringList chainArgs(const DisputeWorld& w, const QString& keystore) const {
        return {"--coordinator",
                QString::fromStdString(w.coordinator->address().hex()),
                "--keystore",
                keystore,
                "--passphrase-file",
                dir_.filePath("pass"),
                "--rpc",
                QString::fromStdString(w.devnet->rpcUrl()),
                "--chain-id",
                QString::number(chain::kDevnetChainId),
                "--poll-ms",
                "100"};
    }

    QString keystoreFor(const chain::PrivateKey& key, const QString& name) {
        auto ks = chain::encryptKeystore(key, "daemon test", chain::KdfParams::light());
        const auto path = dir_.filePath(name + ".json");
        chain::writeKeystoreFile(path.toStdString(), ks);
        return path;
    }

private slots:
    void initTestCase() {
        if (test::foundryTool("anvil").isEmpty())
            QSKIP(qPrintable(test::missingToolMessage("anvil")));
        QFile pass(dir_.filePath("pass"));
        QVERIFY(pass.open(QIODevice::WriteOnly));
        pass.write("daemon test\n");
    }

    void tamperedJobIsRejectedByDaemons() {
        auto config = DisputeWorld::shortConfig(4);
        config.voteWindow = 4; // real seconds: the committee votes within a poll or two
        DisputeWorld world(config);
        const auto& keys = world.devnet->devKeys();
        const QString model = test::sourceDir() + "/resources/models/fashion_cnn.pt";
        const QString profile = test::sourceDir() + "/resources/profiles/fashion_cnn.json";
        const QString trace = dir_.filePath("job.taotrace");
        const std::uint32_t tampered = 6;

        auto capture = test::runTool(kTao, {"provider", "capture", "--model", model,
                                            "--random-input", "3", "--mode", "perturb-op", "--op",
                                            QString::number(tampered), "--out", trace});
        QVERIFY2(capture.exitCode == 0, qPrintable(capture.err));
        const auto manifest = trace::TraceBundle::open(trace.toStdString()).manifest();
        const auto n = manifest.leafCount();
        world.requester->registerModel(manifest.modelId, manifest.graphTree().root(), n,
                                       commit::Hash32{});
        const auto jobId = world.requester
                               ->requestJob(manifest.modelId, manifest.inputHash,
                                            world.provider->address(), chain::Uint256(1000))
                               .jobId;
        const QString job = QString::number(jobId);

        Daemon provider("provider",
                        QStringList{"provider", "serve", "--trace", trace, "--job", job, "--once"} +
                            chainArgs(world, keystoreFor(keys[1], "provider")),
                        dir_.filePath("provider.log"));
        QString url;
        const QRegularExpression served("serving\\s+job \\d+ at (\\S+)");
        for (int i = 0; i < 200 && url.isEmpty(); ++i) {
            const auto m = served.match(provider.read());
            if (m.hasMatch()) url = m.captured(1);
            QVERIFY2(provider.p->state() != QProcess::NotRunning, qPrintable(provider.output));
        }
        QVERIFY2(!url.isEmpty(), qPrintable(provider.output));
        QCOMPARE(world.coordinator->job(jobId).status, JobStatus::Submitted);

        std::vector<std::unique_ptr<Daemon>> committee;
        for (int i = 3; i < 6; ++i)
            committee.push_back(std::make_unique<Daemon>(
                "committee",
                QStringList{"committee", "serve", "--model", model, "--profile", profile,
                            "--provider-api", url, "--job", job} +
                    chainArgs(world, keystoreFor(keys[i], QString("member%1").arg(i))),
                dir_.filePath(QString("member%1.log").arg(i))));
        Daemon challenger("challenger",
                          QStringList{"challenge", "--job", job, "--model", model, "--profile",
                                      profile, "--provider-api", url} +
                              chainArgs(world, keystoreFor(keys[2], "challenger")),
                          dir_.filePath("challenger.log"));

        // Real time only: mine an empty block now and then so block timestamps follow it.
        auto status = JobStatus::Submitted;
        for (int i = 0; i < 600 && status != JobStatus::Rejected && status != JobStatus::Accepted;
             ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (i % 5 == 0) world.client->mine(1);
            status = world.coordinator->job(jobId).status;
            for (auto* d : {&provider, &challenger})
                d->read();
        }
        QVERIFY2(challenger.finished(30000), qPrintable(challenger.read()));
        challenger.read();
        QVERIFY2(provider.finished(30000), qPrintable(provider.read()));
        provider.read();
        QVERIFY2(status == JobStatus::Rejected,
                 qPrintable(QString::fromStdString(jobStatusName(status)) + "\n" +
                            challenger.output + "\n" + provider.output));
        QVERIFY2(challenger.p->exitCode() == 0,
                 qPrintable(QString("challenger exit code %1, status %2\n")
                                .arg(challenger.p->exitCode())
                                .arg(int(challenger.p->exitStatus())) +
                            challenger.read().right(600)));
        QVERIFY2(challenger.output.contains("BEYOND"), qPrintable(challenger.output));
        QVERIFY2(challenger.output.contains("Rejected"), qPrintable(challenger.output));
        QVERIFY2(provider.output.contains("revealLeaf"), qPrintable(provider.output));

        std::optional<std::uint32_t> leaf;
        int seats = 0;
        std::set<std::string> seated;
        for (const auto& e : world.coordinator->events(0, jobId)) {
            if (e.name == "LeafRevealed") leaf = e.fields["op"][0].get<std::uint32_t>();
            if (e.name == "PanelDrawn")
                for (const auto& m : e.fields["members"])
                    seated.insert(m.get<std::string>());
            if (e.name == "Voted") {
                seats += e.fields["seats"].get<int>();
                QCOMPARE(e.fields["accept"].get<bool>(), false);
            }
        }
        QVERIFY(leaf.has_value());
        QCOMPARE(*leaf, tampered);
        QVERIFY2(seats >= config.quorum, "fewer revealed seats than the quorum");
        // Each member daemon drawn on the panel judged the op (sealed, then revealed it).
        int judged = 0;
        for (auto& d : committee)
            if (d->read().contains("judged")) ++judged;
        QVERIFY2(
            judged >= static_cast<int>(seated.size()) && judged >= 1,
            qPrintable(
                QString("%1 daemons judged, %2 members seated").arg(judged).arg(seated.size())));
        // The amount locked is shown, and a cap below it refuses before anything is sent.
        QVERIFY2(challenger.output.contains("0.001 ETH challenger bond"),
                 qPrintable(challenger.output));
        const auto capped = test::runTool(
            kTao,
            QStringList{"committee", "serve", "--model", model, "--profile", profile,
                        "--provider-api", url, "--job", job, "--once", "--max-bond", "0.00001"} +
                chainArgs(world, keystoreFor(chain::PrivateKey::generate(), "capped")));
        QCOMPARE(capped.exitCode, 3);
        QVERIFY2(capped.err.contains("0.0001 ETH committee stake, above --max-bond 0.00001 ETH"),
                 qPrintable(capped.err));
        qInfo("challenger's log:\n%s", qPrintable(challenger.output));
    }
};

QTEST_GUILESS_MAIN(TestDisputeDaemons)
#include "test_dispute_daemons.moc"
