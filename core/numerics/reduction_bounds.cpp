// Reductions and normalisations: sum, mean, average pooling, softmax, log_softmax,
// layer_norm and batch_norm (eval). Derivations follow reference/fp-bounds.md; the
// comments note where this code is more conservative than the appendix, and why.
#include "core/numerics/bound_arith.hpp"

#include <cmath>
#include <limits>

namespace tao::numerics::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

at::Tensor infWhere(const at::Tensor& cond, const at::Tensor& b) {
    return at::where(cond, at::full_like(b, kInf), b);
}

std::int64_t wrapDim(std::int64_t d, std::int64_t rank) {
    if (d < -rank || d >= std::max<std::int64_t>(rank, 1))
        throw Unsupported("dimension " + std::to_string(d) + " out of range");
    return d < 0 ? d + rank : d;
}

// sum / mean: n terms in any order, gamma_{n-1} (sum) or gamma_{n+1} (mean: the division
// or multiplication by a rounded 1/n adds up to two roundings).
OpBound sumLike(const Inputs& in, const Ctx& c, bool mean) {
    const auto& xt = tensorArg(in, 0, "self");
    auto x = f64(xt, "self");
    std::vector<std::int64_t> dims;
    bool keepdim = false;
    if (in.size() <= 2) {
        requireFloatDtype(in, 1);
    } else {
        dims = intListArg(in, 1);
        keepdim = boolArg(in, 2, false);
        requireFloatDtype(in, 3);
    }
    for (auto& d : dims)
        d = wrapDim(d, x.dim());
    at::Tensor ref, mag;
    if (dims.empty()) {
        ref = mean ? x.mean() : x.sum();
        mag = mean ? x.abs().mean() : x.abs().sum();
        if (keepdim) {
            std::vector<std::int64_t> ones(x.dim(), 1);
            ref = ref.reshape(ones);
            mag = mag.reshape(ones);
        }
    } else {
        ref = mean ? x.mean(dims, keepdim) : x.sum(dims, keepdim);
        mag = mean ? x.abs().mean(dims, keepdim) : x.abs().sum(dims, keepdim);
    }
    const double n = ref.numel() > 0 ? static_cast<double>(x.numel()) / ref.numel() : 0.0;
    const double g = mean ? c.gamma(n + 1) : c.gamma(std::max(n - 1, 0.0));
    auto b = g * mag + (n + 2) * kTiny;
    // Partial sums of up to n |x| must stay in range, or an honest sum may overflow.
    b = infWhere((mean ? mag * n : mag) * (1.0 + g) > kFltMax, b);
    return bounded({ref}, {b});
}

// Average pooling: each output is a mean over at most n window elements.
OpBound poolLike(const at::Tensor& ref, const at::Tensor& absPooled, double n, const Ctx& c) {
    auto b = c.gamma(n + 1) * absPooled + (n + 2) * kTiny;
    b = infWhere(absPooled * n > kFltMax, b);
    return bounded({ref}, {b});
}

OpBound avgPool(const Inputs& in, const Ctx& c, int spatial) {
    auto x = f64(tensorArg(in, 0, "self"), "self");
    auto kernel = intListArg(in, 1);
    auto stride = intListArg(in, 2);
    auto padding = intListArg(in, 3);
    if (padding.empty()) padding.assign(1, 0);
    const bool ceil = boolArg(in, 4, false);
    const bool countPad = boolArg(in, 5, true);
    double n = 1;
    for (auto k : kernel)
        n *= static_cast<double>(k);
    if (kernel.size() == 1) n = std::pow(n, spatial);
    if (spatial == 1) {
        auto ref = at::avg_pool1d(x, kernel, stride, padding, ceil, countPad);
        return poolLike(ref, at::avg_pool1d(x.abs(), kernel, stride, padding, ceil, countPad), n,
                        c);
    }
    c10::optional<std::int64_t> divisor;
    if (hasArg(in, 6)) divisor = intArg(in, 6, 1);
    auto ref = at::avg_pool2d(x, kernel, stride, padding, ceil, countPad, divisor);
    auto mag = at::avg_pool2d(x.abs(), kernel, stride, padding, ceil, countPad, divisor);
    return poolLike(ref, mag, n, c);
}

