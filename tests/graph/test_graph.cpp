// core/graph: the node-by-node interpreter against module.forward, single-op
// and segment replay on every demo model, model identity and bad model files.
#include "core/graph/interpreter.hpp"
#include "core/graph/mapped_weights.hpp"
#include "core/graph/tensor_convert.hpp"
#include "support/tools.hpp"

#include <ATen/Parallel.h>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace tao::graph;

namespace {

std::vector<c10::IValue> parametersOf(Model& m) {
    std::vector<c10::IValue> out;
    for (const auto& p : m.module().named_parameters(true))
        out.emplace_back(p.value);
    return out;
}

bool bitEqual(const c10::IValue& a, const c10::IValue& b) {
    auto ta = flattenTensors(a), tb = flattenTensors(b);
    if (ta.size() != tb.size() || ta.empty()) return false;
    for (std::size_t i = 0; i < ta.size(); ++i)
        if (tensorHash(ta[i]) != tensorHash(tb[i])) return false;
    return true;
}

std::shared_ptr<Model> loadDemo(const QString& name) {
    QString path = tao::test::demoModel(name);
    if (path.isEmpty()) qFatal("demo model %s missing: run scripts/setup", qPrintable(name));
    return Model::load(path.toStdString());
}

} // namespace

class TestGraph : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { at::set_num_threads(1); }

    // A host tensor taken over (fromHost of an rvalue) holds the same values as one copied,
    // in every traced dtype, and its bytes stay valid after the host tensor is gone; a
    // size mismatch is still refused with the same error, and NONE stays undefined.
    void hostTensorsTakenOverEqualCopies() {
        for (const auto type : {at::kFloat, at::kDouble, at::kLong, at::kInt, at::kBool}) {
            const auto t = (at::rand({3, 5, 7}) * 100).to(type);
            const auto copied = fromHost(toHost(t));
            at::Tensor taken;
            {
                auto h = toHost(t);
                taken = fromHost(std::move(h));
                QVERIFY(h.data.empty());
            }
            QVERIFY(at::equal(taken, t) && at::equal(copied, t));
            QCOMPARE(taken.scalar_type(), type);
            QCOMPARE(taken.sizes(), t.sizes());
            taken.zero_(); // writable, and not shared with `copied`
            QVERIFY(at::equal(copied, t));
        }
        auto bad = toHost(at::rand({4}));
        bad.data.pop_back();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fromHost(std::move(bad)));
        tao::trace::HostTensor none;
        none.dtype = tao::commit::DType::None;
        QVERIFY(!fromHost(std::move(none)).defined());
    }

    void interpreterMatchesForward_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("opStride"); // replay every n-th op (big models are sampled)
        QTest::newRow("fashion_cnn") << "fashion_cnn" << 1;
        QTest::newRow("tiny_lm") << "tiny_lm" << 1;
        QTest::newRow("resnet18") << "resnet18" << 1;
        QTest::newRow("gpt2_small") << "gpt2_small" << 7;
    }

    // Acceptance: interpreter outputs are bit-identical to module.forward; every
    // replayed single op and a segment from a cut state reproduce their outputs.
    void interpreterMatchesForward() {
        QFETCH(QString, model);
        QFETCH(int, opStride);
        auto m = loadDemo(model);
        QVERIFY(m->ops().size() > 5);
        auto inputs = m->randomInputs(7);

        torch::NoGradGuard noGrad;
        auto expected = m->module().forward(inputs);
        Interpreter interp(m);
        std::vector<std::vector<c10::IValue>> recorded(m->ops().size());
        ExecutionHooks hooks;
        hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
            recorded[op] = outs;
        };
        auto outs = interp.run(inputs, hooks);
        QCOMPARE(outs.size(), std::size_t(1));
        QVERIFY2(bitEqual(outs[0], expected), "interpreter output differs from module.forward");
        for (const auto& r : recorded)
            QVERIFY(!r.empty());

        OpOutputSource source = [&](std::uint32_t op) { return recorded.at(op); };
        int replayed = 0;
        for (std::uint32_t op = 0; op < m->ops().size(); op += opStride) {
            auto again = interp.runOp(op, interp.opInputs(op, inputs, source));
            QCOMPARE(again.size(), recorded[op].size());
            for (std::size_t j = 0; j < again.size(); ++j)
                QVERIFY2(bitEqual(again[j], recorded[op][j]),
                         qPrintable(QString("op %1 (%2) replay differs")
                                        .arg(op)
                                        .arg(QString::fromStdString(m->ops()[op].kind))));
            ++replayed;
        }
        QVERIFY(replayed > 0);

        const auto n = static_cast<std::uint32_t>(m->ops().size());
        for (auto [lo, hi] : {std::pair{n / 3, 2 * n / 3}, std::pair{n / 2, n}}) {
            int seen = 0;
            ExecutionHooks check;
            check.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& o) {
                QVERIFY(op >= lo && op < hi);
                for (std::size_t j = 0; j < o.size(); ++j)
                    QVERIFY(bitEqual(o[j], recorded[op][j]));
                ++seen;
            };
            auto segOuts = interp.runSegment(lo, hi, inputs, source, check);
            QCOMPARE(seen, int(hi - lo));
            if (hi == n) QVERIFY(bitEqual(segOuts.at(0), expected));
        }
    }

    // Every cut point: a short segment starting at each operator reproduces its outputs.
    void segmentsFromEveryCutPoint() {
        auto m = loadDemo("tiny_lm");
        auto inputs = m->randomInputs(3);
        torch::NoGradGuard noGrad;
        Interpreter interp(m);
        std::vector<std::vector<c10::IValue>> recorded(m->ops().size());
        ExecutionHooks hooks;
        hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& o) { recorded[op] = o; };
        interp.run(inputs, hooks);
        OpOutputSource source = [&](std::uint32_t op) { return recorded.at(op); };
        const auto n = static_cast<std::uint32_t>(m->ops().size());
        for (std::uint32_t lo = 0; lo < n; ++lo) {
            std::uint32_t hi = std::min(n, lo + 6), seen = 0;
            ExecutionHooks check;
            check.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& o) {
                for (std::size_t j = 0; j < o.size(); ++j)
                    QVERIFY(bitEqual(o[j], recorded[op][j]));
                ++seen;
            };
            interp.runSegment(lo, hi, inputs, source, check);
            QCOMPARE(seen, hi - lo);
        }
    }

    // Capture hashes outputs in the background and copies only those a later node writes
    // into. Every output that really changes after it was produced must be flagged (else
    // the committed hash would race with the write), and the analysis is exact on a model
    // written for it.
    void writtenOutputsAreFoundByAliasAnalysis_data() {
        QTest::addColumn<QString>("path");
        for (const char* name : {"resnet18", "gpt2_small", "fashion_cnn", "tiny_lm"})
            QTest::newRow(name) << tao::test::demoModel(name);
        QString why;
        QTest::newRow("inplace") << tao::test::testModel("inplace", &why);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void writtenOutputsAreFoundByAliasAnalysis() {
        QFETCH(QString, path);
        auto m = Model::load(path.toStdString());
        torch::NoGradGuard noGrad;
        std::vector<std::vector<at::Tensor>> produced(m->ops().size());
        std::vector<std::vector<tao::commit::Hash32>> atOnce(m->ops().size());
        ExecutionHooks hooks;
        hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
            for (const auto& v : outs)
                for (const auto& t : flattenTensors(v)) {
                    produced[op].push_back(t);
                    atOnce[op].push_back(tensorHash(t));
                }
        };
        Interpreter(m).run(m->randomInputs(3), hooks);
        int changed = 0, flagged = 0;
        for (std::uint32_t op = 0; op < produced.size(); ++op) {
            bool differs = false;
            for (std::size_t j = 0; j < produced[op].size(); ++j)
                differs = differs || tensorHash(produced[op][j]) != atOnce[op][j];
            changed += differs;
            flagged += m->outputWrittenLater(op);
            QVERIFY2(!differs || m->outputWrittenLater(op),
                     qPrintable(QString("op %1 (%2) changed after it was produced but is not "
                                        "flagged")
                                    .arg(op)
                                    .arg(QString::fromStdString(m->ops()[op].kind))));
        }
        qInfo("%d ops, %d changed later, %d flagged", int(produced.size()), changed, flagged);
        const auto name = QFileInfo(path).baseName();
        if (name == "inplace") {
            // linear (relu_ writes it), mul and its two slices (mul_ through the view), and
            // add (add_); not relu_'s own result, tanh or the sums.
            QCOMPARE(changed, 5);
            QCOMPARE(flagged, 5);
            for (std::uint32_t op = 0; op < produced.size(); ++op)
                if (m->ops()[op].kind == "aten::tanh") QVERIFY(!m->outputWrittenLater(op));
        }
        if (!m->mutatesInPlace()) QCOMPARE(flagged, 0);
    }

    void opsCarryScopesAndReferences() {
        auto m = loadDemo("resnet18");
        bool sawScope = false, sawParam = false, sawOpRef = false;
        for (const auto& op : m->ops()) {
            sawScope |= op.scope == "layer1.0.conv1";
            for (const auto& in : op.inputs) {
                sawParam |= in == "param:layer1.0.conv1.weight";
                sawOpRef |= in.rfind("op:", 0) == 0;
            }
        }
        QVERIFY(sawScope);
        QVERIFY(sawParam);
        QVERIFY(sawOpRef);
        QCOMPARE(m->ops().front().kind, std::string("aten::_convolution"));
        QCOMPARE(m->inputNames(), std::vector<std::string>{"x"});
        // batch_norm must not be folded into conv: provider and auditor run the same graph.
        int batchNorms = 0;
        for (const auto& op : m->ops())
            batchNorms += op.kind == "aten::batch_norm";
        QCOMPARE(batchNorms, 20);
    }

    void modelIdIsStableAndDistinct() {
        auto a = loadDemo("fashion_cnn"), b = loadDemo("fashion_cnn"), c = loadDemo("tiny_lm");
        QCOMPARE(a->id(), b->id());
        QVERIFY(a->id() != c->id());
        // Changing one weight changes the id.
        QTemporaryDir dir;
        auto path = dir.filePath("changed.pt").toStdString();
        torch::NoGradGuard noGrad;
        b->module().attr("fc2").toModule().attr("bias").toTensor()[0] += 1e-6f;
        b->module().save(path);
        QVERIFY(Model::load(path)->id() != a->id());
    }

    // The id is defined by a canonical text, not by how this LibTorch prints graphs:
    // an independent implementation on PyTorch's Python API must agree with it.
    void modelIdMatchesPythonComputation_data() {
        QTest::addColumn<QString>("path");
        for (const char* name : {"fashion_cnn", "tiny_lm", "resnet18", "gpt2_small"})
            QTest::newRow(name) << tao::test::demoModel(name);
        QString why;
        for (const char* name : {"views", "mha", "transformer_encoder"}) {
            auto path = tao::test::testModel(name, &why);
            if (path.isEmpty()) qFatal("%s", qPrintable(why));
            QTest::newRow(name) << path;
        }
    }
    void modelIdMatchesPythonComputation() {
        QFETCH(QString, path);
        QVERIFY2(!path.isEmpty(), "demo model missing: run scripts/setup");
        QString error;
        auto out = tao::test::runProgram(tao::test::debianPython(),
                                         {tao::test::sourceDir() + "/scripts/model-id", path},
                                         &error, 180000);
        QVERIFY2(!out.isEmpty(), qPrintable(error));
        auto m = Model::load(path.toStdString());
        QCOMPARE(out.section(' ', 0, 0).toStdString(), m->id().hex());
        QVERIFY(m->legacyId() != m->id());
        QCOMPARE(matchId(*m, m->legacyId()), IdMatch::Legacy);
        QCOMPARE(matchId(*m, m->id()), IdMatch::Current);
        QVERIFY(legacyIdNote(*m, m->legacyId(), "x").find("legacy id") != std::string::npos);
    }

    // Constants appear by value and weights by name and hash.
    void canonicalTextHoldsConstantsAndWeights() {
        auto a = loadDemo("tiny_lm");
        auto text = a->canonicalText();
        QVERIFY(text.find("c:i128") != std::string::npos);
        QVERIFY(text.find("weight blocks.0.attn.qkv.weight 0x") != std::string::npos);
    }

    void badModelFilesGiveClearErrors() {
        QTemporaryDir dir;
        auto missing = dir.filePath("nope.pt").toStdString();
        try {
            Model::load(missing);
            QFAIL("loading a missing file did not throw");
        } catch (const ModelError& e) {
            QVERIFY(std::string(e.what()).find("nope.pt") != std::string::npos);
        }
        // A truncated archive.
        std::ifstream in(tao::test::demoModel("fashion_cnn").toStdString(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        auto truncated = dir.filePath("truncated.pt").toStdString();
        std::ofstream(truncated, std::ios::binary).write(bytes.data(), bytes.size() / 2);
        for (const auto residence :
             {WeightResidence::Heap, WeightResidence::MappedFile, WeightResidence::BySize}) {
            try {
                Model::load(truncated, residence);
                QFAIL("loading a truncated archive did not throw");
            } catch (const ModelError& e) {
                QVERIFY(std::string(e.what()).find("truncated.pt") != std::string::npos);
                QVERIFY(std::string(e.what()).find("TorchScript") != std::string::npos);
            }
        }
    }

    // A model whose weights are read in place from its archive is the same model: the
    // same id (every weight hashed), the same outputs to the bit, and most of its bytes
    // mapped rather than copied. An archive whose records are compressed cannot be
    // mapped and loads the ordinary way, to the same model.
    void mappedWeightsAreTheSameModel_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("mappable");
        for (const char* name : {"fashion_cnn", "tiny_lm", "resnet18"})
            QTest::newRow(name) << tao::test::demoModel(name) << true;
        static QTemporaryDir dir;
        const auto deflated = dir.filePath("tiny_lm_deflated.pt");
        QString error;
        tao::test::runProgram(
            tao::test::debianPython(),
            {"-c",
             "import sys, zipfile\n"
             "src = zipfile.ZipFile(sys.argv[1])\n"
             "with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as out:\n"
             "    for i in src.infolist(): out.writestr(i.filename, src.read(i.filename))\n"
             "print('ok')",
             tao::test::demoModel("tiny_lm"), deflated},
            &error);
        if (!QFileInfo::exists(deflated))
            qFatal("cannot write a deflated archive: %s", qPrintable(error));
        QTest::newRow("tiny_lm, deflated") << deflated << false;
    }
    void mappedWeightsAreTheSameModel() {
        QFETCH(QString, path);
        QFETCH(bool, mappable);
        const auto heap = Model::load(path.toStdString());
        const auto mapped = Model::load(path.toStdString(), WeightResidence::MappedFile);
        QCOMPARE(heap->mappedWeightBytes(), std::size_t(0));
        QCOMPARE(mapped->id(), heap->id());
        const auto fileBytes = QFileInfo(path).size();
        if (mappable)
            QVERIFY2(mapped->mappedWeightBytes() > std::size_t(fileBytes) / 2 &&
                         mapped->mappedWeightBytes() < std::size_t(fileBytes),
                     qPrintable(QString("%1 of %2 bytes mapped")
                                    .arg(mapped->mappedWeightBytes())
                                    .arg(fileBytes)));
        else
            QCOMPARE(mapped->mappedWeightBytes(), std::size_t(0));
        torch::NoGradGuard noGrad;
        const auto inputs = heap->randomInputs(3);
        QVERIFY(bitEqual(Interpreter(mapped).run(inputs)[0], heap->module().forward(inputs)));
    }

    // BySize copies an archive up to kHeapArchiveBytes into the heap and maps a larger one;
    // the boundary itself is copied. The small demo archives all load as heap models.
    void residenceBySizeFollowsTheArchive() {
        QCOMPARE(residenceForArchive(0), WeightResidence::Heap);
        QCOMPARE(residenceForArchive(kHeapArchiveBytes), WeightResidence::Heap);
        QCOMPARE(residenceForArchive(kHeapArchiveBytes + 1), WeightResidence::MappedFile);
        QCOMPARE(residenceForArchive(std::uintmax_t(3) << 30), WeightResidence::MappedFile);
        const auto path = tao::test::demoModel("resnet18").toStdString();
        QVERIFY(std::filesystem::file_size(path) < kHeapArchiveBytes);
        const auto bySize = Model::load(path, WeightResidence::BySize);
        QCOMPARE(bySize->mappedWeightBytes(), std::size_t(0));
        QCOMPARE(bySize->id(), Model::load(path, WeightResidence::MappedFile)->id());
    }

    // Released weights leave the resident set and read back unchanged from the file; a
    // page written since is the process's own and is kept, and the file never changes.
    void releasedWeightsLeaveTheResidentSet() {
        const auto path = tao::test::demoModel("resnet18").toStdString();
        const auto originalId = Model::load(path)->id();
        auto m = Model::load(path, WeightResidence::MappedFile);
        const double mappedMiB = double(m->mappedWeightBytes()) / double(1 << 20);
        QVERIFY(mappedMiB > 40);
        const auto params = parametersOf(*m);
        const auto lastOp = static_cast<std::uint32_t>(m->ops().size() - 1); // all are done
        const auto sumAll = [&] {
            double s = 0;
            for (const auto& p : params)
                s += p.toTensor().sum().item<double>();
            return s;
        };
        const double before = tao::test::residentMiB();
        const double sum = sumAll(); // every weight page read
        const double read = tao::test::residentMiB();
        m->releaseWeightsAfter(lastOp, params);
        const double released = tao::test::residentMiB();
        const auto report = QString("resident %1 MiB, %2 after reading %3 MiB of weights, %4 "
                                    "after releasing them")
                                .arg(before)
                                .arg(read)
                                .arg(mappedMiB)
                                .arg(released);
        QVERIFY2(read - before > 0.8 * mappedMiB, qPrintable(report));
        QVERIFY2(read - released > 0.8 * mappedMiB, qPrintable(report));
        QCOMPARE(sumAll(), sum);

        torch::NoGradGuard noGrad;
        at::Tensor largest;
        for (const auto& p : params)
            if (!largest.defined() || p.toTensor().numel() > largest.numel())
                largest = p.toTensor();
        const auto original = largest.clone();
        auto flat = largest.view(-1);
        flat.slice(0, 0, 4096).add_(1.0f); // four pages or more written
        m->releaseWeightsAfter(lastOp, params);
        QVERIFY(at::equal(flat.slice(0, 0, 4096), original.view(-1).slice(0, 0, 4096) + 1.0f));
        QVERIFY(at::equal(flat.slice(0, 4096), original.view(-1).slice(0, 4096)));
        QCOMPARE(Model::load(path)->id(), originalId);
    }

    // readBytes copies a mapped weight's bytes from the file without faulting its pages
    // in; it refuses a range with a page written since (the file no longer holds what the
    // tensor does), a range outside the storage, and a tensor that is not mapped. Pages of
    // the range resident already are given back.
    void mappedBytesReadFromTheFile() {
        const auto path = tao::test::demoModel("resnet18").toStdString();
        auto m = Model::load(path, WeightResidence::MappedFile);
        at::Tensor largest;
        for (const auto& p : parametersOf(*m))
            if (!largest.defined() || p.toTensor().numel() > largest.numel())
                largest = p.toTensor();
        QVERIFY(largest.numel() * 4 > (8 << 20));
        QVERIFY(MappedWeights::isMapped(largest));
        auto copy = at::zeros_like(largest); // its pages resident before the count
        const auto bytes = static_cast<std::size_t>(largest.numel()) * sizeof(float);
        const double before = tao::test::residentMiB();
        QVERIFY(MappedWeights::readBytes(largest, largest.data_ptr(), bytes, copy.data_ptr()));
        const double after = tao::test::residentMiB();
        QVERIFY2(after - before < 0.25 * double(bytes) / double(1 << 20),
                 qPrintable(QString("resident %1 MiB, then %2 MiB").arg(before).arg(after)));
        QVERIFY(at::equal(copy, largest)); // reads every page, now from memory
        // Those pages are resident now; reading the range from the file gives them back.
        const double read = tao::test::residentMiB();
        QVERIFY(MappedWeights::readBytes(largest, largest.data_ptr(), bytes, copy.data_ptr()));
        const double released = tao::test::residentMiB();
        QVERIFY2(read - released > 0.75 * double(bytes) / double(1 << 20),
                 qPrintable(QString("resident %1 MiB, then %2 MiB").arg(read).arg(released)));
        QVERIFY(at::equal(copy, largest));

        const auto heapCopy = largest.clone();
        QVERIFY(!MappedWeights::isMapped(heapCopy));
        QVERIFY(!MappedWeights::readBytes(heapCopy, heapCopy.data_ptr(), bytes, copy.data_ptr()));
        QVERIFY(!MappedWeights::readBytes(largest, largest.data_ptr<float>() + 1, bytes,
                                          copy.data_ptr()));
        torch::NoGradGuard noGrad;
        largest.view(-1)[largest.numel() - 1].add_(1.0f); // the last page written
        const auto tail = static_cast<std::size_t>(4096) * sizeof(float);
        QVERIFY(!MappedWeights::readBytes(
            largest, largest.data_ptr<float>() + largest.numel() - 4096, tail, copy.data_ptr()));
        QVERIFY(MappedWeights::readBytes(largest, largest.data_ptr(), bytes / 2, copy.data_ptr()));
        QVERIFY(at::equal(copy.view(-1).slice(0, 0, largest.numel() / 2),
                          largest.view(-1).slice(0, 0, largest.numel() / 2)));
    }

    // An archive rewritten in place while its weights are mapped loses the pages a
    // later read needs: the process stops with a message naming the file and exit status
    // 1, not a crash (a forked child reads, so this process carries on).
    void truncatedArchiveStopsWithItsName() {
        QTemporaryDir dir;
        const auto path = dir.filePath("rewritten.pt").toStdString();
        std::filesystem::copy_file(tao::test::demoModel("tiny_lm").toStdString(), path);
        auto m = Model::load(path, WeightResidence::MappedFile);
        QVERIFY(m->mappedWeightBytes() > 0);
        at::Tensor largest;
        for (const auto& p : m->module().named_parameters(true))
            if (!largest.defined() || p.value.numel() > largest.numel()) largest = p.value;
        std::filesystem::resize_file(path, 0);
        int err[2];
        QVERIFY(::pipe(err) == 0);
        const pid_t child = ::fork();
        if (child == 0) {
            ::dup2(err[1], STDERR_FILENO);
            ::close(err[0]);
            ::close(err[1]);
            const volatile float* p = largest.data_ptr<float>();
            float sum = 0;
            for (std::int64_t i = 0; i < largest.numel(); ++i)
                sum += p[i];
            ::_exit(sum == sum ? 0 : 2);
        }
        ::close(err[1]);
        // A child that crashes instead may hang in Qt Test's crash handler (it attaches a
        // debugger): it is given 60 s, then killed.
        std::string said;
        int status = 0;
        bool ended = false;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!ended && std::chrono::steady_clock::now() < deadline) {
            pollfd readable{err[0], POLLIN, 0};
            bool closed = false;
            if (::poll(&readable, 1, 100) > 0) {
                char buf[512];
                const auto n = ::read(err[0], buf, sizeof buf);
                if (n > 0) said.append(buf, static_cast<std::size_t>(n));
                closed = n <= 0;
            }
            // Its stderr closed: the child is exiting, and waiting for it cannot hang.
            ended = ::waitpid(child, &status, closed ? 0 : WNOHANG) == child;
        }
        if (!ended) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
        }
        ::fcntl(err[0], F_SETFL, O_NONBLOCK); // a debugger the child started may hold it open
        char buf[512];
        for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) > 0;)
            said.append(buf, static_cast<std::size_t>(n));
        ::close(err[0]);
        QVERIFY2(ended, "the child reading the truncated archive did not end within 60 s");
        QVERIFY2(
            WIFEXITED(status) && WEXITSTATUS(status) == 1,
            qPrintable(QString("status %1: %2").arg(status).arg(QString::fromStdString(said))));
        QVERIFY2(said.find("rewritten.pt") != std::string::npos &&
                     said.find("changed on disk") != std::string::npos,
                 said.c_str());
    }

    // An archive written in place at the same size, even with its modification time set
    // back, is told by requireWeightsUnchanged (released weights would be read again from
    // the new bytes); one replaced by rename leaves the mapped file as it was.
    void archiveWrittenInPlaceIsTold() {
        QTemporaryDir dir;
        const auto path = dir.filePath("model.pt").toStdString();
        std::filesystem::copy_file(tao::test::demoModel("tiny_lm").toStdString(), path);
        const auto mapped = Model::load(path, WeightResidence::MappedFile);
        const auto heap = Model::load(path);
        QVERIFY(mapped->mappedWeightBytes() > 0);
        mapped->requireWeightsUnchanged();

        std::filesystem::copy_file(path, path + ".new");
        std::filesystem::rename(path + ".new", path);
        mapped->requireWeightsUnchanged();

        // A later tick of the kernel's file clock than the load's.
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        const auto when = std::filesystem::last_write_time(path);
        const auto opened = Model::load(path, WeightResidence::MappedFile);
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        {
            std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
            const auto middle = static_cast<std::streamoff>(std::filesystem::file_size(path) / 2);
            f.seekg(middle);
            const char byte = static_cast<char>(f.get());
            f.seekp(middle);
            f.put(static_cast<char>(byte ^ 1));
        }
        std::filesystem::last_write_time(path, when);
        QCOMPARE(std::filesystem::last_write_time(path), when);
        try {
            opened->requireWeightsUnchanged();
            QFAIL("a file written in place passed as unchanged");
        } catch (const ModelError& e) {
            QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("changed on disk") != std::string::npos, e.what());
        }
        heap->requireWeightsUnchanged();   // heap weights do not depend on the file
        mapped->requireWeightsUnchanged(); // the file it mapped was replaced, not written
    }

    void wrongInputCountIsAnError() {
        auto m = loadDemo("fashion_cnn");
        Interpreter interp(m);
        QVERIFY_THROWS_EXCEPTION(ModelError, interp.run({}));
    }
};

QTEST_GUILESS_MAIN(TestGraph)
#include "test_graph.moc"
