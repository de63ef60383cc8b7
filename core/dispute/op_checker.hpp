#pragma once
// Judging committed operators the way the challenger and the committee do.
//
// One op (check): re-run it on its committed inputs and judge its committed outputs by
// exactly `tao verify`'s rule (verify::judgeOp -> verify::judgeOperator, judge_op.hpp) with
// the model's threshold profile:
//   FAIL      outside the sound IEEE-754 bound, output count/shape/dtype differs, NaN/Inf no
//             honest run produces, or the committed schema is not the model's;
//   NO-BOUND  no sound bound for the op or some of its output elements (never accepted);
//   SUSPECT   within the bound but beyond the op's empirical threshold;
//   PASS      otherwise.
// There is no second rule: a profile is required, and an op without a bound is NO-BOUND
// here as it is in `tao verify`.
//
// The output leaf (the trace's last leaf, after the ops): its committed hash must be exactly
// the hash of the tensors the model's forward returns, as the trace committed them (the
// model's own output references, not the provider's): PASS or FAIL, no tolerance.
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

// The graph commitment of `model`'s wiring (commit/graph_commitment.hpp): what the model's
// registration on chain must hold for games over it to be judged on this wiring.
commit::Hash32 graphRootOf(const graph::Model& model);

struct CheckOptions {
    // The model's calibrated thresholds (the registered profile). Required.
    std::shared_ptr<const numerics::Profile> profile;
};

struct OpCheck {
    std::uint32_t op = 0;
    std::string kind;
    verify::Verdict verdict = verify::Verdict::NotChecked;
    double soundUtilisation = 0; // max |y - r| / bound (0 without a bound)
    double threshold = 0;        // the profile's empirical threshold (0 when it has none)
    std::string reason;
};

// What check() judged an operator against, for people and evidence: the FP64 reference and
// the sound bound of each output, recomputed on the committed inputs (host tensors, F64).
struct OpReference {
    std::vector<trace::HostTensor> reference;
    std::vector<trace::HostTensor> bound;
    std::string note; // why they are empty (no bound, the output leaf)
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

// How a committee member votes on a check: PASS accepts (reason 0), SUSPECT and NO-BOUND
// reject as beyond the threshold (1: not proven wrong, but not within what is accepted),
// FAIL rejects as beyond the bound (2).
std::pair<bool, VoteReason> voteFor(const OpCheck& check);
std::string describe(const OpCheck& check);
std::string describe(const SegmentCheck& check);
// "PASS", "SUSPECT", ... (as verify::verdictName, kept here so this library needs no link to it).
std::string verdictLabel(verify::Verdict v);

class OpChecker {
public:
    // Throws std::invalid_argument without options.profile, verify::VerifyError when it was
    // calibrated for another model.
    OpChecker(std::shared_ptr<graph::Model> model, CheckOptions options);
    ~OpChecker();
    // The model's operators; the trace's leaves are these and the output leaf after them.
    std::uint32_t opCount() const;
    std::uint32_t leafCount() const { return opCount() + 1; }
    // The model's graph commitment (commit/graph_commitment.hpp), what its registration on
    // chain must hold.
    commit::Hash32 graphRoot() const;
    std::string kind(std::uint32_t op) const;
    // Checks leaf `op` of `source`: an op on its committed inputs, or the output leaf. Throws
    // what the source throws (ProviderFaultError for tensors that do not match the commitment).
    // `reference`, when given, receives the reference and bound the verdict rests on
    // (recurrent kinds: step-wise, given the committed outputs).
    OpCheck check(std::uint32_t op, TraceSource& source, OpReference* reference = nullptr);
    // The first leaf in [from, to) whose check is not PASS (to = 0: every leaf);
    // `progress(done, total)` may cancel.
    std::optional<OpCheck>
    firstNonPass(TraceSource& source, std::uint32_t from = 0, std::uint32_t to = 0,
                 const std::function<bool(std::size_t, std::size_t)>& progress = {});
    // Replays [lo, hi) from `source`'s cut state (hi = leafCount() also checks the output leaf)
    // (fetching only the values live at lo and the committed values live at hi). Throws what the
    // source throws, graph::ModelError when an op fails on the committed inputs.
    SegmentCheck checkSegment(std::uint32_t lo, std::uint32_t hi, TraceSource& source);
    // Leaf indices (strictly increasing, < op) whose committed outputs leaf `op` reads directly.
    std::vector<std::uint32_t> inputOps(std::uint32_t op) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The same, from the manifest's input references ("op:<i>.<j>").
inline std::vector<std::uint32_t> inputOpsOf(const trace::OpRecord& record) {
    return trace::inputOpsOf(record.inputs);
}

} // namespace tao::dispute
