#include "core/numerics/dot_bound.hpp"

#include "core/graph/mapped_weights.hpp"
#include "core/numerics/bf16_dot.hpp"
#include "core/numerics/fp_limits.hpp"
#include "core/numerics/operand_staging.hpp"

#include <ATen/Parallel.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

namespace tao::numerics::detail {

namespace {
constexpr double kU32 = 0x1p-24;

double roundUpFactor(double terms) {
    return (1.0 + 0x1p-50) / (1.0 - Ctx::gammaFor(terms, kU32));
}

// The constants of fusedDotBound's element formula.
struct DotBoundTerms {
    double scale, lift, factor, coef, tiny;
};

// fusedDotBound's final bounds po[0, n) from FP32 magnitudes ps, references pr and the
// extra e[i * step] (step 0: one value for the run); returns how many are infinite. Built
// for AVX-512, AVX2 and baseline x86-64 and picked at load.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) std::int64_t
dotBoundRun(const DotBoundTerms& t, const double* pr, const float* ps, const double* e,
            std::int64_t step, double* po, std::int64_t n) {
    std::int64_t none = 0;
#pragma omp simd reduction(+ : none)
    for (std::int64_t i = 0; i < n; ++i) {
        const double mag =
            t.scale * ((static_cast<double>(ps[i]) + t.lift) * t.factor) + e[i * step];
        double b = t.coef * mag + t.tiny;
        b = mag + b > kFltMax ? kInf : b;
        const double f = finalElementBound(pr[i], b);
        po[i] = f;
        none += !std::isfinite(f);
    }
    return none;
}

// px[0, n) into its FP64 copy pd and its absolute value pa.
void splitOperand(const float* px, std::int64_t n, double* pd, float* pa) {
    at::parallel_for(0, n, 1 << 15, [&](std::int64_t lo, std::int64_t hi) {
#pragma omp simd
        for (auto i = lo; i < hi; ++i) {
            pd[i] = px[i];
            pa[i] = std::fabs(px[i]);
        }
    });
}

// px[0, n) into its FP64 copy pd (unless null) and its BF16 magnitude: as bits in pb when
// the CPU has native BF16 dot products, else as FP32 values in pf. On LibTorch's threads
// unless `serial` (on the staging thread, which must not use them).
void splitForBf16(const float* px, std::int64_t n, double* pd, std::uint16_t* pb, float* pf,
                  bool serial = false) {
    const auto convert = [&](std::int64_t lo, std::int64_t hi) {
        convertForMagnitude(px + lo, hi - lo, pd ? pd + lo : nullptr, pb ? pb + lo : nullptr,
                            pb ? nullptr : pf + lo);
    };
    if (serial)
        convert(0, n);
    else
        at::parallel_for(0, n, 1 << 15, convert);
}
} // namespace

bool fp32MagnitudeHolds(double terms) {
    return terms * kU32 <= 0.25;
}

DotOperand dotOperand(const at::Tensor& t, const char* what) {
    if (t.scalar_type() != at::kFloat) return {f64(t, what), {}};
    const auto x = t.contiguous();
    DotOperand o{at::empty(x.sizes(), x.options().dtype(at::kDouble)), at::empty_like(x)};
    splitOperand(x.data_ptr<float>(), x.numel(), o.f64.data_ptr<double>(),
                 o.abs32.data_ptr<float>());
    return o;
}

at::Tensor dotBound(const at::Tensor& mag, double n, const Ctx& c) {
    auto b = c.dotCoefficient(n) * mag + (4 * n + 4) * kTiny;
    return at::where(mag + b > kFltMax, at::full_like(b, kInf), b);
}

at::Tensor magnitude32(const Product& product, const DotOperand& a, const DotOperand& b,
                       double terms) {
    if (!a.abs32.defined() || !b.abs32.defined() || !fp32MagnitudeHolds(terms)) return {};
    return product(a.abs32, b.abs32);
}

at::Tensor roundUpMagnitude(const at::Tensor& s32, double terms) {
    return (s32.to(at::kDouble) + terms * kTiny) * roundUpFactor(terms);
}

namespace {
DotBoundTerms dotBoundTerms(double terms, double scale, double n, const Ctx& c,
                            double operandFactor) {
    return {scale, terms * kTiny, roundUpFactor(terms) * operandFactor, c.dotCoefficient(n),
            (4 * n + 4) * kTiny};
}
// mag + 0 is mag (magnitudes are >= 0 or NaN): the extra of dotBoundRun where there is none.
constexpr double kNoExtra = 0.0;
} // namespace

OpBound fusedDotBound(const at::Tensor& ref, const at::Tensor& s32, double terms, double scale,
                      const at::Tensor& extra, double n, const Ctx& c, double operandFactor,
                      std::int64_t extraDim) {
    const auto r = ref.contiguous();
    const auto s = s32.expand(r.sizes()).contiguous();
    if (extraDim < 0) extraDim += r.dim();
    const bool along = extra.defined() && extra.dim() == 1 && extraDim >= 0 && extraDim < r.dim() &&
                       extra.size(0) == r.size(extraDim) && extra.size(0) > 0;
    // Element i of ref takes extra[(i / inner) % period] (inner 1, period numel: broadcast).
    std::int64_t inner = 1, period = r.numel();
    at::Tensor ex;
    if (along) {
        for (auto d = extraDim + 1; d < r.dim(); ++d)
            inner *= r.size(d);
        period = extra.size(0);
        ex = extra.contiguous();
    } else if (extra.defined()) {
        ex = extra.expand(r.sizes()).contiguous();
    }
    ClaimJudge judge(c, r.sizes());
    const bool keep = !judge.tallyOnly();
    auto out = keep ? at::empty_like(r) : at::Tensor();
    const double* pr = r.data_ptr<double>();
    const float* ps = s.data_ptr<float>();
    const double* pe = ex.defined() ? ex.data_ptr<double>() : nullptr;
    double* po = keep ? out.data_ptr<double>() : nullptr;
    std::atomic<std::int64_t> infinite{0};
    const auto formula = dotBoundTerms(terms, scale, n, c, operandFactor);
    at::parallel_for(0, r.numel(), 1 << 14, [&](std::int64_t lo, std::int64_t hi) {
        std::int64_t none = 0;
        ClaimTally part;
        std::vector<double> scratch(keep ? 0 : kJudgeBlock);
        // extra[(i / inner) % period], stepped along run by run instead of divided out per
        // element: a run ends where the index wraps (inner 1) or moves on (inner > 1).
        std::int64_t at = (lo / inner) % period, within = lo % inner;
        for (auto from = lo; from < hi; from += kJudgeBlock) {
            const auto to = std::min(hi, from + kJudgeBlock);
            double* b = keep ? po + from : scratch.data();
            for (auto i = from; i < to;) {
                std::int64_t len = to - i, step = 0;
                const double* e = &kNoExtra;
                if (pe && inner == 1) {
                    len = std::min(len, period - at);
                    e = pe + at;
                    step = 1;
                    if ((at += len) == period) at = 0;
                } else if (pe) {
                    len = std::min(len, inner - within);
                    e = pe + at;
                    if ((within += len) == inner) {
                        within = 0;
                        if (++at == period) at = 0;
                    }
                }
                none += dotBoundRun(formula, pr + i, ps + i, e, step, b + (i - from), len);
                i += len;
            }
            judge.judgeBlock(part, from, pr + from, b, to - from);
        }
        infinite += none;
        judge.merge(part);
    });
    return judge.result(r, out, infinite);
}

OpBound dotProductBound(const at::Tensor& ref, const Product& product, const DotOperand& a,
                        const DotOperand& b, double terms, double scale, const at::Tensor& extra,
                        double n, const Ctx& c) {
    if (const auto s32 = magnitude32(product, a, b, terms); s32.defined())
        return fusedDotBound(ref, s32, terms, scale, extra, n, c);
    auto mag = scale * product(a.f64.abs(), b.f64.abs());
    if (extra.defined()) mag = mag + extra;
    return bounded({ref}, {dotBound(mag, n, c)});
}

std::optional<OpBound> linearInPanels(const DotOperand& x, const at::Tensor& weight,
                                      const c10::optional<at::Tensor>& bias, double n, const Ctx& c,
                                      std::int64_t panelElements) {
    if (!x.abs32.defined() || x.f64.dim() == 0 || weight.scalar_type() != at::kFloat ||
        weight.dim() != 2)
        return std::nullopt;
    const auto rows = weight.size(0), cols = weight.size(1);
    const double terms = static_cast<double>(cols);
    if (!fp32MagnitudeHolds(terms) || x.f64.size(-1) != cols) return std::nullopt;
    if (bias && (bias->dim() != 1 || bias->size(0) != rows)) return std::nullopt;
    const auto w = weight.contiguous();
    const auto panel = std::clamp<std::int64_t>(panelElements / std::max<std::int64_t>(cols, 1), 1,
                                                std::max<std::int64_t>(rows, 1));
    const bool native = hasNativeBf16Dot();
    const std::int64_t m = x.f64.numel() / std::max<std::int64_t>(cols, 1);
    // Two sets of panel buffers: the next panel is read and converted into one (on the
    // staging thread where a core is free, after the current panel's BF16 magnitude) while
    // the FP64 product uses the other.
    // A weight mapped from the model's archive is read a panel at a time straight from the
    // file into `staged`, so that its pages are never faulted in.
    const bool mapped = graph::MappedWeights::isMapped(w);
    struct PanelBuffers {
        at::Tensor w64, staged, wRounded; // FP64; FP32 read from the file; BF16 as FP32
        std::vector<std::uint16_t> wBits; // BF16 bits
    } buffers[2];
    for (auto& b : buffers) {
        b.w64 = at::empty({panel, cols}, w.options().dtype(at::kDouble));
        if (mapped) b.staged = at::empty({panel, cols}, w.options());
        if (native)
            b.wBits.resize(static_cast<std::size_t>(panel * cols));
        else
            b.wRounded = at::empty({panel, cols}, w.options());
    }
    // A weight of one panel has no next panel to prepare: handing it to the helper only
    // adds the hand-over (fashion_cnn's verification took 4.5 ms instead of 3).
    // Everything a staged task uses is declared before `staging` below, whose destructor
    // waits for the task when an exception leaves this function.
    const bool onHelper = rows > panel && stagingOnHelper(at::get_num_threads());
    const float* weights = w.data_ptr<float>();
    const auto prepare = [&, onHelper, weights](std::int64_t j, PanelBuffers& b) {
        const auto p = std::min(panel, rows - j);
        const float* source = weights + j * cols;
        const auto bytes = static_cast<std::size_t>(p * cols) * sizeof(float);
        const bool fromFile =
            mapped && graph::MappedWeights::readBytes(w, source, bytes, b.staged.data_ptr<float>());
        splitForBf16(fromFile ? b.staged.data_ptr<float>() : source, p * cols,
                     b.w64.data_ptr<double>(), native ? b.wBits.data() : nullptr,
                     native ? nullptr : b.wRounded.data_ptr<float>(), onHelper);
        // The panel is not read again: pages of it resident all the same (read from memory,
        // or by earlier work) are given back now, so the output head (154 MB in GPT-2) is
        // never resident whole. Reading from the file gave back those pages already.
        if (!fromFile) graph::MappedWeights::releaseBytes(w, source, bytes);
    };
    auto shape = x.f64.sizes().vec();
    shape.back() = rows;
    ClaimJudge judge(c, shape);
    // Whole: each panel into its columns of the output's reference and magnitude (BLAS takes
    // the row stride), bounded at the end. Tally only: each panel into buffers of the panel's
    // size, bounded and judged before the next.
    const bool whole = !judge.tallyOnly();
    const std::int64_t ld = whole ? rows : panel;
    auto ref = whole ? at::empty(shape, x.f64.options()) : at::empty({m, ld}, x.f64.options());
    auto s32 = whole ? at::empty(shape, x.abs32.options()) : at::empty({m, ld}, x.abs32.options());
    std::vector<std::uint16_t> xBits;
    at::Tensor xRounded;
    Staging staging(onHelper);
    staging.start([&] { prepare(0, buffers[0]); });
    // |x| rounded to BF16 (bits for oneDNN, else FP32 values for BLAS), meanwhile.
    if (native) {
        xBits.resize(static_cast<std::size_t>(m * cols));
        splitForBf16(x.abs32.data_ptr<float>(), m * cols, nullptr, xBits.data(), nullptr);
    } else {
        // As rows: the panel's product goes into the [m, ld] view of the magnitude.
        xRounded = at::empty({m, cols}, x.abs32.options());
        splitForBf16(x.abs32.data_ptr<float>(), m * cols, nullptr, nullptr,
                     xRounded.data_ptr<float>());
    }
    const auto x2d = x.f64.reshape({m, cols});
    auto ref2d = ref.view({m, ld});
    const auto biasAbs = bias ? bias->abs().contiguous() : at::Tensor();
    const auto formula = dotBoundTerms(terms, 1.0, n, c, kBf16OperandFactor);
    std::atomic<std::int64_t> infinite{0};
    for (std::int64_t j = 0, slot = 0; j < rows; j += panel, slot ^= 1) {
        const auto p = std::min(panel, rows - j);
        const auto col0 = whole ? j : 0;
        staging.wait();
        const auto& panelBuffers = buffers[slot];
        // The panel's BF16 magnitude (oneDNN) goes with the next panel's preparation, so that
        // the caller's core only multiplies in FP64. BLAS, for a CPU without native BF16 dot
        // products, stays on the caller.
        const bool next = j + panel < rows;
        if (native || next)
            staging.start([&, j, p, col0, next, slot] {
                if (native)
                    bf16DotProducts(xBits.data(), buffers[slot].wBits.data(), m, p, cols,
                                    s32.data_ptr<float>() + col0, ld);
                if (next) prepare(j + panel, buffers[slot ^ 1]);
            });
        auto out = ref2d.narrow(1, col0, p);
        const auto wt = panelBuffers.w64.narrow(0, 0, p).t();
        if (bias)
            at::addmm_out(out, bias->narrow(0, j, p), x2d, wt);
        else
            at::mm_out(out, x2d, wt);
        if (!native)
            s32.view({m, ld})
                .narrow(1, col0, p)
                .copy_(at::linear(xRounded, panelBuffers.wRounded.narrow(0, 0, p)));
        if (whole) continue;
        staging.wait(); // the panel's magnitude, before it is bounded
        const double* pr = ref.data_ptr<double>();
        const float* ps = s32.data_ptr<float>();
        const double* pe = biasAbs.defined() ? biasAbs.data_ptr<double>() + j : &kNoExtra;
        const auto grain = std::max<std::int64_t>(1, (1 << 14) / p);
        at::parallel_for(0, m, grain, [&](std::int64_t lo, std::int64_t hi) {
            std::int64_t none = 0;
            ClaimTally part;
            std::vector<double> b(static_cast<std::size_t>(p));
            for (auto i = lo; i < hi; ++i) {
                none +=
                    dotBoundRun(formula, pr + i * ld, ps + i * ld, pe, bias ? 1 : 0, b.data(), p);
                judge.judgeBlock(part, i * rows + j, pr + i * ld, b.data(), p);
            }
            infinite += none;
            judge.merge(part);
        });
    }
    staging.wait(); // the last panel's magnitude
    if (!whole) return judge.tallied(infinite);
    return fusedDotBound(ref, s32, terms, 1.0, biasAbs, n, c, kBf16OperandFactor);
}

} // namespace tao::numerics::detail
