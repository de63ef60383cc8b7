#include "core/numerics/error_metric.hpp"

#include "core/graph/tensor_convert.hpp"
#include "core/numerics/fp_limits.hpp"

#include <ATen/Parallel.h>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace tao::numerics {

namespace {

std::string shapeText(at::IntArrayRef s) {
    std::string t = "[";
    for (std::size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

// Adds every ratio to the histogram (exact bins: LogHistogram::add).
void addElements(LogHistogram& h, const at::Tensor& ratios) {
    const auto r = ratios.to(at::kDouble).contiguous();
    const double* p = r.data_ptr<double>();
    for (std::int64_t i = 0, n = r.numel(); i < n; ++i)
        h.add(p[i]);
}
} // namespace

std::string statusName(BoundStatus s) {
    switch (s) {
    case BoundStatus::Bounded:
        return "bounded";
    case BoundStatus::Exact:
        return "exact";
    case BoundStatus::NoBound:
        return "no-bound";
    }
    return "?";
}

BoundParams boundParamsOf(const BoundSettings& s) {
    BoundParams p;
    p.u = s.unitRoundoff;
    p.tf32 = s.tf32;
    p.mathUlpMargin = s.mathUlpMargin;
    p.flushDenormal = s.flushDenormal;
    p.fastConvolution = s.fastConvolution;
    return p;
}

std::vector<at::Tensor> flattenOutputs(const std::vector<c10::IValue>& values) {
    std::vector<at::Tensor> out;
    for (const auto& v : values)
        for (auto& t : graph::flattenTensors(v))
            out.push_back(t);
    return out;
}

namespace {
std::string flatIndexText(const at::Tensor& mask) {
    return std::to_string(mask.flatten().nonzero()[0][0].item<std::int64_t>());
}

void addTally(OpError& e, const ClaimTally& t) {
    e.unbounded += t.unbounded;
    e.metric = std::max(e.metric, t.metric);
    e.maxAbs = std::max(e.maxAbs, t.maxAbs);
    e.maxBound = std::max(e.maxBound, t.maxBound);
}

// The element rule of measureOpError in one pass over an FP32 claim and its FP64 reference
// and bound, without the dozen temporaries of the tensor expressions (on a GPT-2-sized
// trace those took a quarter of `tao verify`, and 11 GB for calibrating the 50257-wide head
// at sequence 1024). Gives up, leaving `e` and `elements` as they were, for other dtypes
// and when an element is wrong: the tensor path then words the failure. Tested to agree
// with the tensor path element for element (verify test).
bool measureInOnePass(const at::Tensor& claimed, const at::Tensor& ref, const at::Tensor& bnd,
                      OpError& e, LogHistogram* elements) {
    if (claimed.scalar_type() != at::kFloat || ref.scalar_type() != at::kDouble ||
        bnd.scalar_type() != at::kDouble)
        return false;
    const auto yc = claimed.contiguous(), rc = ref.contiguous(), bc = bnd.contiguous();
    const float* y = yc.data_ptr<float>();
    const double* r = rc.data_ptr<double>();
    const double* b = bc.data_ptr<double>();
    struct Part {
        ClaimTally tally;
        LogHistogram ratios; // filled when `elements` is given
    };
    Part total;
    std::mutex mutex;
    at::parallel_for(0, yc.numel(), 1 << 15, [&](std::int64_t lo, std::int64_t hi) {
        Part p;
        if (elements) {
            for (std::int64_t i = lo; i < hi; ++i)
                if (const double ratio = judgeClaimElement(p.tally, y[i], r[i], b[i]); ratio >= 0)
                    p.ratios.add(ratio);
        } else {
            judgeClaimRange(p.tally, y, r, b, lo, hi);
        }
        std::lock_guard lock(mutex);
        total.tally.merge(p.tally);
        if (elements) total.ratios.merge(p.ratios);
    });
    if (total.tally.wrong > 0) return false;
    if (elements) elements->merge(total.ratios);
    addTally(e, total.tally);
    return true;
}
} // namespace

OpError measureOpError(const OpBound& bound, const std::vector<at::Tensor>& claimed,
                       LogHistogram* elements, MeasureRule rule) {
    // A recurrent operator is judged step by step on its claimed states (op_bound.hpp);
    // a claim of the wrong count, shape or dtype is judged (FAIL) by the rules below.
    if (bound.givenClaims && claimed.size() == bound.reference.size()) {
        bool fits = true;
        for (std::size_t i = 0; i < claimed.size(); ++i)
            fits = fits && claimed[i].sizes() == bound.reference[i].sizes() &&
                   claimed[i].scalar_type() == at::kFloat;
        if (fits) {
            const auto stepwise = bound.givenClaims(claimed);
            if (stepwise.status != BoundStatus::NoBound && !stepwise.givenClaims)
                return measureOpError(stepwise, claimed, elements, rule);
        }
    }
    OpError e;
    if (claimed.size() != bound.reference.size()) {
        e.failure = std::to_string(claimed.size()) + " output tensor(s), the operator produces " +
                    std::to_string(bound.reference.size());
        e.metric = kInf;
        return e;
    }
    for (std::size_t i = 0; i < claimed.size(); ++i) {
        const auto& r = bound.reference[i];
        const auto& b = bound.bound[i];
        if (claimed[i].sizes() != r.sizes()) {
            e.failure = "output " + std::to_string(i) + " has shape " +
                        shapeText(claimed[i].sizes()) + ", the operator produces " +
                        shapeText(r.sizes());
            e.metric = kInf;
            return e;
        }
        if (i < bound.dtypes.size() && claimed[i].scalar_type() != bound.dtypes[i]) {
            e.failure = "output " + std::to_string(i) + " has dtype " +
                        std::string(c10::toString(claimed[i].scalar_type())) +
                        ", the operator produces " + std::string(c10::toString(bound.dtypes[i]));
            e.metric = kInf;
            return e;
        }
        e.elements += r.numel();
        if (r.numel() == 0) continue;
        // Judged by the bound's kernel as it ran (OpBound::judged), unless wrong somewhere:
        // the tensor path then words the failure.
        if (rule == MeasureRule::Fused && !elements && i == 0 && bound.judged &&
            bound.judged->matches(claimed[i], r, b) && bound.judged->tally.wrong == 0) {
            addTally(e, bound.judged->tally);
            continue;
        }
        if (r.is_meta() || b.is_meta())
            throw std::invalid_argument(
                "measureOpError: output " + std::to_string(i) +
                " was bounded keeping only the tally of other claims (Retain::Tally); measure "
                "the claims it was judged against, or bound keeping the tensors");
        if (rule == MeasureRule::Fused && measureInOnePass(claimed[i], r, b, e, elements)) continue;
        auto y = claimed[i].to(at::kDouble).contiguous();
        const auto bounded = at::isfinite(b);
        e.unbounded += (~bounded).sum().item<std::int64_t>();
        const auto same = y == r; // also matching exact infinities
        const auto finitePair = at::isfinite(y) & at::isfinite(r);
        const auto overflowOk =
            ((y == kInf) & (r + b >= kFltOverflow)) | ((y == -kInf) & (r - b <= -kFltOverflow));
        const auto wrong = bounded & ~same & ~finitePair & ~overflowOk;
        if (const auto n = wrong.sum().item<std::int64_t>(); n > 0) {
            const bool exactInf = (wrong & at::isinf(r)).any().item<bool>();
            e.failure = "output " + std::to_string(i) + ": " + std::to_string(n) +
                        (exactInf ? " element(s) differ from an exact infinity or are NaN/Inf "
                                    "where no honest FP32 run overflows"
                                  : " element(s) NaN/Inf where the reference is finite and "
                                    "its bound does not reach FP32 overflow") +
                        " (first at flat index " + flatIndexText(wrong) + ")";
            e.metric = kInf;
            return e;
        }
        auto diff = at::where(bounded & finitePair, (y - r).abs(), at::zeros_like(y));
        auto ratio = at::where(
            b > 0, diff / b, at::where(diff == 0, at::zeros_like(diff), at::full_like(diff, kInf)));
        // A permitted infinity implies the pre-rounding value reached kFltOverflow.
        auto reach = at::clamp_min(kFltOverflow - r.abs(), 0.0);
        auto overflowRatio = at::where(b > 0, reach / b, at::zeros_like(b));
        ratio = at::where(overflowOk & ~same, overflowRatio, ratio);
        ratio = at::where(bounded & ~same, ratio, at::zeros_like(ratio));
        e.metric = std::max(e.metric, ratio.max().item<double>());
        e.maxAbs = std::max(e.maxAbs, diff.max().item<double>());
        auto finiteB = at::where(bounded, b, at::zeros_like(b));
        e.maxBound = std::max(e.maxBound, finiteB.max().item<double>());
        if (elements) addElements(*elements, ratio.masked_select(bounded));
    }
    return e;
}

namespace {
// Whether FP32 arrays a and b hold the same bits and no NaN: one pass over both, a block at
// a time (a difference ends it early).
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) bool
sameFloatBitsWithoutNan(const std::uint32_t* a, const std::uint32_t* b, std::int64_t n) {
    constexpr std::int64_t kBlock = 4096;
    for (std::int64_t from = 0; from < n; from += kBlock) {
        const auto to = std::min(n, from + kBlock);
        std::uint32_t differ = 0, nan = 0;
        // Without the pragma -O2 left this loop scalar: 3.4-4.3 ms for each 4 MB causal-mask
        // slice of gpt2_small's verification.
#pragma omp simd reduction(| : differ, nan)
        for (auto i = from; i < to; ++i) {
            differ |= a[i] ^ b[i];
            nan |= (a[i] & 0x7fffffffu) > 0x7f800000u;
        }
        if (differ != 0 || nan != 0) return false;
    }
    return true;
}

// y == r element for element, and no NaN (which == never matches). Contiguous tensors
// of the same bits are equal (FP32 values unless NaN), checked in one pass; anything else
// takes equal().
bool equalWithoutNan(const at::Tensor& y, const at::Tensor& r) {
    const auto type = y.scalar_type();
    if (y.is_contiguous() && r.is_contiguous()) {
        if (type == at::kFloat &&
            sameFloatBitsWithoutNan(static_cast<const std::uint32_t*>(y.data_ptr()),
                                    static_cast<const std::uint32_t*>(r.data_ptr()), y.numel()))
            return true;
        if (at::isIntegralType(type, /*includeBool=*/true) &&
            std::memcmp(y.data_ptr(), r.data_ptr(), y.nbytes()) == 0)
            return true;
    }
    // Other bits may still compare equal (-0 == +0); NaN never does.
    return at::equal(y, r);
}
} // namespace

std::optional<OpError> exactAgreement(std::string_view kind, const std::vector<c10::IValue>& inputs,
                                      const std::vector<at::Tensor>& claimed,
                                      const BoundParams& params) {
    if (claimed.size() == 1 && exactClaimAgrees(kind, inputs, claimed[0], params)) {
        OpError e;
        e.elements = claimed[0].numel();
        return e;
    }
    const auto outs = exactOutputs(kind, inputs, params);
    if (!outs || outs->size() != claimed.size()) return std::nullopt;
    OpError e;
    for (std::size_t i = 0; i < claimed.size(); ++i) {
        const auto& y = claimed[i];
        const auto& r = (*outs)[i];
        // Compared with ==, as the FP64 rule does: -0 matches +0.
        if (!y.defined() || !r.defined() || y.sizes() != r.sizes() ||
            y.scalar_type() != r.scalar_type() || y.device() != r.device() ||
            !equalWithoutNan(y, r))
            return std::nullopt;
        e.elements += r.numel();
    }
    return e;
}

OpBound boundForOp(graph::Interpreter& interp, std::uint32_t op,
                   const std::vector<c10::IValue>& inputs, const BoundParams& params,
                   const std::vector<at::Tensor>& claimed, Retain retain) {
    auto result =
        referenceAndBound(interp.model().ops().at(op).kind, inputs, params, claimed, retain);
    if (result.status != BoundStatus::NoBound) return result;
    std::vector<at::Tensor> outs;
    try {
        outs = flattenOutputs(interp.runOp(op, inputs));
    } catch (const std::exception&) {
        return result;
    }
    if (outs.empty()) return result;
    for (const auto& t : outs)
        if (t.is_floating_point() || t.is_complex()) return result;
    OpBound exact;
    exact.status = BoundStatus::Exact;
    exact.reason = "integral/boolean outputs: exact, checked by re-execution";
    for (const auto& t : outs) {
        exact.dtypes.push_back(t.scalar_type());
        exact.reference.push_back(t.to(at::kDouble).contiguous());
        exact.bound.push_back(at::zeros_like(exact.reference.back()));
    }
    return exact;
}

double segmentError(const std::vector<at::Tensor>& replayed,
                    const std::vector<at::Tensor>& committed) {
    if (replayed.size() != committed.size()) return kInf;
    double num = 0, den = 0;
    for (std::size_t i = 0; i < replayed.size(); ++i) {
        if (replayed[i].sizes() != committed[i].sizes()) return kInf;
        if (committed[i].numel() == 0) continue;
        auto y = replayed[i].to(at::kDouble), c = committed[i].to(at::kDouble);
        auto agree = (y == c) | (at::isnan(y) & at::isnan(c));
        auto diff = at::where(agree, at::zeros_like(y), (y - c).abs());
        auto d = diff.max().item<double>();
        if (std::isnan(d)) return kInf;
        num = std::max(num, d);
        auto mag = at::where(at::isfinite(c), c.abs(), at::zeros_like(c)).max().item<double>();
        den = std::max(den, mag);
    }
    return num / std::max(den, static_cast<double>(FLT_MIN));
}

} // namespace tao::numerics
