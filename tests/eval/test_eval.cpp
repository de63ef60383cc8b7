// The evaluation's adversaries are themselves under test: an adversary that is weaker
// than it claims would make the report's "0% success" worthless. Each test checks what
// the adversary achieves against the real verifier, on the demo models and profiles.
#include "core/eval/attack_suite.hpp"
#include "core/eval/fashion_mnist.hpp"
#include "core/eval/report_markdown.hpp"
#include "core/eval/threshold_adversary.hpp"
#include "core/eval/tightness.hpp"
#include "core/numerics/calibrate.hpp"
#include "core/verify/verify_values.hpp"
#include "support/tools.hpp"

#include <QTemporaryDir>
#include <QtTest>
#include <set>

using namespace tao;

namespace {

struct Demo {
    std::filesystem::path path;
    std::shared_ptr<graph::Model> model;
    numerics::Profile profile;
};

Demo demo(const QString& name) {
    Demo d;
    d.path = test::demoModel(name).toStdString();
    d.model = graph::Model::load(d.path);
    d.profile = numerics::Profile::load(test::sourceDir().toStdString() + "/resources/profiles/" +
                                        name.toStdString() + ".json");
    return d;
}

verify::VerifyReport verifyAttack(const Demo& d, const std::vector<c10::IValue>& inputs,
                                  const eval::ThresholdAttack& a) {
    return eval::verifyAttack(d.model, inputs, a, d.profile);
}

} // namespace

class TestEval : public QObject {
    Q_OBJECT

private slots:
    // The adversary that read the profile moves every bounded operator and still passes:
    // what the thresholds cannot see, measured rather than assumed.
    void thresholdAwareAdversaryPassesAndMovesTheOutput() {
        const auto d = demo("tiny_lm");
        const auto inputs = d.model->randomInputs(5000);
        eval::ThresholdAttackOptions o;
        o.fraction = 0.9;
        const auto a = eval::thresholdAwareAttack(d.model, inputs, d.profile, o);
        const auto report = verifyAttack(d, inputs, a);
        QString notPass;
        for (const auto& v : report.ops)
            if (v.verdict != verify::Verdict::Pass)
                notPass +=
                    QString("op %1 %2 %3: %4 (util %5)\n")
                        .arg(v.op)
                        .arg(QString::fromStdString(v.kind))
                        .arg(QString::fromStdString(std::string(verify::verdictName(v.verdict))))
                        .arg(QString::fromStdString(v.reason))
                        .arg(v.empiricalUtilisation);
        QVERIFY2(notPass.isEmpty(), qPrintable(notPass));
        QVERIFY2(a.opsMoved > 10, qPrintable(QString::number(a.opsMoved)));
        QVERIFY(a.outputChange > 0);
        // It pushed towards its target: the gap to it narrowed.
        QVERIFY2(a.attackedMargin < a.honestMargin,
                 qPrintable(QString("%1 -> %2").arg(a.honestMargin).arg(a.attackedMargin)));
        // Every moved operator used most of its allowance somewhere, none beyond it.
        double most = 0;
        for (const auto& v : report.ops) {
            QVERIFY(v.empiricalUtilisation <= 1.0);
            most = std::max(most, v.empiricalUtilisation);
        }
        QVERIFY2(most > 0.8, qPrintable(QString::number(most)));
    }

    // Against a verifier that only checks the sound bound, the same adversary goes much
    // further; the empirical thresholds catch it wherever they are tighter than f.
    void boundOnlyAdversaryIsCaughtByTheThresholds() {
        const auto d = demo("tiny_lm");
        const auto inputs = d.model->randomInputs(5001);
        eval::ThresholdAttackOptions o;
        o.fraction = 0.9;
        o.allowance = eval::Allowance::SoundBound;
        const auto loose = eval::thresholdAwareAttack(d.model, inputs, d.profile, o);
        const auto report = verifyAttack(d, inputs, loose);
        for (const auto& v : report.ops)
            QVERIFY2(v.verdict != verify::Verdict::Fail,
                     qPrintable(QString::fromStdString(v.reason)));
        QCOMPARE(verify::verdictName(report.overall()), std::string_view("SUSPECT"));
        o.allowance = eval::Allowance::Empirical;
        const auto tight = eval::thresholdAwareAttack(d.model, inputs, d.profile, o);
        QVERIFY2(loose.outputChange > 2 * tight.outputChange,
                 qPrintable(QString("%1 vs %2").arg(loose.outputChange).arg(tight.outputChange)));
    }

