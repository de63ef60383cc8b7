#pragma once
// Verifying a provider's committed trace: every operator is recomputed in FP64 from the
// provider's own committed inputs (so error never accumulates along the graph), and its
// committed output is judged against the sound bound and the profile's empirical
// threshold (metric: see core/numerics/calibration_profile.hpp) by the one rule of
// judge_op.hpp, which the challenger and the committee use as well:
//   FAIL      output count/shape wrong, NaN/Inf no honest FP32 run produces, or
//             max |y - r| / bound > 1 (provably wrong);
//   NO-BOUND  no sound bound for the operator or for some of its output elements (never
//             silently accepted);
//   SUSPECT   within the bound but beyond the empirical threshold, or the profile has no
//             samples for the operator (a committee question);
//   PASS      within the empirical threshold, every element bounded.
// Torch-free: the CLI and views call it with a loaded model and bundle.
#include "core/numerics/calibration_profile.hpp"
#include "core/trace/manifest.hpp"
#include "core/verify/verdict.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

namespace tao::graph {
class Model;
}
namespace tao::trace {
class TraceBundle;
}

namespace tao::verify {

// A model, trace or profile that do not belong together, or unusable trace contents;
// the message names the file and the reason.
class VerifyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct VerifyOptions {
    std::optional<std::uint32_t> op; // only this operator
    // Only operators [first, second), e.g. one shard (shardRange); ignored when `op` is set.
    // Each operator is judged from its committed inputs, so a range's verdicts are exactly
    // those of the whole run.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> range;
    // Called with (ops done, ops to check); returning false cancels (graph::OperationCancelled).
    std::function<bool(std::size_t, std::size_t)> progress;
    // The run's recorded runtime, whose arithmetic switches (TF32, flushed denormals) the
    // bounds follow (arithmetic_check.hpp). verifyTrace and boundsOfTrace take it from the
    // bundle when unset; unset elsewhere means strict IEEE FP32 on a CPU.
    std::optional<trace::RuntimeInfo> runtime;
};

// Shard `index` of `count` over `opCount` operators: contiguous ranges [lo, hi) that cover
// every operator once, their sizes differing by at most one. Throws std::invalid_argument
// unless index < count and count >= 1.
std::pair<std::uint32_t, std::uint32_t> shardRange(std::uint32_t opCount, std::uint32_t index,
                                                   std::uint32_t count);

// Throws VerifyError when the profile was calibrated for another model (different id) or
// its operator list differs from the model's (missing operators, other kinds).
void checkProfileMatchesModel(const graph::Model& model, const numerics::Profile& profile,
                              const std::string& profileName);

// Throws VerifyError for a trace of another model, a light trace (no tensors), a profile
// that does not match, or non-finite model inputs; std::runtime_error for tensors that do
// not match their committed hashes; graph::OperationCancelled on cancel.
VerifyReport verifyTrace(const std::shared_ptr<graph::Model>& model,
                         const trace::TraceBundle& bundle, const numerics::Profile& profile,
                         const VerifyOptions& options = {});

// Per operator: the sound bound and the trace's error against it, without a profile.
struct BoundSummary {
    std::uint32_t op = 0;
    std::string kind;
    std::string scope;
    std::string status;         // "bounded", "exact", "no-bound", "not-checked" (reads an
                                // altered tensor)
    std::string reason;         // why no bound, or why the output is wrong (failure)
    double maxBound = 0;        // largest finite element bound
    double maxAbsError = 0;     // max |y - r| over elements with a finite bound
    double utilisation = 0;     // max |y - r| / bound; > 1 is beyond the bound
    std::int64_t unbounded = 0; // elements without a finite bound
    bool failure = false;       // wrong regardless of any bound (shape, NaN/Inf)
};

// Same preconditions and errors as verifyTrace, minus the profile. Bounds follow the
// trace's recorded arithmetic switches; `tf32` assumes TF32 matmul/conv inputs as well.
std::vector<BoundSummary> boundsOfTrace(const std::shared_ptr<graph::Model>& model,
                                        const trace::TraceBundle& bundle,
                                        const VerifyOptions& options = {}, bool tf32 = false);

} // namespace tao::verify
