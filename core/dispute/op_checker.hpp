#pragma once
// Judging committed operators the way the challenger and the committee do.
//
// One op (check): re-run it on its committed inputs and compare with its committed outputs.
// With the model's threshold profile this is exactly `tao verify`'s rule (verify::judgeOp):
//   FAIL     outside the sound IEEE-754 bound, output count/shape/dtype differs, NaN/Inf where
//            the reference is finite, an exact (integral) output differs, or the committed
//            schema is not the model's;
//   SUSPECT  within the bound but beyond the op's empirical threshold;
//   PASS     otherwise.
// Ops without a sound bound, and every op when no profile is given, fall back to the
// normwise relative difference to a local FP32 re-execution against `relTolerance`; 1e-5 is
// about 100 FP32 ulps of the output's largest element, well above the run-to-run variation
// of the CPU kernels here and far below any tampering the adversarial modes produce.
//
// A segment (checkSegment): replay ops [lo, hi) from the provider's committed cut state and
// compare every value the segment hands on to later ops with its committed value, each
// against the profile's segment threshold (calibration_profile.hpp). This is how the
// challenger picks a part in the bisection game while fetching only cut states.
#include "core/dispute/coordinator_types.hpp"
#include "core/dispute/trace_source.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/verify/verdict.hpp"

#include <functional>
#include <memory>

namespace tao::graph {
class Model;
}

namespace tao::dispute {

struct CheckOptions {
    // The model's calibrated thresholds (for the registered profile). Without one, ops are
    // judged by relTolerance and segment checks are unavailable.
    std::shared_ptr<const numerics::Profile> profile;
    double relTolerance = 1e-5;
};

struct OpCheck {
    std::uint32_t op = 0;
    std::string kind;
    verify::Verdict verdict = verify::Verdict::NotChecked;
    double relError = 0;         // normwise relative difference to the local FP32 re-run
    double soundUtilisation = 0; // max |y - r| / bound (0 without a bound)
    double threshold = 0;        // the profile's empirical threshold (0 without a profile)
    std::string reason;
};

struct SegmentCheck {
    std::uint32_t lo = 0, hi = 0;
    std::uint32_t worstOp = 0; // the handed-on value furthest beyond (or nearest to) its threshold
    double error = 0;          // its segment metric: max |y - c| / max |c|
    double threshold = 0;      // its segment threshold
    double utilisation = 0;    // error / threshold; > 1 is beyond
    bool beyond = false;
    std::string reason;
};

// How a committee member votes on a check: PASS accepts (reason 0), SUSPECT rejects as beyond
// the threshold (1), FAIL and NO-BOUND-with-difference reject as beyond the bound (2) / (1).
std::pair<bool, VoteReason> voteFor(const OpCheck& check);
std::string describe(const OpCheck& check);
std::string describe(const SegmentCheck& check);
// "PASS", "SUSPECT", ... (as verify::verdictName, kept here so this library needs no link to it).
std::string verdictLabel(verify::Verdict v);

class OpChecker {
public:
    // Throws verify::VerifyError when options.profile was calibrated for another model.
    explicit OpChecker(std::shared_ptr<graph::Model> model, CheckOptions options = {});
    ~OpChecker();
    bool hasProfile() const;
    std::uint32_t opCount() const;
    std::string kind(std::uint32_t op) const;
    // Checks op `op` of `source` on its committed inputs. Throws what the source throws
    // (ProviderFaultError for tensors that do not match the commitment).
    OpCheck check(std::uint32_t op, TraceSource& source);
    // The first op in [from, to) whose check is not PASS; `progress(done, total)` may cancel.
    std::optional<OpCheck>
    firstNonPass(TraceSource& source, std::uint32_t from = 0, std::uint32_t to = 0,
                 const std::function<bool(std::size_t, std::size_t)>& progress = {});
    // Replays [lo, hi) from `source`'s cut state (fetching only the values live at lo and
    // the committed values live at hi). Throws std::logic_error without a profile, what the
    // source throws, graph::ModelError when an op fails on the committed inputs.
    SegmentCheck checkSegment(std::uint32_t lo, std::uint32_t hi, TraceSource& source);
    // Op indices (strictly increasing, < op) whose committed outputs `op` reads directly.
    std::vector<std::uint32_t> inputOps(std::uint32_t op) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The same, from the manifest's input references ("op:<i>.<j>").
std::vector<std::uint32_t> inputOpsOf(const std::vector<std::string>& inputRefs);
inline std::vector<std::uint32_t> inputOpsOf(const trace::OpRecord& record) {
    return inputOpsOf(record.inputs);
}

} // namespace tao::dispute
