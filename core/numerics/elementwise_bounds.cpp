// Element-wise arithmetic and activation functions.
//
// Each bound evaluates the operator's formula with the bound arithmetic (bound_arith.hpp).
// Where implementations differ in the formula itself (sigmoid as 1/(1+e^-x), e^x/(1+e^x)
// or 0.5+0.5 tanh(x/2); division as a/b or a*(1/b)), the bound is the element-wise maximum
// over the formulas, which is sound for an implementation using any one of them.
#include "core/numerics/bound_arith.hpp"
#include "core/numerics/fp_limits.hpp"

#include <cmath>
#include <limits>
#include <optional>

namespace tao::numerics::detail {

namespace {

// A tensor or scalar operand as the FP32 kernel sees it. Integral tensors and scalars are
// converted to FP32 by type promotion, which may round: that error is part of the operand.
VE operand(const Inputs& in, size_t i, const at::Tensor& like) {
    if (i < in.size() && in[i].isTensor()) {
        const auto& t = in[i].toTensor();
        if (t.is_floating_point() && (t.scalar_type() == at::kFloat || t.dim() > 0))
            return leaf(f64(t, "operand"));
        if (t.is_floating_point()) return constant(t.item<double>(), like); // wrapped number
        auto v = t.to(at::kDouble);
        return {v, (v - t.to(at::kFloat).to(at::kDouble)).abs()};
    }
    return constant(scalarArg(in, i, 0.0), like);
}

const at::Tensor& self(const Inputs& in) {
    return tensorArg(in, 0, "self");
}

OpBound single(const at::Tensor& ref, const at::Tensor& e) {
    return bounded({ref}, {e});
}

// The second operand of a binary kind as one fused pass (perElement) takes it: an FP32
// tensor of self's shape, or one value (a scalar, a wrapped number, a 0-dim floating
// tensor) that operand() would make a constant; nullopt for broadcasting and integral
// tensors, which take the tensor formulas.
struct FusedOperand {
    at::Tensor tensor; // undefined for a single value
    double value = 0;
};

std::optional<FusedOperand> fusedOperand(const Inputs& in, size_t i, const at::Tensor& self) {
    if (self.scalar_type() != at::kFloat) return std::nullopt;
    if (i < in.size() && in[i].isTensor()) {
        const auto& t = in[i].toTensor();
        if (t.scalar_type() == at::kFloat && t.sizes() == self.sizes()) return FusedOperand{t, 0.0};
        if (t.is_floating_point() && t.dim() == 0) return FusedOperand{{}, t.item<double>()};
        return std::nullopt;
    }
    return FusedOperand{{}, scalarArg(in, i, 0.0)};
}

// f(c, a, b) on self and the second operand: fused per element where fusedOperand allows,
// else on tensors.
template <class F> OpBound binary(const Inputs& in, const Ctx& c, const F& f) {
    const auto& s = self(in);
    if (const auto o = fusedOperand(in, 1, s)) {
        if (o->tensor.defined())
            return perElement(c, s, o->tensor,
                              [&](const auto& x, const auto& y) { return f(c, leaf(x), leaf(y)); });
        return perElement(c, s,
                          [&](const auto& x) { return f(c, leaf(x), constant(o->value, x)); });
    }
    auto a = leaf(f64(s, "self"));
    auto y = f(c, a, operand(in, 1, a.v));
    return single(y.v, y.e);
}

template <class T> BasicVE<T> scaled(const Ctx& c, const BasicVE<T>& x, double alpha) {
    if (alpha == 1.0) return x;
    return mul(c, constant(alpha, x.v), x);
}

OpBound addLike(const Inputs& in, const Ctx& c, bool subtract, bool reversed) {
    const double alpha = scalarArg(in, 2, 1.0);
    return binary(in, c, [&](const Ctx& cx, auto a, auto b) {
        if (reversed) std::swap(a, b); // rsub: other - alpha * self
        return subtract ? sub(cx, a, scaled(cx, b, alpha)) : add(cx, a, scaled(cx, b, alpha));
    });
}

OpBound mulOp(const Inputs& in, const Ctx& c) {
    return binary(in, c, [](const Ctx& cx, const auto& a, const auto& b) { return mul(cx, a, b); });
}

OpBound divOp(const Inputs& in, const Ctx& c) {
    if (hasArg(in, 2)) throw Unsupported("rounding_mode (floor/trunc division) is not bounded");
    auto a = leaf(f64(self(in), "self"));
    auto b = operand(in, 1, a.v);
    auto direct = div(c, a, b);
    // GPU kernels divide by a scalar as a * (1/b).
    auto viaReciprocal = mul(c, a, div(c, constant(1.0, a.v), b));
    return single(direct.v, maxErr({direct.e, viaReciprocal.e}));
}

OpBound unary(const Inputs& in, const Ctx& c, VE (*f)(const Ctx&, const VE&, double), MathFn fn) {
    auto y = f(c, leaf(f64(self(in), "self")), c.eps(fn));
    return single(y.v, y.e);
}

// f(leaf(self)) fused per element for an FP32 self, else on tensors (integral inputs).
template <class F> OpBound onSelf(const Inputs& in, const Ctx& c, const F& f) {
    const auto& x = self(in);
    if (x.scalar_type() == at::kFloat)
        return perElement(c, x, [&](const auto& v) { return f(leaf(v)); });
    auto y = f(leaf(f64(x, "self")));
    return single(y.v, y.e);
}

OpBound tanhOp(const Inputs& in, const Ctx& c) {
    return onSelf(in, c, [&](const auto& x) { return tanhAny(c, x); });
}

OpBound sigmoidOp(const Inputs& in, const Ctx& c) {
    return onSelf(in, c, [&](const auto& x) { return sigmoidAny(c, x); });
}

OpBound siluOp(const Inputs& in, const Ctx& c) {
    auto x = leaf(f64(self(in), "self"));
    auto viaSigmoid = mul(c, x, sigmoidAny(c, x));
    VE negX{at::clamp_max(-x.v, 80.0), x.e};
    auto one = constant(1.0, x.v);
    auto q = div(c, x, add(c, one, expVE(c, negX, c.eps(MathFn::Exp))));
    auto v = x.v * at::sigmoid(x.v);
    auto eQ = at::where(-x.v > 80.0, v.abs() * 2.0 + 2 * kTiny, q.e);
    auto kernel = c.eps(MathFn::Silu) * v.abs() + kTiny;
    return single(v, maxErr({viaSigmoid.e, eQ, kernel}));
}

// GELU's value and bound for an exact input, by every formula an honest kernel uses.
template <class T> BasicVE<T> geluBound(const Ctx& c, const BasicVE<T>& x, bool tanhForm) {
    auto one = constant(1.0, x.v);
    auto halfC = constant(0.5, x.v);
    const double margin = c.params.mathUlpMargin;
    if (!tanhForm) {
        // 0.5 x (1 + erf(x / sqrt 2)) and 0.5 x erfc(-x / sqrt 2).
        auto a = mul(c, x, constant(M_SQRT1_2, x.v));
        auto [erfA, erfcNegA] = erfAndErfcOfNegVE(a, c.eps(MathFn::Erf), c.eps(MathFn::Erfc));
        auto y1 = mul(c, halfC, mul(c, x, add(c, one, erfA)));
        auto y2 = mul(c, halfC, mul(c, x, erfcNegA));
        T kernel = margin * kMeasuredGeluPerAbsX * c.u * el::abs(x.v) + kTiny;
        T ref = 0.5 * x.v * (1.0 + erfA.v); // erfA.v is erf(x / sqrt 2), a.v that product
        return {ref, maxErr({y1.e, y2.e, kernel})};
    }
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) and x sigmoid(2 inner).
    auto x3 = mul(c, mul(c, x, x), x);
    auto inner = mul(c, constant(std::sqrt(2.0 / M_PI), x.v),
                     add(c, x, mul(c, constant(0.044715, x.v), x3)));
    auto y1 = mul(c, halfC, mul(c, x, add(c, one, tanhAny(c, inner))));
    BasicVE<T> twice{T(2.0 * inner.v), T(2.0 * inner.e)};
    auto y2 = mul(c, x, sigmoidAny(c, twice));
    T kernel = margin * kMeasuredGeluTanhPerAbsX * c.u * el::abs(x.v) + kTiny;
    T ref = 0.5 * x.v * (1.0 + el::tanh(inner.v));
    return {ref, maxErr({y1.e, y2.e, kernel})};
}

// FP32 input: one fused pass per element (as tensor expressions GELU's ~80 steps were a
// quarter of verifying GPT-2); other inputs (integers) take the same formula on tensors.
OpBound geluOp(const Inputs& in, const Ctx& c) {
    std::string approx = "none";
    if (hasArg(in, 1)) {
        if (!in[1].isString()) throw Unsupported("approximate must be a string");
        approx = in[1].toStringRef();
    }
    if (approx != "none" && approx != "tanh")
        throw Unsupported("unknown GELU approximation '" + approx + "'");
    const bool tanhForm = approx == "tanh";
    return onSelf(in, c, [&](const auto& x) { return geluBound(c, x, tanhForm); });
}

// A generic powf within its documented accuracy, on exact FP32 operands: eps_pow |b^x|.
// A scalar base or exponent is rounded to FP32 by type promotion; pow of the rounded value
// differs from the exact one by |b'^x - b^x| (large for large |x|), which is added. Exact
// infinities (0^-1, both roundings overflowing FP64) keep bound 0.
OpBound genericPow(const at::Tensor& base, const at::Tensor& baseSeen, const at::Tensor& expo,
                   const at::Tensor& expoSeen, const Ctx& c) {
    auto ref = at::pow(base, expo);
    auto seen = at::pow(baseSeen, expoSeen);
    auto e = (seen - ref).abs() + c.eps(MathFn::Pow) * seen.abs() + kTiny;
    auto exactInf = at::isinf(ref) & (seen == ref);
    return single(ref, at::where(exactInf, at::zeros_like(e), e));
}

// A scalar as the FP32 kernel sees it: rounded to float.
at::Tensor seenAsFloat(double v, const at::Tensor& like) {
    return at::scalar_tensor(static_cast<double>(static_cast<float>(v)), like.options());
}

// aten::pow.Scalar(Scalar self, Tensor exponent): base^x, e.g. 10000 ** (arange / d).
OpBound powScalarBase(const Inputs& in, const Ctx& c) {
    const auto& xt = tensorArg(in, 1, "exponent");
    if (!xt.is_floating_point()) throw Unsupported("integral exponent tensor with a scalar base");
    auto x = f64(xt, "exponent");
    const double b = scalarArg(in, 0, 1.0);
    if (b == 1.0) return single(at::ones_like(x), at::zeros_like(x)); // 1^x = 1, even 1^NaN
    auto opts = x.options();
    return genericPow(at::scalar_tensor(b, opts), seenAsFloat(b, x), x, x, c);
}

OpBound powOp(const Inputs& in, const Ctx& c) {
    if (in.size() < 2) throw Unsupported("pow needs two arguments");
    if (!in[0].isTensor()) return powScalarBase(in, c);
    if (in[1].isTensor()) { // pow.Tensor_Tensor: both operands exact FP32
        auto b = f64(self(in), "self");
        auto x = f64(in[1].toTensor(), "exponent");
        if (!in[1].toTensor().is_floating_point() || !self(in).is_floating_point())
            throw Unsupported("pow of integral tensors");
        return genericPow(b, b, x, x, c);
    }
    auto x = leaf(f64(self(in), "self"));
    const double p = scalarArg(in, 1, 1.0);
    auto one = constant(1.0, x.v);
    VE y;
    if (p == 0.0) return single(at::ones_like(x.v), at::zeros_like(x.v));
    if (p == 1.0) return single(x.v, at::zeros_like(x.v));
    if (p == 2.0)
        y = mul(c, x, x);
    else if (p == 3.0)
        y = mul(c, mul(c, x, x), x);
    else if (p == 0.5)
        y = sqrtVE(c, x, c.eps(MathFn::Sqrt));
    else if (p == -1.0)
        y = div(c, one, x);
    else if (p == -2.0)
        y = div(c, one, mul(c, x, x));
    else if (p == -0.5)
        y = rsqrtVE(c, x, c.eps(MathFn::Rsqrt));
    else // any other exponent: only the generic powf
        return genericPow(x.v, x.v, at::scalar_tensor(p, x.v.options()), seenAsFloat(p, x.v), c);
    // A generic powf within its documented accuracy is also an honest implementation.
    auto ref = at::pow(x.v, p);
    auto generic = c.eps(MathFn::Pow) * ref.abs() + kTiny;
    return single(ref, maxErr({y.e, generic}));
}

OpBound reciprocalOp(const Inputs& in, const Ctx& c) {
    auto x = leaf(f64(self(in), "self"));
    auto y = div(c, constant(1.0, x.v), x);
    return single(y.v, y.e);
}

// aten::arange(end | start, end | start, end, step; dtype, layout, device, pin_memory).
// Element i is start + i * step: integral dtypes are exact; FP32 kernels compute it in FP64
// and round once (CPU) or in FP32 from the rounded scalars and the rounded index (CUDA:
// one product and one sum). The bound is that of the FP32 formula, which covers both.
OpBound arangeOp(const Inputs& in, const Ctx& c) {
    const size_t n = in.size();
    if (n < 5 || n > 7) throw Unsupported("unexpected arange arguments");
    const size_t scalars = n - 4; // end | start, end | start, end, step
    auto isIntegral = [&](size_t i) {
        if (in[i].isInt()) return true;
        return in[i].isTensor() && !in[i].toTensor().is_floating_point();
    };
    const double start = scalars >= 2 ? scalarArg(in, 0, 0.0) : 0.0;
    const double end = scalarArg(in, scalars == 1 ? 0 : 1, 0.0);
    const double step = scalars == 3 ? scalarArg(in, 2, 1.0) : 1.0;
    bool integral = true;
    for (size_t i = 0; i < scalars; ++i)
        integral = integral && isIntegral(i);
    at::ScalarType dtype = integral ? at::kLong : at::kFloat;
    if (hasArg(in, scalars)) dtype = static_cast<at::ScalarType>(intArg(in, scalars, 0));
    auto ref = at::arange(start, end, step, at::kDouble);
    OpBound r;
    if (!at::isFloatingType(dtype)) {
        r.status = BoundStatus::Exact;
        r.reference.push_back(ref);
        r.bound.push_back(at::zeros_like(ref));
        r.dtypes.push_back(dtype);
        return r;
    }
    if (dtype != at::kFloat) throw Unsupported("arange with a dtype other than float32");
    auto idx = at::arange(ref.numel(), ref.options());
    VE i{idx, (idx - idx.to(at::kFloat).to(at::kDouble)).abs()};
    auto y = add(c, constant(start, idx), mul(c, i, constant(step, idx)));
    r = bounded({ref}, {y.e});
    r.dtypes.assign(1, at::kFloat);
    return r;
}

} // namespace

