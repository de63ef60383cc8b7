#pragma once
// Downgrading providers against the verifier. Each attack commits a trace that is
// internally consistent (hashes, root) for a run that differs from the honest one in a
// chosen way; the trace is written, reopened and verified as `tao verify` does. An attack
// is detected when the verdict is not PASS, and localised when the first operator that is
// not PASS (where a dispute's bisection ends) is the first one the attack changed.
#include "core/graph/model.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/provider/adversary.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tao::eval {

struct AttackRun {
    std::uint64_t seed = 0;
    std::string verdict;                       // overall
    std::optional<std::uint32_t> firstNonPass; // where a dispute ends
    std::optional<std::uint32_t> attackedOp;   // first operator the attack changed
    std::string attackedVerdict;               // the verifier's verdict at attackedOp
    double attackedUtilisation = 0;            // error / threshold at attackedOp (> 1: beyond it)
    std::string attackedReason;                // the verifier's reason at attackedOp
};

struct AttackResult {
    std::string model;
    std::string attack; // adversary mode name, with its parameter where it has one
    std::string description;
    std::vector<AttackRun> runs;
    std::string error; // set when the attack does not apply to the model (then no runs)

    int detected() const;  // runs not PASS
    int localised() const; // runs whose firstNonPass is attackedOp
};

struct AttackCase {
    std::string label;
    provider::AdversaryOptions adversary;
};

// Every mode of the catalogue that applies to a model in general (one-op modes on their
// default op); `swapWith` (may be empty) is another model of the same architecture.
std::vector<AttackCase> standardAttacks(const std::filesystem::path& swapWith);

// Runs `attack` on inputs of the given seeds. Loads a fresh model from `modelPath` per
// run (weight attacks change it). Traces go under `workDir` and are removed. An attack
// the model does not admit yields `error` and no runs; other failures throw.
AttackResult runAttack(const std::filesystem::path& modelPath, const numerics::Profile& profile,
                       const AttackCase& attack, const std::vector<std::uint64_t>& seeds,
                       const std::filesystem::path& workDir);

} // namespace tao::eval
