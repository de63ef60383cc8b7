// Dot-product operators: linear, addmm, matmul/mm/bmm/baddbmm/mv/dot, convolutions, and
// fused attention. All reduce to |fl(a^T w) - a^T w| <= coef(n) |a|^T |w| with the
// magnitude |A||B| (or conv(|X|, |W|)) computed in FP64 alongside the reference.
// Convolution bounds assume direct or GEMM-based (im2col, implicit GEMM, oneDNN direct)
// algorithms, which are reorderings of the same products; Winograd and FFT algorithms add
// transform errors that are NOT covered.
#include "core/numerics/bound_arith.hpp"

#include <cmath>
#include <limits>

namespace tao::numerics::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// coef(n) |mag| plus the underflow terms of n products and additions; +inf where |mag|
// (plus the error of the partial sums) leaves the FP32 range: an honest partial sum or
// product may overflow there, whatever the final value.
at::Tensor dotBound(const at::Tensor& mag, double n, const Ctx& c) {
    auto b = c.dotCoefficient(n) * mag + (4 * n + 4) * kTiny;
    return at::where(mag + b > kFltMax, at::full_like(b, kInf), b);
}

c10::optional<at::Tensor> opt64(const c10::optional<at::Tensor>& t, const char* what) {
    if (!t) return c10::nullopt;
    return f64(*t, what);
}

OpBound linearOp(const Inputs& in, const Ctx& c) {
    auto x = f64(tensorArg(in, 0, "input"), "input");
    auto w = f64(tensorArg(in, 1, "weight"), "weight");
    auto b = opt64(optTensorArg(in, 2), "bias");
    const double k = static_cast<double>(w.size(-1));
    auto ref = at::linear(x, w, b);
    auto mag = at::linear(x.abs(), w.abs(), b ? c10::optional<at::Tensor>(b->abs()) : c10::nullopt);
    return bounded({ref}, {dotBound(mag, b ? k + 2 : k, c)});
}

// y = beta * self + alpha * (A @ B): K products, the alpha and beta scalings and the final
// addition: gamma_{K+3} (one spare rounding for implementations that scale A first).
OpBound addmmLike(const Inputs& in, const Ctx& c, bool batched) {
    auto s = f64(tensorArg(in, 0, "self"), "self");
    auto a = f64(tensorArg(in, 1, "mat1"), "mat1");
    auto bm = f64(tensorArg(in, 2, "mat2"), "mat2");
    const double beta = scalarArg(in, 3, 1.0);
    const double alpha = scalarArg(in, 4, 1.0);
    const double k = static_cast<double>(a.size(-1));
    auto prod = batched ? at::bmm(a, bm) : at::mm(a, bm);
    auto absProd = batched ? at::bmm(a.abs(), bm.abs()) : at::mm(a.abs(), bm.abs());
    at::Tensor ref = alpha * prod;
    at::Tensor mag = std::abs(alpha) * absProd;
    if (beta != 0.0) { // beta == 0 ignores self entirely (NaN in self does not propagate)
        ref = ref + beta * s;
        mag = mag + std::abs(beta) * s.abs();
    }
    return bounded({ref}, {dotBound(mag, k + 3, c)});
}

OpBound matmulLike(const Inputs& in, const Ctx& c, const char* which) {
    auto a = f64(tensorArg(in, 0, "self"), "self");
    auto b = f64(tensorArg(in, 1, "other"), "other");
    const std::string w = which;
    if (a.dim() == 0 || b.dim() == 0) throw Unsupported("matmul of a 0-dim tensor");
    const double k = static_cast<double>(a.size(-1));
    at::Tensor ref, mag;
    if (w == "mm") {
        ref = at::mm(a, b), mag = at::mm(a.abs(), b.abs());
    } else if (w == "bmm") {
        ref = at::bmm(a, b), mag = at::bmm(a.abs(), b.abs());
    } else if (w == "mv") {
        ref = at::mv(a, b), mag = at::mv(a.abs(), b.abs());
    } else if (w == "dot") {
        ref = at::dot(a, b), mag = at::dot(a.abs(), b.abs());
    } else {
        ref = at::matmul(a, b), mag = at::matmul(a.abs(), b.abs());
    }
    return bounded({ref}, {dotBound(mag, k, c)});
}

struct ConvArgs {
    at::Tensor x, w;
    c10::optional<at::Tensor> b;
    std::vector<std::int64_t> stride, padding, dilation, outputPadding;
    std::optional<std::string> paddingMode; // "same" / "valid"
    bool transposed = false;
    std::int64_t groups = 1;
};

at::Tensor convRun(const ConvArgs& a, const at::Tensor& x, const at::Tensor& w,
                   const c10::optional<at::Tensor>& b) {
    if (a.paddingMode) {
        const auto spatial = x.dim() - 2;
        const c10::string_view mode(*a.paddingMode);
        if (spatial == 1) return at::conv1d(x, w, b, a.stride, mode, a.dilation, a.groups);
        if (spatial == 2) return at::conv2d(x, w, b, a.stride, mode, a.dilation, a.groups);
        if (spatial == 3) return at::conv3d(x, w, b, a.stride, mode, a.dilation, a.groups);
        throw Unsupported("string padding needs a 1-3d convolution");
    }
    return at::convolution(x, w, b, a.stride, a.padding, a.dilation, a.transposed, a.outputPadding,
                           a.groups);
}

