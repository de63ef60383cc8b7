// core/runtime: capture to a bundle on disk, reopen, and replay every operator
// and segments on the committed tensors: bit-exact on the same machine and settings.
#include "core/graph/op_info.hpp"
#include "core/runtime/capture.hpp"
#include "core/runtime/replay.hpp"
#include "core/trace/trace_bundle.hpp"
#include "support/tools.hpp"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace tao;

class TestRuntime : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    std::shared_ptr<graph::Model> load(const QString& name) {
        auto path = test::demoModel(name);
        if (path.isEmpty()) qFatal("demo model %s missing: run scripts/setup", qPrintable(name));
        return graph::loadModel(path.toStdString());
    }

private slots:
    void captureThenReplayIsBitExact_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("fashion_cnn") << "fashion_cnn";
        QTest::newRow("tiny_lm") << "tiny_lm";
        QTest::newRow("resnet18") << "resnet18";
    }

    void captureThenReplayIsBitExact() {
        QFETCH(QString, model);
        auto m = load(model);
        runtime::CaptureOptions opt;
        opt.seed = 11;
        opt.out = tmp_.filePath(model + ".taotrace").toStdString();
        std::size_t progressCalls = 0;
        opt.progress = [&](std::size_t, std::size_t) { return ++progressCalls > 0; };
        auto manifest = runtime::capture(m, opt);
        QCOMPARE(manifest.ops.size(), graph::opsOf(*m).size());
        QCOMPARE(progressCalls, manifest.ops.size());
        QCOMPARE(manifest.modelId, graph::idOf(*m));

        auto bundle = trace::TraceBundle::open(opt.out);
        QCOMPARE(bundle.manifest().root, manifest.root);
        auto perOp = runtime::replay(m, bundle, {});
        QCOMPARE(perOp.size(), manifest.ops.size());
        for (const auto& r : perOp)
            QVERIFY2(r.bitExact && r.problem.empty(),
                     qPrintable(QString("op %1 %2: abs %3 %4")
                                    .arg(r.op)
                                    .arg(QString::fromStdString(r.kind))
                                    .arg(r.maxAbs)
                                    .arg(QString::fromStdString(r.problem))));
        runtime::ReplayOptions seg;
        seg.segment = true;
        seg.from = static_cast<std::uint32_t>(manifest.ops.size() / 2);
        auto tail = runtime::replay(m, bundle, seg);
        QCOMPARE(tail.size(), manifest.ops.size() - seg.from);
        for (const auto& r : tail)
            QVERIFY(r.bitExact);
    }

    void sameInputsGiveTheSameRoot() {
        auto m = load("tiny_lm");
        runtime::CaptureOptions opt;
        opt.seed = 5;
        auto a = runtime::capture(m, opt);
        auto b = runtime::capture(m, opt);
        opt.seed = 6;
        auto c = runtime::capture(m, opt);
        QCOMPARE(a.root, b.root);
        QVERIFY(a.root != c.root);
        QVERIFY(a.inputHash != c.inputHash);
    }

    void lightTraceHoldsHashesOnly() {
        auto m = load("fashion_cnn");
        runtime::CaptureOptions opt;
        opt.inputFile =
            (test::sourceDir() + "/resources/inputs/fashion_test8.safetensors").toStdString();
        opt.light = true;
        opt.out = tmp_.filePath("light.taotrace").toStdString();
        auto manifest = runtime::capture(m, opt);
        auto bundle = trace::TraceBundle::open(opt.out);
        QVERIFY(!bundle.hasOpTensors());
        QVERIFY(bundle.manifest().light);
        QCOMPARE(bundle.manifest().root, manifest.root);
        QVERIFY(!std::filesystem::exists(opt.out / "tensors.safetensors"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, runtime::replay(m, bundle, {}));
    }

    void tamperedTensorIsRefusedOnReplay() {
        auto m = load("fashion_cnn");
        runtime::CaptureOptions opt;
        opt.seed = 3;
        opt.out = tmp_.filePath("tamper.taotrace").toStdString();
        runtime::capture(m, opt);
        auto file = opt.out / "tensors.safetensors";
        {
            std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(-8, std::ios::end);
            f.put('\x55');
        }
        auto bundle = trace::TraceBundle::open(opt.out);
        try {
            runtime::replay(m, bundle, {});
            QFAIL("replay accepted an altered tensor");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("does not match its committed hash") !=
                    std::string::npos);
        }
    }

    void cancelStopsCapture() {
        auto m = load("tiny_lm");
        runtime::CaptureOptions opt;
        opt.seed = 1;
        opt.out = tmp_.filePath("cancelled.taotrace").toStdString();
        opt.progress = [](std::size_t done, std::size_t) { return done < 5; };
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, runtime::capture(m, opt));
        QVERIFY(!std::filesystem::exists(opt.out));
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "test_runtime.moc"
