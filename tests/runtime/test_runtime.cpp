// core/runtime: capture to a bundle on disk, reopen, and replay every operator
// and segments on the committed tensors: bit-exact on the same machine and settings.
#include "core/commit/tensor_hash.hpp"
#include "core/graph/interpreter.hpp"
#include "core/graph/model.hpp"
#include "core/graph/model_error.hpp"
#include "core/graph/op_info.hpp"
#include "core/graph/tensor_convert.hpp"
#include "core/runtime/capture.hpp"
#include "core/runtime/model_io.hpp"
#include "core/runtime/output_hasher.hpp"
#include "core/runtime/process_memory.hpp"
#include "core/runtime/replay.hpp"
#include "core/runtime/runtime_settings.hpp"
#include "core/trace/safetensors_writer.hpp"
#include "core/trace/trace_bundle.hpp"
#include "support/altered_trace.hpp"
#include "support/tools.hpp"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>
#include <malloc.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace tao;

class TestRuntime : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    std::shared_ptr<graph::Model> load(const QString& name) {
        auto path = test::demoModel(name);
        if (path.isEmpty()) qFatal("demo model %s missing: run scripts/setup", qPrintable(name));
        return graph::loadModel(path.toStdString());
    }
    // Capture options for random inputs from `seed`, writing the bundle `name` under tmp_.
    runtime::CaptureOptions seededCapture(std::uint64_t seed, const QString& name) {
        runtime::CaptureOptions opt;
        opt.seed = seed;
        opt.out = tmp_.filePath(name).toStdString();
        return opt;
    }
    // A model of tests/models/make_test_models.py.
    std::shared_ptr<graph::Model> loadTestModel(const QString& name) {
        QString why;
        auto path = test::testModel(name, &why);
        if (path.isEmpty()) qFatal("%s", qPrintable(why));
        return graph::loadModel(path.toStdString());
    }