OpBound adaptiveAvgPool(const Inputs& in, const Ctx& c, int spatial) {
    auto x = f64(tensorArg(in, 0, "self"), "self");
    auto out = intListArg(in, 1);
    if (static_cast<int>(out.size()) != spatial) throw Unsupported("bad output_size");
    // A window spans at most ceil(size / out) + 1 input positions per dimension.
    double n = 1;
    for (int i = 0; i < spatial; ++i) {
        const auto size = x.size(x.dim() - spatial + i);
        n *= static_cast<double>((size + out[i] - 1) / std::max<std::int64_t>(out[i], 1) + 1);
    }
    if (spatial == 1)
        return poolLike(at::adaptive_avg_pool1d(x, out), at::adaptive_avg_pool1d(x.abs(), out), n,
                        c);
    return poolLike(at::adaptive_avg_pool2d(x, out), at::adaptive_avg_pool2d(x.abs(), out), n, c);
}

// Softmax along dim of x (FP64 copy of exact FP32 inputs).
// d_i = x_i - max (one rounding: relative u|d_i| on the exponent), t_i = exp(d_i) within
// eps_exp, S = sum t in any order (gamma_{n-1}), y_i = t_i / S or t_i * (1/S) (2u).
// Online (FlashAttention-style) softmax splits d_i across a rescale: 2u|d_i| and up to two
// rescaling factors exp(m_old - m_new), each within (eps_exp + u), are budgeted.
// Each honest t_i lies within D_i of exp(d_i), with D_i an absolute bound: the relative
// form t_i (e^{2u|d_i|} K - 1) where that is small, else the whole upper end
// e^{d_i + 2u|d_i|} K. The absolute form keeps logits dominated by a huge finite mask
// (d ~ -3.4e38, as HF-style masks with finfo.min produce) finite: their exact weight
// underflows and so does their bound, instead of 0 * inf = NaN. A -inf logit gives
// exactly 0 in every implementation (D = 0).
// The errors are weighted exactly in FP64 (tighter than ln n) and the division bound is
// evaluated with exact products, so the result is not first-order.
struct SoftmaxParts {
    at::Tensor y, m, d, logS;
    at::Tensor delta;          // D_i / S: the absolute error of t_i in units of S
    at::Tensor betaUp, betaLo; // computed S / exact S within [1 - betaLo, 1 + betaUp]
};

SoftmaxParts softmaxParts(const at::Tensor& x, std::int64_t dim, const Ctx& c) {
    SoftmaxParts p;
    const double n = static_cast<double>(x.size(dim));
    const double epsExp = c.eps(MathFn::Exp);
    p.m = std::get<0>(x.max(dim, true));
    p.d = x - p.m;
    p.y = at::softmax(x, dim);
    auto finiteD = at::isfinite(p.d);
    auto dz = at::where(finiteD, p.d, at::zeros_like(p.d));
    auto a = 2.0 * c.u * dz.abs();
    const double k = (1.0 + epsExp) * (1.0 + epsExp + c.u) * (1.0 + epsExp + c.u);
    auto t = at::exp(dz);
    // d <= 0, so d + a <= 0 and nothing here overflows; a >= 1 only for |d| >= 2^21.
    auto relative = t * (at::exp(a) * k - 1.0);
    auto whole = at::exp(dz + a) * k;
    auto dAbs = at::where(a < 1.0, relative, whole);
    dAbs = at::where(finiteD, dAbs, at::zeros_like(dAbs));
    p.logS = at::log(at::where(finiteD, t, at::zeros_like(t)).sum(dim, true));
    const auto invS = at::exp(-p.logS);
    p.delta = dAbs * invS;
    auto abar = p.delta.sum(dim, true);
    const double g = c.gamma(std::max(n - 1, 0.0));
    p.betaUp = (1.0 + abar) * (1.0 + g) - 1.0;
    p.betaLo = 1.0 - (1.0 - abar) * (1.0 - g);
    return p;
}

