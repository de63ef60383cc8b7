#include "core/layout/bounds_overlay.hpp"

namespace tao::layout {

verify::VerifyReport reportFromBounds(const std::vector<verify::BoundSummary>& bounds) {
    verify::VerifyReport report;
    for (const auto& b : bounds) {
        verify::OpVerdict v;
        v.op = b.op;
        v.kind = b.kind;
        v.scope = b.scope;
        v.maxAbsError = b.maxAbsError;
        v.error = b.utilisation;
        v.soundUtilisation = b.utilisation;
        // With no empirical threshold, the sound bound (utilisation 1) is the threshold.
        v.empiricalThreshold = 1;
        v.empiricalUtilisation = b.utilisation;
        if (b.failure || b.utilisation > 1) {
            v.verdict = verify::Verdict::Fail;
            v.reason = b.reason.empty() ? "beyond the sound bound" : b.reason;
        } else if (b.status == "not-checked") {
            v.verdict = verify::Verdict::NotChecked;
            v.reason = b.reason;
        } else if (b.status == "no-bound") {
            v.verdict = verify::Verdict::NoBound;
            v.reason = b.reason;
        } else {
            v.verdict = verify::Verdict::Pass;
            v.reason = kBoundsOnlyReason;
        }
        report.ops.push_back(std::move(v));
    }
    return report;
}

} // namespace tao::layout
