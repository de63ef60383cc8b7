// Dot-product operators: linear, addmm, matmul/mm/bmm/baddbmm/mv/dot, convolutions, and
// fused attention. All reduce to |fl(a^T w) - a^T w| <= coef(n) |a|^T |w| with the
// magnitude |A||B| (or conv(|X|, |W|)) computed alongside the FP64 reference: in FP32,
// rounded up, where the operands are FP32 and a direct summation is available.
// Convolution bounds cover direct or GEMM-based (im2col, implicit GEMM, oneDNN direct)
// algorithms, which are reorderings of the same products; Winograd and FFT algorithms add
// transform errors, covered only when BoundParams::fastConvolution is set
// (conv_algorithms.hpp).
#include "core/numerics/bf16_dot.hpp"
#include "core/numerics/bound_arith.hpp"
#include "core/numerics/conv_algorithms.hpp"
#include "core/numerics/conv_columns.hpp"
#include "core/numerics/dot_bound.hpp"
#include "core/numerics/fp_limits.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>

namespace tao::numerics::detail {
namespace {

c10::optional<at::Tensor> opt64(const c10::optional<at::Tensor>& t, const char* what) {
    if (!t) return c10::nullopt;
    return f64(*t, what);
}

OpBound linearOp(const Inputs& in, const Ctx& c) {
    const auto x = dotOperand(tensorArg(in, 0, "input"), "input");
    const auto& weight = tensorArg(in, 1, "weight");
    auto b = opt64(optTensorArg(in, 2), "bias");
    const double k = static_cast<double>(weight.dim() > 0 ? weight.size(-1) : 1);
    const double n = b ? k + 2 : k;
    if (auto panels = linearInPanels(x, weight, b, n, c)) return std::move(*panels);
    const auto w = dotOperand(weight, "weight");
    auto ref = at::linear(x.f64, w.f64, b);
    const Product linear = [](const at::Tensor& a, const at::Tensor& v) {
        return at::linear(a, v);
    };
    return dotProductBound(ref, linear, x, w, k, 1.0, b ? b->abs() : at::Tensor(), n, c);
}

// y = beta * self + alpha * (A @ B): K products, the alpha and beta scalings and the final
// addition: gamma_{K+3} (one spare rounding for implementations that scale A first).
OpBound addmmLike(const Inputs& in, const Ctx& c, bool batched) {
    auto s = f64(tensorArg(in, 0, "self"), "self");
    const auto a = dotOperand(tensorArg(in, 1, "mat1"), "mat1");
    const auto b = dotOperand(tensorArg(in, 2, "mat2"), "mat2");
    const double beta = scalarArg(in, 3, 1.0);
    const double alpha = scalarArg(in, 4, 1.0);
    const double k = static_cast<double>(a.f64.size(-1));
    const Product mm = [batched](const at::Tensor& x, const at::Tensor& y) {
        return batched ? at::bmm(x, y) : at::mm(x, y);
    };
    at::Tensor ref = alpha * mm(a.f64, b.f64);
    at::Tensor extra; // beta == 0 ignores self entirely (NaN in self does not propagate)
    if (beta != 0.0) {
        ref = ref + beta * s;
        extra = std::abs(beta) * s.abs();
    }
    return dotProductBound(ref, mm, a, b, k, std::abs(alpha), extra, k + 3, c);
}

// A batched product a @ b (the same leading dimensions, at least one) whose claim is kept
// as a tally only (ClaimJudge), one batch at a time: attention's scores at sequence 1024
// (12 x 1024 x 1024) otherwise take a whole FP64 reference and FP32 magnitude, 150 MB,
// three times the output. Each batch's product is the one the whole product takes for it;
// nullopt where the operands or the claim do not qualify.
std::optional<OpBound> batchesOneByOne(const at::Tensor& a32, const at::Tensor& b32, const Ctx& c) {
    if (a32.dim() < 3 || a32.dim() != b32.dim() ||
        a32.sizes().slice(0, a32.dim() - 2) != b32.sizes().slice(0, b32.dim() - 2) ||
        a32.size(-1) != b32.size(-2))
        return std::nullopt;
    auto sizes = a32.sizes().vec();
    sizes.back() = b32.size(-1);
    const ClaimJudge judge(c, sizes);
    if (!judge.tallyOnly()) return std::nullopt;
    const auto m = a32.size(-2), k = a32.size(-1), n = b32.size(-1);
    const auto as = a32.reshape({-1, m, k}), bs = b32.reshape({-1, k, n});
    const auto claims = c.claim->view({-1, m, n});
    const Product mm = [](const at::Tensor& x, const at::Tensor& y) { return at::mm(x, y); };
    ClaimTally total;
    std::int64_t infinite = 0;
    for (std::int64_t i = 0; i < as.size(0); ++i) {
        const auto a = dotOperand(as[i], "self"), b = dotOperand(bs[i], "other");
        const auto claim = claims[i];
        Ctx one = c;
        one.claim = &claim;
        const auto part =
            dotProductBound(at::mm(a.f64, b.f64), mm, a, b, double(k), 1.0, {}, double(k), one);
        const auto tally = tallyOfClaim(part, claim);
        if (!tally) return std::nullopt;
        total.merge(*tally);
        infinite += tally->unbounded;
    }
    return talliedOutput(sizes, *c.claim, total, infinite);
}

OpBound matmulLike(const Inputs& in, const Ctx& c, const char* which) {
    const auto& a32 = tensorArg(in, 0, "self");
    const auto& b32 = tensorArg(in, 1, "other");
    const std::string w = which;
    if (a32.dim() == 0 || b32.dim() == 0) throw Unsupported("matmul of a 0-dim tensor");
    const double k = static_cast<double>(a32.size(-1));
    Product product = [](const at::Tensor& a, const at::Tensor& b) { return at::matmul(a, b); };
    if (w == "mm") product = [](const at::Tensor& a, const at::Tensor& b) { return at::mm(a, b); };
    if (w == "bmm")
        product = [](const at::Tensor& a, const at::Tensor& b) { return at::bmm(a, b); };
    if (w == "mv") product = [](const at::Tensor& a, const at::Tensor& b) { return at::mv(a, b); };
    if (w == "dot")
        product = [](const at::Tensor& a, const at::Tensor& b) { return at::dot(a, b); };
    if (auto sliced = batchesOneByOne(a32, b32, c)) return std::move(*sliced);
    const auto a = dotOperand(a32, "self"), b = dotOperand(b32, "other");
    auto ref = product(a.f64, b.f64);
    return dotProductBound(ref, product, a, b, k, 1.0, {}, k, c);
}

struct ConvArgs {
    at::Tensor xGiven, wGiven; // the operands as the graph gives them
    at::Tensor x, w;           // FP64 copies, made where convBound's path needs them
    c10::optional<at::Tensor> b;
    c10::optional<at::Tensor> bAbs32;
    std::vector<std::int64_t> stride, padding, dilation, outputPadding;
    std::optional<std::string> paddingMode; // "same" / "valid"
    bool transposed = false;
    std::int64_t groups = 1;

