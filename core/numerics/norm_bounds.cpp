// Normalisations (layer_norm, group_norm, instance_norm, batch_norm in eval mode) and the
// statistics they share with var and std. Derivations: reference/fp-bounds.md (Appendix A,
// LayerNorm) and docs/numerics.md.
#include "core/numerics/bound_arith.hpp"
#include "core/numerics/fp_limits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace tao::numerics::detail {
namespace {

// Relative error bound of r = (v + eps)^-1/2 computed from a variance with absolute error
// ev: the eps constant (rounded to FP32), the addition, then rsqrt (or sqrt and divide)
// within eps_rsqrt, and one more u for folding the scale into another factor. Written once
// for FP64 tensors and for one row's doubles.
template <class T> T rsqrtRel(const T& v, const T& ev, double eps, const Ctx& c) {
    const double epsErr = std::abs(eps - static_cast<double>(static_cast<float>(eps)));
    const T ve = v + eps;
    const T eve = ev + epsErr + c.u * (ve + ev + epsErr) + kTiny;
    const T theta = eve / ve;
    const T rhoIn = el::select(theta < 1.0, T(el::rsqrt(T(1.0 - theta)) - 1.0), el::inf(theta));
    return (1.0 + rhoIn) * (1.0 + c.eps(MathFn::Rsqrt)) * (1.0 + c.u) * (1.0 + c.u) - 1.0;
}

// Statistics of the rows of x2 (R x n): mean mu within eMu of any computed mean, and the
// biased variance v = mean((x - mu)^2) within ev of any computed one, with the
// implementation-agnostic budget of Appendix A:
// E_v = gamma_{2n+3}(v + 2 mu^2) + 2|mu| e_mu + e_mu^2 (+ 2u e_mu mean|x - mu|), covering
// two-pass, one-pass E[x^2] - mu^2 and Welford/Chan merges. ev is +inf where squares of
// |x| + |mu| may leave the FP32 range (an honest variance may then be inf/NaN).
struct RowStats {
    at::Tensor mu, d, v, eMu, ev;
};

RowStats rowStats(const at::Tensor& x2, const Ctx& c) {
    const double n = static_cast<double>(x2.size(1));
    RowStats s;
    s.mu = x2.mean(1, true);
    s.d = x2 - s.mu;
    s.v = (s.d * s.d).mean(1, true);
    auto absMean = x2.abs().mean(1, true);
    s.eMu = c.gamma(n + 2) * absMean + (n + 2) * kTiny;
    s.ev = c.gamma(2 * n + 3) * (s.v + 2 * s.mu * s.mu) + 2 * s.mu.abs() * s.eMu + s.eMu * s.eMu +
           2 * c.u * s.eMu * s.d.abs().mean(1, true) + 2 * (n + 2) * kTiny;
    auto big = (x2.abs() + s.mu.abs()).pow(2).amax(1, true) * n > kFltMax;
    s.ev = infWhere(big, s.ev);
    return s;
}

// z = (x - mu) r with r = (v + eps)^-1/2 over the rows of x2, computed directly or folded
// as x r - mu r: |z^ - z| <= ez (three roundings on |x| + |mu|, the mean's error, and the
// relative error rho of r). r and rho are kept for the folded affine forms.
struct Normalised {
    at::Tensor z, ez, r, rho, mu, eMu;
};

Normalised normaliseRows(const at::Tensor& x2, double eps, const Ctx& c) {
    auto s = rowStats(x2, c);
    Normalised o;
    o.rho = rsqrtRel(s.v, s.ev, eps, c);
    o.r = at::rsqrt(s.v + eps);
    o.z = s.d * o.r;
    o.ez = o.r * (1.0 + o.rho) * (s.eMu * (1.0 + c.u) + 3 * c.u * (x2.abs() + s.mu.abs())) +
           o.r * s.d.abs() * o.rho;
    o.ez = infWhere(at::isinf(s.ev).expand_as(o.ez), o.ez);
    o.mu = s.mu;
    o.eMu = s.eMu;
    return o;
}

// layerNormOp for FP32 input, weight and bias, one row at a time: rowStats, normaliseRows
// and the affine steps of the tensor path as one pass per row (as a dozen tensor
// expressions over the whole input they were 5 % of verifying GPT-2). Sums run in another
// order than at::mean's, so values and bounds agree with the tensor path to FP64 rounding
// (test_numerics layerNormRowsAgreeWithTensorForm).
OpBound layerNormRows(const at::Tensor& x32, std::int64_t nn, const float* w, const float* bias,
                      double eps, const Ctx& c) {
    const double n = static_cast<double>(nn);
    return perRow(c, x32, nn, [&](std::int64_t, const float* xr, double* ref, double* bound) {
        double sum = 0, absSum = 0;
        for (std::int64_t i = 0; i < nn; ++i) {
            sum += xr[i];
            absSum += std::abs(static_cast<double>(xr[i]));
        }
        const double mu = sum / n;
        double sq = 0, dAbs = 0, widest = 0;
        for (std::int64_t i = 0; i < nn; ++i) {
            const double d = xr[i] - mu;
            sq += d * d;
            dAbs += std::abs(d);
            widest = std::max(widest, std::abs(static_cast<double>(xr[i])));
        }
        const double v = sq / n;
        const double eMu = c.gamma(n + 2) * (absSum / n) + (n + 2) * kTiny;
        double ev = c.gamma(2 * n + 3) * (v + 2 * mu * mu) + 2 * std::abs(mu) * eMu + eMu * eMu +
                    2 * c.u * eMu * (dAbs / n) + 2 * (n + 2) * kTiny;
        const double reach = widest + std::abs(mu);
        if (reach * reach * n > kFltMax || std::isnan(reach)) ev = kInf;
        const double rho = rsqrtRel(v, ev, eps, c);
        const double r = 1.0 / std::sqrt(v + eps);
        const double common = r * (1.0 + rho) * eMu * (1.0 + c.u);
        for (std::int64_t i = 0; i < nn; ++i) {
            const double xi = xr[i], d = xi - mu;
            double ez = common + r * (1.0 + rho) * 3 * c.u * (std::abs(xi) + std::abs(mu)) +
                        r * std::abs(d) * rho;
            if (std::isinf(ev)) ez = kInf;
            BasicVE<double> y{d * r, ez};
            if (w) y = mul(c, y, leaf(static_cast<double>(w[i])));
            if (bias) y = add(c, y, leaf(static_cast<double>(bias[i])));
            ref[i] = y.v;
            bound[i] = y.e;
        }
    });
}

// layer_norm: Appendix A derivation with the variance budget above. When |mu| >> sigma
// this makes rows ill-conditioned (E_v >= v + eps): their bound is +inf, which is flagged,
// never hidden.
OpBound layerNormOp(const Inputs& in, const Ctx& c) {
    const auto& xt = tensorArg(in, 0, "input");
    auto shape = intListArg(in, 1);
    auto w = optTensorArg(in, 2);
    auto bias = optTensorArg(in, 3);
    const double eps = scalarArg(in, 4, 1e-5);
    std::int64_t nn = 1;
    for (auto s : shape)
        nn *= s;
    if (static_cast<std::int64_t>(shape.size()) > xt.dim() || nn == 0)
        throw Unsupported("bad normalized_shape");
    const auto fp32 = [&](const c10::optional<at::Tensor>& t) {
        return !t || (t->scalar_type() == at::kFloat && t->numel() == nn);
    };
    if (c.params.fusedRows && xt.scalar_type() == at::kFloat && fp32(w) && fp32(bias)) {
        const auto wc = w ? w->contiguous() : at::Tensor();
        const auto bc = bias ? bias->contiguous() : at::Tensor();
        return layerNormRows(xt, nn, w ? wc.data_ptr<float>() : nullptr,
                             bias ? bc.data_ptr<float>() : nullptr, eps, c);
    }
    auto x = f64(xt, "input");
    auto nz = normaliseRows(x.reshape({-1, nn}), eps, c);
    VE y{nz.z.reshape(x.sizes()), nz.ez.reshape(x.sizes())};
    if (w) y = mul(c, y, leaf(f64(*w, "weight")));
    if (bias) y = add(c, y, leaf(f64(*bias, "bias")));
    auto ref =
        at::layer_norm(x, shape, w ? c10::optional<at::Tensor>(f64(*w, "weight")) : c10::nullopt,
                       bias ? c10::optional<at::Tensor>(f64(*bias, "bias")) : c10::nullopt, eps);
    return bounded({ref}, {y.e});
}

// group_norm / instance_norm with input statistics: x (N, C, *) normalised over groups of
// C/G channels (G = C for instance_norm), then y = z g_c + b_c per channel. Kernels apply
// the affine directly ((z g) + b) or folded into x s + (b - mu s) with s = r g (the CPU
// group_norm and batch_norm-training kernels): the folded form's own roundings are covered
// by adding 4u |g| r (1 + rho)(|x| + |mu| + e_mu) + u |b| to the direct form's bound.
OpBound groupedNorm(const at::Tensor& x, std::int64_t groups, const c10::optional<at::Tensor>& w,
                    const c10::optional<at::Tensor>& bias, double eps, const Ctx& c) {
    if (x.dim() < 2 || groups <= 0 || x.size(1) % groups != 0)
        throw Unsupported("channels not divisible into groups");
    const auto nb = x.size(0), ch = x.size(1);
    if (x.numel() == 0) throw Unsupported("empty input");
    auto nz = normaliseRows(x.reshape({nb * groups, -1}), eps, c);
    std::vector<std::int64_t> pshape(x.dim(), 1);
    pshape[1] = ch;
    auto g = w ? f64(*w, "weight").reshape(pshape) : at::ones(pshape, x.options());
    auto b = bias ? f64(*bias, "bias").reshape(pshape) : at::zeros(pshape, x.options());
    VE y{nz.z.reshape(x.sizes()), nz.ez.reshape(x.sizes())};
    if (w) y = mul(c, y, leaf(g));
    if (bias) y = add(c, y, leaf(b));
    std::vector<std::int64_t> bshape(x.dim(), 1);
    bshape[0] = nb;
    bshape[1] = ch;
    auto channelWise = [&](const at::Tensor& t) { // (N*G, 1) -> (N, C, 1, ...)
        return t.reshape({nb, groups, 1}).expand({nb, groups, ch / groups}).reshape(bshape);
    };
    auto r = channelWise(nz.r), rho = channelWise(nz.rho);
    auto mu = channelWise(nz.mu), eMu = channelWise(nz.eMu);
    auto folded =
        4 * c.u * g.abs() * r * (1.0 + rho) * (x.abs() + mu.abs() + eMu) + c.u * b.abs() + kTiny;
    auto ref = (nz.z.reshape(x.sizes()) * g) + b;
    return bounded({ref}, {y.e + folded});
}

// aten::group_norm(input, num_groups, weight, bias, eps, cudnn_enabled)
OpBound groupNormOp(const Inputs& in, const Ctx& c) {
    auto x = f64(tensorArg(in, 0, "input"), "input");
    return groupedNorm(x, intArg(in, 1, 1), optTensorArg(in, 2), optTensorArg(in, 3),
                       scalarArg(in, 4, 1e-5), c);
}

// One channel's factors for batchNormPlane.
struct BatchNormChannel {
    double m, rr, gg, bb, ss, rh, sc, u;
    bool noVar;
};

// Reference py and bound pe of a plane of n elements px of one channel (batchNormOp's
// formula). Vectorised for the CPU (AVX-512, AVX2 or baseline builds, picked at load).
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void
batchNormPlane(const BatchNormChannel& k, const float* px, double* py, double* pe, std::int64_t n) {
    const double u = k.u;
#pragma omp simd
    for (std::int64_t i = 0; i < n; ++i) {
        const double xi = px[i];
        const double y = (xi - k.m) * k.rr * k.gg + k.bb;
        const double ax = std::abs(xi) + std::abs(k.m);
        const double e0 =
            k.ss * ax * (k.rh + 3 * u) * (1.0 + k.rh) + u * std::abs(k.bb) * (1 + u) + 4 * kTiny;
        const double e = e0 + u * (std::abs(y) + e0) * (1 + u);
        py[i] = y;
        pe[i] = k.noVar || ax * k.sc * (1.0 + k.rh + 3 * u) > kFltMax ? kInf : e;
    }
}

// batch_norm in eval mode with running statistics: folded y = x*s + (b - mu*s), s = g*r,
// or direct (x - mu) * r * g + b; both within
// |s| (|x| + |mu|)(rho + 3u)(1 + rho) + u|b| + u(|y| + E) (Appendix A, kept rigorous).
// The per-channel factors are computed once; each element then takes one fused pass that
// writes its reference and final bound (as tensor expressions the element formulas were a
// third of verifying ResNet-18).
OpBound batchNormOp(const Inputs& in, const Ctx& c) {
    const auto& x32 = tensorArg(in, 0, "input");
    auto w = optTensorArg(in, 1);
    auto bias = optTensorArg(in, 2);
    auto rm = optTensorArg(in, 3);
    auto rv = optTensorArg(in, 4);
    if (boolArg(in, 5, false)) throw Unsupported("training-mode batch_norm is not bounded");
    if (!rm || !rv) throw Unsupported("batch_norm without running statistics is not bounded");
    const double eps = scalarArg(in, 7, 1e-5);
    if (x32.scalar_type() != at::kFloat)
        throw Unsupported("input has dtype " + std::string(c10::toString(x32.scalar_type())) +
                          "; only FP32 operators are bounded");
    if (x32.dim() < 2) throw Unsupported("batch_norm input needs a channel dimension");
    const auto channels = x32.size(1);
    const auto perChannel = [&](const at::Tensor& t, const char* what) {
        auto v = f64(t, what).reshape({-1});
        if (v.numel() != channels) throw Unsupported(std::string(what) + ": one per channel");
        return v;
    };
    const auto mu = perChannel(*rm, "running_mean");
    const auto var = perChannel(*rv, "running_var");
    const auto g = w ? perChannel(*w, "weight") : at::Tensor();
    const auto b = bias ? perChannel(*bias, "bias") : at::Tensor();
    // Each channel's factors in one scalar loop: as tensor expressions, two dozen small
    // operations per layer took a third of batch norm's time on resnet18.
    std::vector<BatchNormChannel> factors(static_cast<std::size_t>(channels));
    const double *pm = mu.data_ptr<double>(), *pv = var.data_ptr<double>();
    const double* pg = g.defined() ? g.data_ptr<double>() : nullptr;
    const double* pb = b.defined() ? b.data_ptr<double>() : nullptr;
    for (std::int64_t ch = 0; ch < channels; ++ch) {
        const double gg = pg ? pg[ch] : 1.0;
        const double r = 1.0 / std::sqrt(pv[ch] + eps);
        const double ss = std::abs(gg) * r;
        // Intermediates x - mu, (x - mu) r, x s and mu s must stay in range, or an honest
        // result may be inf/NaN whatever the final value.
        factors[static_cast<std::size_t>(ch)] = {pm[ch],
                                                 r,
                                                 gg,
                                                 pb ? pb[ch] : 0.0,
                                                 ss,
                                                 rsqrtRel(pv[ch], 0.0, eps, c),
                                                 std::max({r, ss, 1.0}),
                                                 c.u,
                                                 pv[ch] + eps <= 0};
    }
    // Rows are the planes of one sample and channel.
    const std::int64_t planes = x32.size(0) * channels;
    const std::int64_t inner = planes ? x32.numel() / planes : 0;
    return perRow(c, x32, inner, [&](std::int64_t p, const float* px, double* py, double* pe) {
        batchNormPlane(factors[static_cast<std::size_t>(p % channels)], px, py, pe, inner);
    });
}

// aten::instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
// momentum, eps, cudnn_enabled): with input statistics, group_norm with one channel per
// group; otherwise batch_norm in eval mode with the running statistics.
OpBound instanceNormOp(const Inputs& in, const Ctx& c) {
    const bool inputStats = boolArg(in, 5, true);
    if (!inputStats) {
        Inputs bn = {in.at(0),
                     in.at(1),
                     in.at(2),
                     in.at(3),
                     in.at(4),
                     c10::IValue(false),
                     in.size() > 6 ? in[6] : c10::IValue(0.1),
                     in.size() > 7 ? in[7] : c10::IValue(1e-5)};
        return batchNormOp(bn, c);
    }
    auto x = f64(tensorArg(in, 0, "input"), "input");
    return groupedNorm(x, x.dim() >= 2 ? x.size(1) : 0, optTensorArg(in, 1), optTensorArg(in, 2),
                       scalarArg(in, 7, 1e-5), c);
}

// var / std over dims with a correction (unbiased: 1): var = M2 / (n - correction) with
// M2 = n v, so |var^ - var| <= n E_v / (n - correction), plus the division's rounding;
// std = sqrt(var) by the sqrt rule. Overloads (self, unbiased), (self, dim, unbiased,
// keepdim) and (self, dim, correction, keepdim).
OpBound varStd(const Inputs& in, const Ctx& c, bool isStd) {
    auto x = f64(tensorArg(in, 0, "self"), "self");
    std::vector<std::int64_t> dims;
    double correction = 1;
    bool keepdim = false;
    if (hasArg(in, 1) && in[1].isBool()) {
        correction = in[1].toBool() ? 1 : 0;
    } else {
        dims = intListArg(in, 1);
        if (hasArg(in, 2))
            correction = in[2].isBool() ? (in[2].toBool() ? 1 : 0) : scalarArg(in, 2, 1);
        keepdim = boolArg(in, 3, false);
    }
    const auto rank = x.dim();
    std::vector<bool> reduced(std::max<std::int64_t>(rank, 1), dims.empty());
    for (auto d : dims) {
        if (d < -rank || d >= std::max<std::int64_t>(rank, 1))
            throw Unsupported("dim out of range");
        reduced[d < 0 ? d + rank : d] = true;
    }
    // Move the reduced dims last and flatten them: rows of n elements.
    std::vector<std::int64_t> perm, kept;
    for (std::int64_t i = 0; i < rank; ++i)
        if (!reduced[i]) perm.push_back(i), kept.push_back(i);
    for (std::int64_t i = 0; i < rank; ++i)
        if (reduced[i]) perm.push_back(i);
    auto xp = rank > 0 ? x.permute(perm) : x.reshape({1});
    std::int64_t rows = 1;
    for (auto i : kept)
        rows *= x.size(i);
    auto x2 = xp.reshape({rows, -1});
    const double n = static_cast<double>(x2.size(1));
    std::vector<std::int64_t> outShape;
    for (std::int64_t i = 0; i < rank; ++i) {
        if (!reduced[i])
            outShape.push_back(x.size(i));
        else if (keepdim)
            outShape.push_back(1);
    }
    auto s = rowStats(x2, c);
    const double denom = n - correction;
    auto var = s.v * (n / denom);
    auto ev = s.ev * (n / denom);
    if (denom <= 0) ev = at::full_like(ev, kInf);
    VE y = rounded(c, var, ev);
    if (isStd) y = sqrtVE(c, y, c.eps(MathFn::Sqrt));
    auto ref = isStd ? at::sqrt(var) : var;
    return bounded({ref.reshape(outShape)}, {y.e.reshape(outShape)});
}

} // namespace

const HandlerTable& normHandlers() {
    static const HandlerTable table = {
        {"aten::layer_norm", layerNormOp},
        {"aten::batch_norm", batchNormOp},
        {"aten::group_norm", groupNormOp},
        {"aten::instance_norm", instanceNormOp},
        {"aten::var", [](const Inputs& in, const Ctx& c) { return varStd(in, c, false); }},
        {"aten::std", [](const Inputs& in, const Ctx& c) { return varStd(in, c, true); }},
    };
    return table;
}

} // namespace tao::numerics::detail
