// Masked attention as Hugging Face builds it (finite torch.finfo(float32).min masks, in
// the `where` form and the additive form), attacked the way a cheating provider would:
// uniform attention in place of masked rows, an unmasked token, a masked visible token.
// Every attacked operator must be FAIL (never PASS), honest runs (including the honest FP32
// overflow finfo.min + finfo.min = -inf) must PASS, and `tao verify`'s path and the
// committee's (dispute::OpChecker) must give the same verdict on every operator.
// moc cannot parse some C++20 library headers these pull in, and needs none of them.
#ifndef Q_MOC_RUN
#include "core/numerics/calibrate.hpp"
#include "core/numerics/emulation.hpp"
#include "core/runtime/capture.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/judge_op.hpp"
#include "core/verify/verify_values.hpp"
#endif
#include "both_ways.hpp"
#include "support/tools.hpp"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <cfloat>
#include <functional>

using namespace tao;
using Values = std::vector<c10::IValue>;
using test::verdictText;
using verify::Verdict;

namespace {

constexpr float kMin = -FLT_MAX; // torch.finfo(torch.float32).min

QString describe(const verify::VerifyReport& r) {
    QString s;
    for (const auto& o : r.ops)
        if (o.verdict != Verdict::Pass)
            s += QString("op %1 %2 %3 %4; ")
                     .arg(o.op)
                     .arg(QString::fromStdString(o.kind), verdictText(o.verdict),
                          QString::fromStdString(o.reason));
    return s;
}

std::uint32_t firstOp(const graph::Model& m, const std::string& kind) {
    for (const auto& op : m.ops())
        if (op.kind == kind) return op.index;
    throw std::runtime_error("the model has no " + kind);
}

// One attack: which op's committed output it replaces, and how. The edit returns false
// when the output offers nothing to attack (the case is then retried on another input).
struct Attack {
    const char* name;
    const char* kind;
    std::function<bool(at::Tensor&)> edit;
};

// Softmax rows with a masked (zero) weight become uniform over every key.
bool uniformRows(at::Tensor& p) {
    auto rows = (p == 0).any(-1, true);
    if (!rows.any().item<bool>()) return false;
    p = at::where(rows, at::full_like(p, 1.0f / static_cast<float>(p.size(-1))), p);
    return true;
}

// The first element at or below `level` (a masked score) is set to `value`.
std::function<bool(at::Tensor&)> unmask(float level, float value) {
    return [level, value](at::Tensor& t) {
        auto hit = (t <= level).flatten().nonzero();
        if (hit.numel() == 0) return false;
        t.view(-1)[hit[0][0].item<std::int64_t>()] = value;
        return true;
    };
}

// A visible score (finite, far from the mask) claimed as -inf: masks a token the model sees.
bool maskVisible(at::Tensor& t) {
    auto hit = (t.abs() < 1e3f).flatten().nonzero();
    if (hit.numel() == 0) return false;
    t.view(-1)[hit[0][0].item<std::int64_t>()] = -INFINITY;
    return true;
}

} // namespace

