// Piecewise activations (hardswish, hardsigmoid, leaky_relu, prelu, elu, softplus) and the
// trigonometric functions. Derivations: docs/numerics.md.
//
// Branches are chosen on the exact FP32 input, so every implementation takes the same
// branch as the reference, except softplus with beta != 1 (the rounded x * beta decides;
// both branches are budgeted where it can differ). Where kernels differ in the formula
// (division by 6 or multiplication by a rounded 1/6; exp(x) - 1 or expm1(x)), the bound is
// the element-wise maximum over the formulas (bound_arith.hpp: maxErr).
#include "core/numerics/bound_arith.hpp"
#include "core/numerics/fp_limits.hpp"

#include <cmath>
#include <limits>

namespace tao::numerics::detail {
namespace {

VE input(const Inputs& in) {
    return leaf(f64(tensorArg(in, 0, "self"), "self"));
}

OpBound single(const VE& y) {
    return bounded({y.v}, {y.e});
}

// relu6(x + 3) as every kernel computes it: one rounded addition, then an exact clamp.
VE relu6Shifted(const Ctx& c, const VE& x) {
    return clampVE(add(c, x, constant(3.0, x.v)), 0.0, 6.0);
}

// hardsigmoid = relu6(x + 3) / 6: divided by 6 (CPU) or multiplied by fl(1/6) (CUDA).
OpBound hardsigmoidOp(const Inputs& in, const Ctx& c) {
    auto x = input(in);
    auto t = relu6Shifted(c, x);
    auto byDiv = div(c, t, constant(6.0, x.v));
    auto byMul = mul(c, t, constant(1.0 / 6.0, x.v));
    auto ref = at::clamp(x.v + 3.0, 0.0, 6.0) / 6.0;
    return single({ref, maxErr({byDiv.e, byMul.e})});
}

// hardswish = x * relu6(x + 3) / 6, in any of the four association orders.
OpBound hardswishOp(const Inputs& in, const Ctx& c) {
    auto x = input(in);
    auto t = relu6Shifted(c, x);
    auto six = constant(6.0, x.v), sixth = constant(1.0 / 6.0, x.v);
    auto xt = mul(c, x, t);
    auto e1 = div(c, xt, six).e;             // (x t) / 6      (CPU)
    auto e2 = mul(c, xt, sixth).e;           // (x t) * fl(1/6) (CUDA)
    auto e3 = mul(c, x, div(c, t, six)).e;   // x (t / 6)
    auto e4 = mul(c, x, mul(c, t, sixth)).e; // x (t fl(1/6))
    auto ref = x.v * at::clamp(x.v + 3.0, 0.0, 6.0) / 6.0;
    return single({ref, maxErr({e1, e2, e3, e4})});
}

// leaky_relu: x for x > 0, else one rounded product x * fl(slope).
OpBound leakyReluOp(const Inputs& in, const Ctx& c) {
    auto x = input(in);
    const double slope = scalarArg(in, 1, 0.01);
    auto neg = mul(c, x, constant(slope, x.v));
    auto pos = x.v > 0;
    return single({at::where(pos, x.v, x.v * slope), at::where(pos, at::zeros_like(x.e), neg.e)});
}

// prelu: x for x > 0, else x * w with w per channel (dim 1) or shared; the FP64 product
// of two FP32 values is exact, so one rounding: u |w x| (+ underflow).
OpBound preluOp(const Inputs& in, const Ctx& c) {
    auto x = f64(tensorArg(in, 0, "self"), "self");
    auto w = f64(tensorArg(in, 1, "weight"), "weight");
    auto ref = at::prelu(x, w);
    auto e = at::where(x > 0, at::zeros_like(ref), c.u * ref.abs() + kTiny);
    return bounded({ref}, {e});
}

// elu(x, alpha, scale, input_scale): scale x for x > 0, else
// scale alpha (exp(x input_scale) - 1), with exp then subtract or expm1, and the
// coefficient alpha * scale formed in FP32 from the FP32-rounded scalars.
OpBound eluOp(const Inputs& in, const Ctx& c) {
    auto x = input(in);
    const double alpha = scalarArg(in, 1, 1.0);
    const double scale = scalarArg(in, 2, 1.0);
    const double inScale = scalarArg(in, 3, 1.0);
    const double coef = alpha * scale;
    // |fl(fl(alpha) fl(scale)) - alpha scale| and |fl(alpha scale) - alpha scale|, exactly.
    const float viaFloat = static_cast<float>(alpha) * static_cast<float>(scale);
    const double coefErr = std::max(std::abs(static_cast<double>(viaFloat) - coef),
                                    std::abs(static_cast<double>(static_cast<float>(coef)) - coef));
    auto opts = x.v.options();
    VE negCoef{at::scalar_tensor(coef, opts), at::scalar_tensor(coefErr, opts)};
    auto arg = inScale == 1.0 ? x : mul(c, x, constant(inScale, x.v));
    const double epsExp = c.eps(MathFn::Exp);
    auto viaExp = mul(c, sub(c, expVE(c, arg, epsExp), constant(1.0, x.v)), negCoef);
    auto viaExpm1 = mul(c, expm1VE(c, arg, c.eps(MathFn::Expm1)), negCoef);
    auto pos = scale == 1.0 ? VE{x.v, at::zeros_like(x.e)} : mul(c, x, constant(scale, x.v));
    auto isPos = x.v > 0;
    auto ref = at::where(isPos, x.v * scale, coef * at::expm1(x.v * inScale));
    auto e = at::where(isPos, pos.e, maxErr({viaExp.e, viaExpm1.e}));
    return single({ref, e});
}

// softplus(x, beta, threshold) = x where x beta > threshold, else log1p(exp(x beta)) / beta.
OpBound softplusOp(const Inputs& in, const Ctx& c) {
    auto x = input(in);
    const double beta = scalarArg(in, 1, 1.0);
    const double threshold = scalarArg(in, 2, 20.0);
    if (beta == 0.0) throw Unsupported("softplus with beta = 0");
    auto xb = beta == 1.0 ? x : mul(c, x, constant(beta, x.v));
    auto l = log1pVE(c, expVE(c, xb, c.eps(MathFn::Exp)), c.eps(MathFn::Log1p));
    VE y = l;
    if (beta != 1.0) {
        auto byDiv = div(c, l, constant(beta, x.v));
        auto byMul = mul(c, l, constant(1.0 / beta, x.v));
        y = {byDiv.v, maxErr({byDiv.e, byMul.e})};
    }
    auto curve = at::log1p(at::exp(x.v * beta)) / beta;
    auto linear = x.v * beta > threshold;
    auto ref = at::where(linear, x.v, curve);
    // The kernel compares the rounded x * beta: within its error of the threshold either
    // branch may be taken, so the other branch's value is budgeted there too.
    auto ambiguous = (xb.v - threshold).abs() <= xb.e;
    auto curveErr = at::nan_to_num(y.e, kInf, kInf, kInf);
    auto e = at::where(linear, at::zeros_like(x.e), curveErr);
    auto both = at::maximum(curveErr, at::zeros_like(x.e)) + (x.v - curve).abs();
    e = at::where(ambiguous, both, e);
    return single({ref, e});
}

// sin, cos: exact FP32 argument, so only the library's own error (k ulp of the result,
// which its documented accuracy covers for every argument, reduction included).
OpBound trigOp(const Inputs& in, const Ctx& c, bool cosine) {
    auto x = input(in);
    auto ref = cosine ? at::cos(x.v) : at::sin(x.v);
    const double eps = c.eps(cosine ? MathFn::Cos : MathFn::Sin);
    return single({ref, eps * ref.abs() + kTiny});
}

} // namespace

const HandlerTable& activationHandlers() {
    static const HandlerTable table = {
        {"aten::hardsigmoid", hardsigmoidOp},
        {"aten::hardswish", hardswishOp},
        {"aten::leaky_relu", leakyReluOp},
        {"aten::prelu", preluOp},
        {"aten::elu", eluOp},
        {"aten::softplus", softplusOp},
        {"aten::sin", [](const Inputs& in, const Ctx& c) { return trigOp(in, c, false); }},
        {"aten::cos", [](const Inputs& in, const Ctx& c) { return trigOp(in, c, true); }},
    };
    return table;
}

} // namespace tao::numerics::detail
