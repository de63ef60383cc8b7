// Format "tao-eval" version 1: one object with
//   machine        CPU, cores, LibTorch, BLAS of the run
//   honest[]       per model: runs, verdict counts, per configuration, non-PASS runs,
//                  utilisation quantiles, the profile's inputs and hosts
//   attacks[]      per model and attack: runs, detected, localised, misses with reasons
//   singleOp[]     per model, op and multiple of its threshold: runs, detected, localised
//   thresholdAware[] per model, allowance and fraction: inputs, flips, accepted, successes,
//                  largest and median output change
//   tradeoff[]     per model and safety factor: honest false-positive rate, adversary flips
//   tightness[]    per model and operator kind: sound bound / empirical threshold
//   tightnessByReduction[] the same per reduction-length class
//   calibrationSize[] per model and number of calibration inputs: median tightness and
//                  honest runs on other inputs that were not PASS
//   accuracy       Fashion-MNIST test accuracy per provider
//   seconds        wall time of the whole evaluation
#include "core/eval/evaluation.hpp"

#include "core/eval/attack_suite.hpp"
#include "core/eval/fashion_mnist.hpp"
#include "core/eval/honest_study.hpp"
#include "core/eval/quantile.hpp"
#include "core/eval/threshold_adversary.hpp"
#include "core/eval/tightness.hpp"
#include "core/io/demo_models.hpp"
#include "core/numerics/calibrate.hpp"
#include "core/runtime/runtime_settings.hpp"
#include "core/verify/verify_values.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <thread>