OpBound softmaxOp(const Inputs& in, const Ctx& c, bool log, bool underscoreForm) {
    auto x = f64(tensorArg(in, 0, "self"), "self");
    if (x.dim() == 0) x = x.reshape({1});
    const auto dim = wrapDim(intArg(in, 1, -1), x.dim());
    if (underscoreForm) {
        if (boolArg(in, 2, false)) throw Unsupported("half_to_float is not bounded");
    } else {
        requireFloatDtype(in, 2);
    }
    auto p = softmaxParts(x, dim, c);
    const double n = static_cast<double>(x.size(dim));
    const auto& xs = tensorArg(in, 0, "self");
    if (!log) {
        // y_i = t_i / S within [(y_i - delta_i)(1 - 2u) / (1 + betaUp),
        //                       (y_i + delta_i)(1 + 2u) / (1 - betaLo)].
        auto up = (p.y + p.delta) * (1.0 + 2 * c.u) / (1.0 - p.betaLo) - p.y;
        auto lo = p.y - (p.y - p.delta) * (1.0 - 2 * c.u) / (1.0 + p.betaUp);
        auto b = at::maximum(up, lo);
        b = infWhere(p.betaLo >= 1.0, b) + (n + 4) * kTiny;
        return bounded({p.y.reshape(xs.sizes())}, {b.reshape(xs.sizes())});
    }
    // log_softmax: d_i - log S, or x_i - (m + log S); both budgeted.
    auto y = p.d - p.logS;
    auto ls = at::maximum(at::log1p(p.betaUp), -at::log1p(-p.betaLo));
    ls = infWhere(p.betaLo >= 1.0, ls);
    auto eLog = ls + c.eps(MathFn::Log) * (p.logS + ls) + kTiny;
    auto finiteD = at::isfinite(p.d);
    auto dAbs = at::where(finiteD, p.d.abs(), at::zeros_like(p.d));
    auto e = c.u * dAbs + eLog + c.u * (p.m.abs() + p.logS + eLog) + n * kTiny;
    e = e + c.u * (y.abs() + e) + kTiny;
    // m + log S is an intermediate of the second form: for m near FLT_MAX it may overflow
    // and make every element of the row -inf (log S >= 0 moves a negative m towards 0).
    e = infWhere((p.m + p.logS + eLog > kFltMax).expand_as(e), e);
    // A -inf logit gives exactly -inf in both forms (log S is finite).
    e = at::where(at::isinf(p.d) & (p.d < 0) & at::isfinite(p.logS).expand_as(e), at::zeros_like(e),
                  e);
    return bounded({y.reshape(xs.sizes())}, {e.reshape(xs.sizes())});
}

// Relative error bound of r = (v + eps)^-1/2 computed from a variance with absolute error
// ev: the eps constant (rounded to FP32), the addition, then rsqrt (or sqrt and divide)
// within eps_rsqrt, and one more u for folding the scale into another factor.
at::Tensor rsqrtRel(const at::Tensor& v, const at::Tensor& ev, double eps, const Ctx& c) {
    const double epsErr = std::abs(eps - static_cast<double>(static_cast<float>(eps)));
    auto ve = v + eps;
    auto eve = ev + epsErr + c.u * (ve + ev + epsErr) + kTiny;
    auto theta = eve / ve;
    auto rhoIn = at::where(theta < 1.0, at::rsqrt(1.0 - theta) - 1.0, at::full_like(theta, kInf));
    return (1.0 + rhoIn) * (1.0 + c.eps(MathFn::Rsqrt)) * (1.0 + c.u) * (1.0 + c.u) - 1.0;
}

// layer_norm: Appendix A derivation with the implementation-agnostic variance budget
// E_v = gamma_{2n+3}(v + 2 mu^2) + 2|mu| e_mu + e_mu^2 (covers two-pass, one-pass E[x^2] -
// mu^2 and Welford/Chan merges as budgeted there). When |mu| >> sigma this makes rows
// ill-conditioned (E_v >= v + eps): their bound is +inf, which is flagged, never hidden.
OpBound layerNormOp(const Inputs& in, const Ctx& c) {
    const auto& xt = tensorArg(in, 0, "input");
    auto x = f64(xt, "input");
    auto shape = intListArg(in, 1);
    auto w = optTensorArg(in, 2);
    auto bias = optTensorArg(in, 3);
    const double eps = scalarArg(in, 4, 1e-5);
    std::int64_t nn = 1;
    for (auto s : shape)
        nn *= s;
    if (static_cast<std::int64_t>(shape.size()) > x.dim() || nn == 0)
        throw Unsupported("bad normalized_shape");
    const double n = static_cast<double>(nn);
    auto x2 = x.reshape({-1, nn});
    auto mu = x2.mean(1, true);
    auto d = x2 - mu;
    auto v = (d * d).mean(1, true);
    auto absMean = x2.abs().mean(1, true);
    auto eMu = c.gamma(n + 2) * absMean + (n + 2) * kTiny;
    auto ev = c.gamma(2 * n + 3) * (v + 2 * mu * mu) + 2 * mu.abs() * eMu + eMu * eMu +
              2 * c.u * eMu * d.abs().mean(1, true) + 2 * (n + 2) * kTiny;
    auto rho = rsqrtRel(v, ev, eps, c);
    auto r = at::rsqrt(v + eps);
    auto z = d * r;
    auto ez =
        r * (1.0 + rho) * (eMu * (1.0 + c.u) + 3 * c.u * (x2.abs() + mu.abs())) + r * d.abs() * rho;
    // Squares of |x - mu| (and x^2 in one-pass forms) must stay in the FP32 range.
    auto big = (x2.abs() + mu.abs()).pow(2).amax(1, true) * n > kFltMax;
    ez = infWhere(big.expand_as(ez), ez);
    auto zs = z.reshape(x.sizes());
    auto ezs = ez.reshape(x.sizes());
    VE y{zs, ezs};
    if (w) y = mul(c, y, leaf(f64(*w, "weight")));
    if (bias) y = add(c, y, leaf(f64(*bias, "bias")));
    auto ref =
        at::layer_norm(x, shape, w ? c10::optional<at::Tensor>(f64(*w, "weight")) : c10::nullopt,
                       bias ? c10::optional<at::Tensor>(f64(*bias, "bias")) : c10::nullopt, eps);
    return bounded({ref}, {y.e});
}

