// core/verify and the calibration in core/numerics: honest runs under every configuration
// pass against the committed profiles, tampered operators are localised, profiles merge
// and are pinned by their hash, and bad inputs give clear errors.
#include "core/graph/tensor_convert.hpp"
#include "core/numerics/calibrate.hpp"
#include "core/numerics/emulation.hpp"
#include "core/numerics/error_metric.hpp"
#include "core/numerics/op_bound.hpp"
#include "core/runtime/capture.hpp"
#include "core/runtime/model_io.hpp"
#include "core/verify/arithmetic_check.hpp"
#include "core/verify/verify_values.hpp"
#include "support/altered_trace.hpp"
#include "support/tools.hpp"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <unistd.h>

using namespace tao;
using Values = std::vector<c10::IValue>;

namespace {

std::shared_ptr<graph::Model> load(const QString& name) {
    const auto path = test::demoModel(name);
    if (path.isEmpty()) return nullptr;
    return graph::Model::load(path.toStdString());
}

numerics::Profile committedProfile(const QString& name) {
    return numerics::Profile::load(
        (test::sourceDir() + "/resources/profiles/" + name + ".json").toStdString());
}

// How many of the pages wholly inside [p, p + bytes) this process has mapped
// (/proc/self/pagemap's present bit); -1 where pagemap cannot be read.
long presentPages(const void* p, std::size_t bytes) {
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto first = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page;
    const auto last = (reinterpret_cast<std::uintptr_t>(p) + bytes) / page;
    // pread with the exact size: pagemap refuses reads that are not whole entries, as a
    // buffered stream's short reads may be.
    const int fd = ::open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0) return -1;
    std::vector<std::uint64_t> entries(last - first);
    const auto want = static_cast<ssize_t>(entries.size() * 8);
    const auto got =
        ::pread(fd, entries.data(), static_cast<std::size_t>(want), static_cast<off_t>(first * 8));
    ::close(fd);
    if (got != want) return -1;
    return std::count_if(entries.begin(), entries.end(),
                         [](std::uint64_t e) { return (e >> 63) & 1; });
}

graph::OpOutputSource sourceOf(const std::vector<Values>& outs) {
    return [&outs](std::uint32_t op) { return outs.at(op); };
}

// Ops that (transitively) consume op `from`'s outputs.
std::set<std::uint32_t> downstream(const graph::Model& m, std::uint32_t from) {
    std::set<std::uint32_t> reach{from};
    for (const auto& op : m.ops())
        for (const auto& ref : op.inputs)
            if (ref.rfind("op:", 0) == 0 &&
                reach.count(static_cast<std::uint32_t>(std::stoul(ref.substr(3)))))
                reach.insert(op.index);
    return reach;
}

// A run on the base configuration in which `edit(op, opInputs, outputs)` may change op's
// outputs (tampering); every op's outputs are recorded as the provider would commit them.
std::vector<Values> tamperedRun(graph::Interpreter& interp, const Values& inputs,
                                std::uint32_t target,
                                const std::function<void(const Values&, Values&)>& edit) {
    std::vector<Values> outs(interp.model().ops().size());
    auto source = sourceOf(outs);
    return numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 1,
                                    [&](std::uint32_t op, Values& values) {
                                        if (op == target)
                                            edit(interp.opInputs(op, inputs, source), values);
                                        outs[op] = values;
                                    });
}

Values scaled(const Values& v, double factor) {
    return {v[0].toTensor() * static_cast<float>(factor)};
}

QString describe(const verify::VerifyReport& r) {
    QString s;
    for (const auto& o : r.ops)
        if (o.verdict != verify::Verdict::Pass)
            s += QString("op %1 %2 %3 %4; ")
                     .arg(o.op)
                     .arg(QString::fromStdString(o.kind))
                     .arg(QString::fromStdString(std::string(verify::verdictName(o.verdict))))
                     .arg(QString::fromStdString(o.reason));
    return s;
}

int runsFromEnv(int fallback) {
    const auto v = qEnvironmentVariableIntValue("TAO_VERIFY_RUNS");
    return v > 0 ? v : fallback;
}

// A full trace of `m` on its seeded random inputs, written to `path`.
std::filesystem::path capturedTrace(const std::shared_ptr<graph::Model>& m, std::uint64_t seed,
                                    const QString& path) {
    runtime::CaptureOptions opt;
    opt.seed = seed;
    opt.out = path.toStdString();
    runtime::capture(m, opt);
    return opt.out;
}

// Runs the built `tao` and returns its exit code; `out` gets stdout, and after a non-zero
// exit stderr too (so a JSON answer stays parseable).
int runTao(const QStringList& args, QByteArray* out) {
    QProcess p;
    p.start(QString(TAO_BINARY_DIR) + "/bin/tao", args);
    p.waitForFinished(300000);
    *out = p.readAllStandardOutput();
    if (p.exitCode() != 0) *out += p.readAllStandardError();
    return p.exitCode();
}

// Two measurements of one claim agree to the bit (QCOMPARE on doubles is fuzzy).
bool sameOpError(const numerics::OpError& a, const numerics::OpError& b) {
    return a.failure == b.failure && a.metric == b.metric && a.maxAbs == b.maxAbs &&
           a.maxBound == b.maxBound && a.unbounded == b.unbounded && a.elements == b.elements;
}
} // namespace

class TestVerify : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    // Calibration on two random inputs from `seedBase` under `configs`.
    static numerics::CalibrationOptions twoRandomInputs(std::uint64_t seedBase,
                                                        const char* configs) {
        numerics::CalibrationOptions opt;
        opt.randomRuns = 2;
        opt.seedBase = seedBase;
        opt.configs = numerics::parseConfigs(configs);
        return opt;
    }