const HandlerTable& elementwiseHandlers() {
    static const HandlerTable table = {
        {"aten::add", [](const Inputs& in, const Ctx& c) { return addLike(in, c, false, false); }},
        {"aten::sub", [](const Inputs& in, const Ctx& c) { return addLike(in, c, true, false); }},
        {"aten::rsub", [](const Inputs& in, const Ctx& c) { return addLike(in, c, true, true); }},
        {"aten::mul", mulOp},
        {"aten::div", divOp},
        {"aten::reciprocal", reciprocalOp},
        {"aten::exp",
         [](const Inputs& in, const Ctx& c) { return unary(in, c, expVE, MathFn::Exp); }},
        {"aten::log",
         [](const Inputs& in, const Ctx& c) { return unary(in, c, logVE, MathFn::Log); }},
        {"aten::sqrt",
         [](const Inputs& in, const Ctx& c) { return unary(in, c, sqrtVE, MathFn::Sqrt); }},
        {"aten::rsqrt",
         [](const Inputs& in, const Ctx& c) { return unary(in, c, rsqrtVE, MathFn::Rsqrt); }},
        {"aten::erf",
         [](const Inputs& in, const Ctx& c) { return unary(in, c, erfVE, MathFn::Erf); }},
        {"aten::tanh", tanhOp},
        {"aten::sigmoid", sigmoidOp},
        {"aten::silu", siluOp},
        {"aten::gelu", geluOp},
        {"aten::pow", powOp},
        {"aten::arange", arangeOp},
    };
    return table;
}

} // namespace tao::numerics::detail
