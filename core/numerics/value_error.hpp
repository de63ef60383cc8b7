#pragma once
// Internal to core/numerics: the value-and-error pair of bound_arith.hpp and the
// primitives most formulas are built from, written once for two element types: FP64
// tensors (whole operands at a time) and doubles (one element at a time, in fused loops over
// an operator's rows, where a formula of dozens of steps would otherwise make as many
// tensor passes). A third element type, el::D4 (element_vector.hpp), runs the same steps
// on four elements at once in the fused per-element loops. All evaluate the same steps in
// the same order; only the FP64 math libraries may differ in the last bits, which
// kVerifierU budgets.
#include "core/numerics/element_vector.hpp"
#include "core/numerics/math_allowance.hpp"
#include "core/numerics/op_bound.hpp"

#include <ATen/ATen.h>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <utility>

namespace tao::numerics::detail {

constexpr double kFltMax = 3.4028234663852886e38;
// Absolute error of one rounding in the underflow range: 2^-126 covers gradual underflow
// (half a subnormal ulp) and flush-to-zero of results alike.
constexpr double kTiny = 0x1p-126;
// The verifier's FP64 evaluation follows the same expression with unit roundoff 2^-53 and
// FP64 libm within a few ulp; adding 2^-50 to u budgets for it (gamma is superadditive).
constexpr double kVerifierU = 0x1p-50;

struct Ctx {
    BoundParams params;
    double u = 0; // params.u + kVerifierU
    // The claimed output a fused kernel may judge in its own pass (ClaimJudge in
    // bound_arith.hpp); null unless referenceAndBound was given one.
    const at::Tensor* claim = nullptr;
    // false: a kernel that judges `claim` keeps only the tally (OpBound::judged), not the
    // output's FP64 reference and bound, which then never exist whole (ClaimJudge).
    bool keepTensors = true;
    explicit Ctx(const BoundParams& p);
    // Relative allowance of a math function: (2k + 1) u with k = margin * max(doc, measured).
    double eps(MathFn fn) const { return eps_[static_cast<std::size_t>(fn)]; }
    // gamma_n = n u / (1 - n u); +inf when n u >= 1 (no bound).
    double gamma(double n) const { return gammaFor(n, u); }
    static double gammaFor(double n, double unit);
    // Relative coefficient of a length-n dot product / matmul / conv (n counts the extra
    // roundings of scaling and bias). FP32: gamma_n. TF32: inputs rounded to 10 explicit
    // bits (2^-10 covers truncation as well as rounding) and non-IEEE tensor-core
    // accumulation (2u inside gamma): (1 + 2^-10)^2 (1 + gamma_n(2u)) - 1.
    double dotCoefficient(double n) const;

private:
    // Looked up once: per-element formulas ask for them in their inner loop.
    std::array<double, static_cast<std::size_t>(MathFn::Count)> eps_{};
};

// The element operations the primitives use, overloaded for both element types.
namespace el {
constexpr double kInf = std::numeric_limits<double>::infinity();
inline at::Tensor abs(const at::Tensor& t) {
    return t.abs();
}
inline double abs(double x) {
    return std::abs(x);
}
inline at::Tensor isFinite(const at::Tensor& t) {
    return at::isfinite(t);
}
inline bool isFinite(double x) {
    return std::isfinite(x);
}
inline at::Tensor isInf(const at::Tensor& t) {
    return at::isinf(t);
}
inline bool isInf(double x) {
    return std::isinf(x);
}
inline at::Tensor both(const at::Tensor& a, const at::Tensor& b) {
    return a & b;
}
inline bool both(bool a, bool b) {
    return a && b;
}
inline at::Tensor select(const at::Tensor& c, const at::Tensor& a, const at::Tensor& b) {
    return at::where(c, a, b);
}
inline double select(bool c, double a, double b) {
    return c ? a : b;
}
inline at::Tensor inf(const at::Tensor& like) {
    return at::full_like(like, kInf);
}
inline double inf(double) {
    return kInf;
}
inline at::Tensor zero(const at::Tensor& like) {
    return at::zeros_like(like);
}
inline double zero(double) {
    return 0.0;
}
// A constant shaped for broadcasting against `like` (a 0-dim tensor, or the double).
inline at::Tensor scalarLike(double c, const at::Tensor& like) {
    return at::scalar_tensor(c, like.options().dtype(at::kDouble));
}
inline double scalarLike(double c, double) {
    return c;
}
inline at::Tensor exp(const at::Tensor& t) {
    return at::exp(t);
}
inline double exp(double x) {
    return std::exp(x);
}
inline at::Tensor expm1(const at::Tensor& t) {
    return at::expm1(t);
}
inline double expm1(double x) {
    return std::expm1(x);
}
inline at::Tensor erf(const at::Tensor& t) {
    return at::erf(t);
}
inline double erf(double x) {
    return std::erf(x);
}
inline at::Tensor erfc(const at::Tensor& t) {
    return at::erfc(t);
}
inline double erfc(double x) {
    return std::erfc(x);
}
inline at::Tensor tanh(const at::Tensor& t) {
    return at::tanh(t);
}
inline double tanh(double x) {
    return std::tanh(x);
}
inline at::Tensor sigmoid(const at::Tensor& t) {
    return at::sigmoid(t);
}
inline double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}
inline at::Tensor clampMin(const at::Tensor& t, double lo) {
    return at::clamp_min(t, lo);
}
inline double clampMin(double x, double lo) {
    return x < lo ? lo : x;
}
inline at::Tensor clampMax(const at::Tensor& t, double hi) {
    return at::clamp_max(t, hi);
}
inline double clampMax(double x, double hi) {
    return x > hi ? hi : x;
}
// NaN and infinities become +inf: a formula that gives NaN gives no bound.
inline at::Tensor nanToInf(const at::Tensor& t) {
    return at::nan_to_num(t, kInf, kInf, kInf);
}
inline double nanToInf(double x) {
    return std::isfinite(x) ? x : kInf;
}
inline at::Tensor rsqrt(const at::Tensor& t) {
    return at::rsqrt(t);
}
inline double rsqrt(double x) {
    return 1.0 / std::sqrt(x);
}
inline at::Tensor maximum(const at::Tensor& a, const at::Tensor& b) {
    return at::maximum(a, b);
}
inline double maximum(double a, double b) {
    return a < b ? b : a;
}
} // namespace el

