#include "core/verify/judge_op.hpp"

#include "core/numerics/error_metric.hpp"

#include <limits>
#include <sstream>

namespace tao::verify {

namespace {
std::string num(double v) {
    std::ostringstream s;
    s.precision(3);
    s << v;
    return s.str();
}
} // namespace

OpVerdict judgeOperator(const numerics::OpBound& bound, const std::vector<at::Tensor>& claimed,
                        std::optional<double> threshold) {
    if (bound.status == numerics::BoundStatus::NoBound) {
        OpVerdict v;
        v.verdict = Verdict::NoBound;
        v.reason = bound.reason;
        return v;
    }
    return judgeMeasured(numerics::measureOpError(bound, claimed), bound.reason, threshold);
}

OpVerdict judgeMeasured(const numerics::OpError& err, const std::string& boundReason,
                        std::optional<double> threshold) {
    OpVerdict v;
    v.error = err.metric;
    v.maxAbsError = err.maxAbs;
    v.soundUtilisation = err.metric;
    v.unboundedElements = err.unbounded;
    if (threshold) {
        v.empiricalThreshold = *threshold;
        v.empiricalUtilisation = *threshold > 0    ? err.metric / *threshold
                                 : err.metric == 0 ? 0
                                                   : std::numeric_limits<double>::infinity();
    }
    if (!err.failure.empty()) {
        v.verdict = Verdict::Fail;
        v.reason = err.failure;
    } else if (err.metric > 1) {
        v.verdict = Verdict::Fail;
        v.reason = "beyond the sound bound: max |y-r|/bound = " + num(err.metric);
    } else if (err.unbounded > 0) {
        // Accepting these elements would accept any value there (e.g. uniform attention in
        // place of a masked row): no guarantee means no PASS.
        v.verdict = Verdict::NoBound;
        v.reason = std::to_string(err.unbounded) + " of " + std::to_string(err.elements) +
                   " output elements have no finite bound" +
                   (boundReason.empty() ? std::string() : " (" + boundReason + ")") +
                   "; the others are within it (max |y-r|/bound = " + num(err.metric) + ")";
    } else if (!threshold) {
        v.verdict = Verdict::Suspect;
        v.reason = "the profile holds no calibration samples for this operator";
    } else if (err.metric > *threshold) {
        v.verdict = Verdict::Suspect;
        v.reason = "beyond the empirical threshold: " + num(v.empiricalUtilisation) +
                   "x threshold " + num(*threshold) + " (within the sound bound)";
    } else {
        v.verdict = Verdict::Pass;
    }
    return v;
}

} // namespace tao::verify
