#include "core/eval/threshold_adversary.hpp"

#include "core/graph/tensor_convert.hpp"
#include "core/numerics/emulation.hpp"
#include "core/numerics/error_metric.hpp"
#include "core/verify/verify_values.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tao::eval {

using Values = std::vector<c10::IValue>;

const char* allowanceName(Allowance a) {
    return a == Allowance::Empirical ? "empirical" : "sound-bound";
}

namespace {

// The last row of the first graph output: the scores the decision is taken on.
at::Tensor scoresOf(const Values& outs) {
    if (outs.empty() || !outs[0].isTensor() || !outs[0].toTensor().is_floating_point() ||
        outs[0].toTensor().dim() == 0)
        throw std::invalid_argument("the model's first output is not a tensor of scores");
    const auto& t = outs[0].toTensor();
    return t.reshape({-1, t.size(-1)}).select(0, -1);
}

// Gradient mode with every floating parameter requiring a gradient, restored on exit:
// the direction of steepest change is read from the autograd graph of one forward pass.
class GradientScope {
public:
    explicit GradientScope(graph::Model& model)
        : on_(true) {
        for (const auto& p : model.module().parameters(true))
            if (p.is_floating_point() && !p.requires_grad()) {
                p.requires_grad_(true);
                flipped_.push_back(p);
            }
    }
    ~GradientScope() {
        for (auto& p : flipped_)
            p.requires_grad_(false);
    }

private:
    torch::AutoGradMode on_;
    std::vector<at::Tensor> flipped_;
};

// Per operator, sign(d(score[target] - score[top]) / d output): where moving the output
// up narrows the gap to the target. Undefined for operators the gradient does not reach.
std::vector<at::Tensor> directionsTowards(graph::Interpreter& interp,
                                          const std::shared_ptr<graph::Model>& model,
                                          const Values& inputs, std::int64_t top,
                                          std::int64_t target) {
    const auto n = model->ops().size();
    std::vector<at::Tensor> watched(n), directions(n);
    try {
        GradientScope scope(*model);
        Values in = inputs;
        for (auto& v : in)
            if (v.isTensor() && v.toTensor().is_floating_point())
                v = v.toTensor().detach().clone().requires_grad_(true);
        graph::ExecutionHooks hooks;
        hooks.afterOp = [&](std::uint32_t op, Values& outs) {
            if (outs.size() != 1 || !outs[0].isTensor()) return;
            auto t = outs[0].toTensor();
            if (!t.requires_grad() || t.scalar_type() != at::kFloat) return;
            t.retain_grad();
            watched[op] = t;
        };
        const auto scores = scoresOf(interp.run(in, hooks));
        (scores[target] - scores[top]).backward();
    } catch (const c10::Error&) {
        return directions; // an operator without a derivative: no direction anywhere
    }
    for (std::size_t op = 0; op < n; ++op)
        if (watched[op].defined() && watched[op].grad().defined())
            directions[op] = watched[op].grad().detach().sign().to(at::kDouble);
    return directions;
}

struct Attempt {
    std::vector<Values> outputs;
    at::Tensor finalScores;
    at::Tensor finalOutput;
    std::uint32_t opsMoved = 0;
};

// One attacked run: every movable operator's output set to r + allowance * direction,
// rounded to FP32, wherever that stays inside the allowance; elsewhere the honest result.
Attempt attackRun(const std::shared_ptr<graph::Model>& model, const Values& inputs,
                  const numerics::Profile& profile, const ThresholdAttackOptions& options,
                  const std::vector<at::Tensor>& directions) {
    torch::NoGradGuard noGrad;
    const auto params = numerics::boundParamsOf(profile.bounds);
    graph::Interpreter run(model), helper(model);
    Attempt attempt;
    attempt.outputs.resize(model->ops().size());
    graph::OpOutputSource committed = [&](std::uint32_t op) {
        return numerics::cloneValues(attempt.outputs.at(op));
    };
    graph::ExecutionHooks hooks;
    hooks.afterOp = [&](std::uint32_t op, Values& outs) {
        const auto& dir = directions[op];
        // A threshold above 1 is looser than the bound, which the verifier enforces anyway.
        auto tau = options.allowance == Allowance::Empirical ? profile.threshold(op)
                                                             : std::optional<double>(1.0);
        if (tau) tau = std::min(*tau, 1.0);
        const bool chosen = !options.onlyOp || *options.onlyOp == op;
        if (chosen && dir.defined() && tau && *tau > 0 && outs.size() == 1 && outs[0].isTensor() &&
            outs[0].toTensor().scalar_type() == at::kFloat) {
            // The verifier judges from committed inputs, so the reference is taken there too.
            const auto in = helper.opInputs(op, inputs, committed);
            const auto bound = numerics::boundForOp(helper, op, in, params);
            const auto y = outs[0].toTensor();
            if (bound.status == numerics::BoundStatus::Bounded && bound.reference.size() == 1 &&
                bound.reference[0].sizes() == y.sizes() && dir.sizes() == y.sizes()) {
                const auto& r = bound.reference[0];
                const auto limit = bound.bound[0] * (options.fraction * *tau);
                // One operator alone is a perturbation study: every element moves, those
                // the decision does not depend on upwards.
                const auto step =
                    options.onlyOp ? at::where(dir == 0, at::ones_like(dir), dir) : dir;
                const auto moved = (r + limit * step).to(at::kFloat);
                const auto inside =
                    limit.isfinite() & (step != 0) & ((moved.to(at::kDouble) - r).abs() <= limit);
                if (inside.any().item<bool>()) {
                    outs[0] = at::where(inside, moved, y);
                    ++attempt.opsMoved;
                }
            }
        }
        attempt.outputs[op] = numerics::cloneValues(outs);
    };
    const auto outs = run.run(inputs, hooks);
    attempt.finalScores = scoresOf(outs).to(at::kDouble);
    attempt.finalOutput = outs[0].toTensor().to(at::kDouble);
    return attempt;
}

} // namespace