// v: the exact value of a sub-expression (FP64, up to the verifier's own error); e >= 0 (may
// be +inf): a bound on |computed FP32 value - v| (bound_arith.hpp).
template <class T> struct BasicVE {
    T v;
    T e;
};

// An intermediate as a later step sees it: e = +inf where it may have overflowed in FP32.
// An exact infinity stays as it is.
template <class T> BasicVE<T> inRange(const BasicVE<T>& x) {
    auto mayOverflow = el::both(el::isFinite(x.v), el::abs(x.v) + x.e > kFltMax);
    return {x.v, el::select(mayOverflow, el::inf(x.e), x.e)};
}

// m * e with 0 where e == 0, so an exact operand never turns an infinite magnitude into NaN.
template <class T> TAO_INLINE_D4 T scaledErr(const T& m, const T& e) {
    return el::select(e == 0, el::zero(e), m * e);
}

template <class T> BasicVE<T> leaf(const T& x64) { // exact input
    return {x64, el::zero(x64)};
}

// A scalar as the FP32 kernel sees it: fl32(c), where the exact operator uses c.
template <class T> BasicVE<T> constant(double c, const T& like) {
    const double err = std::abs(c - static_cast<double>(static_cast<float>(c)));
    return {el::scalarLike(c, like), el::scalarLike(std::isfinite(err) ? err : 0.0, like)};
}

// One more rounding. An infinite result is not rounded: with exact operands it is exact.
template <class T> BasicVE<T> rounded(const Ctx& c, const T& v, const T& e) {
    return {v, el::select(el::isInf(v), e, T(e + c.u * (el::abs(v) + e) + kTiny))};
}

template <class T> BasicVE<T> add(const Ctx& c, const BasicVE<T>& a0, const BasicVE<T>& b0) {
    auto a = inRange(a0), b = inRange(b0);
    return rounded(c, T(a.v + b.v), T(a.e + b.e));
}

template <class T> BasicVE<T> sub(const Ctx& c, const BasicVE<T>& a0, const BasicVE<T>& b0) {
    auto a = inRange(a0), b = inRange(b0);
    return rounded(c, T(a.v - b.v), T(a.e + b.e));
}

template <class T> BasicVE<T> mul(const Ctx& c, const BasicVE<T>& a0, const BasicVE<T>& b0) {
    auto a = inRange(a0), b = inRange(b0);
    return rounded(c, T(a.v * b.v),
                   T(scaledErr(el::abs(a.v), b.e) + scaledErr(el::abs(b.v), a.e) + a.e * b.e));
}

template <class T> BasicVE<T> div(const Ctx& c, const BasicVE<T>& a0, const BasicVE<T>& b0) {
    auto a = inRange(a0), b = inRange(b0);
    T v = a.v / b.v;
    T den = el::abs(b.v) - b.e;
    T prop = el::select(den > 0, T((a.e + scaledErr(el::abs(v), b.e)) / den), el::inf(v));
    // An exact zero numerator and denominator error 0 propagate nothing.
    prop = el::select(el::both(a.e == 0, b.e == 0), el::zero(prop), prop);
    return rounded(c, v, prop);
}

template <class T> BasicVE<T> expVE(const Ctx&, const BasicVE<T>& x0, double eps) {
    auto x = inRange(x0);
    T v = el::exp(x.v);
    T prop = el::select(x.e == 0, el::zero(v), T(v * el::expm1(x.e)));
    return {v, T(prop + eps * el::exp(T(x.v + x.e)) + kTiny)};
}

