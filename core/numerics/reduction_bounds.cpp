// Reductions: sum, mean, cumsum, vector norms, average pooling, bilinear upsampling,
// softmax, log_softmax.
// Derivations follow reference/fp-bounds.md and docs/numerics.md; the comments note where
// this code is more conservative than the appendix, and why. Normalisations and variances
// are in norm_bounds.cpp.
#include "core/numerics/bound_arith.hpp"
#include "core/numerics/fp_limits.hpp"
#include "core/numerics/vector_math.hpp"

#include <cmath>
#include <limits>
#include <vector>

namespace tao::numerics::detail {
namespace {

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

// cumsum along dim: output k is a sum of k terms, and every scan (sequential, blocked,
// Blelloch/Hillis-Steele) forms it by an addition tree over exactly those terms, so
// |y_k - s_k| <= gamma_{k-1} sum_{i<=k} |x_i| (any order), evaluated per position.
OpBound cumsumOp(const Inputs& in, const Ctx& c) {
    auto x = f64(tensorArg(in, 0, "self"), "self");
    requireFloatDtype(in, 2);
    if (x.dim() == 0) x = x.reshape({1});
    const auto dim = wrapDim(intArg(in, 1, 0), x.dim());
    const auto n = x.size(dim);
    auto ref = x.cumsum(dim);
    auto mag = x.abs().cumsum(dim);
    std::vector<std::int64_t> shape(x.dim(), 1);
    shape[dim] = n;
    auto k = at::arange(n, x.options()).reshape(shape); // k - 1 for output k
    auto nu = k * c.u;
    auto g = at::where(nu < 1.0, nu / (1.0 - nu), at::full_like(nu, kInf));
    auto b = g * mag + (k + 2) * kTiny;
    b = infWhere(mag * (1.0 + g) > kFltMax, b);
    const auto& xs = tensorArg(in, 0, "self");
    return bounded({ref.reshape(xs.sizes())}, {b.reshape(xs.sizes())});
}

// Vector norms over dims (all by default): ord 2 as sqrt of a sum of n squares, which is a
// length-n dot product x.x (gamma_n sum x^2, any order, FMA or not) followed by the sqrt
// rule; ord 1 as a sum of |x| (gamma_{n-1}); ord +-inf and 0 are exact (max/min |x|,
// count of nonzeros). Scaled algorithms (BLAS nrm2) that avoid overflow are not covered:
// where sum x^2 may overflow FP32 the bound is +inf.
OpBound vectorNorm(const at::Tensor& xt, double ord, std::vector<std::int64_t> dims, bool keepdim,
                   const Ctx& c) {
    auto x = f64(xt, "self");
    if (x.dim() == 0) x = x.reshape({1}), dims = {0}, keepdim = false;
    for (auto& d : dims)
        d = wrapDim(d, x.dim());
    if (dims.empty())
        for (std::int64_t d = 0; d < x.dim(); ++d)
            dims.push_back(d);
    auto reduce = [&](const at::Tensor& t) { return t.sum(dims, keepdim); };
    std::int64_t outN = reduce(x).numel();
    const double n = outN > 0 ? static_cast<double>(x.numel()) / outN : 0.0;
    auto a = x.abs();
    if (ord == 2.0) {
        auto sq = reduce(a * a);
        auto e = c.gamma(n) * sq + (2 * n + 2) * kTiny;
        e = infWhere(sq * (1.0 + c.gamma(n)) > kFltMax, e);
        auto y = sqrtVE(c, VE{sq, e}, c.eps(MathFn::Sqrt));
        return bounded({y.v}, {y.e});
    }
    if (ord == 1.0) {
        auto s = reduce(a);
        auto e = c.gamma(std::max(n - 1, 0.0)) * s + (n + 2) * kTiny;
        return bounded({s}, {infWhere(s * (1.0 + c.gamma(n)) > kFltMax, e)});
    }
    if (std::isinf(ord) || ord == 0.0) {
        at::Tensor r;
        if (ord == 0.0)
            r = reduce((x != 0).to(at::kDouble));
        else
            r = ord > 0 ? a.amax(dims, keepdim) : a.amin(dims, keepdim);
        return bounded({r}, {at::zeros_like(r)});
    }
    throw Unsupported("vector norm of order " + std::to_string(ord) + " is not bounded");
}

// aten::linalg_vector_norm(self, ord=2, dim=None, keepdim=False, dtype=None)
OpBound linalgVectorNormOp(const Inputs& in, const Ctx& c) {
    requireFloatDtype(in, 4);
    return vectorNorm(tensorArg(in, 0, "self"), scalarArg(in, 1, 2.0), intListArg(in, 2),
                      boolArg(in, 3, false), c);
}

// aten::norm overloads: (self, p), (self, p, dtype), (self, p, dim, keepdim[, dtype]);
// p may be None (2).
OpBound normOp(const Inputs& in, const Ctx& c) {
    if (hasArg(in, 1) && in[1].isString()) throw Unsupported("matrix norms are not bounded");
    const auto& x = tensorArg(in, 0, "self");
    const double p = scalarArg(in, 1, 2.0);
    if (in.size() <= 2) return vectorNorm(x, p, {}, false, c);
    if (in.size() == 3) {
        requireFloatDtype(in, 2);
        return vectorNorm(x, p, {}, false, c);
    }
    requireFloatDtype(in, 4);
    return vectorNorm(x, p, intListArg(in, 2), boolArg(in, 3, false), c);
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

// Bilinear upsampling (docs/numerics.md, "Bilinear upsampling"). Each output is a weighted
// mean of the 2x2 input neighbours of its source coordinate src = s (o + 0.5) - 0.5
// (clamped at 0), or s o with align_corners. An honest FP32 kernel computes src with
// s rounded (or 1 / scale_factor rounded) and two more roundings: |src32 - src| <= delta
// = 4u (s (o + 0.5) + 1), budgeted twice. The interpolant is continuous and piecewise linear
// in src, so a coordinate off by delta < 1/2 moves the result by at most delta times its
// largest neighbouring difference, <= 2 M with M = max |x| over the 4x4 window around the
// source cell. The weights (lambda1 = src32 - floor exact, lambda0 = 1 - lambda1 within u)
// and the products and sums of any nesting add gamma_10 M.
OpBound upsampleBilinear2d(const Inputs& in, const Ctx& c) {
    auto x = f64(tensorArg(in, 0, "input"), "input");
    if (x.dim() != 4) throw Unsupported("input must be 4-D (N, C, H, W)");
    const bool align = boolArg(in, 2, false);
    std::vector<std::int64_t> size;
    if (hasArg(in, 1)) size = intListArg(in, 1);
    c10::optional<double> sh, sw;
    if (in.size() > 3 && in[3].isDoubleList()) { // the .vec overload: scale_factors
        const auto sf = in[3].toDoubleVector();
        if (sf.size() != 2) throw Unsupported("scale_factors must hold 2 values");
        sh = sf[0];
        sw = sf[1];
        if (size.empty())
            size = {static_cast<std::int64_t>(std::floor(static_cast<double>(x.size(2)) * *sh)),
                    static_cast<std::int64_t>(std::floor(static_cast<double>(x.size(3)) * *sw))};
    } else {
        if (hasArg(in, 3)) sh = scalarArg(in, 3, 0.0);
        if (hasArg(in, 4)) sw = scalarArg(in, 4, 0.0);
    }
    if (size.size() != 2 || size[0] < 1 || size[1] < 1)
        throw Unsupported("output size must be two positive numbers");
    const auto ref = at::upsample_bilinear2d(x, size, align, sh, sw);
    // Per axis: the source cell of each output and the coordinate budget delta.
    const auto axis = [&](std::int64_t from, std::int64_t out, c10::optional<double> sf) {
        const double s = align ? (out > 1 ? static_cast<double>(from - 1) / (out - 1) : 0.0)
                         : sf && *sf > 0 ? 1.0 / *sf
                                         : static_cast<double>(from) / static_cast<double>(out);
        const auto o = at::arange(out, x.options());
        const auto src = align ? o * s : at::clamp_min((o + 0.5) * s - 0.5, 0.0);
        const auto cell = at::clamp(at::floor(src), 0, from - 1).to(at::kLong);
        const auto delta = 8.0 * c.u * (s * (o + 1.0) + 1.0);
        return std::pair{cell, delta};
    };
    const auto [ch, dh] = axis(x.size(2), size[0], sh);
    const auto [cw, dw] = axis(x.size(3), size[1], sw);
    // M over rows cell-1 .. cell+2 and the same columns: window 4, padding 2, shifted by 1.
    const auto window = at::max_pool2d(x.abs(), {4, 4}, {1, 1}, {2, 2})
                            .narrow(2, 1, x.size(2))
                            .narrow(3, 1, x.size(3));
    const auto m = window.index_select(2, ch).index_select(3, cw);
    auto delta = dh.view({-1, 1}) + dw.view({1, -1});
    delta = at::where(delta >= 0.5, at::full_like(delta, kInf), delta);
    auto b = m * (2.0 * delta + c.gamma(10)) + 4 * kTiny;
    return bounded({ref}, {b});
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

// The larger of a and b, NaN if either is (as at::maximum).
double maxOrNan(double a, double b) {
    return std::isnan(a) || std::isnan(b) ? std::numeric_limits<double>::quiet_NaN()
                                          : std::max(a, b);
}

// softmaxOp along the last dimension of an FP32 tensor: softmaxParts and the bound formulas
// below as one pass per row (as tensor expressions they were 4 % of verifying GPT-2).
// Values and bounds agree with the tensor form to FP64 rounding (test_numerics
// softmaxRowsAgreeWithTensorForm).
OpBound softmaxRows(const at::Tensor& x32, bool log, const Ctx& c) {
    const std::int64_t nn = x32.dim() == 0 ? 1 : x32.size(-1);
    const double n = static_cast<double>(nn);
    const double epsExp = c.eps(MathFn::Exp), epsLog = c.eps(MathFn::Log);
    const double k = (1.0 + epsExp) * (1.0 + epsExp + c.u) * (1.0 + epsExp + c.u);
    const double g = c.gamma(std::max(n - 1, 0.0));
    // t_i and |t_i - exp(d_i)| wait in ref and bound until the row's sums are known.
    return perRow(c, x32, nn, [&](std::int64_t, const float* xr, double* t, double* dAbs) {
        double m = -kInf;
        bool nan = false;
        for (std::int64_t i = 0; i < nn; ++i) {
            nan |= std::isnan(xr[i]);
            m = std::max(m, static_cast<double>(xr[i]));
        }
        if (nan) m = std::numeric_limits<double>::quiet_NaN();
        // Four elements per step through the vector exp (vector_math.hpp); the sum still
        // runs element by element.
        double sum = 0;
        for (std::int64_t i0 = 0; i0 < nn; i0 += 4) {
            const auto lanes = std::min<std::int64_t>(4, nn - i0);
            double dz[4] = {0, 0, 0, 0}, a[4] = {0, 0, 0, 0}, ez[4], ea[4];
            bool finite[4] = {false, false, false, false};
            for (std::int64_t l = 0; l < lanes; ++l) {
                const double d = xr[i0 + l] - m;
                finite[l] = std::isfinite(d);
                dz[l] = finite[l] ? d : 0.0;
                a[l] = 2.0 * c.u * std::abs(dz[l]);
            }
            vecmath::exp4(dz, ez);
            vecmath::exp4(a, ea);
            for (std::int64_t l = 0; l < lanes; ++l) {
                const auto i = i0 + l;
                t[i] = ez[l];
                const double e = a[l] < 1.0 ? t[i] * (ea[l] * k - 1.0) : std::exp(dz[l] + a[l]) * k;
                dAbs[i] = finite[l] ? e : 0.0;
                if (finite[l]) sum += t[i];
            }
        }
        const double logS = std::log(sum), invS = std::exp(-logS);
        double abar = 0;
        for (std::int64_t i = 0; i < nn; ++i)
            abar += dAbs[i] * invS;
        const double betaUp = (1.0 + abar) * (1.0 + g) - 1.0;
        const double betaLo = 1.0 - (1.0 - abar) * (1.0 - g);
        double eLog = 0;
        if (log) {
            const double ls =
                betaLo >= 1.0 ? kInf : maxOrNan(std::log1p(betaUp), -std::log1p(-betaLo));
            eLog = ls + epsLog * (logS + ls) + kTiny;
        }
        for (std::int64_t i = 0; i < nn; ++i) {
            const double d = xr[i] - m;
            const bool finite = std::isfinite(d);
            double y, b;
            if (!log) {
                // A masked logit (d = -inf) weighs exactly +0, as exp(-inf) is: half of a
                // causal attention's elements, where the scalar exp call took 20 ns each.
                const double weight = finite ? t[i] : d == -kInf ? 0.0 : std::exp(d);
                y = weight / sum;
                const double delta = dAbs[i] * invS;
                const double up = (y + delta) * (1.0 + 2 * c.u) / (1.0 - betaLo) - y;
                const double down = y - (y - delta) * (1.0 - 2 * c.u) / (1.0 + betaUp);
                b = (betaLo >= 1.0 ? kInf : maxOrNan(up, down)) + (n + 4) * kTiny;
            } else {
                y = d - logS;
                b = c.u * (finite ? std::abs(d) : 0.0) + eLog + c.u * (std::abs(m) + logS + eLog) +
                    n * kTiny;
                b = b + c.u * (std::abs(y) + b) + kTiny;
                if (m + logS + eLog > kFltMax) b = kInf;
                if (std::isinf(d) && d < 0 && std::isfinite(logS)) b = 0.0;
            }
            t[i] = y;
            dAbs[i] = b;
        }
    });
}

OpBound softmaxOp(const Inputs& in, const Ctx& c, bool log, bool underscoreForm) {
    const auto& xs = tensorArg(in, 0, "self");
    const auto dims = std::max<std::int64_t>(xs.dim(), 1); // a 0-d input as one element
    const auto dim = wrapDim(intArg(in, 1, -1), dims);
    if (underscoreForm) {
        if (boolArg(in, 2, false)) throw Unsupported("half_to_float is not bounded");
    } else {
        requireFloatDtype(in, 2);
    }
    if (c.params.fusedRows && xs.scalar_type() == at::kFloat && dim == dims - 1)
        return softmaxRows(xs, log, c);
    auto x = f64(xs, "self");
    if (x.dim() == 0) x = x.reshape({1});
    auto p = softmaxParts(x, dim, c);
    const double n = static_cast<double>(x.size(dim));
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
        {"aten::upsample_bilinear2d", upsampleBilinear2d},
        {"aten::cumsum", cumsumOp},
        {"aten::linalg_vector_norm", linalgVectorNormOp},
        {"aten::norm", normOp},
        {"aten::softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, false, false); }},
        {"aten::_softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, false, true); }},
        {"aten::log_softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, true, false); }},
        {"aten::_log_softmax",
         [](const Inputs& in, const Ctx& c) { return softmaxOp(in, c, true, true); }},
    };
    return table;
}

} // namespace tao::numerics::detail