// batch_norm in eval mode with running statistics: folded y = x*s + (b - mu*s), s = g*r,
// or direct (x - mu) * r * g + b; both within
// |s| (|x| + |mu|)(rho + 3u)(1 + rho) + u|b| + u(|y| + E) (Appendix A, kept rigorous).
OpBound batchNormOp(const Inputs& in, const Ctx& c) {
    auto x = f64(tensorArg(in, 0, "input"), "input");
    auto w = optTensorArg(in, 1);
    auto bias = optTensorArg(in, 2);
    auto rm = optTensorArg(in, 3);
    auto rv = optTensorArg(in, 4);
    if (boolArg(in, 5, false)) throw Unsupported("training-mode batch_norm is not bounded");
    if (!rm || !rv) throw Unsupported("batch_norm without running statistics is not bounded");
    const double eps = scalarArg(in, 7, 1e-5);
    if (x.dim() < 2) throw Unsupported("batch_norm input needs a channel dimension");
    std::vector<std::int64_t> pshape(x.dim(), 1);
    pshape[1] = x.size(1);
    auto mu = f64(*rm, "running_mean").reshape(pshape);
    auto var = f64(*rv, "running_var").reshape(pshape);
    auto g = w ? f64(*w, "weight").reshape(pshape) : at::ones_like(mu);
    auto b = bias ? f64(*bias, "bias").reshape(pshape) : at::zeros_like(mu);
    auto r = at::rsqrt(var + eps);
    auto rho = rsqrtRel(var, at::zeros_like(var), eps, c);
    auto s = g.abs() * r;
    auto ref = (x - mu) * r * g + b;
    auto e0 = s * (x.abs() + mu.abs()) * (rho + 3 * c.u) * (1.0 + rho) + c.u * b.abs() * (1 + c.u) +
              4 * kTiny;
    auto e = e0 + c.u * (ref.abs() + e0) * (1 + c.u);
    e = infWhere(var + eps <= 0, e);
    // Intermediates x - mu, (x - mu) r, x s and mu s must stay in range, or an honest
    // result may be inf/NaN whatever the final value.
    auto scale = at::maximum(at::maximum(r, s), at::ones_like(r));
    e = infWhere((x.abs() + mu.abs()) * scale * (1.0 + rho + 3 * c.u) > kFltMax, e);
    return bounded({ref}, {e});
}

} // namespace

const HandlerTable& reductionHandlers() {
    static const HandlerTable table = {
        {"aten::sum", [](const Inputs& in, const Ctx& c) { return sumLike(in, c, false); }},
        {"aten::mean", [](const Inputs& in, const Ctx& c) { return sumLike(in, c, true); }},
        {"aten::avg_pool1d", [](const Inputs& in, const Ctx& c) { return avgPool(in, c, 1); }},
        {"aten::avg_pool2d", [](const Inputs& in, const Ctx& c) { return avgPool(in, c, 2); }},
        {"aten::adaptive_avg_pool1d",
         [](const Inputs& in, const Ctx& c) { return adaptiveAvgPool(in, c, 1); }},
        {"aten::adaptive_avg_pool2d",
         [](const Inputs& in, const Ctx& c) { return adaptiveAvgPool(in, c, 2); }},
        {"aten::softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, false, false); }},
        {"aten::_softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, false, true); }},
        {"aten::log_softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, true, false); }},
        {"aten::_log_softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, true, true); }},
        {"aten::layer_norm", layerNormOp},
        {"aten::batch_norm", batchNormOp},
    };
    return table;
}

} // namespace tao::numerics::detail
