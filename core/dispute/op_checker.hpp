#pragma once
// Judging one committed operator the way the challenger and the committee do: re-run it on
// its committed inputs and compare with its committed outputs under two rules.
//   FAIL     some element is outside the sound IEEE-754 bound (core/numerics), the output
//            count/shape/dtype differs, a NaN/Inf appears where the reference is finite,
//            an exact (integral) output differs, or the committed schema is not the model's;
//   SUSPECT  within the bound, but the normwise relative difference to a local FP32
//            re-execution exceeds `relTolerance`;
//   PASS     otherwise.
// The relative tolerance stands in for the calibrated empirical threshold until threshold
// profiles are wired in; 1e-5 is about 100 FP32 ulps of the output's largest element, well
// above the run-to-run variation of the CPU kernels here and far below any tampering the
// adversarial modes produce (see tests/dispute).
#include "core/dispute/coordinator_types.hpp"
#include "core/dispute/trace_source.hpp"
#include "core/verify/verdict.hpp"

#include <functional>
#include <memory>

namespace tao::graph {
class Model;
}

namespace tao::dispute {

struct CheckOptions {
    double relTolerance = 1e-5;
};

struct OpCheck {
    std::uint32_t op = 0;
    std::string kind;
    verify::Verdict verdict = verify::Verdict::NotChecked;
    double relError = 0;         // normwise relative difference to the local FP32 re-run
    double soundUtilisation = 0; // max |y - r| / bound (0 without a bound)
    std::string reason;
};

// How a committee member votes on a check: PASS accepts (reason 0), SUSPECT rejects as beyond
// the threshold (1), FAIL and NO-BOUND-with-difference reject as beyond the bound (2) / (1).
std::pair<bool, VoteReason> voteFor(const OpCheck& check);
std::string describe(const OpCheck& check);
// "PASS", "SUSPECT", ... (as verify::verdictName, kept here so this library needs no link to it).
std::string verdictLabel(verify::Verdict v);

class OpChecker {
public:
    explicit OpChecker(std::shared_ptr<graph::Model> model, CheckOptions options = {});
    ~OpChecker();
    std::uint32_t opCount() const;
    std::string kind(std::uint32_t op) const;
    // Checks op `op` of `source` on its committed inputs. Throws what the source throws
    // (ProviderFaultError for tensors that do not match the commitment).
    OpCheck check(std::uint32_t op, TraceSource& source);
    // The first op in [from, to) whose check is not PASS; `progress(done, total)` may cancel.
    std::optional<OpCheck>
    firstNonPass(TraceSource& source, std::uint32_t from = 0, std::uint32_t to = 0,
                 const std::function<bool(std::size_t, std::size_t)>& progress = {});
    // Op indices (strictly increasing, < op) whose committed outputs `op` reads directly.
    std::vector<std::uint32_t> inputOps(std::uint32_t op) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The same, from the manifest's input references ("op:<i>.<j>").
std::vector<std::uint32_t> inputOpsOf(const trace::OpRecord& record);

} // namespace tao::dispute
