#include "core/numerics/claim_tally.hpp"

namespace tao::numerics {

namespace {
// Elements per run: a run's inputs stay in the first-level cache if it is judged again
// element by element.
constexpr std::int64_t kRun = 512;

// The common elements of [lo, hi) into t; false (t untouched) if the run holds another.
// For a common element judgeClaimElement's ratio is |y - r| / b (0 where y == r, as the
// division gives), and it raises maxAbs, metric and maxBound alike.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) bool
commonRun(ClaimTally& t, const float* y, const double* r, const double* b, std::int64_t lo,
          std::int64_t hi) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    double metric = 0, maxAbs = 0, maxBound = 0;
    std::int64_t other = 0;
#pragma omp simd reduction(max : metric, maxAbs, maxBound) reduction(+ : other)
    for (std::int64_t i = lo; i < hi; ++i) {
        const double bi = b[i];
        // NaN or infinite claims and references make d NaN or infinite.
        const double d = std::abs(static_cast<double>(y[i]) - r[i]);
        const bool common = bi > 0 && bi < inf && d < inf;
        other += !common;
        metric = std::max(metric, common ? d / bi : 0.0);
        maxAbs = std::max(maxAbs, common ? d : 0.0);
        maxBound = std::max(maxBound, common ? bi : 0.0);
    }
    if (other > 0) return false;
    t.metric = std::max(t.metric, metric);
    t.maxAbs = std::max(t.maxAbs, maxAbs);
    t.maxBound = std::max(t.maxBound, maxBound);
    return true;
}
} // namespace

void judgeClaimRange(ClaimTally& t, const float* y, const double* r, const double* b,
                     std::int64_t lo, std::int64_t hi) {
    for (auto from = lo; from < hi; from += kRun) {
        const auto to = std::min(hi, from + kRun);
        if (commonRun(t, y, r, b, from, to)) continue;
        for (auto i = from; i < to; ++i)
            judgeClaimElement(t, y[i], r[i], b[i]);
    }
}

} // namespace tao::numerics