private slots:
    // Every committed tensor is rebuilt with its recorded layout, so replaying an
    // operator on committed inputs runs the kernels the capture ran: bit-exact on
    // any CPU. Ops for which this cannot hold would be listed here with the reason;
    // today there are none.
    void captureThenReplayIsBitExact_data() {
        QTest::addColumn<QString>("path");
        for (const char* name : {"fashion_cnn", "tiny_lm", "resnet18", "gpt2_small"}) {
            auto path = test::demoModel(name);
            if (path.isEmpty()) qFatal("demo model %s missing: run scripts/setup", name);
            QTest::newRow(name) << path;
        }
        // Written for this test: operators consuming transposed, sliced, expanded and
        // permuted views; a fused attention kernel with an undefined second output; a
        // forward that writes into its input (the committed input is the one it was given);
        // and reads after writes through views, into a returned tensor and into the input
        // (rebuilt from the writers' committed outputs, in single ops and in segments).
        for (const char* name :
             {"views", "mha", "writes_input", "inplace", "returns_written", "returns_input"}) {
            QString why;
            auto path = test::testModel(name, &why);
            if (path.isEmpty()) qFatal("%s", qPrintable(why));
            QTest::newRow(name) << path;
        }
    }

    void captureThenReplayIsBitExact() {
        QFETCH(QString, path);
        auto m = graph::loadModel(path.toStdString());
        const auto name = QFileInfo(path).baseName();
        auto opt = seededCapture(11, name + ".taotrace");
        std::size_t progressCalls = 0;
        opt.progress = [&](std::size_t, std::size_t) { return ++progressCalls > 0; };
        auto manifest = runtime::capture(m, opt);
        const auto n = static_cast<std::uint32_t>(manifest.ops.size());
        QCOMPARE(manifest.ops.size(), graph::opsOf(*m).size());
        QCOMPARE(progressCalls, manifest.ops.size());
        QCOMPARE(manifest.modelId, graph::idOf(*m));
        QVERIFY(manifest.hasLayouts());

        auto bundle = trace::TraceBundle::open(opt.out);
        QCOMPARE(bundle.manifest().root, manifest.root);
        QVERIFY(bundle.manifest().hasLayouts());
        auto check = [&](const std::vector<runtime::OpComparison>& results, const char* how) {
            for (const auto& r : results)
                QVERIFY2(r.bitExact && r.problem.empty() && r.caveat.empty(),
                         qPrintable(QString("%1: op %2 %3 (%4): abs %5 %6 %7")
                                        .arg(how)
                                        .arg(r.op)
                                        .arg(QString::fromStdString(r.kind))
                                        .arg(QString::fromStdString(r.scope))
                                        .arg(r.maxAbs)
                                        .arg(QString::fromStdString(r.problem))
                                        .arg(QString::fromStdString(r.caveat))));
        };
        auto perOp = runtime::replay(m, bundle, {});
        QCOMPARE(perOp.size(), manifest.ops.size());
        check(perOp, "single op");
        // Segments from several cut points; from every one on models small enough.
        std::vector<std::uint32_t> cuts{0, n / 4, n / 2, 3 * n / 4, n - 1};
        if (n <= 100) {
            cuts.clear();
            for (std::uint32_t c = 0; c < n; c += (n > 40 ? 3 : 1))
                cuts.push_back(c);
        }
        for (auto cut : cuts) {
            runtime::ReplayOptions seg;
            seg.segment = true;
            seg.from = cut;
            auto tail = runtime::replay(m, bundle, seg);
            QCOMPARE(tail.size(), std::size_t(n - cut));
            check(tail, qPrintable(QString("segment from %1").arg(cut)));
        }
    }

    // The test model's views are committed with the layout they had, naming what
    // they are views of; the layout leaves hashes and leaves unchanged.
    void layoutsNameTheirBase() {
        auto m = loadTestModel("views");
        runtime::CaptureOptions opt;
        opt.seed = 2;
        auto manifest = runtime::capture(m, opt);
        int transposed = 0, viewsOfInput = 0, broadcast = 0;
        for (const auto& op : manifest.ops) {
            const auto& out = op.outputs.at(0);
            QVERIFY(out.layout.has_value());
            if (op.kind == "aten::transpose" || op.kind == "aten::permute") {
                QVERIFY(!out.layout->isRowMajor(out.shape));
                ++transposed;
            }
            if (out.layout->viewOf == "input:x") ++viewsOfInput;
            if (op.kind == "aten::expand") {
                QVERIFY(std::find(out.layout->strides.begin(), out.layout->strides.end(), 0) !=
                        out.layout->strides.end());
                QCOMPARE(out.layout->viewOf, std::string("param:b"));
                ++broadcast;
            }
        }
        QCOMPARE(transposed, 2);
        QVERIFY(viewsOfInput >= 4); // transpose, two slices, permute, select
        QCOMPARE(broadcast, 1);
        // Same values, another layout, same root: the layout is metadata.
        auto text = manifest.toJson();
        auto stripped = trace::Manifest::fromJson(text);
        for (auto& op : stripped.ops)
            for (auto& t : op.outputs)
                t.layout.reset();
        QCOMPARE(stripped.merkleTree().root(), manifest.root);
    }

    // A fused kernel's undefined output is a typed "none" entry with a fixed hash,
    // kept out of tensors.safetensors, and replays as an undefined tensor.
    void undefinedOutputsAreTypedNone() {
        auto m = loadTestModel("mha");
        auto opt = seededCapture(4, "mha_none.taotrace");
        auto manifest = runtime::capture(m, opt);
        const auto noneHash = commit::tensorHash(commit::DType::None, {}, {});
        int nones = 0;
        for (const auto& op : manifest.ops)
            for (std::size_t j = 0; j < op.outputs.size(); ++j)
                if (op.outputs[j].dtype == commit::DType::None) {
                    ++nones;
                    QCOMPARE(op.outputs[j].hash, noneHash);
                    QVERIFY(op.outputs[j].shape.empty());
                    trace::SafetensorsFile st(opt.out / "tensors.safetensors");
                    QVERIFY(!st.contains(trace::opTensorName(op.index, j)));
                }
        QCOMPARE(nones, 1);
        auto bundle = trace::TraceBundle::open(opt.out);
        for (const auto& r : runtime::replay(m, bundle, {}))
            QVERIFY(r.bitExact);
    }

    // nn.TransformerEncoder in eval mode with a padding mask takes PyTorch's
    // nested-tensor fast path: capture stops with one line naming the operator and
    // the export switch, never a LibTorch stack trace.
    void nestedTensorFastPathIsAOneLineError() {
        auto m = loadTestModel("transformer_encoder");
        auto opt = seededCapture(1, "encoder.taotrace");
        try {
            runtime::capture(m, opt);
            QFAIL("a nested-tensor graph was captured");
        } catch (const graph::ModelError& e) {
            std::string what = e.what();
            QVERIFY2(what.find('\n') == std::string::npos, e.what());
            QVERIFY2(what.find("aten::_nested_tensor_from_mask") != std::string::npos, e.what());
            QVERIFY2(what.find("set_fastpath_enabled(False)") != std::string::npos, e.what());
        }
        QVERIFY(!std::filesystem::exists(opt.out));
    }

    // A trace written before layouts were recorded still replays, and says that
    // bit-exactness is not promised.
    void formatOneTraceReplaysWithCaveat() {
        auto m = load("tiny_lm");
        auto opt = seededCapture(9, "v1.taotrace");
        runtime::capture(m, opt);
        auto manifestPath = opt.out / "manifest.json";
        auto doc = nlohmann::json::parse(std::ifstream(manifestPath));
        doc["version"] = 1;
        doc["model"]["id"] = graph::legacyIdOf(*m).hex();
        for (auto& op : doc["ops"])
            for (auto& t : op["outputs"])
                t.erase("layout");
        // Version 1 has no output leaf: its root covers the ops alone.
        doc["root"] = trace::Manifest::fromJson(doc.dump()).merkleTree().root().hex();
        std::ofstream(manifestPath) << doc.dump(1);
        auto bundle = trace::TraceBundle::open(opt.out);
        QVERIFY(!bundle.manifest().hasLayouts());
        auto results = runtime::replay(m, bundle, {});
        QCOMPARE(results.size(), graph::opsOf(*m).size());
        int caveats = 0;
        for (const auto& r : results) {
            QVERIFY(r.problem.empty());
            caveats += !r.caveat.empty();
        }
        QVERIFY(caveats > 0);
        QVERIFY(results.back().caveat.find("no recorded layout") != std::string::npos);
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

    // A full trace written by several hashing threads is the one written by one, byte for
    // byte: manifest, tensors file and root.
    void hashingThreadsDoNotChangeTheTrace() {
        auto m = load("tiny_lm");
        std::map<unsigned, std::pair<trace::Manifest, std::string>> traces;
        for (unsigned threads : {1u, 4u}) {
            auto opt = seededCapture(7, QStringLiteral("threads-%1.taotrace").arg(threads));
            opt.hashingThreads = threads;
            auto manifest = runtime::capture(m, opt);
            std::ifstream in(opt.out / trace::kTensorsFile, std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            QVERIFY(bytes.str().size() > 100000);
            traces[threads] = {std::move(manifest), bytes.str()};
        }
        QCOMPARE(traces[4].first.root, traces[1].first.root);
        QCOMPARE(traces[4].first.toJson(), traces[1].first.toJson());
        QVERIFY(traces[4].second == traces[1].second);
    }

    // The committed output hash is that of the tensors the model returned, also when an
    // operator wrote into a returned tensor after producing it (returns_written writes its
    // linear's output through a view) or the model returns its input (returns_input, which
    // writes it first); capture reuses the
    // operators' hashes only where they are those tensors.
    void outputHashIsThatOfTheReturnedTensors_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("demo");
        for (const char* name : {"tiny_lm", "fashion_cnn"})
            QTest::newRow(name) << QString(name) << true;
        for (const char* name : {"inplace", "writes_input", "returns_written", "returns_input"})
            QTest::newRow(name) << QString(name) << false;
    }
    void outputHashIsThatOfTheReturnedTensors() {
        QFETCH(QString, name);
        QFETCH(bool, demo);
        auto m = demo ? load(name) : loadTestModel(name);
        const auto drawn = m->randomInputs(4);
        auto fresh = [&] {
            std::vector<c10::IValue> in;
            for (const auto& v : drawn)
                in.emplace_back(v.toTensor().clone());
            return in;
        };
        runtime::CaptureOptions opt;
        opt.inputs = std::make_shared<const std::vector<c10::IValue>>(fresh());
        opt.light = true;
        const auto manifest = runtime::capture(m, opt);
        torch::NoGradGuard noGrad;
        std::vector<commit::Hash32> returned;
        for (const auto& v : graph::Interpreter(m).run(fresh()))
            for (const auto& t : graph::flattenTensors(v))
                returned.push_back(graph::tensorHash(t));
        QVERIFY(!returned.empty());
        QCOMPARE(manifest.outputHash.hex(), commit::outputsHash(returned).hex());
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

    // A trace names the BLAS kernels as well as the library: OpenBLAS picks them per CPU,
    // and OPENBLAS_CORETYPE overrides its pick, so one library gives different sums.
    void runtimeNamesTheBlasKernels() {
        const auto blas = runtime::describeRuntime({}).blas;
        QVERIFY2(!blas.empty() && blas != "unknown", blas.c_str());
        if (blas.find("openblas") == std::string::npos)
            QSKIP(qPrintable(QString("the BLAS is not OpenBLAS: %1").arg(blas.c_str())));
        QVERIFY2(blas.size() > 9 && blas.substr(blas.size() - 9) == " kernels)", blas.c_str());
        if (const char* forced = std::getenv("OPENBLAS_CORETYPE")) {
            auto lower = [](std::string t) {
                std::transform(t.begin(), t.end(), t.begin(), ::tolower);
                return t;
            };
            QVERIFY2(lower(blas).find("(" + lower(forced) + " kernels)") != std::string::npos,
                     blas.c_str());
        }
    }

    // Reading ahead on another thread must give each operator exactly what reading on
    // demand gives: the same tensors with the same layouts, and for an altered tensor the
    // same integrity error, raised at the operator that asks, whatever the budget (1 byte:
    // one operator ahead at a time). Asking far ahead, asking again for what was dropped,
    // and stopping half-way must neither hang nor change an answer.
    void readAheadGivesWhatReadingGives() {
        auto m = load("tiny_lm");
        auto opt = seededCapture(5, "ahead.taotrace");
        runtime::capture(m, opt);
        const std::uint32_t altered = 9;
        test::alterOpOutput(opt.out, altered);
        auto bundle = trace::TraceBundle::open(opt.out);
        const auto n = static_cast<std::uint32_t>(m->ops().size());
        // What op gives: its tensors, or the integrity error's message.
        using Answer = std::pair<std::vector<at::Tensor>, std::string>;
        const auto ask = [](runtime::TraceTensors& t, std::uint32_t op) -> Answer {
            try {
                std::vector<at::Tensor> out;
                for (const auto& v : t.outputs(op))
                    for (auto& x : graph::flattenTensors(v))
                        out.push_back(x);
                return {out, {}};
            } catch (const trace::TensorIntegrityError& e) {
                return {{}, e.what()};
            }
        };
        const auto same = [](const Answer& a, const Answer& b) {
            if (a.second != b.second || a.first.size() != b.first.size()) return false;
            for (std::size_t i = 0; i < a.first.size(); ++i) {
                const auto &x = a.first[i], &y = b.first[i];
                if (x.defined() != y.defined()) return false;
                if (x.defined() && (x.scalar_type() != y.scalar_type() || x.sizes() != y.sizes() ||
                                    x.strides() != y.strides() || !at::equal(x, y)))
                    return false;
            }
            return true;
        };
        std::vector<Answer> expected;
        {
            runtime::TraceTensors plain(bundle);
            for (std::uint32_t op = 0; op < n; ++op)
                expected.push_back(ask(plain, op));
        }
        QVERIFY(!expected[altered].second.empty());
        QVERIFY(!expected[altered + 1].first.empty());
        for (std::size_t budget : {std::size_t(1), std::size_t(64) << 20}) {
            runtime::TraceTensors ahead(bundle);
            ahead.readInOrder(*m);
            ahead.readAhead(0, n, budget);
            for (std::uint32_t op = 0; op < n; ++op)
                QVERIFY2(same(ask(ahead, op), expected[op]),
                         qPrintable(QString("op %1, budget %2").arg(op).arg(budget)));
            // Dropped long ago (in-order reading): read again on demand.
            QVERIFY(same(ask(ahead, 1), expected[1]));
            QVERIFY(same(ask(ahead, altered), expected[altered]));
        }
        {
            // Far ahead first, then back: the skipped operators are read on demand.
            runtime::TraceTensors ahead(bundle);
            ahead.readInOrder(*m);
            ahead.readAhead(2, n, 1);
            QVERIFY(same(ask(ahead, n - 1), expected[n - 1]));
            QVERIFY(same(ask(ahead, 3), expected[3]));
            QVERIFY(same(ask(ahead, 0), expected[0]));
        }
        {
            // Stopped after one operator: the destructor ends the reader.
            runtime::TraceTensors ahead(bundle);
            ahead.readAhead(0, n, 1);
            QVERIFY(same(ask(ahead, 0), expected[0]));
        }
    }

    void tamperedTensorIsRefusedOnReplay() {
        auto m = load("fashion_cnn");
        auto opt = seededCapture(3, "tamper.taotrace");
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

    // The allocator tao verify installs at start: LibTorch's tensors of 4 MiB and more lie in
    // memory advised onto huge pages (the "hg" flag of their mapping), and they still
    // hold and free their data as LibTorch's own allocator's do.
    void largeTensorsAreAdvisedOntoHugePages() {
        if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled"))
            QSKIP("this kernel offers no transparent huge pages: the advice is a no-op here");
        unsetenv("TAO_HUGE_PAGES"); // the switch that turns the advice off
        runtime::adviseHugePagesForLargeTensors();
        runtime::adviseHugePagesForLargeTensors();  // idempotent
        auto big = at::arange(8 << 20, at::kFloat); // 32 MiB
        QCOMPARE(big[(8 << 20) - 1].item<float>(), float((8 << 20) - 1));
        const auto flagsAt = [](const void* p) {
            const auto addr = reinterpret_cast<std::uintptr_t>(p);
            std::ifstream smaps("/proc/self/smaps");
            std::string line;
            bool inside = false;
            while (std::getline(smaps, line)) {
                std::uintptr_t lo = 0, hi = 0;
                char dash = 0;
                std::istringstream head(line);
                if (head >> std::hex >> lo >> dash >> hi && dash == '-')
                    inside = lo <= addr && addr < hi;
                else if (inside && line.rfind("VmFlags:", 0) == 0)
                    return line;
            }
            return std::string();
        };
        // The block's first whole 2 MiB page (its start may share a page with others).
        const auto* inner = static_cast<const char*>(big.data_ptr()) + (2 << 20);
        const auto flags = flagsAt(inner);
        QVERIFY2(flags.find(" hg") != std::string::npos, flags.c_str());
        big.reset(); // LibTorch's deleter frees it
        auto again = at::ones({8 << 20}, at::kFloat);
        QCOMPARE(again.sum().item<double>(), double(8 << 20));
    }

    // tao verify keeps freed heap for reuse (reuseFreedMemory) but gives blocks of 32 MiB
    // and more that the free heap cannot hold back when freed (returnLargeBlocksWhenFreed):
    // such a tensor's pages leave the process's resident set with it. The tensor is 64 MiB
    // larger than all the free heap the earlier tests left, which would serve it otherwise.
    void largeBlocksGoBackWhenFreed() {
        runtime::reuseFreedMemory();
        runtime::returnLargeBlocksWhenFreed();
        const auto elements = std::int64_t((mallinfo2().fordblks + (64 << 20)) / sizeof(float));
        auto big = at::ones({elements}, at::kFloat); // every page touched
        QCOMPARE(big[elements - 1].item<float>(), 1.0f);
        const double held = test::residentMiB();
        big.reset();
        const double after = test::residentMiB();
        QVERIFY2(held - after > 48,
                 qPrintable(QString("resident %1 MiB, then %2 MiB").arg(held).arg(after)));
    }

    // The hasher keeps hashed outputs until 32 MiB of later ones are hashed, then lets them
    // go: an output pushed first is released while the capture goes on, the last ones are
    // still held until finish(), and the hashes are those of the tensors.
    void hasherKeepsABoundedWindowOfOutputs() {
        runtime::OutputHasher hasher(41, nullptr);
        std::vector<at::Tensor> pushed;
        for (std::uint32_t op = 0; op < 41; ++op) {
            pushed.push_back(at::full({1 << 18}, static_cast<float>(op))); // 1 MiB each
            hasher.push(op, {pushed.back()});
        }
        const auto releasedWithin = [](const at::Tensor& t, int ms) {
            for (int waited = 0; t.use_count() > 1 && waited < ms; waited += 5)
                QThread::msleep(5);
            return t.use_count() == 1;
        };
        QVERIFY2(releasedWithin(pushed.front(), 10000), "the first output was never let go");
        QVERIFY2(!releasedWithin(pushed.back(), 50), "the last output was let go at once");
        hasher.finish();
        QVERIFY(releasedWithin(pushed.back(), 1000));
        QCOMPARE(hasher.hashes(0).front(), graph::tensorHash(pushed.front()));
        QCOMPARE(hasher.hashes(40).front(), graph::tensorHash(pushed.back()));
    }

    // finish() hashes and writes what is still queued on its own thread beside the workers:
    // 64 MiB pushed at once is far more than they get through before finish() is called.
    // With one worker or several, the file holds the outputs in the order they were pushed,
    // each where its entry says, and the hashes are those of the tensors.
    void finishSharesTheBacklogAndKeepsTheOrder_data() {
        QTest::addColumn<unsigned>("workers");
        QTest::newRow("one worker") << 1u;
        QTest::newRow("three workers") << 3u;
    }
    void finishSharesTheBacklogAndKeepsTheOrder() {
        QFETCH(unsigned, workers);
        const auto path = std::filesystem::path(tmp_.path().toStdString()) /
                          ("shared-" + std::to_string(workers) + ".safetensors");
        std::vector<std::vector<at::Tensor>> pushed;
        {
            trace::SafetensorsWriter sink(path, 1 << 16);
            runtime::OutputHasher hasher(64, &sink, workers);
            for (std::uint32_t op = 0; op < 64; ++op) {
                // 1 MiB each; every eighth op has a second output of another size and an
                // undefined one between them, as fused kernels return.
                std::vector<at::Tensor> outs{at::full({1 << 18}, static_cast<float>(op))};
                if (op % 8 == 0) {
                    outs.push_back(at::Tensor());
                    outs.push_back(at::arange(static_cast<std::int64_t>(op) + 3, at::kLong));
                }
                pushed.push_back(outs);
                hasher.push(op, std::move(outs));
            }
            hasher.finish();
            for (std::uint32_t op = 0; op < 64; ++op)
                for (std::size_t j = 0; j < pushed[op].size(); ++j)
                    QCOMPARE(hasher.hashes(op).at(j), graph::tensorHash(pushed[op][j]));
            sink.finish();
        }
        trace::SafetensorsFile file(path);
        std::uint64_t end = 0;
        for (std::uint32_t op = 0; op < 64; ++op)
            for (std::size_t j = 0; j < pushed[op].size(); ++j) {
                const auto name = trace::opTensorName(op, j);
                QCOMPARE(file.contains(name), pushed[op][j].defined());
                if (!pushed[op][j].defined()) continue;
                const auto& entry = file.header().entries.at(name);
                QCOMPARE(entry.begin, end); // laid out in push order, no gaps
                end = entry.end;
                QCOMPARE(file.read(name).hash(), graph::tensorHash(pushed[op][j]));
            }
    }

    // A capture hashes on the cores LibTorch's threads leave, one at least, eight at most.
    void hashingWorkersAreTheFreeCores() {
        const int cores = static_cast<int>(std::thread::hardware_concurrency());
        QCOMPARE(runtime::hashingWorkers(cores), 1u);
        QCOMPARE(runtime::hashingWorkers(cores + 4), 1u);
        QCOMPARE(runtime::hashingWorkers(1), static_cast<unsigned>(std::clamp(cores - 1, 1, 8)));
        QCOMPARE(runtime::hashingWorkers(cores - 64), 8u);
    }

    void cancelStopsCapture() {
        auto m = load("tiny_lm");
        auto opt = seededCapture(1, "cancelled.taotrace");
        opt.progress = [](std::size_t done, std::size_t) { return done < 5; };
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, runtime::capture(m, opt));
        QVERIFY(!std::filesystem::exists(opt.out));
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "test_runtime.moc"