    bool fp32() const {
        return xGiven.scalar_type() == at::kFloat && wGiven.scalar_type() == at::kFloat;
    }
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

// A stride-1 convolution as a correlation of an explicitly padded input (padding 0), the
// form the fast-algorithm bounds take; nullopt for strided layers, where no library uses
// Winograd or FFT. A stride-1 transposed convolution is the correlation of the input padded
// by dilation (k - 1) - padding (a negative pad crops) with the flipped kernel, its input
// and output channels swapped within each group.
bool isStride1(const ConvArgs& a) {
    for (auto s : a.stride)
        if (s != 1) return false;
    if (a.transposed)
        for (auto p : a.outputPadding)
            if (p != 0) return false;
    return true;
}
std::optional<std::pair<at::Tensor, at::Tensor>> asStride1(const ConvArgs& a) {
    const auto spatial = a.x.dim() - 2;
    if (!isStride1(a)) return std::nullopt;
    std::vector<std::int64_t> pads; // constant_pad_nd order: last dimension first
    for (auto d = spatial - 1; d >= 0; --d) {
        const auto i = static_cast<std::size_t>(d);
        const auto extent = a.dilation[i] * (a.w.size(2 + d) - 1);
        std::int64_t lo = 0, hi = 0;
        if (a.transposed) {
            lo = hi = extent - a.padding[i];
        } else if (a.paddingMode) {
            if (*a.paddingMode == "same") lo = extent / 2, hi = extent - lo;
        } else {
            lo = hi = a.padding[i];
        }
        pads.push_back(lo);
        pads.push_back(hi);
    }
    auto x = at::constant_pad_nd(a.x, pads);
    if (!a.transposed) return std::make_pair(x, a.w);
    std::vector<std::int64_t> shape{a.groups, a.w.size(0) / a.groups, a.w.size(1)};
    std::vector<std::int64_t> flip;
    for (std::int64_t d = 2; d < a.w.dim(); ++d) {
        shape.push_back(a.w.size(d));
        flip.push_back(d);
    }
    auto w = a.w.reshape(shape).transpose(1, 2);
    shape = {a.groups * a.w.size(1), a.w.size(0) / a.groups};
    for (std::int64_t d = 2; d < a.w.dim(); ++d)
        shape.push_back(a.w.size(d));
    return std::make_pair(x, w.reshape(shape).flip(flip));
}

// oneDNN may compute FP32 in BF16 or TF32 when told so through its environment
// (ONEDNN_DEFAULT_FPMATH_MODE, or DNNL_ before it); then |x| and |w| would be rounded,
// possibly down, and only "strict" (the default) keeps the magnitude sound.
bool oneDnnStrictMath() {
    for (const char* name : {"ONEDNN_DEFAULT_FPMATH_MODE", "DNNL_DEFAULT_FPMATH_MODE"})
        if (const char* v = std::getenv(name); v && *v) {
            std::string mode(v);
            for (auto& ch : mode)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (mode != "strict") return false;
        }
    return true;
}

// conv(|x|, |w|) + |b| rounded up (roundUpMagnitude) from oneDNN's FP32 direct convolution
// (the algorithm LibTorch's mkldnn_convolution always asks for: sums of non-negative
// products, in an order of its choosing, never Winograd); the FP64 convolution where oneDNN
// is absent or the layer is one it does not take (transposed, string padding, 1-d,
// operands not FP32).
at::Tensor convMagnitude(const ConvArgs& a, double terms) {
    const bool direct = at::hasMKLDNN() && oneDnnStrictMath() && !a.transposed && !a.paddingMode &&
                        (a.x.dim() == 4 || a.x.dim() == 5) && a.fp32() && (!a.b || a.bAbs32);
    if (direct) {
        const Product conv = [&](const at::Tensor& x, const at::Tensor& w) {
            return at::mkldnn_convolution(x, w, a.bAbs32, a.padding, a.stride, a.dilation,
                                          a.groups);
        };
        try {
            const auto s32 = magnitude32(conv, {a.x, a.xGiven.abs()}, {a.w, a.wGiven.abs()}, terms);
            if (s32.defined()) return roundUpMagnitude(s32, terms);
        } catch (const c10::Error&) { // a layout oneDNN refuses: the FP64 convolution takes it
        }
    }
    return convRun(a, a.x.abs(), a.w.abs(),
                   a.b ? c10::optional<at::Tensor>(a.b->abs()) : c10::nullopt);
}

// 2-d convolutions of FP32 operands take their magnitude from BF16 columns
// (conv_columns.hpp) and their bound in one pass, unless BoundParams says otherwise.
bool convolutionInColumns(const ConvArgs& a, const Ctx& c) {
    return c.params.convolutionColumns && !a.transposed && !a.paddingMode && a.fp32() &&
           a.xGiven.dim() == 4 && a.wGiven.dim() == 4 && a.groups > 0 &&
           a.wGiven.size(0) % a.groups == 0 && a.xGiven.size(1) == a.wGiven.size(1) * a.groups &&
           fp32MagnitudeHolds(
               static_cast<double>(a.wGiven.size(1) * a.wGiven.size(2) * a.wGiven.size(3)));
}

OpBound convBound(ConvArgs a, const Ctx& c) {
    const auto spatial = a.xGiven.dim() - 2;
    if (spatial < 1 || a.wGiven.dim() != a.xGiven.dim()) throw Unsupported("convolution shapes");
    auto fill = [&](std::vector<std::int64_t>& v, std::int64_t dflt) {
        if (v.empty()) v.assign(1, dflt);
        if (v.size() == 1) v.assign(spatial, v[0]);
    };
    fill(a.stride, 1);
    fill(a.padding, 0);
    fill(a.dilation, 1);
    fill(a.outputPadding, 0);
    double taps = 1;
    for (std::int64_t i = 2; i < a.wGiven.dim(); ++i)
        taps *= static_cast<double>(a.wGiven.size(i));
    const double channels =
        a.transposed ? static_cast<double>(a.wGiven.size(0)) / static_cast<double>(a.groups)
                     : static_cast<double>(a.wGiven.size(1));
    const double n = channels * taps + (a.b ? 2 : 0);
    // A fast algorithm's bound holds for stride-1 layers only (no library runs Winograd or
    // FFT on strided ones); the direct bound is the maximum's other half there.
    const bool fast = c.params.fastConvolution && isStride1(a);
    if (!fast && convolutionInColumns(a, c)) {
        const auto both = conv2dReferenceAndMagnitude(a.xGiven, a.wGiven, a.b,
                                                      {a.stride, a.padding, a.dilation, a.groups});
        return fusedDotBound(both.ref, both.s32, n - (a.b ? 2 : 0), 1.0,
                             a.b ? a.b->abs() : at::Tensor(), n, c, kBf16OperandFactor, 1);
    }
    a.x = f64(a.xGiven, "input");
    a.w = f64(a.wGiven, "weight");
    auto ref = convRun(a, a.x, a.w, a.b);
    const auto stride1 = fast ? asStride1(a) : std::nullopt;
    auto bound = dotBound(convMagnitude(a, n), n, c);
    if (stride1) {
        auto fast =
            fastConvBound(c, stride1->first, stride1->second, a.b, a.dilation, a.groups, ref);
        if (fast.sizes() != ref.sizes())
            throw Unsupported("fast convolution bound: shapes do not match the result");
        bound = at::maximum(bound, fast);
    }
    return bounded({ref}, {bound});
}

ConvArgs convCommon(const Inputs& in) {
    ConvArgs a;
    const auto& x = tensorArg(in, 0, "input");
    const auto& w = tensorArg(in, 1, "weight");
    a.xGiven = x;
    a.wGiven = w;
    if (const auto b = optTensorArg(in, 2)) {
        a.b = f64(*b, "bias");
        if (b->scalar_type() == at::kFloat) a.bAbs32 = b->abs();
    }
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

// --- recurrent layers (aten::lstm, gru, rnn_tanh, rnn_relu) ---------------------------
//
// The operator runs the whole recurrence, so each step's state carries the error of the
// steps before it. The bound follows the recurrence in the bound arithmetic: the state
// (h, c) is a VE, every gate pre-activation is one dot product over [x_t, h, 1, 1] with
// the exact weights,
//   |pre^ - pre| <= |W_ih| e_x + |W_hh| e_h + coef(I + H + 2) (|W_ih|(|x| + e_x) +
//                   |W_hh|(|h| + e_h) + |b_ih| + |b_hh|),
// which holds for the input projection precomputed over the sequence or per step, the two
// products summed in any order, fused (cuDNN) or not, with or without FMA; the gate
// functions then propagate it by their Lipschitz constants on [v - e, v + e] (tanhAny,
// sigmoidAny). A stacked layer takes the previous layer's computed outputs as its input,
// with their bound. The FP64 recurrence on the same inputs is the reference.

struct Affine {
    at::Tensor w, b; // exact FP64 weight [G, K] and bias [G] (undefined: none)
};

// sum_k x_k w_gk (+ b_g) over several operand/weight pairs of one fused dot product.
VE gateDot(const Ctx& c, const std::vector<std::pair<VE, Affine>>& parts) {
    at::Tensor v, prop, mag;
    double n = 0;
    for (const auto& [x, a] : parts) {
        auto wAbs = a.w.abs();
        auto pv = at::matmul(x.v, a.w.t());
        auto pe = at::matmul(x.e, wAbs.t());
        auto pm = at::matmul(x.v.abs() + x.e, wAbs.t());
        n += static_cast<double>(a.w.size(1));
        if (a.b.defined()) {
            pv = pv + a.b;
            pm = pm + a.b.abs();
            n += 1;
        }
        v = v.defined() ? v + pv : pv;
        prop = prop.defined() ? prop + pe : pe;
        mag = mag.defined() ? mag + pm : pm;
    }
    auto e = prop + c.dotCoefficient(n) * mag + (4 * n + 4) * kTiny;
    e = at::where(mag + e > kFltMax, at::full_like(e, kInf), e);
    return {v, e};
}

VE sliceVE(const VE& x, std::int64_t i, std::int64_t parts) {
    return {x.v.chunk(parts, -1)[i], x.e.chunk(parts, -1)[i]};
}

Affine rows(const Affine& a, std::int64_t i, std::int64_t parts) {
    return {a.w.chunk(parts, 0)[i], a.b.defined() ? a.b.chunk(parts, 0)[i] : at::Tensor()};
}

// A gate's output lies in [lo, hi] whatever its finite operand (sigmoid: [0, 1], tanh:
// [-1, 1]; every honest formula stays there up to a few ulp), so its error never exceeds
// the distance to the far end of the range. This keeps the bound finite where the
// propagated error has grown past the gate's range; a pre-activation that may be inf or
// NaN (e = +inf) keeps an infinite bound.
VE inGateRange(const Ctx& c, const VE& pre, const VE& out, double lo, double hi) {
    auto cap = at::maximum(out.v - lo, hi - out.v) + 8 * c.u + kTiny;
    return {out.v, at::where(at::isfinite(pre.e), at::minimum(out.e, cap), out.e)};
}

VE sigmoidGate(const Ctx& c, const VE& pre) {
    return inGateRange(c, pre, sigmoidAny(c, pre), 0.0, 1.0);
}

VE tanhGate(const Ctx& c, const VE& pre) {
    return inGateRange(c, pre, tanhAny(c, pre), -1.0, 1.0);
}

enum class Cell { Lstm, Gru, Tanh, Relu };

struct RnnWeights {
    Affine ih, hh;
    at::Tensor hr; // LSTM projection [P, H] (undefined: none)
};

// One step of the cell on input x and state (h, cst); returns (h', c').
std::pair<VE, VE> cellStep(const Ctx& c, Cell cell, const RnnWeights& w, const VE& x, const VE& h,
                           const VE& cst) {
    if (cell == Cell::Tanh || cell == Cell::Relu) {
        auto pre = gateDot(c, {{x, w.ih}, {h, w.hh}});
        if (cell == Cell::Tanh) return {tanhGate(c, pre), cst};
        return {clampVE(pre, 0.0, kInf), cst};
    }
    if (cell == Cell::Lstm) {
        auto pre = gateDot(c, {{x, w.ih}, {h, w.hh}}); // gates i, f, g, o
        auto i = sigmoidGate(c, sliceVE(pre, 0, 4));
        auto f = sigmoidGate(c, sliceVE(pre, 1, 4));
        auto g = tanhGate(c, sliceVE(pre, 2, 4));
        auto o = sigmoidGate(c, sliceVE(pre, 3, 4));
        auto c2 = add(c, mul(c, f, cst), mul(c, i, g));
        auto h2 = mul(c, o, tanhGate(c, c2));
        if (w.hr.defined()) h2 = gateDot(c, {{h2, Affine{w.hr, at::Tensor()}}});
        return {h2, c2};
    }
    // GRU: r, z from fused dots; n = tanh(W_in x + b_in + r (W_hn h + b_hn)).
    auto rz = gateDot(c, {{x, rows(w.ih, 0, 3)}, {h, rows(w.hh, 0, 3)}});
    auto rz2 = gateDot(c, {{x, rows(w.ih, 1, 3)}, {h, rows(w.hh, 1, 3)}});
    auto r = sigmoidGate(c, rz);
    auto z = sigmoidGate(c, rz2);
    auto xn = gateDot(c, {{x, rows(w.ih, 2, 3)}});
    auto hn = gateDot(c, {{h, rows(w.hh, 2, 3)}});
    auto n = tanhGate(c, add(c, xn, mul(c, r, hn)));
    // h' = n + z (h - n) (PyTorch CPU) or (1 - z) n + z h (cuDNN's documented form).
    auto a = add(c, n, mul(c, z, sub(c, h, n)));
    auto b = add(c, mul(c, sub(c, constant(1.0, z.v), z), n), mul(c, z, h));
    return {VE{a.v, maxErr({a.e, b.e})}, cst};
}

// Rows [0, n) of a batch-major state: the sequences still running at a step (packed
// sequences are sorted by length, longest first, so the running ones lead).
VE headRows(const VE& x, std::int64_t n) {
    return {x.v.narrow(0, 0, n), x.e.narrow(0, 0, n)};
}
VE withHeadRows(const VE& x, const VE& head) {
    const auto n = head.v.size(0), total = x.v.size(0);
    if (n == total) return head;
    return {at::cat({head.v, x.v.narrow(0, n, total - n)}),
            at::cat({head.e, x.e.narrow(0, n, total - n)})};
}

// aten::lstm.input(input, hx[], params[], has_biases, num_layers, dropout, train,
// bidirectional, batch_first); gru/rnn_tanh/rnn_relu.input take one hx tensor.
// The .data overloads run packed sequences: (data, batch_sizes, hx, params, has_biases,
// num_layers, dropout, train, bidirectional), data [sum(batch_sizes), I] holding step t's
// batch_sizes[t] rows after the earlier steps'. A sequence that has ended keeps its state,
// which is its final one; in reverse, a sequence starts from h0 at its own last step.
// claimed: the operator's claimed outputs, or null. With them, every step of the last
// layer starts from the claimed previous h (the output sequence holds it) instead of the
// propagated one: an honest run computed step t from exactly that state, so each step's
// bound is one cell's rounding (plus the LSTM cell state, which is not committed per step
// and is propagated, contracting by its forget gate). Lower layers, whose sequences are not
// committed, are propagated as without claims.
OpBound recurrentOp(const Inputs& in, const Ctx& c, Cell cell,
                    const std::vector<at::Tensor>* claimed = nullptr) {
    const bool packed = in.size() >= 9 && in[1].isTensor() && in[1].toTensor().defined() &&
                        !in[1].toTensor().is_floating_point();
    const std::size_t a = packed ? 1 : 0; // argument shift after the input
    if (in.size() < 9 || !in[2 + a].isTensorList())
        throw Unsupported("unexpected recurrent arguments");
    auto x0 = f64(tensorArg(in, 0, "input"), "input");
    std::vector<at::Tensor> hx;
    if (cell == Cell::Lstm) {
        if (!in[1 + a].isTensorList()) throw Unsupported("lstm hx is not a tensor list");
        for (const at::Tensor& t : in[1 + a].toTensorVector())
            hx.push_back(f64(t, "hx"));
        if (hx.size() != 2) throw Unsupported("lstm hx needs (h0, c0)");
    } else {
        hx.push_back(f64(tensorArg(in, 1 + a, "hx"), "hx"));
    }
    std::vector<at::Tensor> params;
    for (const at::Tensor& t : in[2 + a].toTensorVector())
        params.push_back(f64(t, "parameter"));
    const bool hasBiases = boolArg(in, 3 + a, true);
    const auto layers = intArg(in, 4 + a, 1);
    const double dropout = scalarArg(in, 5 + a, 0.0);
    const bool train = boolArg(in, 6 + a, false);
    const bool bidirectional = boolArg(in, 7 + a, false);
    const bool batchFirst = !packed && boolArg(in, 8, false);
    if (train && dropout > 0) throw Unsupported("dropout between layers draws a random mask");
    const std::int64_t dirs = bidirectional ? 2 : 1;
    if (layers < 1 || params.size() % static_cast<size_t>(layers * dirs) != 0)
        throw Unsupported("parameter list does not match the layer count");
    const auto stride = static_cast<std::int64_t>(params.size()) / (layers * dirs);
    const std::int64_t base = hasBiases ? 4 : 2;
    if (stride != base && !(cell == Cell::Lstm && stride == base + 1))
        throw Unsupported("unexpected number of parameters per layer");
    // Unbatched input [T, I] with hx [L*D, H]: a batch of one.
    const bool unbatched = !packed && x0.dim() == 2;
    if (unbatched) {
        x0 = x0.unsqueeze(batchFirst ? 0 : 1);
        for (auto& h : hx)
            h = h.unsqueeze(1);
    }
    // Rows of each step: batch_sizes for packed input, the whole batch otherwise.
    std::vector<std::int64_t> rows, offsets;
    if (packed) {
        const auto bs = in[1].toTensor().to(at::kLong).contiguous();
        if (bs.dim() != 1 || bs.numel() < 1 || x0.dim() != 2)
            throw Unsupported("packed data must be [rows, features] with 1-d batch_sizes");
        std::int64_t off = 0;
        for (std::int64_t t = 0; t < bs.numel(); ++t) {
            const auto n = bs[t].item<std::int64_t>();
            if (n < 1 || (t > 0 && n > rows.back()))
                throw Unsupported("batch_sizes must be positive and non-increasing");
            offsets.push_back(off);
            rows.push_back(n);
            off += n;
        }
        if (off != x0.size(0) || rows[0] != hx[0].size(1))
            throw Unsupported("batch_sizes do not match the packed data or hx");
    } else {
        if (x0.dim() != 3) throw Unsupported("recurrent input must be 2-d or 3-d");
        if (batchFirst) x0 = x0.transpose(0, 1);
        rows.assign(static_cast<std::size_t>(x0.size(0)), x0.size(1));
    }
    const auto steps = static_cast<std::int64_t>(rows.size());
    const auto stepRows = [&](const at::Tensor& t, std::int64_t k) {
        return packed ? t.narrow(0, offsets[static_cast<std::size_t>(k)],
                                 rows[static_cast<std::size_t>(k)])
                      : t[k];
    };
    std::vector<VE> seq;
    for (std::int64_t t = 0; t < steps; ++t)
        seq.push_back(leaf(stepRows(x0, t).contiguous()));
    // The claimed output sequence as [T, B, D * H_out] seq-first, or packed rows.
    at::Tensor given;
    if (claimed && !claimed->empty()) {
        given = (*claimed)[0].to(at::kDouble);
        if (unbatched) given = given.unsqueeze(batchFirst ? 0 : 1);
        if (batchFirst) given = given.transpose(0, 1);
    }
    const auto hOut = hx[0].size(-1);
    std::vector<VE> lastH, lastC;
    for (std::int64_t l = 0; l < layers; ++l) {
        std::vector<std::vector<VE>> outDir(dirs);
        for (std::int64_t d = 0; d < dirs; ++d) {
            const auto p = (l * dirs + d) * stride;
            RnnWeights w;
            w.ih = {params[p], hasBiases ? params[p + 2] : at::Tensor()};
            w.hh = {params[p + 1], hasBiases ? params[p + 3] : at::Tensor()};
            if (stride == base + 1) w.hr = params[p + base];
            VE h = leaf(hx[0][l * dirs + d]);
            VE cst = cell == Cell::Lstm ? leaf(hx[1][l * dirs + d]) : h;
            outDir[d].resize(static_cast<std::size_t>(steps));
            const bool stepwise = given.defined() && l == layers - 1;
            VE last = h; // each sequence's latest computed state
            for (std::int64_t k = 0; k < steps; ++k) {
                const auto t = d == 0 ? k : steps - 1 - k;
                const auto n = rows[static_cast<std::size_t>(t)];
                auto [h2, c2] = cellStep(c, cell, w, seq[t], headRows(h, n), headRows(cst, n));
                outDir[d][t] = h2;
                last = withHeadRows(last, h2);
                cst = withHeadRows(cst, c2);
                h = stepwise
                        ? withHeadRows(
                              h, leaf(stepRows(given, t).narrow(-1, d * hOut, hOut).contiguous()))
                        : withHeadRows(h, h2);
            }
            lastH.push_back(last);
            lastC.push_back(cst);
        }
        for (std::int64_t t = 0; t < steps; ++t) {
            if (dirs == 1) {
                seq[t] = outDir[0][t];
            } else {
                seq[t] = {at::cat({outDir[0][t].v, outDir[1][t].v}, -1),
                          at::cat({outDir[0][t].e, outDir[1][t].e}, -1)};
            }
        }
    }
    auto stackSeq = [&](bool err) {
        std::vector<at::Tensor> ts;
        for (const auto& s : seq)
            ts.push_back(err ? s.e : s.v);
        if (packed) return at::cat(ts, 0);
        auto y = at::stack(ts, 0);
        if (batchFirst) y = y.transpose(0, 1);
        return unbatched ? y.squeeze(batchFirst ? 0 : 1) : y;
    };
    auto stackLast = [&](const std::vector<VE>& xs, bool err) {
        std::vector<at::Tensor> ts;
        for (const auto& s : xs)
            ts.push_back(err ? s.e : s.v);
        auto y = at::stack(ts, 0);
        return unbatched ? y.squeeze(1) : y;
    };
    std::vector<at::Tensor> refs{stackSeq(false).contiguous(), stackLast(lastH, false)};
    std::vector<at::Tensor> bounds{stackSeq(true).contiguous(), stackLast(lastH, true)};
    if (cell == Cell::Lstm) {
        refs.push_back(stackLast(lastC, false));
        bounds.push_back(stackLast(lastC, true));
    }
    auto r = bounded(refs, bounds);
    r.dtypes.assign(r.reference.size(), at::kFloat);
    if (!claimed) {
        r.givenClaims = [in, params = c.params, cell](const std::vector<at::Tensor>& ys) {
            try {
                at::NoGradGuard noGrad;
                return recurrentOp(in, Ctx(params), cell, &ys);
            } catch (const std::exception& e) {
                OpBound none;
                none.reason = e.what();
                return none;
            }
        };
    }
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
        {"aten::lstm",
         [](const Inputs& in, const Ctx& c) { return recurrentOp(in, c, Cell::Lstm); }},
        {"aten::gru", [](const Inputs& in, const Ctx& c) { return recurrentOp(in, c, Cell::Gru); }},
        {"aten::rnn_tanh",
         [](const Inputs& in, const Ctx& c) { return recurrentOp(in, c, Cell::Tanh); }},
        {"aten::rnn_relu",
         [](const Inputs& in, const Ctx& c) { return recurrentOp(in, c, Cell::Relu); }},
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