namespace tao::eval {

using nlohmann::json;

namespace {

struct ModelPlan {
    std::string name;
    int honestRuns;                   // held-out honest executions (full mode)
    int attackSeeds;                  // inputs per downgrade attack
    int adversaryInputs;              // inputs per threshold-aware setting (0: not attacked)
    std::string swapModel;            // generated model of the same architecture, "" when none
    std::vector<std::string> attacks; // the downgrades run on it; empty = all
    // Inputs to calibrate a profile on here, for a model without a committed one (0: use
    // resources/profiles/<name>.json). Such a model is skipped, and said so, when missing.
    std::uint64_t calibrateHere = 0;
};

// Sized so the full evaluation takes well under 45 minutes on two cores: the small demo
// models carry the counts, the large ones show that the same holds where the profile
// came from another machine.
const std::vector<ModelPlan>& plans() {
    static const std::vector<ModelPlan> p = {
        {"fashion_cnn", 500, 5, 96, "fashion_cnn_retrained", {}},
        {"tiny_lm", 420, 5, 36, "tiny_lm_reseeded", {}},
        {"resnet18", 60, 1, 0, "", {"int8", "int4", "bf16-all", "folded-norm", "skip-op"}},
        // About a minute per attack (a 300 MB trace written and verified): the three
        // downgrades a large-model provider is most tempted by.
        {"gpt2_small", 20, 1, 0, "", {"int8", "bf16-all", "tanh-gelu", "drop-mask"}},
        // Real torchvision architectures (scripts/models/torchvision_models.py, random
        // weights), calibrated here on 16 inputs.
        {"mobilenet_v3_small", 40, 1, 0, "", {"int8", "bf16-all", "folded-norm", "skip-op"}, 16},
        {"squeezenet1_1", 40, 1, 0, "", {"int8", "bf16-all", "skip-op"}, 16},
    };
    return p;
}

std::string nowUtc() {
    const auto t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

json honestJson(const HonestRuns& h, const numerics::Profile& profile) {
    json nonPass = json::array();
    for (const auto& n : h.nonPass)
        nonPass.push_back({{"run", n.run},
                           {"config", n.config},
                           {"op", n.op},
                           {"verdict", n.verdict},
                           {"reason", n.reason}});
    json hosts = json::array(), inputs = json::array();
    for (const auto& s : profile.sources) {
        if (std::find(hosts.begin(), hosts.end(), s.host) == hosts.end()) hosts.push_back(s.host);
        inputs.push_back(s.inputSet);
    }
    return {{"model", h.model},
            {"ops", h.ops},
            {"runs", h.runs},
            {"verdicts", h.verdicts},
            {"configs", h.perConfig},
            {"heldOutInputs", h.heldOutInputs},
            {"profileInputs", inputs},
            {"profileHosts", hosts},
            {"safetyFactor", profile.safetyFactor},
            {"utilisation",
             {{"median", quantile(h.runUtilisation, 0.5)},
              {"p99", quantile(h.runUtilisation, 0.99)},
              {"max", h.worstUtilisation},
              {"maxOp", h.worstOp}}},
            {"nonPass", nonPass},
            {"seconds", h.seconds}};
}

json attackJson(const AttackResult& a) {
    json misses = json::array(), verdicts = json::object();
    int beyond = 0, beyondDetected = 0;
    std::optional<std::uint32_t> attackedOp;
    double worst = 0;
    for (const auto& r : a.runs) {
        verdicts[r.verdict] = verdicts.value(r.verdict, 0) + 1;
        if (r.attackedOp) attackedOp = r.attackedOp;
        worst = std::max(worst, r.attackedUtilisation);
        const bool exceeds = !r.attackedVerdict.empty() && r.attackedVerdict != "PASS";
        beyond += exceeds;
        beyondDetected += exceeds && r.verdict != "PASS";
        if (r.verdict == "PASS") {
            char why[160];
            std::snprintf(why, sizeof why,
                          "the changed operator's error stayed at %.3g of its threshold",
                          r.attackedUtilisation);
            misses.push_back(
                {{"seed", r.seed}, {"reason", r.attackedOp ? why : "no operator changed"}});
        }
    }
    json j = {{"model", a.model},
              {"attack", a.attack},
              {"description", a.description},
              {"runs", a.runs.size()},
              {"detected", a.detected()},
              {"localised", a.localised()},
              {"beyondThreshold", beyond},
              {"beyondThresholdDetected", beyondDetected},
              {"maxAttackedUtilisation", worst},
              {"verdicts", verdicts},
              {"misses", misses}};
    if (attackedOp) j["attackedOp"] = *attackedOp;
    if (!a.error.empty()) j["notApplicable"] = a.error;
    return j;
}

// Up to three operators the profile thresholds, spread over the model.
std::vector<std::uint32_t> spreadOps(const numerics::Profile& profile) {
    std::vector<std::uint32_t> ok;
    for (const auto& op : profile.ops) {
        const auto t = profile.threshold(op.index);
        if (op.status == "bounded" && t && *t > 0) ok.push_back(op.index);
    }
    if (ok.size() <= 3) return ok;
    return {ok.front(), ok[ok.size() / 2], ok.back()};
}

struct Inputs {
    std::vector<std::vector<c10::IValue>> sets;
    std::string description;
};

// The classifier sees real test images in its committed batch shape; the others random
// inputs from seeds the profiles were not calibrated on.
Inputs attackInputs(const graph::Model& model, int count, const LabelledImages* fashion) {
    Inputs in;
    if (fashion && model.name() == "fashion_cnn") {
        for (int i = 0; i < count; ++i)
            in.sets.push_back({fashion->images.slice(0, 8 * i, 8 * i + 8)});
        in.description = "Fashion-MNIST test images, batches of 8 (the last image decides)";
    } else {
        for (int i = 0; i < count; ++i)
            in.sets.push_back(model.randomInputs(5000 + i));
        in.description = "random inputs, seeds 5000..";
    }
    return in;
}

struct AttackTally {
    int inputs = 0, flipped = 0, accepted = 0, success = 0;
    std::map<std::string, int> verdicts;
    std::vector<double> changes;
    double marginClosed = 0; // largest fraction of the honest margin the attack removed
};

AttackTally attackInputsWith(const std::shared_ptr<graph::Model>& model, const Inputs& inputs,
                             const numerics::Profile& profile,
                             const ThresholdAttackOptions& options) {
    AttackTally t;
    for (const auto& in : inputs.sets) {
        const auto a = thresholdAwareAttack(model, in, profile, options);
        const auto report = verifyAttack(model, in, a, profile);
        const auto overall = report.overall();
        const bool failsBound = std::any_of(report.ops.begin(), report.ops.end(), [](auto& o) {
            return o.verdict == verify::Verdict::Fail;
        });
        // Accepted: PASS under the empirical rule; under a bound-only rule, no FAIL.
        const bool accepted = options.allowance == Allowance::Empirical
                                  ? overall == verify::Verdict::Pass
                                  : !failsBound;
        ++t.inputs;
        t.flipped += a.flipped;
        t.accepted += accepted;
        t.success += a.flipped && accepted;
        ++t.verdicts[std::string(verify::verdictName(overall))];
        t.changes.push_back(a.outputChange);
        if (a.honestMargin > 0)
            t.marginClosed =
                std::max(t.marginClosed, (a.honestMargin - a.attackedMargin) / a.honestMargin);
    }
    return t;
}

json tallyJson(const AttackTally& t) {
    return {{"inputs", t.inputs},
            {"flipped", t.flipped},
            {"accepted", t.accepted},
            {"success", t.success},
            {"successRate", t.inputs ? double(t.success) / t.inputs : 0.0},
            {"empiricalVerdicts", t.verdicts},
            {"maxOutputChange", quantile(t.changes, 1.0)},
            {"medianOutputChange", quantile(t.changes, 0.5)},
            {"maxMarginClosed", t.marginClosed}};
}

} // namespace

json runEvaluation(const EvaluationOptions& opt) {
    const auto t0 = std::chrono::steady_clock::now();
    auto log = [&](const std::string& line) {
        if (opt.log) opt.log(line);
    };
    const auto runtime = runtime::describeRuntime({});
    json doc = {{"format", "tao-eval"},
                {"version", 1},
                {"quick", opt.quick},
                {"created", nowUtc()},
                {"machine",
                 {{"cpu", runtime.host},
                  {"cores", std::thread::hardware_concurrency()},
                  {"libtorch", runtime.libtorch},
                  {"blas", runtime.blas}}},
                {"honest", json::array()},
                {"attacks", json::array()},
                {"singleOp", json::array()},
                {"thresholdAware", json::array()},
                {"tradeoff", json::array()},
                {"tightness", json::array()},
                {"tightnessByReduction", json::array()},
                {"calibrationSize", json::array()},
                {"skipped", json::array()}};
    const int scale = opt.quick ? 0 : 1;
    auto sized = [&](int full, int quick) { return scale ? full : quick; };

    std::optional<LabelledImages> fashion;
    if (std::filesystem::exists(kFashionMnistDir))
        fashion = loadFashionMnistTest();
    else
        log("Fashion-MNIST test set missing (" + kFashionMnistDir.string() +
            "): accuracy and image inputs skipped");

    for (const auto& plan : plans()) {
        const auto path = io::demoModelPath(opt.root, plan.name);
        const auto profilePath = opt.root / "resources/profiles" / (plan.name + ".json");
        if (plan.calibrateHere && path.empty()) {
            const auto why = "not generated (scripts/models/torchvision_models.py; "
                             "scripts/bench eval makes it)";
            log(plan.name + ": skipped, " + why);
            doc["skipped"].push_back({{"model", plan.name}, {"reason", why}});
            continue;
        }
        if (path.empty() || (!plan.calibrateHere && !std::filesystem::exists(profilePath)))
            throw std::runtime_error(plan.name + ": model or profile missing (run scripts/setup)");
        auto model = graph::Model::load(path);
        numerics::Profile profile;
        if (plan.calibrateHere) {
            numerics::CalibrationOptions c;
            c.randomRuns = sized(plan.calibrateHere, 4);
            c.segments = false;
            log(plan.name + ": calibrating on " + std::to_string(c.randomRuns) + " inputs");
            profile = numerics::calibrate(model, c);
        } else {
            profile = numerics::Profile::load(profilePath);
        }
        for (auto& row : tightnessByKind(plan.name, profile))
            doc["tightness"].push_back(row);
        for (auto& row : tightnessByReduction(model, profile, model->randomInputs(4000)))
            doc["tightnessByReduction"].push_back(row);

        HonestRunsOptions h;
        h.runs = sized(plan.honestRuns, 3);
        h.progress = [&](int done, int total) {
            if (done == total || done % 50 == 0)
                log(plan.name + ": honest " + std::to_string(done) + "/" + std::to_string(total));
        };
        const auto honest = honestRuns(model, profile, h);
        doc["honest"].push_back(honestJson(honest, profile));

        const auto swap = plan.swapModel.empty() ? std::filesystem::path{}
                                                 : io::demoModelPath(opt.root, plan.swapModel);
        std::vector<std::uint64_t> seeds;
        for (int i = 0; i < sized(plan.attackSeeds, 1); ++i)
            seeds.push_back(7000 + i);
        for (const auto& attack : standardAttacks(swap)) {
            if (!plan.attacks.empty() && std::find(plan.attacks.begin(), plan.attacks.end(),
                                                   attack.label) == plan.attacks.end())
                continue;
            log(plan.name + ": attack " + attack.label);
            doc["attacks"].push_back(
                attackJson(runAttack(path, profile, attack, seeds, opt.workDir)));
        }
        if (!plan.swapModel.empty() && swap.empty())
            log(plan.name + ": " + plan.swapModel + " missing, model swap not run");

        if (plan.adversaryInputs == 0) continue;
        const auto inputs =
            attackInputs(*model, sized(plan.adversaryInputs, 2), fashion ? &*fashion : nullptr);
        for (const auto op : spreadOps(profile))
            for (const double k : {0.5, 1.0, 2.0, 10.0}) {
                ThresholdAttackOptions o;
                o.fraction = k;
                o.onlyOp = op;
                o.targets = 1;
                int detected = 0, localised = 0, runs = 0;
                double reached = 1e300; // least error / threshold the op reached over runs
                for (std::size_t i = 0; i < std::min<std::size_t>(2, inputs.sets.size()); ++i) {
                    const auto& in = inputs.sets[i];
                    const auto a = thresholdAwareAttack(model, in, profile, o);
                    const auto report = verifyAttack(model, in, a, profile);
                    ++runs;
                    reached = std::min(reached, report.ops[op].empiricalUtilisation);
                    detected += report.overall() != verify::Verdict::Pass;
                    localised += report.firstNonPass() == op;
                }
                doc["singleOp"].push_back({{"model", plan.name},
                                           {"op", op},
                                           {"kind", model->ops()[op].kind},
                                           {"multiple", k},
                                           {"runs", runs},
                                           {"leastReached", reached},
                                           {"detected", detected},
                                           {"localised", localised}});
            }
        log(plan.name + ": single-operator perturbations done");

        for (const auto allowance : {Allowance::Empirical, Allowance::SoundBound})
            for (const double f : {0.5, 0.9, 0.99}) {
                ThresholdAttackOptions o;
                o.fraction = f;
                o.allowance = allowance;
                auto row = tallyJson(attackInputsWith(model, inputs, profile, o));
                row["model"] = plan.name;
                row["allowance"] = allowanceName(allowance);
                row["fraction"] = f;
                row["inputSet"] = inputs.description;
                doc["thresholdAware"].push_back(row);
                log(plan.name + ": threshold-aware " + allowanceName(allowance) +
                    " f=" + std::to_string(f).substr(0, 4));
            }

        // The trade-off: a smaller safety factor admits fewer honest runs and leaves the
        // adversary less room. The attack at fraction 0.99 * s / s0 stays inside thresholds
        // scaled from s0 (the profile's) to s.
        const auto attackSubset =
            Inputs{{inputs.sets.begin(),
                    inputs.sets.begin() + std::min<std::size_t>(inputs.sets.size(), sized(12, 2))},
                   inputs.description};
        for (const double s : {1.0, 1.5, 2.0, 3.0, 5.0, 10.0}) {
            const double scaleToS = s / profile.safetyFactor;
            const auto fp =
                std::count_if(honest.runUtilisation.begin(), honest.runUtilisation.end(),
                              [&](double u) { return u > scaleToS; });
            ThresholdAttackOptions o;
            o.fraction = 0.99 * scaleToS;
            const auto t = attackInputsWith(model, attackSubset, profile, o);
            doc["tradeoff"].push_back(
                {{"model", plan.name},
                 {"safetyFactor", s},
                 {"honestRuns", honest.runs},
                 {"falsePositives", fp},
                 {"falsePositiveRate", honest.runs ? double(fp) / honest.runs : 0.0},
                 {"adversaryInputs", t.inputs},
                 {"adversaryFlips", t.flipped},
                 {"adversaryMaxOutputChange", quantile(t.changes, 1.0)}});
        }
        log(plan.name + ": trade-off done");

        // Thresholds from fewer or more calibration inputs: how tight, and whether honest
        // runs on other inputs still pass.
        const std::vector<std::uint64_t> sizes = opt.quick
                                                     ? std::vector<std::uint64_t>{2, 4}
                                                     : std::vector<std::uint64_t>{4, 8, 16, 32, 64};
        for (auto& row : calibrationSizeStudy(model, sizes, sized(60, 3)))
            doc["calibrationSize"].push_back(row);
        log(plan.name + ": calibration sizes done");
    }

    if (fashion) {
        const auto path = io::demoModelPath(opt.root, "fashion_cnn");
        json providers = json::array();
        std::vector<AttackCase> cases = {{"honest", {}}};
        for (const auto& c : standardAttacks(io::demoModelPath(opt.root, "fashion_cnn_retrained")))
            cases.push_back(c);
        const std::int64_t images = sized(10000, 500);
        double honestAccuracy = 0;
        for (const auto& c : cases) {
            double acc = 0;
            try {
                acc = testAccuracy(path, c.adversary, *fashion, images);
            } catch (const std::invalid_argument& e) {
                log("accuracy " + c.label + ": not applicable (" + e.what() + ")");
                continue;
            }
            if (c.label == "honest") honestAccuracy = acc;
            providers.push_back(
                {{"provider", c.label}, {"accuracy", acc}, {"change", acc - honestAccuracy}});
            log("accuracy " + c.label + ": " + std::to_string(acc));
        }
        doc["accuracy"] = {
            {"dataset", "Fashion-MNIST test set (" + kFashionMnistDir.string() + ")"},
            {"model", "fashion_cnn"},
            {"images", images},
            {"providers", providers}};
    }
    std::filesystem::remove_all(opt.workDir);
    doc["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return doc;
}

} // namespace tao::eval