    // One operator at a multiple of its threshold: inside it passes, beyond it the first
    // operator that is not PASS (where a dispute ends) is the one moved.
    void singleOperatorMultiplesOfItsThreshold() {
        const auto d = demo("fashion_cnn");
        const auto inputs = d.model->randomInputs(5002);
        std::uint32_t op = 0;
        for (const auto& p : d.profile.ops)
            if (p.kind == "aten::linear") op = p.index;
        QVERIFY(d.profile.threshold(op).has_value());
        eval::ThresholdAttackOptions o;
        o.onlyOp = op;
        o.targets = 1;
        o.fraction = 0.5;
        auto a = eval::thresholdAwareAttack(d.model, inputs, d.profile, o);
        QCOMPARE(a.opsMoved, 1u);
        QCOMPARE(verify::verdictName(verifyAttack(d, inputs, a).overall()),
                 std::string_view("PASS"));
        for (const double k : {2.0, 10.0}) {
            o.fraction = k;
            a = eval::thresholdAwareAttack(d.model, inputs, d.profile, o);
            const auto report = verifyAttack(d, inputs, a);
            QVERIFY(report.overall() != verify::Verdict::Pass);
            QCOMPARE(report.firstNonPass(), std::optional<std::uint32_t>(op));
            QVERIFY2(report.ops[op].empiricalUtilisation > 0.99 * k,
                     qPrintable(QString::number(report.ops[op].empiricalUtilisation)));
        }
        o.fraction = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 eval::thresholdAwareAttack(d.model, inputs, d.profile, o));
    }

    // Downgrades a provider might run for speed, through a trace on disk and the verifier.
    void downgradesAreDetectedWhereTheyChangeAnOperator() {
        const auto d = demo("fashion_cnn");
        QTemporaryDir work;
        for (const auto& attack : eval::standardAttacks({})) {
            const auto r =
                eval::runAttack(d.path, d.profile, attack, {7000}, work.path().toStdString());
            if (attack.label == "tanh-gelu" || attack.label == "folded-norm") {
                QVERIFY2(r.error.empty(), qPrintable(QString::fromStdString(r.error)));
            }
            if (!r.error.empty()) continue;
            QCOMPARE(r.runs.size(), std::size_t(1));
            const auto& run = r.runs[0];
            QVERIFY2(run.attackedOp.has_value(), qPrintable(QString::fromStdString(attack.label)));
            // Beyond its threshold at the changed operator means detected there.
            if (run.attackedVerdict != "PASS") {
                QVERIFY2(run.verdict != "PASS", qPrintable(QString::fromStdString(attack.label)));
                QCOMPARE(run.firstNonPass, run.attackedOp);
            }
            if (attack.label == "int4" || attack.label == "bf16-all" || attack.label == "fp16-all")
                QVERIFY2(run.verdict != "PASS", qPrintable(QString::fromStdString(attack.label)));
        }
    }

    // A real model swap: the same architecture with weights from another initialisation.
    void modelSwapIsCaughtAtTheFirstOperator() {
        QTemporaryDir dir;
        QString error;
        test::runProgram(test::debianPython(),
                         {test::sourceDir() + "/scripts/models/make_models.py", "--out", dir.path(),
                          "--inputs", dir.path(), "--only", "tiny_lm_reseeded", "--quiet"},
                         &error, 180000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto d = demo("tiny_lm");
        provider::AdversaryOptions swap;
        swap.mode = provider::AdversaryMode::ModelSwap;
        swap.swapWith = dir.filePath("tiny_lm_reseeded.pt").toStdString();
        const auto r = eval::runAttack(d.path, d.profile, {"model-swap", swap}, {7000},
                                       dir.filePath("work").toStdString());
        QVERIFY2(r.error.empty(), qPrintable(QString::fromStdString(r.error)));
        QCOMPARE(r.runs[0].verdict, std::string("FAIL"));
        QCOMPARE(r.runs[0].firstNonPass, r.runs[0].attackedOp);
        // Another architecture is refused, not half swapped.
        swap.swapWith = test::demoModel("fashion_cnn").toStdString();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 provider::Adversary(graph::Model::load(d.path), swap));
    }

    // Attention that sees the future: the masked scores become finite where the reference
    // holds -inf, which no rounding explains.
    void droppedAttentionMaskFailsAtTheMask() {
        const auto d = demo("tiny_lm");
        QTemporaryDir work;
        provider::AdversaryOptions drop;
        drop.mode = provider::AdversaryMode::DropMask;
        const auto r = eval::runAttack(d.path, d.profile, {"drop-mask", drop}, {7000},
                                       work.path().toStdString());
        QVERIFY2(r.error.empty(), qPrintable(QString::fromStdString(r.error)));
        QCOMPARE(r.runs[0].verdict, std::string("FAIL"));
        QCOMPARE(d.model->ops()[*r.runs[0].attackedOp].kind, std::string("aten::masked_fill"));
        QCOMPARE(r.runs[0].firstNonPass, r.runs[0].attackedOp);
        const auto none = eval::runAttack(demo("fashion_cnn").path, d.profile, {"drop-mask", drop},
                                          {7000}, work.path().toStdString());
        QVERIFY(none.error.find("no attention mask") != std::string::npos);
    }

    // squeezenet's first ReLU runs in place on the convolution's output: skipping it must
    // still commit the convolution's values, not what the in-place ReLU left behind.
    void skipOpOnAnInPlaceModelIsARealSkip() {
        QTemporaryDir dir;
        QString error;
        test::runProgram(test::debianPython(),
                         {test::sourceDir() + "/scripts/models/torchvision_models.py", dir.path(),
                          "squeezenet1_1"},
                         &error, 180000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const std::filesystem::path path = dir.filePath("squeezenet1_1.pt").toStdString();
        auto model = graph::Model::load(path);
        QVERIFY(model->mutatesInPlace());
        numerics::CalibrationOptions c;
        c.randomRuns = 2;
        c.configs = numerics::parseConfigs("cpu-t1");
        c.segments = false;
        const auto profile = numerics::calibrate(model, c);
        provider::AdversaryOptions skip;
        skip.mode = provider::AdversaryMode::SkipOp;
        const auto r = eval::runAttack(path, profile, {"skip-op", skip}, {7000},
                                       dir.filePath("work").toStdString());
        QVERIFY2(r.error.empty(), qPrintable(QString::fromStdString(r.error)));
        QCOMPARE(model->ops()[*r.runs[0].attackedOp].kind, std::string("aten::relu_"));
        QCOMPARE(r.runs[0].verdict, std::string("FAIL"));
        QCOMPARE(r.runs[0].firstNonPass, r.runs[0].attackedOp);
    }

    void fashionMnistAccuracyOfDowngrades() {
        const auto data = eval::loadFashionMnistTest();
        QCOMPARE(data.images.size(0), 10000);
        QCOMPARE(data.labels.max().item<std::int64_t>(), 9);
        const auto model = test::demoModel("fashion_cnn").toStdString();
        const double honest = eval::testAccuracy(model, {}, data, 1000);
        QVERIFY2(honest > 0.85, qPrintable(QString::number(honest)));
        provider::AdversaryOptions int4;
        int4.mode = provider::AdversaryMode::Int4Weights;
        const double quantised = eval::testAccuracy(model, int4, data, 1000);
        QVERIFY(quantised > 0.1 && quantised < 1.0);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, eval::loadFashionMnistTest("/nonexistent"));
        // A mode with nothing to change in this model is not reported as a provider.
        provider::AdversaryOptions drop;
        drop.mode = provider::AdversaryMode::DropMask;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, eval::testAccuracy(model, drop, data, 250));
    }

    // Reduction lengths are read from the operators' real inputs: conv1 sums 1 x 3 x 3
    // terms, conv2 16 x 3 x 3, fc1 32 x 7 x 7, log_softmax its 10 classes.
    void reductionLengthsOfTheDemoClassifier() {
        const auto d = demo("fashion_cnn");
        const auto inputs = d.model->randomInputs(1);
        const auto rows = eval::tightnessByReduction(d.model, d.profile, inputs);
        std::set<std::int64_t> classes;
        int ops = 0;
        for (const auto& r : rows) {
            classes.insert(r["upTo"].get<std::int64_t>());
            ops += r["ops"].get<int>();
            QVERIFY(r["median"].get<double>() > 0);
        }
        // 9 -> 16, 144 -> 256, 1568 -> 4096, 128 -> 256, 10 -> 16; element-wise -> 1
        QVERIFY2(classes.count(16) && classes.count(256) && classes.count(4096),
                 qPrintable(QString::fromStdString(rows.dump())));
        int byKind = 0; // the same ops, grouped by kind
        for (const auto& r : eval::tightnessByKind("fashion_cnn", d.profile))
            byKind += r["ops"].get<int>();
        QCOMPARE(ops, byKind);
        QCOMPARE(eval::reductionLength("aten::relu", {at::ones({2, 3})}), 1);
        QCOMPARE(eval::reductionLength("aten::linear", {}), 1); // malformed: no crash
    }

    // Fewer calibration inputs give looser or equal thresholds only by chance; what must
    // hold is that the study runs the real calibration and verifier and counts runs.
    void calibrationSizeStudyCountsHeldOutRuns() {
        const auto d = demo("fashion_cnn");
        const auto rows = eval::calibrationSizeStudy(d.model, {2, 4}, 2);
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[1]["inputs"].get<int>(), 4);
        QCOMPARE(rows[1]["heldOutRuns"].get<int>(), 2);
        QVERIFY(rows[1]["medianTightness"].get<double>() > 0);
    }

    // The report states what the JSON holds, misses with their reasons, and says when a
    // document is a quick smoke run rather than evidence.
    void reportSaysWhatTheResultsSay() {
        auto eval = nlohmann::json::parse(R"({
          "format": "tao-eval", "quick": false, "created": "2026-12-01T00:00:00Z", "seconds": 600,
          "machine": {"cpu": "Some CPU", "cores": 2, "libtorch": "1.13.0", "blas": "openblas"},
          "honest": [{"model": "m", "ops": 3, "runs": 1000, "heldOutInputs": "random seeds 1..1000",
                      "profileHosts": ["Other CPU"], "configs": {"cpu-t1": 1000},
                      "verdicts": {"PASS": 999, "SUSPECT": 1, "FAIL": 0, "NO-BOUND": 0},
                      "utilisation": {"median": 0.1, "max": 1.2},
                      "nonPass": [{"run": 17, "config": "cpu-t1", "op": 2, "verdict": "SUSPECT",
                                   "reason": "beyond the threshold"}]}],
          "attacks": [{"model": "m", "attack": "int8", "description": "d", "runs": 3, "detected": 2,
                       "localised": 2, "beyondThreshold": 2, "beyondThresholdDetected": 2,
                       "misses": [{"seed": 7002, "reason": "stayed at 0.5 of its threshold"}]}],
          "singleOp": [{"model": "m", "op": 1, "kind": "aten::linear", "multiple": 10, "runs": 2,
                        "leastReached": 0.3, "detected": 1, "localised": 1}],
          "thresholdAware": [{"model": "m", "allowance": "empirical", "fraction": 0.99, "inputs": 4,
                              "flipped": 1, "accepted": 4, "success": 1, "successRate": 0.25,
                              "medianOutputChange": 1e-5, "maxOutputChange": 3e-5,
                              "maxMarginClosed": 0.5, "empiricalVerdicts": {"PASS": 4},
                              "inputSet": "random"}],
          "tradeoff": [], "tightness": []})");
        const auto md = eval::evaluationMarkdown(eval, {}, "figs");
        const auto text = QString::fromStdString(md);
        QVERIFY(text.contains("| 999 / 1000 |")); // honest PASS
        QVERIFY(text.contains("| 2 / 2 (2 / 3 of all attack runs) |"));
        QVERIFY(text.contains("m run 17 (cpu-t1): op 2 SUSPECT, beyond the threshold"));
        QVERIFY(text.contains("m int8 (seed 7002): stayed at 0.5 of its threshold"));
        QVERIFY(text.contains("Missed: m op 1 at k = 10"));
        QVERIFY(text.contains("| 1 / 4, largest output change 3e-05 |"));
        QVERIFY(text.contains("![adversary](figs/adversary.png)"));
        QVERIFY(text.contains("Not run (bench/results/eval-disputes.json is missing)"));
        QVERIFY(!text.contains("quick mode"));
        eval["quick"] = true;
        QVERIFY(
            QString::fromStdString(eval::evaluationMarkdown(eval, {}, "f")).contains("quick mode"));
    }
};

QTEST_GUILESS_MAIN(TestEval)
#include "test_eval.moc"
