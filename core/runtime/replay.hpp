#pragma once
// Re-executing operators of a committed trace on the trace's own committed
// inputs and measuring how far the local results are from the committed ones.
#include "core/runtime/runtime_settings.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tao::graph {
class Model;
}
namespace tao::trace {
class TraceBundle;
}

namespace tao::runtime {

struct OpComparison {
    std::uint32_t op = 0;
    std::string kind;
    std::string scope;
    double maxAbs = 0; // max |local - committed| over all output elements
    double maxRel = 0; // max |local - committed| / max(|committed|, FLT_MIN)
    bool bitExact = false;
    std::string problem; // non-empty when outputs could not be compared (shape, dtype, NaN)
    // Non-empty when bit-exactness is not promised for this op, with the reason: a
    // committed input without a reproducible layout, or a kernel known to vary.
    std::string caveat;
};

struct ReplayOptions {
    std::uint32_t from = 0;
    std::uint32_t to = 0; // exclusive; 0 = to the last operator
    // false: every operator runs on its committed inputs (errors do not accumulate);
    // true: one segment runs from the cut state at `from` (errors accumulate inside it).
    bool segment = false;
    RuntimeSettings settings;
    std::function<bool(std::size_t, std::size_t)> progress; // false cancels
};

// Throws std::runtime_error when the trace belongs to another model or holds no
// tensors, graph::OperationCancelled on cancel.
std::vector<OpComparison> replay(const std::shared_ptr<graph::Model>& model,
                                 const trace::TraceBundle& bundle, const ReplayOptions& options);

// Two traces of one model on the same inputs (two providers, or a provider and a local
// capture), matched operator by operator: `other`'s outputs measured against `bundle`'s as a
// replay measures local results (bitExact by hash, maxAbs, maxRel). Operators whose hashes
// agree are not read. With a light trace on either side, differing operators are reported by
// hash alone (`problem` says so). Throws std::runtime_error saying the traces do not match
// when either is not a trace of `model` or their inputs differ; graph::OperationCancelled on
// cancel.
std::vector<OpComparison>
compareTraces(const std::shared_ptr<graph::Model>& model, const trace::TraceBundle& bundle,
              const trace::TraceBundle& other,
              const std::function<bool(std::size_t, std::size_t)>& progress = {});

// What a person reads first of a comparison: how many operators are identical, the first that
// differs and the one with the largest relative difference (both null when none differs).
// The pointers point into `results`.
struct ComparisonSummary {
    std::size_t identical = 0;
    const OpComparison* first = nullptr;
    const OpComparison* largest = nullptr;
};
ComparisonSummary summarise(const std::vector<OpComparison>& results);

} // namespace tao::runtime
