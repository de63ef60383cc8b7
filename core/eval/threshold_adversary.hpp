#pragma once
// The strongest provider the empirical thresholds must withstand: one that has read the
// profile. It moves every operator's output as far as its allowance permits, in the
// direction that pushes the model's decision towards another class or token, and commits
// the result. Each operator is judged from the committed (already moved) inputs, so the
// deviations compound through the network; whether they add up to a different decision
// is what this measures.
//
// Allowance per element, around the FP64 reference r of the operator on its committed
// inputs, with sound bound b:
//   Empirical   |y - r| <= f * min(threshold(op), 1) * b  (the verifier's PASS rule, with
//               margin; a threshold above 1 is looser than the bound the verifier also checks)
//   SoundBound  |y - r| <= f * b                  (a verifier that only checks the bound)
// Operators without a finite bound, without a threshold (Empirical), with several or
// non-FP32 outputs keep their honest output.
#include "core/graph/interpreter.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/verify/verdict.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace tao::eval {

enum class Allowance { Empirical, SoundBound };
// "empirical", "sound-bound"
const char* allowanceName(Allowance a);

struct ThresholdAttackOptions {
    // f > 0: below 1 the run stays inside the allowance; above 1 it is a deliberate
    // overshoot (a single op at 2x or 10x its threshold), or a looser threshold (a smaller
    // safety factor) to stay inside of.
    double fraction = 0.9;
    Allowance allowance = Allowance::Empirical;
    int targets = 3;                     // runner-up classes tried, best kept
    std::optional<std::uint32_t> onlyOp; // move this operator alone, every element of it
};

struct ThresholdAttack {
    // Committed outputs per operator (the attacked run), as a trace would hold them.
    std::vector<std::vector<c10::IValue>> outputs;
    std::int64_t honestDecision = -1;   // argmax of the last row of the first graph output
    std::int64_t attackedDecision = -1; // the same on the attacked run
    std::int64_t target = -1;           // the class or token the kept attempt pushed towards
    bool flipped = false;               // attackedDecision != honestDecision
    double honestMargin = 0;            // logit(top) - logit(target) on the honest run
    double attackedMargin = 0;          // the same on the attacked run (< 0 when flipped to target)
    double outputChange = 0;            // max |out' - out| / max |out| over the first graph output
    std::uint32_t opsMoved = 0;         // operators whose committed output differs from honest
};

// Runs the attack on `inputs` (in model.inputNames() order) under the current LibTorch
// settings. The model's first graph output must be a floating tensor whose last dimension
// holds the scores (classifier logits, LM logits). Throws std::invalid_argument for a
// fraction <= 0, an onlyOp outside the model, or an output that is not such a tensor, ModelError
// when the model fails. Leaves the model's parameters as it found them.
ThresholdAttack thresholdAwareAttack(const std::shared_ptr<graph::Model>& model,
                                     const std::vector<c10::IValue>& inputs,
                                     const numerics::Profile& profile,
                                     const ThresholdAttackOptions& options);

// The verifier's report on the attacked run's committed outputs, as `tao verify` would
// judge them on `inputs`. Throws like verify::verifyValues.
verify::VerifyReport verifyAttack(const std::shared_ptr<graph::Model>& model,
                                  const std::vector<c10::IValue>& inputs,
                                  const ThresholdAttack& attack, const numerics::Profile& profile);

} // namespace tao::eval
