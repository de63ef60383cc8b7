#pragma once
// The element rule that judges a claimed FP32 output against its FP64 reference and bound
// (measureOpError in error_metric.hpp states it), one element at a time. Shared by the
// judging pass over finished tensors and by the bound kernels that judge a claim block by
// block while their results are still in cache (OpBound::judged): both must count the
// same elements the same way, to the bit.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace tao::numerics {

// The smallest magnitude that rounds to infinity in FP32 round-to-nearest: FLT_MAX plus
// half an ulp (2^128 - 2^103). A pre-rounding value below it rounds to a finite number.
inline constexpr double kFltOverflow = 0x1.ffffffp127;

// What measureOpError keeps of a claim's elements.
struct ClaimTally {
    double metric = 0;          // max |y - r| / b over elements with a finite bound
    double maxAbs = 0;          // max |y - r| over the same elements (finite pairs only)
    double maxBound = 0;        // largest finite bound
    std::int64_t unbounded = 0; // elements whose bound is not finite
    std::int64_t wrong = 0;     // NaN, or an infinity no honest run produces there

    void merge(const ClaimTally& o) {
        metric = std::max(metric, o.metric);
        maxAbs = std::max(maxAbs, o.maxAbs);
        maxBound = std::max(maxBound, o.maxBound);
        unbounded += o.unbounded;
        wrong += o.wrong;
    }
};

// Adds the element with claim y, reference r and bound b to t. Returns its ratio
// |y - r| / b (0 where y == r, the least deviation a permitted infinity implies), or -1
// where it has none: no finite bound, or a wrong element (counted in t.wrong).
inline double judgeClaimElement(ClaimTally& t, double y, double r, double b) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (!std::isfinite(b)) {
        ++t.unbounded;
        return -1;
    }
    t.maxBound = std::max(t.maxBound, b);
    if (y == r) return 0;
    const bool finitePair = std::isfinite(y) && std::isfinite(r);
    const bool overflowOk =
        (y == inf && r + b >= kFltOverflow) || (y == -inf && r - b <= -kFltOverflow);
    if (!finitePair && !overflowOk) {
        ++t.wrong;
        return -1;
    }
    const double diff = finitePair ? std::abs(y - r) : 0.0;
    double ratio;
    if (overflowOk)
        ratio = b > 0 ? std::max(kFltOverflow - std::abs(r), 0.0) / b : 0.0;
    else
        ratio = b > 0 ? diff / b : (diff == 0 ? 0.0 : inf);
    t.maxAbs = std::max(t.maxAbs, diff);
    t.metric = std::max(t.metric, ratio);
    return ratio;
}

// judgeClaimElement over elements [lo, hi) of claim y, reference r and bound b, with the
// same tally to the bit. Vectorised (the widest instructions the CPU has) over the common
// elements, finite with a positive finite bound; a run holding any other element is judged
// element by element.
void judgeClaimRange(ClaimTally& t, const float* y, const double* r, const double* b,
                     std::int64_t lo, std::int64_t hi);

} // namespace tao::numerics