class TestVerifyMasked : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::map<QString, std::shared_ptr<graph::Model>> models_;
    std::map<QString, std::shared_ptr<const numerics::Profile>> profiles_;

    // Runs the committed generator with Debian's python (the one with torch).
    void generateModels() {
        const QString py = "/usr/bin/python3";
        if (!QFileInfo::exists(py)) QSKIP("/usr/bin/python3 (with torch) is not installed");
        QString err;
        test::runProgram(py,
                         {test::sourceDir() + "/tests/verify/masked_attention_models.py",
                          tmp_.filePath("models")},
                         &err, 180000);
        QVERIFY2(err.isEmpty(), qPrintable("model generator failed: " + err));
        for (const QString name : {"hf_where", "hf_additive"}) {
            auto m = graph::Model::load(tmp_.filePath("models/" + name + ".pt").toStdString());
            numerics::CalibrationOptions opt;
            opt.randomRuns = 24;
            opt.segments = false;
            profiles_[name] = std::make_shared<numerics::Profile>(numerics::calibrate(m, opt));
            models_[name] = m;
        }
    }

    // A committed trace of `model` on random input `seed`, with `attack` (if any) applied to
    // the first op of its kind; later ops consume the attacked tensor, as a provider's
    // would. Returns the bundle path, or an empty string when the attack found nothing.
    QString capture(const QString& model, std::uint64_t seed, const Attack* attack,
                    std::uint32_t* target = nullptr) {
        const auto& m = models_.at(model);
        const std::uint32_t op = attack ? firstOp(*m, attack->kind) : 0;
        if (target) *target = op;
        bool applied = attack == nullptr;
        runtime::CaptureOptions opt;
        opt.seed = seed;
        opt.out = tmp_.filePath(QString("%1-%2-%3.taotrace")
                                    .arg(model)
                                    .arg(seed)
                                    .arg(attack ? attack->name : "honest"))
                      .toStdString();
        opt.alterOutputs = [&](std::uint32_t i, Values& outs) {
            if (!attack || i != op) return;
            auto t = outs[0].toTensor().clone();
            applied = attack->edit(t);
            outs[0] = t;
        };
        runtime::capture(m, opt);
        return applied ? QString::fromStdString(opt.out.string()) : QString();
    }

    // `tao verify`'s path and the committee's on the same bundle; every op where they
    // disagree is appended to *disagreements.
    verify::VerifyReport verifyBothWays(const QString& model, const QString& bundlePath,
                                        QString* disagreements) {
        auto bundle = std::make_shared<trace::TraceBundle>(
            trace::TraceBundle::open(bundlePath.toStdString()));
        auto both = test::judgeBothWays(models_.at(model), bundle, profiles_.at(model));
        *disagreements += both.disagreements;
        return both.report;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        generateModels();
    }

    // The rule itself on hand-made bounds: no element without a bound is ever PASS, a
    // provably wrong element is FAIL whatever else, infinities only where overflow is.
    void ruleOnHandMadeBounds() {
        auto opts = at::TensorOptions(at::kDouble);
        numerics::OpBound b;
        b.status = numerics::BoundStatus::Bounded;
        b.reference = {at::tensor({1.0, 2.0, -6.8e38, 5.0}, opts)};
        b.bound = {at::tensor({1e-6, 1e-6, 0x1p-24 * 6.8e38, INFINITY}, opts)};
        auto claim = [](std::vector<float> v) { return std::vector<at::Tensor>{at::tensor(v)}; };
        // Element 3 has no bound: within everywhere else, yet NO-BOUND with the count.
        auto v = verify::judgeOperator(b, claim({1, 2, -INFINITY, 123}), 0.5);
        QCOMPARE(v.verdict, Verdict::NoBound);
        QCOMPARE(v.unboundedElements, std::int64_t{1});
        QVERIFY2(QString::fromStdString(v.reason).contains("1 of 4"), v.reason.c_str());
        // A provably wrong element decides: FAIL even with an unbounded one.
        QCOMPARE(verify::judgeOperator(b, claim({1, 2.5, -INFINITY, 5}), 0.5).verdict,
                 Verdict::Fail);
        // -inf for an exact -6.8e38 (finfo.min + finfo.min) is the honest FP32 result;
        // +inf or -inf where the result is 2 is not.
        b.bound[0][3] = 1e-6;
        QCOMPARE(verify::judgeOperator(b, claim({1, 2, -INFINITY, 5}), 0.5).verdict, Verdict::Pass);
        QCOMPARE(verify::judgeOperator(b, claim({1, 2, INFINITY, 5}), 0.5).verdict, Verdict::Fail);
        v = verify::judgeOperator(b, claim({1, -INFINITY, -INFINITY, 5}), 0.5);
        QCOMPARE(v.verdict, Verdict::Fail);
        QVERIFY2(QString::fromStdString(v.reason).contains("NaN/Inf"), v.reason.c_str());
        QCOMPARE(verify::judgeOperator(b, claim({1, NAN, -INFINITY, 5}), 0.5).verdict,
                 Verdict::Fail);
        // The empirical stage: beyond the threshold or none at all is SUSPECT.
        QCOMPARE(verify::judgeOperator(b, claim({1, 2 + 4e-7f, -INFINITY, 5}), 0.5).verdict,
                 Verdict::Pass);
        QCOMPARE(verify::judgeOperator(b, claim({1, 2 + 8e-7f, -INFINITY, 5}), 0.5).verdict,
                 Verdict::Suspect);
        QCOMPARE(verify::judgeOperator(b, claim({1, 2, -INFINITY, 5}), std::nullopt).verdict,
                 Verdict::Suspect);
        // A dtype the operator does not produce is wrong.
        b.dtypes = {at::kFloat};
        auto wide = claim({1, 2, -INFINITY, 5});
        wide[0] = wide[0].to(at::kDouble);
        QCOMPARE(verify::judgeOperator(b, wide, 0.5).verdict, Verdict::Fail);
        b.status = numerics::BoundStatus::NoBound;
        QCOMPARE(verify::judgeOperator(b, claim({1, 2, -INFINITY, 5}), 0.5).verdict,
                 Verdict::NoBound);
    }

    // Held-out inputs under every configuration: all PASS, every masked element bounded.
    // hf_where's padding mask meets its causal mask: finfo.min + finfo.min overflows to -inf
    // in FP32, honestly; the run must see such elements and still PASS.
    void honestRunsPass() {
        for (const auto& [name, m] : models_) {
            graph::Interpreter interp(m);
            const auto configs = numerics::parseConfigs("default");
            const auto add = firstOp(*m, "aten::add");
            const auto softmax = firstOp(*m, "aten::softmax");
            std::int64_t overflowed = 0, maskedWeights = 0;
            double maskedBound = 0;
            for (int r = 0; r < 24; ++r) {
                const auto& config = configs[r % configs.size()];
                const auto inputs = m->randomInputs(r + 1);
                const auto outs = numerics::runUnderConfig(interp, inputs, config, r);
                auto source = [&outs](std::uint32_t op) { return outs.at(op); };
                const auto report = verify::verifyValues(m, inputs, source, *profiles_.at(name));
                QVERIFY2(
                    report.overall() == Verdict::Pass,
                    qPrintable(QString("%1 run %2 (%3): %4")
                                   .arg(name)
                                   .arg(r)
                                   .arg(QString::fromStdString(config.name), describe(report))));
                QCOMPARE(report.ops[softmax].unboundedElements, std::int64_t{0});
                overflowed += at::isinf(outs[add][0].toTensor()).sum().item<std::int64_t>();
                // The bound on masked attention weights (exactly 0): tiny, finite.
                const auto in = interp.opInputs(softmax, inputs, source);
                const auto b = numerics::boundForOp(
                    interp, softmax, in, numerics::boundParamsOf(profiles_.at(name)->bounds));
                // Masked keys of rows that keep a visible one (a row with every key masked
                // is honestly uniform).
                const auto& scores = in[0].toTensor();
                const auto masked = (scores <= -1e38f) & (scores.amax(-1, true) > -1e38f);
                maskedWeights += masked.sum().item<std::int64_t>();
                maskedBound =
                    std::max(maskedBound, b.bound[0].masked_select(masked).max().item<double>());
            }
            numerics::applyConfig(configs[0]);
            qInfo("%s: 24 honest runs PASS; %lld masked weights, largest bound on them %.3g; "
                  "%lld honest -inf (finfo.min + finfo.min) scores",
                  qPrintable(name), static_cast<long long>(maskedWeights), maskedBound,
                  static_cast<long long>(overflowed));
            QVERIFY(maskedWeights > 0);
            QVERIFY(maskedBound < 1e-30);
            if (name == "hf_where") QVERIFY(overflowed > 0);
        }
    }

    void attacksAreFail_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("attack");
        for (const char* model : {"hf_where", "hf_additive"})
            for (int a = 0; a < 5; ++a)
                QTest::newRow(qPrintable(QString("%1 %2").arg(model).arg(a))) << model << a;
    }

    // Each attack makes its target op FAIL in `tao verify` and in the committee's check
    // (identically, op by op), and no op before it leaves PASS.
    void attacksAreFail() {
        QFETCH(QString, model);
        QFETCH(int, attack);
        const bool where = model == "hf_where";
        const Attack attacks[] = {
            {"uniform-rows", "aten::softmax", uniformRows},
            {"unmask-score", "aten::add", unmask(-1e38f, 10.0f)},
            {"mask-visible", "aten::add", maskVisible},
            // The mask tensors themselves: where's output (GPT-2), the padding mask
            // (1 - m) * finfo.min (GPT-2) or the folded causal mask (LLaMA).
            {"unmask-where", where ? "aten::where" : "aten::masked_fill", unmask(kMin, 10.0f)},
            {"unpad", where ? "aten::mul" : "aten::masked_fill", unmask(kMin, 0.0f)},
        };
        const auto& a = attacks[attack];
        QString bundle;
        std::uint32_t target = 0;
        for (std::uint64_t seed = 1; seed < 20 && bundle.isEmpty(); ++seed)
            bundle = capture(model, seed, &a, &target);
        QVERIFY2(!bundle.isEmpty(), "no input offered a masked element to attack");
        QString disagreements;
        const auto report = verifyBothWays(model, bundle, &disagreements);
        QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements));
        QVERIFY2(
            report.ops[target].verdict == Verdict::Fail,
            qPrintable(QString("%1 at op %2: %3").arg(a.name).arg(target).arg(describe(report))));
        QCOMPARE(report.firstNonPass(), std::optional<std::uint32_t>(target));
        qInfo("%s %s: op %u FAIL (%s)", qPrintable(model), a.name, target,
              report.ops[target].reason.c_str());
    }

    // Honest bundles: both paths PASS every op.
    void honestBundlesAgree() {
        for (const auto& [name, m] : models_) {
            QString disagreements;
            const auto report = verifyBothWays(name, capture(name, 101, nullptr), &disagreements);
            QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements));
            QVERIFY2(report.overall() == Verdict::Pass, qPrintable(describe(report)));
        }
    }
};

QTEST_GUILESS_MAIN(TestVerifyMasked)
#include "test_verify_masked.moc"
