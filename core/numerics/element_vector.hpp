#pragma once
// Internal to core/numerics: four FP64 elements as one value (el::D4), with the element
// operations value_error.hpp's primitives use, so that a fused per-element loop evaluates
// four elements per step. Every operation gives, lane by lane, what its double overload
// gives: the same IEEE arithmetic and comparisons (NaN compares false, so selects fall the
// same way), and the math functions of vector_math.hpp (glibc's, within a few ulp).
//
// A D4 is passed in one AVX register by code built for AVX and in memory by code built
// for the x86-64 baseline, and perElement's loop is built for both (bound_arith.hpp). So
// no function that takes or returns a bare D4 may be called out of line: each is
// always_inline, and the build fails where one cannot be inlined.
#include "core/numerics/vector_math.hpp"

#include <cstdint>
#include <cstring>
#include <limits>

#define TAO_INLINE_D4 [[gnu::always_inline]] inline

// GCC notes at each function below that AVX code passes a D4 in other registers; none is
// called out of line, so the note is moot (as in the libraries built with -Wno-psabi).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace tao::numerics::detail::el {

typedef double D4 __attribute__((vector_size(32)));
// What comparing two D4 gives: all bits set in a lane where the comparison holds.
using M4 = decltype(D4{} < D4{});

TAO_INLINE_D4 D4 broadcast(double c) {
    return D4{c, c, c, c};
}
// The first `lanes` (1 to 4) floats at p as doubles, the other lanes 0.
TAO_INLINE_D4 D4 loadFloats(const float* p, std::int64_t lanes) {
    if (lanes == 4) return D4{p[0], p[1], p[2], p[3]};
    D4 v{};
    for (std::int64_t k = 0; k < lanes; ++k)
        v[k] = static_cast<double>(p[k]);
    return v;
}
TAO_INLINE_D4 D4 abs(D4 x) {
    constexpr auto m = std::numeric_limits<std::int64_t>::max();
    return (D4)((M4)x & M4{m, m, m, m});
}
TAO_INLINE_D4 M4 isFinite(D4 x) {
    return abs(x) < std::numeric_limits<double>::infinity();
}
TAO_INLINE_D4 M4 isInf(D4 x) {
    return abs(x) == std::numeric_limits<double>::infinity();
}
TAO_INLINE_D4 M4 both(M4 a, M4 b) {
    return a & b;
}
TAO_INLINE_D4 D4 select(M4 c, D4 a, D4 b) {
    return c ? a : b;
}
TAO_INLINE_D4 D4 inf(D4) {
    return broadcast(std::numeric_limits<double>::infinity());
}
TAO_INLINE_D4 D4 zero(D4) {
    return D4{};
}
TAO_INLINE_D4 D4 scalarLike(double c, D4) {
    return broadcast(c);
}
TAO_INLINE_D4 D4 applyMath(void (*fn)(const double*, double*), D4 x) {
    double in[4], out[4];
    std::memcpy(in, &x, sizeof in);
    fn(in, out);
    D4 y;
    std::memcpy(&y, out, sizeof y);
    return y;
}
TAO_INLINE_D4 D4 exp(D4 x) {
    return applyMath(vecmath::exp4, x);
}
TAO_INLINE_D4 D4 expm1(D4 x) {
    return applyMath(vecmath::expm1_4, x);
}
TAO_INLINE_D4 D4 erf(D4 x) {
    return applyMath(vecmath::erf4, x);
}
TAO_INLINE_D4 D4 erfc(D4 x) {
    return applyMath(vecmath::erfc4, x);
}
TAO_INLINE_D4 D4 tanh(D4 x) {
    return applyMath(vecmath::tanh4, x);
}
TAO_INLINE_D4 D4 sigmoid(D4 x) {
    return 1.0 / (1.0 + exp(-x));
}
TAO_INLINE_D4 D4 clampMin(D4 x, double lo) {
    return select(x < lo, broadcast(lo), x);
}
TAO_INLINE_D4 D4 clampMax(D4 x, double hi) {
    return select(x > hi, broadcast(hi), x);
}
TAO_INLINE_D4 D4 nanToInf(D4 x) {
    return select(isFinite(x), x, inf(x));
}
TAO_INLINE_D4 D4 maximum(D4 a, D4 b) {
    return select(a < b, b, a);
}

} // namespace tao::numerics::detail::el

#pragma GCC diagnostic pop