template <class T> BasicVE<T> tanhVE(const Ctx&, const BasicVE<T>& x0, double eps) {
    auto x = inRange(x0);
    T v = el::tanh(x.v);
    T z = el::clampMin(T(el::abs(x.v) - x.e), 0.0);
    T t = el::tanh(z);
    T prop = (1.0 - t * t) * x.e;
    return {v, T(prop + eps * (el::abs(v) + prop) + kTiny)};
}

// erf(v + d) - erf(v) is at most 2/sqrt(pi) e^{-z^2} |d| with z the least |x| in reach;
// the same holds for erfc (erfc' = -erf'), and for -x as for x.
template <class T> TAO_INLINE_D4 T erfFamilyPropagation(const BasicVE<T>& x) {
    T z = el::clampMin(T(el::abs(x.v) - x.e), 0.0);
    return (2.0 / std::sqrt(M_PI)) * el::exp(T(-z * z)) * x.e;
}

template <class T> BasicVE<T> erfVE(const Ctx&, const BasicVE<T>& x0, double eps) {
    auto x = inRange(x0);
    T v = el::erf(x.v);
    T prop = erfFamilyPropagation(x);
    return {v, T(prop + eps * (el::abs(v) + prop) + kTiny)};
}

template <class T> BasicVE<T> erfcVE(const Ctx&, const BasicVE<T>& x0, double eps) {
    auto x = inRange(x0);
    T v = el::erfc(x.v);
    T prop = erfFamilyPropagation(x);
    return {v, T(prop + eps * (el::abs(v) + prop) + kTiny)};
}

// {erfVE(x), erfcVE(-x)} with their shared propagation term evaluated once (GELU's two
// formulas need both; each costs an exp).
template <class T>
std::pair<BasicVE<T>, BasicVE<T>> erfAndErfcOfNegVE(const BasicVE<T>& x0, double epsErf,
                                                    double epsErfc) {
    auto x = inRange(x0);
    T prop = erfFamilyPropagation(x);
    T v = el::erf(x.v), w = el::erfc(T(-x.v));
    return {{v, T(prop + epsErf * (el::abs(v) + prop) + kTiny)},
            {w, T(prop + epsErfc * (el::abs(w) + prop) + kTiny)}};
}

// Element-wise max of the error bounds of several evaluation formulas of the same value:
// sound for an implementation using any one of them. NaN means "no bound" for that
// formula; it is kept infinite rather than lost in the max.
template <class T> TAO_INLINE_D4 T maxErr(std::initializer_list<T> es) {
    auto it = es.begin();
    T m = el::nanToInf(*it);
    for (++it; it != es.end(); ++it)
        m = el::maximum(m, el::nanToInf(*it));
    return m;
}

// tanh directly from the math library, or as (1 - e^{-2|x|}) / (1 + e^{-2|x|}) with the
// sign restored; the latter loses relative accuracy near 0 (an absolute error remains).
template <class T> BasicVE<T> tanhAny(const Ctx& c, const BasicVE<T>& x) {
    auto direct = tanhVE(c, x, c.eps(MathFn::Tanh));
    BasicVE<T> negTwoAbs{T(-2.0 * el::abs(x.v)), T(2.0 * x.e)};
    auto ex = expVE(c, negTwoAbs, c.eps(MathFn::Exp));
    auto one = constant(1.0, x.v);
    auto q = div(c, sub(c, one, ex), add(c, one, ex));
    return {direct.v, maxErr({direct.e, q.e})};
}

// sigmoid by three formulas; exp arguments are capped at 80 (beyond that the FP32 exp
// overflows and an honest result is anything in [0, sigma(x)], which the cap case covers).
template <class T> BasicVE<T> sigmoidAny(const Ctx& c, const BasicVE<T>& x) {
    const double epsExp = c.eps(MathFn::Exp);
    auto one = constant(1.0, x.v);
    T v = el::sigmoid(x.v);
    // 1 / (1 + e^{-x})
    BasicVE<T> negX{el::clampMax(T(-x.v), 80.0), x.e};
    auto a = div(c, one, add(c, one, expVE(c, negX, epsExp)));
    T eA = el::select(-x.v > 80.0, T(v * (1.0 + epsExp) + x.e * v + 2 * kTiny), a.e);
    // e^{x} / (1 + e^{x}), used for x < 0
    BasicVE<T> posX{el::clampMax(x.v, 80.0), x.e};
    auto ex = expVE(c, posX, epsExp);
    auto b = div(c, ex, add(c, one, ex));
    T eB = el::select(x.v < 0, b.e, el::zero(b.e));
    // 0.5 + 0.5 tanh(x / 2)
    BasicVE<T> half{T(0.5 * x.v), T(0.5 * x.e)};
    auto th = tanhAny(c, half);
    auto cform = add(c, constant(0.5, x.v), mul(c, constant(0.5, x.v), th));
    // The kernel as measured (relative allowance of the whole function).
    T kernel = c.eps(MathFn::Sigmoid) * v + kTiny;
    return {v, maxErr({eA, eB, cform.e, kernel})};
}

} // namespace tao::numerics::detail
