#pragma once
// The auditor's judgement of each operator of a provider's trace against the two
// error models: the sound IEEE-754 bound and the empirical threshold calibrated
// across hardware. Torch-free, so views and the CLI can hold reports.
#include "core/commit/hash.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tao::verify {

enum class Verdict {
    Pass,    // within the empirical threshold
    Suspect, // beyond the empirical threshold, within the sound bound: a committee question
    Fail, // beyond the sound bound (or a non-finite output where the reference is finite): provably
          // wrong
    NoBound,    // no bound for the operator kind or for some of its output elements; never
                // silently accepted
    NotChecked, // not (yet) verified, e.g. tensors not available
};

std::string_view verdictName(Verdict v); // "PASS", "SUSPECT", "FAIL", "NO-BOUND", "NOT-CHECKED"
std::optional<Verdict> verdictFromName(std::string_view name);
// Orders verdicts by severity for "worst child" colouring: Fail > NoBound > Suspect > Pass >
// NotChecked.
int severity(Verdict v);

struct OpVerdict {
    std::uint32_t op = 0;
    std::string kind;
    std::string scope;
    Verdict verdict = Verdict::NotChecked;
    // Error of the claimed output against the FP64 reference, in the metric the
    // profile is calibrated in (see core/verify); absolute max |y - r| is kept too.
    double error = 0;
    double maxAbsError = 0;
    double empiricalThreshold = 0; // in the same metric as `error`
    // error / empiricalThreshold; > 1 means beyond the empirical threshold.
    double empiricalUtilisation = 0;
    // max over elements of |y - r| / bound; > 1 means beyond the sound bound.
    double soundUtilisation = 0;
    // Output elements without a finite bound (never PASS: see judge_op.hpp).
    std::int64_t unboundedElements = 0;
    std::string reason; // why FAIL / NO-BOUND / NOT-CHECKED, empty for PASS
};

struct VerifyReport {
    commit::Hash32 modelId;
    commit::Hash32 traceRoot;
    commit::Hash32 profileHash;
    std::vector<OpVerdict> ops;

    // The worst verdict over all operators (Pass for an empty report).
    Verdict overall() const;
    std::size_t count(Verdict v) const;
    // First operator in topological order whose verdict is not Pass, if any.
    std::optional<std::uint32_t> firstNonPass() const;
};

} // namespace tao::verify
