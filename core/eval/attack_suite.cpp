#include "core/eval/attack_suite.hpp"

#include "core/trace/trace_bundle.hpp"
#include "core/verify/verify.hpp"

#include <algorithm>

namespace tao::eval {

int AttackResult::detected() const {
    return static_cast<int>(std::count_if(runs.begin(), runs.end(),
                                          [](const AttackRun& r) { return r.verdict != "PASS"; }));
}

int AttackResult::localised() const {
    return static_cast<int>(std::count_if(runs.begin(), runs.end(), [](const AttackRun& r) {
        return r.firstNonPass && r.firstNonPass == r.attackedOp;
    }));
}

std::vector<AttackCase> standardAttacks(const std::filesystem::path& swapWith) {
    using provider::AdversaryMode;
    std::vector<AttackCase> cases;
    auto add = [&](AdversaryMode mode) {
        provider::AdversaryOptions o;
        o.mode = mode;
        cases.push_back({provider::adversaryModeName(mode), o});
    };
    if (!swapWith.empty()) {
        provider::AdversaryOptions o;
        o.mode = AdversaryMode::ModelSwap;
        o.swapWith = swapWith;
        cases.push_back({"model-swap", o});
    }
    for (auto mode : {AdversaryMode::WeightSwap, AdversaryMode::Int8Weights,
                      AdversaryMode::Int4Weights, AdversaryMode::Fp16Op, AdversaryMode::Bf16Op,
                      AdversaryMode::Fp16All, AdversaryMode::Bf16All, AdversaryMode::TanhGelu,
                      AdversaryMode::FoldedNorm, AdversaryMode::DropMask, AdversaryMode::SkipOp})
        add(mode);
    return cases;
}

AttackResult runAttack(const std::filesystem::path& modelPath, const numerics::Profile& profile,
                       const AttackCase& attack, const std::vector<std::uint64_t>& seeds,
                       const std::filesystem::path& workDir) {
    AttackResult result;
    result.model = modelPath.stem().string();
    result.attack = attack.label;
    std::filesystem::create_directories(workDir);
    const auto tracePath = workDir / (result.model + "-" + attack.label + ".taotrace");
    for (const auto seed : seeds) {
        auto model = graph::Model::load(modelPath);
        runtime::CaptureOptions capture;
        capture.seed = seed;
        capture.out = tracePath;
        provider::AdversaryReport report;
        try {
            provider::adversarialCapture(model, capture, attack.adversary, &report);
        } catch (const std::invalid_argument& e) {
            result.error = e.what(); // the model offers nothing this attack changes
            result.runs.clear();
            break;
        }
        result.description = report.description;
        // The verifier runs on the model as published, not the altered copy.
        const auto published = graph::Model::load(modelPath);
        const auto bundle = trace::TraceBundle::open(tracePath);
        const auto verdicts = verify::verifyTrace(published, bundle, profile);
        AttackRun run;
        run.seed = seed;
        run.verdict = std::string(verify::verdictName(verdicts.overall()));
        run.firstNonPass = verdicts.firstNonPass();
        run.attackedOp = report.firstAffected;
        if (run.attackedOp && *run.attackedOp < verdicts.ops.size()) {
            const auto& v = verdicts.ops[*run.attackedOp];
            run.attackedVerdict = std::string(verify::verdictName(v.verdict));
            run.attackedUtilisation = v.empiricalUtilisation;
            run.attackedReason = v.reason;
        }
        result.runs.push_back(std::move(run));
    }
    std::filesystem::remove_all(tracePath);
    return result;
}

} // namespace tao::eval