OpBound convBound(ConvArgs a, const Ctx& c) {
    const auto spatial = a.x.dim() - 2;
    if (spatial < 1 || a.w.dim() != a.x.dim()) throw Unsupported("convolution shapes");
    auto fill = [&](std::vector<std::int64_t>& v, std::int64_t dflt) {
        if (v.empty()) v.assign(1, dflt);
        if (v.size() == 1) v.assign(spatial, v[0]);
    };
    fill(a.stride, 1);
    fill(a.padding, 0);
    fill(a.dilation, 1);
    fill(a.outputPadding, 0);
    double taps = 1;
    for (std::int64_t i = 2; i < a.w.dim(); ++i)
        taps *= static_cast<double>(a.w.size(i));
    const double channels = a.transposed
                                ? static_cast<double>(a.w.size(0)) / static_cast<double>(a.groups)
                                : static_cast<double>(a.w.size(1));
    const double n = channels * taps + (a.b ? 2 : 0);
    auto ref = convRun(a, a.x, a.w, a.b);
    auto mag = convRun(a, a.x.abs(), a.w.abs(),
                       a.b ? c10::optional<at::Tensor>(a.b->abs()) : c10::nullopt);
    return bounded({ref}, {dotBound(mag, n, c)});
}

ConvArgs convCommon(const Inputs& in) {
    ConvArgs a;
    a.x = f64(tensorArg(in, 0, "input"), "input");
    a.w = f64(tensorArg(in, 1, "weight"), "weight");
    a.b = opt64(optTensorArg(in, 2), "bias");
    return a;
}

// aten::conv1d/2d/3d(input, weight, bias, stride, padding, dilation, groups); padding may
// be "same"/"valid".
OpBound convNd(const Inputs& in, const Ctx& c) {
    auto a = convCommon(in);
    a.stride = intListArg(in, 3);
    if (hasArg(in, 4) && in[4].isString())
        a.paddingMode = in[4].toStringRef();
    else
        a.padding = intListArg(in, 4);
    a.dilation = intListArg(in, 5);
    a.groups = intArg(in, 6, 1);
    return convBound(a, c);
}

// aten::_convolution(input, weight, bias, stride, padding, dilation, transposed,
// output_padding, groups, benchmark, deterministic, cudnn_enabled[, allow_tf32]) and
// aten::convolution (the first nine). allow_tf32 records the tracing machine's flag and is
// not trusted: BoundParams::tf32 decides.
OpBound convolutionOp(const Inputs& in, const Ctx& c) {
    auto a = convCommon(in);
    a.stride = intListArg(in, 3);
    a.padding = intListArg(in, 4);
    a.dilation = intListArg(in, 5);
    a.transposed = boolArg(in, 6, false);
    a.outputPadding = intListArg(in, 7);
    a.groups = intArg(in, 8, 1);
    return convBound(a, c);
}

// aten::conv_transpose1d/2d(input, weight, bias, stride, padding, output_padding, groups,
// dilation)
OpBound convTransposeOp(const Inputs& in, const Ctx& c) {
    auto a = convCommon(in);
    a.transposed = true;
    a.stride = intListArg(in, 3);
    a.padding = intListArg(in, 4);
    a.outputPadding = intListArg(in, 5);
    a.groups = intArg(in, 6, 1);
    a.dilation = intListArg(in, 7);
    return convBound(a, c);
}

OpBound sdpaOp(const Inputs& in, const Ctx& c) {
    if (scalarArg(in, 4, 0.0) != 0.0) throw Unsupported("attention dropout draws a random mask");
    std::optional<double> scale;
    if (hasArg(in, 6)) scale = scalarArg(in, 6, 1.0);
    std::optional<at::Tensor> mask;
    if (auto m = optTensorArg(in, 3)) mask = *m;
    auto r =
        attentionBound(tensorArg(in, 0, "query"), tensorArg(in, 1, "key"),
                       tensorArg(in, 2, "value"), mask, boolArg(in, 5, false), scale, c.params);
    if (r.status == BoundStatus::NoBound) throw Unsupported(r.reason);
    return r;
}

} // namespace