private slots:
    // A linear layer whose weight is mapped from the model's archive gives each weight
    // panel's pages back once it has converted the panel, so a large weight (GPT-2's output
    // head) is never resident whole; the reference and bound are those of the heap copy.
    void mappedWeightPanelsLeaveTheResidentSet() {
        QTemporaryDir dir;
        const auto path = dir.filePath("linear.pt").toStdString();
        {
            torch::jit::Module m("Linear");
            m.register_parameter("weight", at::randn({4096, 512}), false); // four panels
            m.define("def forward(self, x):\n    return torch.linear(x, self.weight)\n");
            m.save(path);
        }
        const auto heap = graph::Model::load(path);
        const auto mapped = graph::Model::load(path, graph::WeightResidence::MappedFile);
        QCOMPARE(mapped->mappedWeightBytes(), std::size_t(4096 * 512 * 4));
        const auto w = mapped->module().attr("weight").toTensor();
        const auto bytes = static_cast<std::size_t>(w.nbytes());
        QCOMPARE(presentPages(w.data_ptr(), bytes), 0L); // hashed at load, then given back
        torch::NoGradGuard noGrad;
        QVERIFY(w.sum().item<double>() != 0); // every page read
        const long all = presentPages(w.data_ptr(), bytes);
        QVERIFY2(all > 500, qPrintable(QString("%1 pages present").arg(all)));
        const auto x = at::randn({8, 512});
        const auto fromHeap = numerics::referenceAndBound(
            "aten::linear", {x, heap->module().attr("weight").toTensor(), c10::IValue()});
        // Panels are read and converted on the staging thread or on the caller's (the
        // default picks by free cores; TAO_STAGING forces either): the same results.
        const auto restore = qScopeGuard([] { ::unsetenv("TAO_STAGING"); });
        for (const char* staging : {"1", "0"}) {
            ::setenv("TAO_STAGING", staging, 1);
            if (std::string(staging) == "0") QVERIFY(w.sum().item<double>() != 0);
            const auto fromMap = numerics::referenceAndBound("aten::linear", {x, w, c10::IValue()});
            QCOMPARE(presentPages(w.data_ptr(), bytes), 0L);
            QVERIFY(at::equal(fromMap.reference.at(0), fromHeap.reference.at(0)));
            QVERIFY(at::equal(fromMap.bound.at(0), fromHeap.bound.at(0)));
        }
    }

    // A weight that several operators read (GPT-2's causal mask, read by every layer) keeps
    // its pages until the last of them is judged, instead of being mapped in again by each;
    // a weight read once is given back after its operator, as before.
    void sharedWeightKeptUntilItsLastReader() {
        QTemporaryDir dir;
        const auto path = dir.filePath("shared.pt").toStdString();
        {
            torch::jit::Module m("Shared");
            m.register_buffer("mask", at::rand({512, 512}));
            m.register_parameter("once", at::rand({512, 512}), false);
            m.define("def forward(self, x):\n"
                     "    a = torch.mul(x, self.mask)\n"
                     "    b = torch.add(a, self.once)\n"
                     "    return torch.mul(b, self.mask)\n");
            m.save(path);
        }
        const auto model = graph::Model::load(path, graph::WeightResidence::MappedFile);
        QVERIFY(model->mappedWeightBytes() > 0);
        const auto mask = model->module().attr("mask").toTensor();
        const auto once = model->module().attr("once").toTensor();
        const auto readersOf = [&](const std::string& ref) {
            std::vector<std::uint32_t> readers;
            for (const auto& op : model->ops())
                if (std::find(op.inputs.begin(), op.inputs.end(), ref) != op.inputs.end())
                    readers.push_back(op.index);
            return readers;
        };
        const auto readers = readersOf("param:mask");
        QCOMPARE(readers.size(), std::size_t(2));
        QCOMPARE(readersOf("param:once").size(), std::size_t(1));
        torch::NoGradGuard noGrad;
        const auto touch = [](const at::Tensor& t) { return t.sum().item<double>(); };
        const auto present = [](const at::Tensor& t) {
            return presentPages(t.data_ptr(), static_cast<std::size_t>(t.nbytes()));
        };
        touch(mask);
        touch(once);
        QVERIFY2(present(mask) > 0 && present(once) > 0,
                 qPrintable(QString("%1 and %2 pages present after reading")
                                .arg(present(mask))
                                .arg(present(once))));
        model->releaseWeightsAfter(readers[0], {mask});
        QVERIFY2(present(mask) > 0, "the mask was given back before its last reader");
        model->releaseWeightsAfter(readersOf("param:once")[0], {once});
        QCOMPARE(present(once), 0L);
        model->releaseWeightsAfter(readers[1], {mask});
        QCOMPARE(present(mask), 0L);
    }

    // Weights read again after they were given back come from the file as it is then: a
    // verification whose archive was written in place meanwhile (same size, modification
    // time set back) throws, naming the archive, instead of reporting verdicts.
    void archiveWrittenDuringVerificationVoidsIt() {
        QTemporaryDir dir;
        const auto path = dir.filePath("tiny_lm.pt").toStdString();
        std::filesystem::copy_file(test::demoModel("tiny_lm").toStdString(), path);
        const auto heap = graph::Model::load(path);
        const auto mapped = graph::Model::load(path, graph::WeightResidence::MappedFile);
        QVERIFY(mapped->mappedWeightBytes() > 0);
        const auto profile = committedProfile("tiny_lm");
        graph::Interpreter interp(heap);
        const auto inputs = heap->randomInputs(5);
        const auto outs = numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 0);
        QCOMPARE(verify::verifyValues(mapped, inputs, sourceOf(outs), profile).overall(),
                 verify::Verdict::Pass);

        std::this_thread::sleep_for(std::chrono::milliseconds(30)); // a later file-clock tick
        const auto when = std::filesystem::last_write_time(path);
        {
            std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
            f.seekg(100);
            const char byte = static_cast<char>(f.get());
            f.seekp(100);
            f.put(byte); // the same byte: the write, not the bytes, voids the run
        }
        std::filesystem::last_write_time(path, when);
        try {
            verify::verifyValues(mapped, inputs, sourceOf(outs), profile);
            QFAIL("verified against an archive written in place meanwhile");
        } catch (const graph::ModelError& e) {
            QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
        }
        // The heap copy does not depend on the file.
        QCOMPARE(verify::verifyValues(heap, inputs, sourceOf(outs), profile).overall(),
                 verify::Verdict::Pass);
    }

    // FP32 claims are judged in one fused pass, also where the ratios go into a histogram
    // (calibration, the GUI); MeasureRule::Tensors evaluates the same rule as tensor
    // expressions. They must agree to the bit on every special case: equal infinities,
    // NaN, a zero, infinite or NaN bound, an infinity allowed near FP32 overflow, plain
    // differences and differences far below FP32's range, histogram included; with a wrong element
    // both must fail with the same words and leave the histogram untouched.
    void errorRuleInOnePassAgreesWithTensorRule() {
        std::mt19937 gen(7);
        std::uniform_real_distribution<double> unit(0, 1);
        const double inf = std::numeric_limits<double>::infinity();
        for (int trial = 0; trial < 60; ++trial) {
            const std::int64_t n = 1 + std::int64_t(unit(gen) * 200000);
            auto r = at::randn({n}, at::kDouble) * std::pow(10.0, unit(gen) * 6 - 3);
            auto b = (at::rand({n}, at::kDouble) * 1e-3 + 1e-9) * r.abs();
            if (trial % 5 == 2) {
                // Far below FP32's range: the claims flush to 0 and the bounds reach
                // subnormal doubles.
                r = r * 1e-300;
                b = b * 1e-300;
            }
            auto y = (r + (at::rand({n}, at::kDouble) * 2 - 1) * b * 1.5).to(at::kFloat);
            auto* rp = r.data_ptr<double>();
            auto* bp = b.data_ptr<double>();
            auto* yp = y.data_ptr<float>();
            const bool allowWrong = trial % 3 == 0;
            for (int k = 0; k < 40; ++k) {
                const auto i = std::int64_t(unit(gen) * double(n));
                switch (k % 8) {
                case 0:
                    rp[i] = inf, yp[i] = INFINITY;
                    break; // same infinity
                case 1:    // no room at all: the metric is infinite (a quarter of the trials)
                    if (trial % 4 == 1) bp[i] = 0, yp[i] = float(rp[i]) * 1.5f;
                    break;
                case 2:
                    bp[i] = inf, yp[i] = NAN;
                    break; // no bound
                case 3:
                    bp[i] = NAN;
                    break; // NaN bound
                case 4:
                    rp[i] = numerics::kFltOverflow * 0.999, bp[i] = numerics::kFltOverflow * 0.01,
                    yp[i] = INFINITY;
                    break; // allowed overflow
                case 5:
                    bp[i] = 0, yp[i] = float(rp[i]), rp[i] = double(yp[i]);
                    break;
                case 6:
                    if (allowWrong) yp[i] = NAN;
                    break; // wrong: NaN claim
                case 7:
                    if (allowWrong) rp[i] = inf, yp[i] = 1.0f;
                    break; // wrong: finite vs inf
                }
            }
            numerics::OpBound bound;
            bound.status = numerics::BoundStatus::Bounded;
            bound.reference = {r};
            bound.bound = {b};
            bound.dtypes = {at::kFloat};
            numerics::LogHistogram fusedRatios, tensorRatios;
            const auto fused = numerics::measureOpError(bound, {y});
            const auto fusedKept = numerics::measureOpError(bound, {y}, &fusedRatios);
            const auto tensors =
                numerics::measureOpError(bound, {y}, &tensorRatios, numerics::MeasureRule::Tensors);
            QCOMPARE(fused.failure, tensors.failure);
            QCOMPARE(fusedKept.failure, tensors.failure);
            QCOMPARE(fusedRatios.toJson().dump(), tensorRatios.toJson().dump());
            if (allowWrong) QVERIFY(!fused.failure.empty());
            if (!fused.failure.empty()) {
                QCOMPARE(fusedRatios.count(), std::uint64_t(0));
                continue;
            }
            QVERIFY(fusedRatios.count() > 0);
            QVERIFY2(fusedKept.metric == fused.metric && fusedKept.maxAbs == fused.maxAbs &&
                         fusedKept.maxBound == fused.maxBound &&
                         fusedKept.unbounded == fused.unbounded,
                     qPrintable(QString::number(trial)));
            // To the bit (QCOMPARE on doubles is fuzzy).
            QVERIFY2(fused.metric == tensors.metric, qPrintable(QString::number(trial)));
            QVERIFY2(fused.maxAbs == tensors.maxAbs, qPrintable(QString::number(trial)));
            QVERIFY2(fused.maxBound == tensors.maxBound, qPrintable(QString::number(trial)));
            QCOMPARE(fused.unbounded, tensors.unbounded);
            QCOMPARE(fused.elements, tensors.elements);
            QVERIFY(fused.metric > 0 && std::isfinite(fused.maxAbs));
            QCOMPARE(std::isfinite(fused.metric), trial % 4 != 1);
        }
    }

    // Fused kernels (dot products, element-wise and row-wise kinds) judge a claim given to
    // referenceAndBound while they compute its bound (OpBound::judged). What measureOpError
    // then reports must be, to the bit, what the judging pass and the tensor rule report on
    // the same tensors: for honest claims, claims a few ulp off, claims with a NaN (the
    // failure is worded the same), and inputs with an infinity (unbounded elements). A
    // claim changed in place after the bound, or another tensor of the same values, must
    // not take the kernel's tally.
    void kernelJudgedClaimsAgreeWithJudgingPass() {
        using numerics::MeasureRule;
        at::manual_seed(11);
        const auto x = at::randn({3, 41, 96});
        const auto xInf = x.clone();
        xInf[1][7][5] = INFINITY;
        const auto other = at::randn({3, 41, 96});
        const auto w = at::randn({130, 96}) * 0.1;
        const auto wide = at::randn({700, 96}) * 0.1; // several weight panels
        const auto bias = at::randn({130});
        const auto gamma = at::randn({96}), beta = at::randn({96});
        const std::vector<std::pair<std::string, Values>> cases{
            {"aten::linear", {x, w, bias}},
            {"aten::linear", {x, w, c10::IValue()}},
            {"aten::linear", {xInf, w, bias}},
            {"aten::gelu", {x, c10::IValue(std::string("none"))}},
            {"aten::gelu", {xInf, c10::IValue(std::string("tanh"))}},
            {"aten::add", {x, other, c10::IValue(1)}},
            {"aten::mul", {x, c10::IValue(0.3)}},
            {"aten::tanh", {x}},
            {"aten::softmax", {x, c10::IValue(-1), c10::IValue()}},
            {"aten::softmax", {xInf, c10::IValue(-1), c10::IValue()}},
            {"aten::layer_norm",
             {x, c10::IValue(std::vector<std::int64_t>{96}), gamma, beta, c10::IValue(1e-5),
              c10::IValue(false)}},
        };
        auto wideCase = Values{x, wide, c10::IValue()};
        int judged = 0;
        for (int variant = 0; variant < 3; ++variant)
            for (std::size_t k = 0; k <= cases.size(); ++k) {
                const auto& [kind, in] =
                    k < cases.size() ? cases[k]
                                     : std::pair<std::string, Values>{"aten::linear", wideCase};
                const auto label =
                    kind + " case " + std::to_string(k) + " variant " + std::to_string(variant);
                const auto plain = numerics::referenceAndBound(kind, in);
                QVERIFY2(plain.status == numerics::BoundStatus::Bounded, label.c_str());
                QVERIFY2(!plain.judged, label.c_str());
                // The FP32 result nudged by a few ulp here and there, or with a NaN.
                auto y = plain.reference[0].to(at::kFloat);
                auto nudge = (at::rand(y.sizes()) < 0.2).to(at::kFloat) * y.abs() * 3e-7f;
                y = y + nudge;
                // One element far off (the metric's maximum), at either end of the output
                // or of a judged block, so that a block judged short is caught.
                const std::int64_t n = y.numel();
                const std::int64_t at[] = {0, n - 1, 4095, 4096};
                const auto pos = std::min(at[k % 4], n - 1);
                const double r = plain.reference[0].view({-1})[pos].item<double>();
                const double b = plain.bound[0].view({-1})[pos].item<double>();
                if (std::isfinite(b)) y.view({-1})[pos] = float(r + 50 * b);
                if (variant == 2) y.view({-1})[(17 + 4096 * k) % n] = NAN;
                const auto ob = numerics::referenceAndBound(kind, in, {}, {y});
                QVERIFY2(ob.judged.has_value(), label.c_str());
                ++judged;
                QVERIFY2(at::equal(ob.bound[0], plain.bound[0]), label.c_str());
                const auto viaKernel = numerics::measureOpError(ob, {y});
                const auto tensors =
                    numerics::measureOpError(ob, {y}, nullptr, MeasureRule::Tensors);
                QVERIFY2(sameOpError(viaKernel, tensors), label.c_str());
                if (variant == 2)
                    QVERIFY2(!viaKernel.failure.empty(), label.c_str());
                else
                    QVERIFY2(viaKernel.metric > 0, label.c_str());
                // Another tensor of the same values: the judging pass, the same answer.
                const auto copy = y.clone();
                QVERIFY2(!ob.judged->matches(copy, ob.reference[0], ob.bound[0]), label.c_str());
                QVERIFY2(sameOpError(numerics::measureOpError(ob, {copy}), tensors), label.c_str());
                if (variant != 1) continue;
                // The claim changed in place after its bound: the change counts.
                y.view({-1})[5] += 1.0f;
                QVERIFY2(!ob.judged->matches(y, ob.reference[0], ob.bound[0]), label.c_str());
                const auto changed = numerics::measureOpError(ob, {y});
                QVERIFY2(sameOpError(changed, numerics::measureOpError(ob, {y}, nullptr,
                                                                       MeasureRule::Tensors)),
                         label.c_str());
                QVERIFY2(changed.metric > viaKernel.metric, label.c_str());
            }
        QCOMPARE(judged, 3 * int(cases.size() + 1));
    }

    // With Retain::Tally the kernels keep only the tally of the claim (verify's way: the
    // output's FP64 reference and bound never exist whole). The verdict must not depend on
    // it: to the bit, measureOpError reports what it reports on the kept tensors, for every
    // path a claim is judged on (dot-product panels, batched products a batch at a time,
    // whole element-wise and row-wise kernels, element-wise chunks of tensor formulas,
    // blocks of rows), for claims a few ulp
    // off with one element far off, with an infinite input, and with a NaN (then the
    // tensors are kept, so the failure is worded the same). A tally cannot be measured
    // against any other claim.
    void tallyOnlyBoundsJudgeAsKeptTensors() {
        using numerics::MeasureRule;
        using numerics::Retain;
        at::manual_seed(12);
        const auto x = at::randn({3, 41, 96});
        const auto big = at::randn({4, 130, 300}), bigOther = at::rand({4, 130, 300}) + 0.5;
        auto bigInf = big.clone();
        bigInf[2][9][77] = INFINITY;
        const auto rows = at::randn({1100, 1024});
        auto rowsInf = rows.clone();
        rowsInf[600][3] = INFINITY;
        const auto gamma = at::randn({1024}), beta = at::randn({1024});
        const auto panels = at::randn({12000, 96}) * 0.1; // three weight panels
        const std::vector<std::pair<std::string, Values>> cases{
            {"aten::linear", {x, panels, at::randn({12000})}},
            {"aten::linear", {x, panels, c10::IValue()}},
            {"aten::matmul", {x, at::randn({96, 50})}},
            {"aten::matmul", {at::randn({2, 3, 50, 16}), at::randn({2, 3, 16, 40})}},
            {"aten::bmm", {x, at::randn({3, 96, 30})}},
            {"aten::gelu", {bigInf, c10::IValue(std::string("none"))}},
            {"aten::add", {x, x.flip(0), c10::IValue(1)}},
            {"aten::div", {big, bigOther}},
            {"aten::exp", {bigInf}},
            {"aten::softmax", {rows, c10::IValue(-1), c10::IValue()}},
            {"aten::softmax", {rowsInf, c10::IValue(-1), c10::IValue()}},
            {"aten::layer_norm",
             {rows, c10::IValue(std::vector<std::int64_t>{1024}), gamma, beta, c10::IValue(1e-5),
              c10::IValue(false)}},
        };
        for (int variant = 0; variant < 2; ++variant)
            for (std::size_t k = 0; k < cases.size(); ++k) {
                const auto& [kind, in] = cases[k];
                const auto label =
                    kind + " case " + std::to_string(k) + " variant " + std::to_string(variant);
                const auto plain = numerics::referenceAndBound(kind, in);
                QVERIFY2(plain.status == numerics::BoundStatus::Bounded, label.c_str());
                auto y = plain.reference[0].to(at::kFloat);
                y = y + (at::rand(y.sizes()) < 0.2).to(at::kFloat) * y.abs() * 3e-7f;
                const std::int64_t n = y.numel();
                const auto pos = std::min<std::int64_t>(4096 * std::int64_t(k + 1) + 5, n - 1);
                const double r = plain.reference[0].view({-1})[pos].item<double>();
                const double b = plain.bound[0].view({-1})[pos].item<double>();
                if (std::isfinite(b)) y.view({-1})[pos] = float(r + 50 * b);
                if (variant == 1) y.view({-1})[(31 + 4096 * k) % n] = NAN;
                const auto kept = numerics::referenceAndBound(kind, in, {}, {y});
                const auto tally = numerics::referenceAndBound(kind, in, {}, {y}, Retain::Tally);
                QVERIFY2(kept.judged && !kept.tallyOnly(), label.c_str());
                QVERIFY2(tally.judged.has_value(), label.c_str());
                // A wrong claim keeps the tensors, to word the failure.
                QVERIFY2(tally.tallyOnly() == (variant == 0), label.c_str());
                QVERIFY2(tally.reason == kept.reason, label.c_str());
                const auto viaTally = numerics::measureOpError(tally, {y});
                const auto tensors =
                    numerics::measureOpError(kept, {y}, nullptr, MeasureRule::Tensors);
                QVERIFY2(sameOpError(viaTally, tensors), label.c_str());
                QVERIFY2(sameOpError(numerics::measureOpError(kept, {y}), tensors), label.c_str());
                if (variant == 1) {
                    QVERIFY2(!viaTally.failure.empty(), label.c_str());
                    continue;
                }
                QVERIFY2(viaTally.metric > 1 && std::isfinite(viaTally.metric), label.c_str());
                QVERIFY2(tally.reference[0].sizes() == y.sizes(), label.c_str());
                bool refused = false;
                try {
                    numerics::measureOpError(tally, {y.clone()});
                } catch (const std::invalid_argument&) {
                    refused = true;
                }
                QVERIFY2(refused, label.c_str());
            }
    }

    // Verify skips the FP64 reference of an exact operator whose claims equal its
    // re-execution (exactAgreement). That shortcut must never accept what the general rule
    // would not: whenever it answers, the general rule gives error 0 with every element
    // bounded; a claim one ulp off, of another dtype or shape, or with a NaN, must fall
    // through to the general rule.
    void exactAgreementNeverOverrulesTheGeneralRule() {
        auto x = at::randn({40, 30, 25});
        auto withNan = x.clone();
        withNan[3][2][1] = NAN;
        const auto mask = at::rand({40, 30, 25}) < 0.3;
        const auto ints = at::randint(-50, 50, {64}, at::kLong);
        std::vector<std::int64_t> flat{-1};
        auto oneUlpOff = [](at::Tensor t) {
            t = t.clone();
            auto f = t.view(-1);
            f[f.numel() / 2] = std::nextafter(f[f.numel() / 2].item<float>(), INFINITY);
            return t;
        };
        struct Case {
            std::string kind;
            std::vector<c10::IValue> args;
            std::vector<at::Tensor> claims;
            bool shortcut; // exactAgreement must answer (true) or defer (false)
            numerics::BoundParams params = {};
        };
        numerics::BoundParams flushing;
        flushing.flushDenormal = true;
        const auto parts = x.split(10, 0);
        const auto image = at::randn({2, 8, 15, 15});
        const std::vector<std::int64_t> three{3, 3}, two{2, 2}, oneOne{1, 1};
        const std::vector<c10::IValue> pool{image, three, two, oneOne, oneOne, false};
        const std::vector<Case> cases = {
            {"aten::view", {c10::IValue(x), c10::IValue(flat)}, {x.view(-1).clone()}, true},
            {"aten::slice",
             {c10::IValue(x), c10::IValue(1), c10::IValue(1), c10::IValue(25), c10::IValue(2)},
             {x.slice(1, 1, 25, 2)},
             true},
            {"aten::transpose",
             {c10::IValue(x), c10::IValue(0), c10::IValue(2)},
             {x.transpose(0, 2).contiguous()},
             true},
            {"aten::split",
             {c10::IValue(x), c10::IValue(10), c10::IValue(0)},
             {parts.begin(), parts.end()},
             true},
            {"aten::masked_fill",
             {c10::IValue(x), c10::IValue(mask), c10::IValue(-1e9)},
             {x.masked_fill(mask, -1e9)},
             true},
            {"aten::add", {c10::IValue(ints), c10::IValue(ints), c10::IValue(1)}, {ints * 2}, true},
            {"aten::neg",
             {c10::IValue(at::zeros({8}))},
             {at::zeros({8})},
             true}, // +0 claimed for -0
            {"aten::view", {c10::IValue(x), c10::IValue(flat)}, {oneUlpOff(x.view(-1))}, false},
            {"aten::add",
             {c10::IValue(ints), c10::IValue(ints), c10::IValue(1)},
             {ints * 2 + 1},
             false},
            {"aten::split",
             {c10::IValue(x), c10::IValue(10), c10::IValue(0)},
             {parts.begin(), parts.end() - 1},
             false},
            {"aten::view",
             {c10::IValue(x), c10::IValue(flat)},
             {x.view(-1).to(at::kDouble)},
             false},
            {"aten::view", {c10::IValue(x), c10::IValue(flat)}, {x.view({-1, 25})}, false},
            {"aten::view", {c10::IValue(withNan), c10::IValue(flat)}, {withNan.view(-1)}, false},
            {"aten::view", {c10::IValue(x), c10::IValue(flat)}, {x.view(-1)}, false, flushing},
            {"aten::add",
             {c10::IValue(x), c10::IValue(x), c10::IValue(1)},
             {x + x},
             false}, // rounded, not exact
            {"aten::dropout", {c10::IValue(x), c10::IValue(0.5), c10::IValue(false)}, {x}, false},
            // Checked in one pass instead of re-executed (exact_checks.hpp).
            {"aten::max_pool2d", pool, {at::max_pool2d(image, three, two, oneOne)}, true},
            {"aten::max_pool2d",
             pool,
             {oneUlpOff(at::max_pool2d(image, three, two, oneOne))},
             false},
            {"aten::max_pool2d",
             pool,
             {at::max_pool2d(image, three, two, oneOne)},
             false,
             flushing},
            {"aten::relu", {c10::IValue(x)}, {at::relu(x)}, true},
            {"aten::relu_", {c10::IValue(x)}, {at::relu(x)}, true},
            {"aten::relu", {c10::IValue(x)}, {x}, false},
            {"aten::relu", {c10::IValue(withNan)}, {at::relu(withNan)}, false},
        };
        for (const auto& c : cases) {
            const auto fast = numerics::exactAgreement(c.kind, c.args, c.claims, c.params);
            const auto general = numerics::measureOpError(
                numerics::referenceAndBound(c.kind, c.args, c.params), c.claims);
            const auto what = c.kind + (c.shortcut ? " (honest)" : " (defers)");
            QVERIFY2(fast.has_value() == c.shortcut, what.c_str());
            if (!fast) continue;
            QVERIFY2(general.failure.empty() && general.metric == 0 && general.unbounded == 0,
                     what.c_str());
            QCOMPARE(fast->elements, general.elements);
            QCOMPARE(fast->metric, 0.0);
        }
    }

    void histogramQuantileIsConservative() {
        numerics::LogHistogram h;
        for (int i = 1; i <= 1000; ++i)
            h.add(i * 1e-6);
        h.addZeros(10);
        QCOMPARE(h.count(), std::uint64_t(1010));
        QCOMPARE(h.quantileUpper(1.0), 1e-3);
        const double q = h.quantileUpper(0.5);
        QVERIFY(q >= 495e-6 && q <= 495e-6 * std::pow(10, 1.0 / 8) * 1.0001);
        QCOMPARE(h.quantileUpper(0.005), 0.0); // inside the zeros
        auto j = h.toJson();
        auto back = numerics::LogHistogram::fromJson(j, "test");
        QCOMPARE(back.count(), h.count());
        QCOMPARE(back.max(), h.max());
        j["count"] = 5;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, numerics::LogHistogram::fromJson(j, "test"));
    }

    // Calibration holds the FP64 bounds of one window of operators at a time; one operator
    // per window (the smallest) gives the same profile as the whole graph in one window.
    void calibrationWindowsDoNotChangeTheProfile() {
        auto m = load("tiny_lm");
        auto opt = twoRandomInputs(700, "cpu-t1,cpu-t2,emu-shuffled,emu-splitk");
        const auto whole = numerics::calibrate(m, opt);
        opt.windowBytes = 1;
        const auto windowed = numerics::calibrate(m, opt);
        QCOMPARE(windowed.ops.size(), whole.ops.size());
        std::size_t sampled = 0;
        for (std::size_t i = 0; i < whole.ops.size(); ++i) {
            QCOMPARE(windowed.ops[i].status, whole.ops[i].status);
            QCOMPARE(windowed.ops[i].runs.count(), whole.ops[i].runs.count());
            QVERIFY(windowed.ops[i].runs.max() == whole.ops[i].runs.max());
            QVERIFY(windowed.threshold(i) == whole.threshold(i));
            sampled += whole.ops[i].runs.count() > 0;
        }
        QVERIFY(sampled > whole.ops.size() / 2);
        QCOMPARE(windowed.segments.size(), whole.segments.size());
    }

    // Shards calibrated apart and merged equal one calibration over all inputs.
    void shardsMergeIntoOneProfile() {
        auto m = load("tiny_lm");
        auto opt = twoRandomInputs(500, "cpu-t1,emu-shuffled,emu-splitk");
        opt.segments = false;
        auto whole = numerics::calibrate(m, opt);
        opt.shardCount = 2;
        auto a = numerics::calibrate(m, opt);
        opt.shardIndex = 1;
        auto b = numerics::calibrate(m, opt);
        auto merged = numerics::mergeProfiles(a, b);
        QCOMPARE(merged.sources.size(), std::size_t(2));
        for (std::size_t i = 0; i < whole.ops.size(); ++i) {
            QCOMPARE(merged.ops[i].runs.count(), whole.ops[i].runs.count());
            QCOMPARE(merged.ops[i].runs.max(), whole.ops[i].runs.max());
            QCOMPARE(merged.threshold(i), whole.threshold(i));
        }
        // Saved, reloaded, the hash pins the content.
        const auto path = tmp_.filePath("merged.json").toStdString();
        merged.save(path);
        auto back = numerics::Profile::load(path);
        QCOMPARE(back.hash(), merged.hash());

        auto other = committedProfile("fashion_cnn");
        QVERIFY_THROWS_EXCEPTION(numerics::ProfileError, numerics::mergeProfiles(a, other));
        // The CLI merge: -o writes the merged profile.
        a.save(tmp_.filePath("a.json").toStdString());
        b.save(tmp_.filePath("b.json").toStdString());
        QString err;
        test::runProgram(QString(TAO_BINARY_DIR) + "/bin/tao",
                         {"calibrate", "merge", tmp_.filePath("a.json"), tmp_.filePath("b.json"),
                          "-o", tmp_.filePath("c.json")},
                         &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(numerics::Profile::load(tmp_.filePath("c.json").toStdString()).hash(),
                 merged.hash());
    }

    void honestRunsPass_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("runs");
        QTest::newRow("fashion_cnn") << "fashion_cnn" << runsFromEnv(200);
        QTest::newRow("tiny_lm") << "tiny_lm" << runsFromEnv(200);
    }

    // Held-out inputs (the profiles were calibrated on seeds 1000+), every configuration in
    // turn, verified on the recorded outputs: no SUSPECT, no FAIL, no NO-BOUND.
    void honestRunsPass() {
        QFETCH(QString, model);
        QFETCH(int, runs);
        auto m = load(model);
        const auto profile = committedProfile(model);
        graph::Interpreter interp(m);
        std::vector<Values> realInputs;
        if (model == "fashion_cnn")
            realInputs.push_back(runtime::loadInputs(
                *m,
                (test::sourceDir() + "/resources/inputs/fashion_test8.safetensors").toStdString()));
        const auto configs = numerics::parseConfigs("default");
        std::map<std::string, int> perConfig;
        double worst = 0;
        for (int r = 0; r < runs; ++r) {
            const auto& config = configs[r % configs.size()];
            const auto inputs =
                r < static_cast<int>(realInputs.size()) ? realInputs[r] : m->randomInputs(r + 1);
            const auto outs = numerics::runUnderConfig(interp, inputs, config, r);
            const auto report = verify::verifyValues(m, inputs, sourceOf(outs), profile);
            QVERIFY2(report.overall() == verify::Verdict::Pass,
                     qPrintable(QString("run %1 (%2): %3")
                                    .arg(r)
                                    .arg(QString::fromStdString(config.name))
                                    .arg(describe(report))));
            for (const auto& o : report.ops)
                worst = std::max(worst, o.empiricalUtilisation);
            ++perConfig[config.name];
        }
        numerics::applyConfig(configs[0]);
        QCOMPARE(static_cast<int>(perConfig.size()), std::min<int>(runs, configs.size()));
        qInfo("%s: %d honest runs, 0 SUSPECT/FAIL; worst error/threshold %.3g", qPrintable(model),
              runs, worst);
    }

    // ResNet-18 (generated by scripts/setup): a small profile calibrated here, then a few
    // held-out runs under other configurations.
    void honestRunsPassResnet() {
        auto m = load("resnet18");
        if (!m) QSKIP("resnet18 not generated (scripts/setup)");
        numerics::CalibrationOptions opt;
        opt.randomRuns = 2;
        opt.segments = false;
        const auto profile = numerics::calibrate(m, opt);
        graph::Interpreter interp(m);
        const auto configs = numerics::parseConfigs("default");
        for (int r = 0; r < 3; ++r) {
            const auto& config = configs[(r * 2 + 1) % configs.size()];
            const auto inputs = m->randomInputs(r + 1);
            const auto outs = numerics::runUnderConfig(interp, inputs, config, r);
            const auto report = verify::verifyValues(m, inputs, sourceOf(outs), profile);
            QVERIFY2(report.overall() == verify::Verdict::Pass,
                     qPrintable(QString::fromStdString(config.name) + ": " + describe(report)));
        }
        numerics::applyConfig(configs[0]);
    }

    void tamperedOpIsLocalised_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("kind"); // tampered op kind, first occurrence
        QTest::addColumn<double>("factor");
        for (const char* kind :
             {"aten::_convolution", "aten::batch_norm", "aten::linear", "aten::log_softmax"})
            QTest::newRow(qPrintable(QString("fashion %1 1e-3").arg(kind)))
                << "fashion_cnn" << kind << 1e-3;
        for (const char* kind : {"aten::linear", "aten::layer_norm", "aten::softmax",
                                 "aten::matmul", "aten::gelu", "aten::add"})
            QTest::newRow(qPrintable(QString("tiny_lm %1 1e-3").arg(kind)))
                << "tiny_lm" << kind << 1e-3;
    }

    // Scaling one op's output by 1 + 1e-3: that op is the first non-PASS one, and only it
    // or ops downstream of it leave PASS.
    void tamperedOpIsLocalised() {
        QFETCH(QString, model);
        QFETCH(QString, kind);
        QFETCH(double, factor);
        auto m = load(model);
        const auto profile = committedProfile(model);
        std::uint32_t target = 0;
        while (m->ops()[target].kind != kind.toStdString())
            ++target;
        graph::Interpreter interp(m);
        const auto inputs = m->randomInputs(77);
        const auto outs = tamperedRun(interp, inputs, target,
                                      [&](const Values&, Values& v) { v = scaled(v, 1 + factor); });
        const auto report = verify::verifyValues(m, inputs, sourceOf(outs), profile);
        QVERIFY2(report.firstNonPass() == target, qPrintable(describe(report)));
        const auto allowed = downstream(*m, target);
        for (const auto& o : report.ops)
            if (o.verdict != verify::Verdict::Pass)
                QVERIFY2(allowed.count(o.op), qPrintable(describe(report)));
    }

    // Which scale factors are detected, per bounded op, against the committed profiles: every
    // bounded op scaled by 1 + 1e-3, 1e-4 or 1e-5 is caught (the README's claim); 1 + 1e-6
    // is printed, as it slips under the thresholds of long reductions.
    void detectionByScale() {
        for (const QString model : {"fashion_cnn", "tiny_lm"}) {
            auto m = load(model);
            const auto profile = committedProfile(model);
            graph::Interpreter interp(m);
            const auto inputs = m->randomInputs(78);
            const auto clean =
                numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 0);
            for (double eps : {1e-3, 1e-4, 1e-5, 1e-6}) {
                int tried = 0, detected = 0;
                QStringList missed;
                for (std::uint32_t op = 0; op < m->ops().size(); ++op) {
                    const auto& outs = clean[op];
                    if (outs.size() != 1 || !outs[0].isTensor() ||
                        !outs[0].toTensor().is_floating_point() ||
                        profile.ops[op].status != "bounded")
                        continue;
                    auto edited = clean;
                    edited[op] = scaled(outs, 1 + eps);
                    verify::VerifyOptions one;
                    one.op = op;
                    const auto r = verify::verifyValues(m, inputs, sourceOf(edited), profile, one);
                    ++tried;
                    if (r.ops[0].verdict != verify::Verdict::Pass)
                        ++detected;
                    else
                        missed << QString::fromStdString(m->ops()[op].kind);
                }
                qInfo("%s: scale 1+%g detected at %d of %d bounded ops; missed: %s",
                      qPrintable(model), eps, detected, tried, qPrintable(missed.join(' ')));
                if (eps >= 1e-5) QCOMPARE(detected, tried);
                QVERIFY(tried > 0);
            }
        }
    }

    void swappedWeightsAndSkippedLayerAreLocalised() {
        auto m = load("tiny_lm");
        const auto profile = committedProfile("tiny_lm");
        graph::Interpreter interp(m);
        const auto inputs = m->randomInputs(79);
        // Weights swapped: block 0's attention projection computed with block 1's weight.
        std::uint32_t proj0 = 0, proj1 = 0, gelu = 0;
        for (const auto& op : m->ops()) {
            if (op.scope == "blocks.0.attn.proj") proj0 = op.index;
            if (op.scope == "blocks.1.attn.proj") proj1 = op.index;
            if (op.kind == "aten::gelu" && !gelu) gelu = op.index;
        }
        QVERIFY2(proj0 && proj1 && gelu, "tiny_lm no longer has the expected module scopes");
        at::Tensor otherWeight;
        {
            auto clean = numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 0);
            otherWeight = interp.opInputs(proj1, inputs, sourceOf(clean))[1].toTensor();
        }
        auto swapped = tamperedRun(interp, inputs, proj0, [&](const Values& in, Values& v) {
            v = {at::linear(in[0].toTensor(), otherWeight, in[2].toTensor())};
        });
        auto report = verify::verifyValues(m, inputs, sourceOf(swapped), profile);
        QCOMPARE(report.firstNonPass(), std::optional<std::uint32_t>(proj0));
        QCOMPARE(report.ops[proj0].verdict, verify::Verdict::Fail);
        // Layer skipped: GELU's output replaced by its input (same shape).
        auto skipped = tamperedRun(interp, inputs, gelu,
                                   [&](const Values& in, Values& v) { v = {in[0].toTensor()}; });
        report = verify::verifyValues(m, inputs, sourceOf(skipped), profile);
        QCOMPARE(report.firstNonPass(), std::optional<std::uint32_t>(gelu));
        QCOMPARE(report.ops[gelu].verdict, verify::Verdict::Fail);
    }

    // An honest GPU run with PyTorch's TF32 defaults (emulated: conv/linear inputs rounded
    // to TF32): judged by its recorded switches it is never FAIL; a profile without TF32
    // leaves the affected ops SUSPECT with the reason, one with TF32 judges them on its
    // thresholds. Stripped of its switches, the same run FAILs the strict FP32 bounds.
    void tf32RunsAreJudgedByTheirRecordedSwitches() {
        auto m = load("fashion_cnn");
        const auto profile = committedProfile("fashion_cnn");
        auto admitting = profile;
        admitting.bounds.tf32 = true;
        graph::Interpreter interp(m);
        trace::RuntimeInfo gpu;
        gpu.device = "cuda";
        gpu.arithmetic = trace::defaultArithmetic("cuda");
        gpu.arithmetic.tf32Matmul = true;
        // A GEMM-based convolution algorithm, so that TF32 is the only switch under test
        // (an unrecorded algorithm on CUDA also admits Winograd/FFT: the next test).
        gpu.arithmetic.convAlgorithm = "implicit-gemm";
        gpu.arithmetic.recorded = true;
        verify::VerifyOptions recorded;
        recorded.runtime = gpu;
        const auto tf32 = numerics::parseConfigs("emu-tf32").front();
        std::size_t suspect = 0, strictFail = 0;
        for (int r = 0; r < 3; ++r) {
            const auto inputs = m->randomInputs(300 + r);
            const auto outs = numerics::runUnderConfig(interp, inputs, tf32, r);
            const auto report = verify::verifyValues(m, inputs, sourceOf(outs), profile, recorded);
            QVERIFY2(report.count(verify::Verdict::Fail) == 0, qPrintable(describe(report)));
            QCOMPARE(report.count(verify::Verdict::NoBound), std::size_t{0});
            for (const auto& o : report.ops)
                if (o.verdict == verify::Verdict::Suspect) {
                    QVERIFY2(o.reason.find("TF32") != std::string::npos, o.reason.c_str());
                    ++suspect;
                }
            const auto ok = verify::verifyValues(m, inputs, sourceOf(outs), admitting, recorded);
            QCOMPARE(ok.count(verify::Verdict::Fail), std::size_t{0});
            for (const auto& o : ok.ops)
                QVERIFY2(o.reason.find("does not admit") == std::string::npos, o.reason.c_str());
            strictFail += verify::verifyValues(m, inputs, sourceOf(outs), profile)
                              .count(verify::Verdict::Fail);
        }
        numerics::applyConfig(numerics::knownConfigs()[0]);
        QVERIFY(suspect > 0);
        QVERIFY(strictFail > 0);
    }

    // A run with denormals flushed (the real switch on this CPU), on images scaled into the
    // subnormal range: judged by its recorded switch it is never FAIL, under a profile that
    // admits flushing or not. (fashion_cnn's first convolution has a bias, so its outputs
    // come out alike either way; test_numerics flushedDenormals shows the kinds where
    // flushing moves results beyond the strict bound.)
    // Convolution algorithms (docs/numerics.md): a recorded direct/GEMM algorithm, or a CPU
    // trace without one, keeps the direct bound; Winograd, FFT, NNPACK, an unknown name or
    // an unrecorded CUDA run widen convolutions to the maximum over the fast algorithms,
    // which a profile without fastConvolution leaves SUSPECT (never FAIL). The setting
    // round-trips through the profile and leaves older profiles' hashes alone.
    void convolutionAlgorithmsFollowTheTrace() {
        const auto runtimeWith = [](const std::string& device, const std::string& alg) {
            trace::RuntimeInfo r;
            r.device = device;
            r.arithmetic = trace::defaultArithmetic(device);
            r.arithmetic.convAlgorithm = alg;
            r.arithmetic.recorded = true;
            return r;
        };
        for (const auto& [device, alg, fast] :
             std::vector<std::tuple<std::string, std::string, bool>>{
                 {"cpu", "", false},
                 {"cpu", "onednn", false},
                 {"cpu", "nnpack", true},
                 {"cpu", "winograd", true},
                 {"cuda", "", true},
                 {"cuda:1", "IMPLICIT_PRECOMP_GEMM", false},
                 {"cuda", "gemm", false},
                 {"cuda", "direct", false},
                 {"cuda", "WINOGRAD_NONFUSED", true},
                 {"cuda", "fft_tiling", true},
                 {"cuda", "something-new", true}}) {
            const auto r = runtimeWith(device, alg);
            QVERIFY2(verify::mayUseFastConvolution(r) == fast, (device + " " + alg).c_str());
            const auto check = verify::checkArithmetic(r, numerics::BoundSettings{});
            QCOMPARE(check.bounds.fastConvolution, fast);
            QCOMPARE(check.uncovered.find("Winograd/FFT") != std::string::npos, fast);
        }
        numerics::BoundSettings admits;
        admits.fastConvolution = true;
        QVERIFY(verify::checkArithmetic(runtimeWith("cpu", "fft"), admits).uncovered.empty());

        auto m = load("fashion_cnn");
        const auto profile = committedProfile("fashion_cnn");
        auto admitting = profile;
        admitting.bounds.fastConvolution = true;
        const auto again = numerics::Profile::fromJson(admitting.toJson(), "round trip");
        QVERIFY(again.bounds.fastConvolution);
        QVERIFY(again.hash() != profile.hash());
        QVERIFY(admitting.toJson().find("fastConvolution") != std::string::npos);
        QVERIFY(profile.toJson().find("fastConvolution") == std::string::npos);

        graph::Interpreter interp(m);
        const auto inputs = m->randomInputs(500);
        const auto outs = numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 0);
        verify::VerifyOptions winograd;
        winograd.runtime = runtimeWith("cpu", "winograd");
        const auto report = verify::verifyValues(m, inputs, sourceOf(outs), profile, winograd);
        QCOMPARE(report.count(verify::Verdict::Fail), std::size_t{0});
        std::size_t widened = 0;
        for (const auto& o : report.ops)
            if (o.verdict == verify::Verdict::Suspect &&
                o.reason.find("Winograd/FFT") != std::string::npos) {
                QVERIFY2(o.kind.find("conv") != std::string::npos, o.kind.c_str());
                ++widened;
            }
        QVERIFY(widened > 0);
        const auto ok = verify::verifyValues(m, inputs, sourceOf(outs), admitting, winograd);
        QCOMPARE(ok.count(verify::Verdict::Fail), std::size_t{0});
        for (const auto& o : ok.ops)
            QVERIFY2(o.reason.find("does not admit") == std::string::npos, o.reason.c_str());
    }

    // The emu-winograd calibration configuration runs Winograd for real: on inputs with
    // sparse spikes its results leave the direct-convolution bound, and never the bound
    // that admits fast convolutions. Layers no library runs Winograd on (strided, 1x1)
    // keep the native kernel's result.
    void winogradEmulationLeavesOnlyTheDirectBound() {
        std::mt19937_64 rng(11);
        numerics::BoundParams direct, fast;
        fast.fastConvolution = true;
        const auto conv2d = [](const at::Tensor& x, const at::Tensor& w, std::int64_t stride,
                               std::int64_t groups) {
            return Values{x,
                          w,
                          at::randn({w.size(0)}),
                          c10::List<std::int64_t>({stride, stride}),
                          c10::List<std::int64_t>({w.size(2) / 2, w.size(2) / 2}),
                          c10::List<std::int64_t>({1, 1}),
                          groups};
        };
        std::int64_t beyondDirect = 0, checked = 0;
        for (int t = 0; t < 24; ++t) {
            const std::int64_t r = t % 3 == 2 ? 5 : 3, groups = t % 4 == 3 ? 2 : 1;
            auto x = at::randn({2, 4, 11 + t % 5, 12}) * 1e-3;
            auto flat = x.view(-1);
            for (int s = 0; s < 3; ++s)
                flat[at::randint(flat.numel(), {1}).item<std::int64_t>()] = 1e4;
            const auto in = conv2d(x, at::randn({6, 4 / groups, r, r}), 1, groups);
            const auto y =
                numerics::emulate("aten::conv2d", in, numerics::Emulation::Winograd, rng);
            QVERIFY(y.has_value());
            const auto yt = y->front().toTensor();
            const auto bf = numerics::referenceAndBound("aten::conv2d", in, fast);
            const auto bd = numerics::referenceAndBound("aten::conv2d", in, direct);
            QCOMPARE(yt.sizes(), bf.reference[0].sizes());
            QVERIFY2(numerics::withinBound(yt, bf.reference[0], bf.bound[0]).all().item<bool>(),
                     ("case " + std::to_string(t)).c_str());
            beyondDirect += (~numerics::withinBound(yt, bd.reference[0], bd.bound[0]))
                                .sum()
                                .item<std::int64_t>();
            checked += yt.numel();
        }
        qInfo("Winograd emulation: %lld of %lld outputs beyond the direct bound",
              static_cast<long long>(beyondDirect), static_cast<long long>(checked));
        QVERIFY(beyondDirect > 0);
        const auto x = at::randn({1, 4, 9, 9});
        QVERIFY(!numerics::emulate("aten::conv2d", conv2d(x, at::randn({4, 4, 3, 3}), 2, 1),
                                   numerics::Emulation::Winograd, rng));
        QVERIFY(!numerics::emulate("aten::conv2d", conv2d(x, at::randn({4, 4, 1, 1}), 1, 1),
                                   numerics::Emulation::Winograd, rng));
        QVERIFY(!numerics::emulate("aten::linear", {at::randn({2, 4}), at::randn({3, 4})},
                                   numerics::Emulation::Winograd, rng));
    }

    // An honest GPU run whose convolutions ran Winograd (cuDNN picks per layer): against
    // the default profile its convolutions are SUSPECT with the reason, never FAIL; against
    // a profile calibrated with emu-winograd (part of --configs gpu) the profile admits fast
    // convolutions and the run PASSes.
    void winogradRunsPassAProfileCalibratedForThem() {
        QCOMPARE(numerics::parseConfigs("gpu").size(),
                 numerics::parseConfigs("default").size() + 2);
        auto m = load("fashion_cnn");
        numerics::CalibrationOptions opt;
        opt.randomRuns = 8;
        opt.seedBase = 4000;
        opt.configs = numerics::parseConfigs("cpu-t1,cpu-t2,emu-winograd");
        opt.segments = false;
        const auto calibrated = numerics::calibrate(m, opt);
        QVERIFY(calibrated.bounds.fastConvolution);
        QVERIFY(!calibrated.bounds.tf32);
        const auto strict = committedProfile("fashion_cnn");
        QVERIFY(!strict.bounds.fastConvolution);

        trace::RuntimeInfo gpu;
        gpu.device = "cuda";
        gpu.arithmetic = trace::defaultArithmetic("cuda");
        gpu.arithmetic.tf32Matmul = gpu.arithmetic.tf32Conv = false;
        gpu.arithmetic.convAlgorithm = "WINOGRAD_NONFUSED";
        gpu.arithmetic.recorded = true;
        verify::VerifyOptions recorded;
        recorded.runtime = gpu;
        graph::Interpreter interp(m);
        const auto winograd = numerics::parseConfigs("emu-winograd").front();
        std::size_t suspect = 0, changed = 0;
        for (int r = 0; r < 3; ++r) {
            const auto inputs = m->randomInputs(9100 + r);
            const auto outs = numerics::runUnderConfig(interp, inputs, winograd, 77 + r);
            const auto native =
                numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 0);
            for (std::size_t op = 0; op < outs.size(); ++op)
                if (m->ops()[op].kind.find("conv") != std::string::npos &&
                    !at::equal(outs[op][0].toTensor(), native[op][0].toTensor()))
                    ++changed;
            const auto ok = verify::verifyValues(m, inputs, sourceOf(outs), calibrated, recorded);
            QVERIFY2(ok.count(verify::Verdict::Pass) == ok.ops.size(), qPrintable(describe(ok)));
            const auto report = verify::verifyValues(m, inputs, sourceOf(outs), strict, recorded);
            QVERIFY2(report.count(verify::Verdict::Fail) == 0, qPrintable(describe(report)));
            for (const auto& o : report.ops)
                if (o.verdict == verify::Verdict::Suspect) {
                    QVERIFY2(o.reason.find("Winograd/FFT") != std::string::npos, o.reason.c_str());
                    ++suspect;
                }
        }
        numerics::applyConfig(numerics::knownConfigs()[0]);
        QVERIFY(changed > 0);
        QVERIFY(suspect > 0);
    }

    void flushedDenormalRunsAreJudgedByTheirRecordedSwitch() {
        auto m = load("fashion_cnn");
        const auto profile = committedProfile("fashion_cnn");
        graph::Interpreter interp(m);
        trace::RuntimeInfo cpu;
        cpu.arithmetic.flushDenormal = true;
        cpu.arithmetic.recorded = true;
        verify::VerifyOptions recorded;
        recorded.runtime = cpu;
        const auto ftz = numerics::parseConfigs("cpu-t1-ftz").front();
        auto admitting = profile;
        admitting.bounds.flushDenormal = true;
        for (int r = 0; r < 2; ++r) {
            const Values inputs = scaled(m->randomInputs(400 + r), 1e-39);
            const auto outs = numerics::runUnderConfig(interp, inputs, ftz, r);
            const auto report = verify::verifyValues(m, inputs, sourceOf(outs), profile, recorded);
            QVERIFY2(report.count(verify::Verdict::Fail) == 0, qPrintable(describe(report)));
            const auto ok = verify::verifyValues(m, inputs, sourceOf(outs), admitting, recorded);
            QCOMPARE(ok.count(verify::Verdict::Fail), std::size_t{0});
            for (const auto& o : ok.ops)
                QVERIFY2(o.reason.find("does not admit") == std::string::npos, o.reason.c_str());
        }
        numerics::applyConfig(numerics::knownConfigs()[0]);
    }

    void nonFiniteOutputIsFail() {
        auto m = load("fashion_cnn");
        const auto profile = committedProfile("fashion_cnn");
        graph::Interpreter interp(m);
        const auto inputs = m->randomInputs(80);
        auto outs = tamperedRun(interp, inputs, 9, [](const Values&, Values& v) {
            auto t = v[0].toTensor().clone();
            t.view(-1)[3] = std::numeric_limits<float>::quiet_NaN();
            v = {t};
        });
        const auto report = verify::verifyValues(m, inputs, sourceOf(outs), profile);
        QCOMPARE(report.firstNonPass(), std::optional<std::uint32_t>(9));
        QCOMPARE(report.ops[9].verdict, verify::Verdict::Fail);
        QVERIFY(QString::fromStdString(report.ops[9].reason).contains("NaN/Inf"));
    }

    // One altered tensor in a bundle is pinned to its operator (FAIL, integrity); the
    // operators reading it are NOT-CHECKED and every other operator keeps its own verdict,
    // instead of the whole verification stopping at the first bad read.
    void alteredTensorIsPinnedToItsOperator() {
        auto m = load("fashion_cnn");
        QTemporaryDir tmp;
        const auto path = capturedTrace(m, 5, tmp.filePath("altered.taotrace"));
        const std::uint32_t target = 3;
        test::alterOpOutput(path, target);
        const auto bundle = trace::TraceBundle::open(path);
        const auto report = verify::verifyTrace(m, bundle, committedProfile("fashion_cnn"));
        QCOMPARE(report.ops.size(), m->ops().size());
        QCOMPARE(report.ops[target].verdict, verify::Verdict::Fail);
        QVERIFY2(report.ops[target].reason.find("integrity") != std::string::npos,
                 report.ops[target].reason.c_str());
        const auto after = downstream(*m, target);
        int unchecked = 0;
        for (const auto& o : report.ops) {
            if (o.op == target) continue;
            QVERIFY2(o.verdict != verify::Verdict::Fail, qPrintable(describe(report)));
            if (o.verdict == verify::Verdict::NotChecked) {
                QVERIFY2(after.count(o.op), qPrintable(describe(report)));
                QVERIFY(o.reason.find("operator 3") != std::string::npos);
                ++unchecked;
            }
        }
        QVERIFY2(unchecked >= 1, "no operator reads the altered tensor");
        // The bounds-only path (no profile) localises it the same way.
        const auto bounds = verify::boundsOfTrace(m, bundle, {});
        QVERIFY(bounds[target].failure);
        QVERIFY(bounds[target].reason.find("integrity") != std::string::npos);
        int boundsUnchecked = 0;
        for (const auto& b : bounds)
            if (b.status == "not-checked") {
                QVERIFY(after.count(b.op));
                ++boundsUnchecked;
            } else if (b.op != target) {
                QVERIFY(!b.failure);
            }
        QCOMPARE(boundsUnchecked, unchecked);
        // A range that starts past the altered operator (read ahead from its first operator,
        // earlier outputs on demand) gives the same rows as the whole run.
        verify::VerifyOptions part;
        part.range = std::pair<std::uint32_t, std::uint32_t>{
            target + 1, static_cast<std::uint32_t>(bounds.size())};
        const auto tail = verify::boundsOfTrace(m, bundle, part);
        QCOMPARE(tail.size(), bounds.size() - target - 1);
        for (std::size_t i = 0; i < tail.size(); ++i) {
            const auto& whole = bounds[i + target + 1];
            QCOMPARE(tail[i].op, whole.op);
            QCOMPARE(tail[i].status, whole.status);
            QCOMPARE(tail[i].failure, whole.failure);
            QCOMPARE(tail[i].utilisation, whole.utilisation);
            QCOMPARE(tail[i].reason, whole.reason);
        }
    }

    void badInputsGiveClearErrors() {
        auto m = load("fashion_cnn");
        auto profile = committedProfile("fashion_cnn");
        graph::Interpreter interp(m);
        auto inputs = m->randomInputs(81);
        const auto outs = numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 0);
        auto expectError = [&](const numerics::Profile& p, const Values& in, const char* needle) {
            try {
                verify::verifyValues(m, in, sourceOf(outs), p);
                QFAIL("no error");
            } catch (const verify::VerifyError& e) {
                QVERIFY2(QString(e.what()).contains(needle), e.what());
            }
        };
        expectError(committedProfile("tiny_lm"), inputs, "calibrated for model");
        auto missing = profile;
        missing.ops.pop_back();
        missing.opCount -= 1;
        expectError(missing, inputs, "missing operators");
        auto nanInputs = inputs;
        auto x = inputs[0].toTensor().clone();
        x.view(-1)[0] = std::numeric_limits<float>::infinity();
        nanInputs[0] = x;
        expectError(profile, nanInputs, "NaN or Inf");

        // Corrupted and edited profile files.
        const auto text = profile.toJson();
        QVERIFY_THROWS_EXCEPTION(numerics::ProfileError,
                                 numerics::Profile::fromJson(text.substr(0, text.size() / 2), "p"));
        auto edited = text;
        const auto at = edited.find("\"safetyFactor\": 3");
        QVERIFY(at != std::string::npos);
        edited.replace(at, 17, "\"safetyFactor\": 9");
        try {
            numerics::Profile::fromJson(edited, "p.json");
            QFAIL("edited profile accepted");
        } catch (const numerics::ProfileError& e) {
            QVERIFY2(QString(e.what()).contains("hash"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(numerics::ProfileError, numerics::Profile::fromJson("[]", "p"));
        // Calibration refuses non-finite inputs.
        const auto dir = tmp_.filePath("empty").toStdString();
        std::filesystem::create_directories(dir);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, numerics::inputFilesIn(dir));
    }

    // The CLI end to end on a trace bundle: exit code 0 for an honest trace, 3 for a
    // profile of another model.
    // `tao verify --shard i/N` over a contiguous operator range, then `tao verify merge`: the
    // merged report is the whole run's, operator by operator; a missing, repeated or foreign
    // shard is refused by name.
    void shardsMergeIntoTheWholeRun() {
        QCOMPARE(verify::shardRange(10, 0, 3), (std::pair<std::uint32_t, std::uint32_t>{0, 3}));
        QCOMPARE(verify::shardRange(10, 2, 3), (std::pair<std::uint32_t, std::uint32_t>{6, 10}));
        QCOMPARE(verify::shardRange(2, 3, 4), (std::pair<std::uint32_t, std::uint32_t>{1, 2}));
        QCOMPARE(verify::shardRange(2, 2, 4), (std::pair<std::uint32_t, std::uint32_t>{
                                                  1, 1})); // more shards than ops: some empty
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, verify::shardRange(10, 3, 3));
        auto m = load("tiny_lm");
        capturedTrace(m, 83, tmp_.filePath("sharded.taotrace"));
        const QStringList base{"verify",
                               "--model",
                               test::demoModel("tiny_lm"),
                               "--trace",
                               tmp_.filePath("sharded.taotrace"),
                               "--profile",
                               test::sourceDir() + "/resources/profiles/tiny_lm.json",
                               "--json"};
        const auto run = runTao;
        QByteArray whole;
        const int wholeCode = run(base, &whole);
        QStringList shards;
        for (int i = 0; i < 3; ++i) {
            QByteArray out;
            QCOMPARE(run(base + QStringList{"--shard", QString("%1/3").arg(i)}, &out) == 3, false);
            const QString file = tmp_.filePath(QString("shard%1.json").arg(i));
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(out);
            shards << file;
        }
        QByteArray merged;
        // Any order.
        QCOMPARE(run({"verify", "merge", shards[2], shards[0], shards[1], "--json"}, &merged),
                 wholeCode);
        const auto a = nlohmann::json::parse(whole.toStdString());
        const auto b = nlohmann::json::parse(merged.toStdString());
        QCOMPARE(b.at("ops").size(), m->ops().size());
        QVERIFY(a.at("ops") == b.at("ops"));
        QVERIFY(a.at("counts") == b.at("counts"));
        QCOMPARE(b.at("traceRoot"), a.at("traceRoot"));
        QByteArray error;
        QCOMPARE(run({"verify", "merge", shards[0], shards[2]}, &error), 3);
        QVERIFY2(error.contains("shard 1/3 is missing"), error.constData());
        QCOMPARE(run({"verify", "merge", shards[0], shards[1], shards[1], shards[2]}, &error), 3);
        QVERIFY2(error.contains("given twice"), error.constData());
        QCOMPARE(
            run({"verify", "merge", shards[0], tmp_.filePath("sharded.taotrace/manifest.json")},
                &error),
            3);
        QVERIFY2(error.contains("not a verify report"), error.constData());
    }

    void cliVerifyExitCodes() {
        capturedTrace(load("fashion_cnn"), 82, tmp_.filePath("fc.taotrace"));
        const QString profiles = test::sourceDir() + "/resources/profiles/";
        auto exitOf = [](const QStringList& args, QString* out) {
            QByteArray bytes;
            const int code = runTao(args, &bytes);
            *out = QString::fromUtf8(bytes);
            return code;
        };
        QString out;
        const QStringList base{"--model", test::demoModel("fashion_cnn"), "--trace",
                               tmp_.filePath("fc.taotrace")};
        QCOMPARE(exitOf(QStringList{"verify"} + base +
                            QStringList{"--profile", profiles + "fashion_cnn.json"},
                        &out),
                 0);
        QVERIFY2(out.contains("13 PASS"), qPrintable(out));
        QCOMPARE(exitOf(QStringList{"verify"} + base +
                            QStringList{"--profile", profiles + "tiny_lm.json"},
                        &out),
                 3);
        QVERIFY2(out.contains("calibrated for model"), qPrintable(out));
        QCOMPARE(exitOf(QStringList{"bounds"} + base + QStringList{"--op", "9"}, &out), 0);
        QVERIFY2(out.contains("aten::linear"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestVerify)
#include "test_verify.moc"