ThresholdAttack thresholdAwareAttack(const std::shared_ptr<graph::Model>& model,
                                     const Values& inputs, const numerics::Profile& profile,
                                     const ThresholdAttackOptions& options) {
    if (!(options.fraction > 0 && std::isfinite(options.fraction)))
        throw std::invalid_argument("the attack's fraction of the allowance must be positive");
    if (options.onlyOp && *options.onlyOp >= model->ops().size())
        throw std::invalid_argument("op " + std::to_string(*options.onlyOp) +
                                    " is outside the model");
    graph::Interpreter interp(model);
    Values honestOuts;
    {
        torch::NoGradGuard noGrad;
        honestOuts = interp.run(inputs);
    }
    const auto honest = scoresOf(honestOuts).to(at::kDouble);
    const auto honestOutput = honestOuts[0].toTensor().to(at::kDouble);
    const auto order = honest.argsort(0, /*descending=*/true);
    const std::int64_t top = order[0].item<std::int64_t>();
    const auto tries = std::min<std::int64_t>(options.targets, honest.numel() - 1);

    ThresholdAttack best;
    best.honestDecision = top;
    for (std::int64_t i = 1; i <= tries; ++i) {
        const std::int64_t target = order[i].item<std::int64_t>();
        auto attempt = attackRun(model, inputs, profile, options,
                                 directionsTowards(interp, model, inputs, top, target));
        const double margin =
            (attempt.finalScores[top] - attempt.finalScores[target]).item<double>();
        const auto decision = attempt.finalScores.argmax().item<std::int64_t>();
        const bool flipped = decision != top;
        // Keep the first flip; before any, the attempt that came closest to its target.
        if (best.target < 0 || (flipped && !best.flipped) ||
            (!best.flipped && margin < best.attackedMargin)) {
            best.outputs = std::move(attempt.outputs);
            best.attackedDecision = decision;
            best.target = target;
            best.flipped = flipped;
            best.honestMargin = (honest[top] - honest[target]).item<double>();
            best.attackedMargin = margin;
            best.outputChange = ((attempt.finalOutput - honestOutput).abs().max() /
                                 honestOutput.abs().max().clamp_min(1e-300))
                                    .item<double>();
            best.opsMoved = attempt.opsMoved;
        }
        if (best.flipped) break;
    }
    return best;
}

verify::VerifyReport verifyAttack(const std::shared_ptr<graph::Model>& model, const Values& inputs,
                                  const ThresholdAttack& attack, const numerics::Profile& profile) {
    graph::OpOutputSource committed = [&](std::uint32_t op) { return attack.outputs.at(op); };
    return verify::verifyValues(model, inputs, committed, profile);
}

} // namespace tao::eval