const HandlerTable& linearHandlers() {
    static const HandlerTable table = {
        {"aten::linear", linearOp},
        {"aten::addmm", [](const Inputs& in, const Ctx& c) { return addmmLike(in, c, false); }},
        {"aten::baddbmm", [](const Inputs& in, const Ctx& c) { return addmmLike(in, c, true); }},
        {"aten::matmul",
         [](const Inputs& in, const Ctx& c) { return matmulLike(in, c, "matmul"); }},
        {"aten::mm", [](const Inputs& in, const Ctx& c) { return matmulLike(in, c, "mm"); }},
        {"aten::bmm", [](const Inputs& in, const Ctx& c) { return matmulLike(in, c, "bmm"); }},
        {"aten::mv", [](const Inputs& in, const Ctx& c) { return matmulLike(in, c, "mv"); }},
        {"aten::dot", [](const Inputs& in, const Ctx& c) { return matmulLike(in, c, "dot"); }},
        {"aten::conv1d", convNd},
        {"aten::conv2d", convNd},
        {"aten::conv3d", convNd},
        {"aten::_convolution", convolutionOp},
        {"aten::convolution", convolutionOp},
        {"aten::conv_transpose1d", convTransposeOp},
        {"aten::conv_transpose2d", convTransposeOp},
        {"aten::scaled_dot_product_attention", sdpaOp},
    };
    return table;
}

} // namespace tao::numerics::detail

namespace tao::numerics {

// Appendix A, SDPA derivation, kept rigorous:
// 1. logits L = s Q K^T (+ mask): |dL_ij| <= Delta_ij = coef(d+2) |s| (|Q||K|^T)_ij
//    (+ u |L_ij| for an additive float mask);
// 2. perturbing each logit of row i by <= Delta_i = max_j Delta_ij scales every probability
//    by a factor within e^{+-2 Delta_i}; the FP32 softmax of the perturbed logits adds
//    the relative softmax bound evaluated with |d| + 2 Delta_i;
// 3. O = P V in any order: |dO_ik| <= sum_j [eta_ij + coef(N+2)(1 + eta_ij)] P_ij |V_jk|
//    (N keys; +2 covers normalising after PV).
OpBound attentionBound(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                       const std::optional<at::Tensor>& mask, bool causal,
                       std::optional<double> scale, const BoundParams& params) {
    using namespace detail;
    try {
        at::NoGradGuard noGrad;
        Ctx c(params);
        auto q64 = f64(q, "query"), k64 = f64(k, "key"), v64 = f64(v, "value");
        if (q64.dim() < 2 || k64.dim() < 2 || v64.dim() < 2) throw Unsupported("attention shapes");
        const double d = static_cast<double>(q64.size(-1));
        const double nKeys = static_cast<double>(k64.size(-2));
        const double s = scale ? *scale : 1.0 / std::sqrt(d);
        auto kt = k64.transpose(-2, -1);
        auto logits = s * at::matmul(q64, kt);
        auto absQK = std::abs(s) * at::matmul(q64.abs(), kt.abs());
        auto delta = c.dotCoefficient(d + 2) * absQK + (4 * d + 8) * kTiny;
        auto keep = at::ones_like(logits, logits.options().dtype(at::kBool));
        if (causal) {
            auto l = logits.size(-2), sk = logits.size(-1);
            keep = keep & at::ones({l, sk}, keep.options()).tril();
        }
        if (mask) {
            if (mask->scalar_type() == at::kBool) {
                keep = keep & *mask;
            } else {
                auto m64 = f64(*mask, "attn_mask");
                logits = logits + m64;
                delta = delta + c.u * (logits.abs() + delta) + kTiny;
                keep = keep & at::isfinite(logits);
            }
        }
        delta = at::where(absQK > kFltMax, at::full_like(delta, kInf), delta);
        auto masked = logits.masked_fill(keep.logical_not(), -kInf);
        auto p = at::softmax(masked, -1);
        auto ref = at::matmul(p, v64);
        auto deltaRow = at::where(keep, delta, at::zeros_like(delta)).amax(-1, true);
        // Relative error of the FP32 softmax on the perturbed logits.
        const double epsExp = c.eps(MathFn::Exp);
        auto m = std::get<0>(masked.max(-1, true));
        auto dAbs = at::where(keep, (masked - m).abs() + 2 * deltaRow, at::zeros_like(masked));
        const double rescale = (1.0 + epsExp + c.u) * (1.0 + epsExp + c.u);
        auto alpha = at::exp(2.0 * c.u * dAbs) * (1.0 + epsExp) * rescale - 1.0;
        auto abar = (p * alpha).sum(-1, true) * at::exp(2 * deltaRow);
        const double g = c.gamma(std::max(nKeys - 1, 0.0));
        auto betaLo = 1.0 - (1.0 - abar) * (1.0 - g);
        auto rel = (1.0 + alpha) * (1.0 + 2 * c.u) / (1.0 - betaLo) - 1.0;
        rel = at::where(betaLo < 1.0, rel, at::full_like(rel, kInf));
        auto eta = at::exp(2 * deltaRow) * (1.0 + rel) - 1.0;
        eta = at::where(keep, eta, at::zeros_like(eta));
        const double cn = c.dotCoefficient(nKeys + 2);
        auto weight = (eta + cn * (1.0 + eta)) * p;
        auto bound = at::matmul(weight, v64.abs()) + (4 * nKeys + 8) * kTiny;
        auto magV = at::matmul(p, v64.abs());
        bound = at::where(magV > kFltMax, at::full_like(bound, kInf), bound);
        return bounded({ref}, {bound});
    } catch (const std::exception& e) {
        OpBound r;
        r.reason = std::string("attention: ") + e.what();
        return r;
    }
}

} // namespace tao::numerics
