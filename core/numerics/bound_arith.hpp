#pragma once
// Internal to core/numerics: the bound arithmetic shared by the operator families.
//
// A VE pairs an FP64 value v (the exact result of a sub-expression, up to the verifier's
// FP64 error) with e, a bound on |computed FP32 value - v| for any implementation that
// evaluates the same expression with FP32 roundings. Every rounding adds u * (|v| + e)
// (the rounded quantity is within e of v) and an absolute tiny term for underflow/FTZ.
// Range: the primitives (value_error.hpp, and below) guard their *operands*, not their results. An
// operand that may have left the FP32 range (|v| + e > FLT_MAX) is taken with e = +inf, since an
// honest implementation may then carry inf/NaN into the rest of the formula. The final result of an
// operator is left unguarded: when it may overflow, its finite bound reaches kFltOverflow and the
// acceptance rule (op_bound.hpp) allows a claimed infinity there. An exact infinity (v = +-inf with
// e = 0, e.g. x + (-inf)) propagates with e = 0: IEEE arithmetic on it is exact, so the FP32 result
// is the same infinity (or NaN, which the FP64 reference then is too).
#include "core/numerics/fp_limits.hpp"
#include "core/numerics/math_allowance.hpp"
#include "core/numerics/op_bound.hpp"
#include "core/numerics/value_error.hpp"

#include <ATen/Parallel.h>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tao::numerics::detail {

// Thrown by argument parsing; referenceAndBound() turns it into NoBound with the message.
struct Unsupported : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using VE = BasicVE<at::Tensor>;

// Primitives used by tensor formulas only (value_error.hpp holds the ones written for both
// element types).
VE logVE(const Ctx& c, const VE& x, double eps);
VE sqrtVE(const Ctx& c, const VE& x, double eps);
VE rsqrtVE(const Ctx& c, const VE& x, double eps);
VE expm1VE(const Ctx& c, const VE& x, double eps);
VE log1pVE(const Ctx& c, const VE& x, double eps);
// clamp(x, lo, hi) is exact on its computed operand and 1-Lipschitz: the error passes
// through, and vanishes where the whole interval [v - e, v + e] lies beyond a limit.
VE clampVE(const VE& x, double lo, double hi);
// b, with +inf (no finite bound) where cond holds.
inline at::Tensor infWhere(const at::Tensor& cond, const at::Tensor& b) {
    return at::where(cond, at::full_like(b, kInf), b);
}

// --- argument access (throw Unsupported with a readable reason) ---
using Inputs = std::vector<c10::IValue>;
const at::Tensor& tensorArg(const Inputs& in, size_t i, const char* what);
c10::optional<at::Tensor> optTensorArg(const Inputs& in, size_t i);
double scalarArg(const Inputs& in, size_t i, double dflt);
bool hasArg(const Inputs& in, size_t i); // present and not None
std::int64_t intArg(const Inputs& in, size_t i, std::int64_t dflt);
bool boolArg(const Inputs& in, size_t i, bool dflt);
std::vector<std::int64_t> intListArg(const Inputs& in, size_t i);
// FP32 tensor -> FP64 copy; throws Unsupported for other floating dtypes.
at::Tensor f64(const at::Tensor& t, const char* what);
// The optional dtype argument of softmax/sum/...: must be None or float32.
void requireFloatDtype(const Inputs& in, size_t i);

// Result assembly: applies the non-finite rules of op_bound.hpp (NaN reference or NaN
// bound -> +inf; an infinite reference keeps bound 0 only when it is exact), the
// (1 + 2^-20) factor covering the FP64 evaluation of the bound itself, and notes
// infinite elements.
OpBound bounded(std::vector<at::Tensor> refs, std::vector<at::Tensor> bounds);
// The reason bounded() gives when `infinite` of `total` elements have no finite bound
// (empty when none).
std::string infiniteNote(std::int64_t infinite, std::int64_t total);
// One output whose bound is already final (finalElementBound per element), `infinite` of
// its elements without a finite one.
OpBound finalizedOutput(at::Tensor ref, at::Tensor bound, std::int64_t infinite);

// Elements a kernel finishes before judging them (ClaimJudge): the reference and bound of a
// block (64 KB) are still in the core's cache when the claim is read against them.
constexpr std::int64_t kJudgeBlock = 4096;

// Judges the claim c.claim against a kernel's final references and bounds as it produces
// them, so that measureOpError need not read the three tensors again. Inactive (every call
// a no-op) unless the claim is a contiguous FP32 tensor of the output's shape. judge() adds
// elements [lo, hi) to a tally of the caller's (one per parallel chunk), merge() adds that
// to the total under a lock, and attach() hands the total to the kernel's OpBound, which
// must hold the same reference and bound tensors. Where tallyOnly() (Ctx::keepTensors
// false), the kernel keeps no output tensors: it writes references and bounds a block at a
// time into scratch, judges them with judgeBlock(), and returns tallied().
class ClaimJudge {
public:
    ClaimJudge(const Ctx& c, at::IntArrayRef outputSizes);
    bool judging() const { return y_ != nullptr; }
    bool tallyOnly() const { return y_ && !keep_; }
    void judge(ClaimTally& part, const double* pr, const double* pb, std::int64_t lo,
               std::int64_t hi) const {
        if (y_) judgeClaimRange(part, y_, pr, pb, lo, hi);
    }
    // n output elements from element `first` on, with references r[0, n) and bounds b[0, n).
    void judgeBlock(ClaimTally& part, std::int64_t first, const double* r, const double* b,
                    std::int64_t n) const {
        if (y_) judgeClaimRange(part, y_ + first, r, b, 0, n);
    }
    void merge(const ClaimTally& part);
    OpBound attach(OpBound out) const;
    // A tallyOnly() kernel's result: `infinite` of the output's elements have no finite bound.
    OpBound tallied(std::int64_t infinite) const;
    // The kernel's result: tallied(), or its whole reference and final bound (undefined
    // when tallyOnly()) with the tally attached.
    OpBound result(at::Tensor ref, at::Tensor bound, std::int64_t infinite) const;

private:
    at::Tensor claim_;
    const float* y_ = nullptr;
    bool keep_ = true;
    std::mutex mutex_;
    ClaimTally total_;
};
// out with judged set to `tally`, the tally of `claim` against out's only output.
OpBound withJudgedClaim(OpBound out, const at::Tensor& claim, const ClaimTally& tally);
// The tally of `claim` against out's only output: the kernel's (OpBound::judged, made
// against this very claim), or judged here on out's tensors; nullopt where out has neither
// (not one bounded output, or a tally of another claim).
std::optional<ClaimTally> tallyOfClaim(const OpBound& out, const at::Tensor& claim);
// A bounded output of shape `sizes` of which only the tally of `claim` is kept
// (OpBound::tallyOnly()), `infinite` of its elements without a finite bound.
OpBound talliedOutput(at::IntArrayRef sizes, const at::Tensor& claim, const ClaimTally& tally,
                      std::int64_t infinite);
// One element's final bound under those rules, from its reference r and bound b (FP64).
inline double finalElementBound(double r, double b) {
    const double bi = b * (1.0 + 0x1p-20);
    // A finite reference keeps its finite bound even where |r| + b reaches the overflow
    // range: the acceptance rule then allows the matching infinity (op_bound.hpp). An
    // infinite reference is only bounded when exact (b == 0); NaN never is.
    const bool ok = std::isfinite(bi) && (std::isfinite(r) || (std::isinf(r) && bi == 0));
    return ok ? bi : std::numeric_limits<double>::infinity();
}
// out[i] = finalElementBound(r[i], b[i]) for i in [0, n) (out may be b); returns how many
// are infinite. Vectorised for the CPU (AVX-512, AVX2 or baseline builds, picked at load).
std::int64_t finalElementBoundsInto(const double* r, const double* b, double* out, std::int64_t n);
// finalElementBound for four elements at once, lane by lane the same.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi" // see element_vector.hpp
TAO_INLINE_D4 el::D4 finalElementBounds(el::D4 r, el::D4 b) {
    const el::D4 bi = b * (1.0 + 0x1p-20);
    const auto ok = el::isFinite(bi) & (el::isFinite(r) | (el::isInf(r) & (bi == 0)));
    return el::select(ok, bi, el::inf(bi));
}
#pragma GCC diagnostic pop
// perElement's loop over elements [lo, hi), four per step; returns how many have no finite
// bound. A short last step pads its unused lanes with zeros and stores only its own, so
// each element's result is the same wherever a parallel chunk starts. Built for AVX-512,
// AVX2 and baseline x86-64 and picked at load; flatten inlines the whole formula into each
// build, which is what makes the wide builds fast (and el::D4 never crosses a call).
template <class F>
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), flatten)) std::int64_t
perElementRange(const float* px, const float* py, double* pr, double* pb, std::int64_t lo,
                std::int64_t hi, const F& f) {
    std::int64_t infinite = 0;
    for (auto i = lo; i < hi; i += 4) {
        const auto lanes = std::min<std::int64_t>(4, hi - i);
        const BasicVE<el::D4> v =
            f(el::loadFloats(px + i, lanes), py ? el::loadFloats(py + i, lanes) : el::D4{});
        const el::D4 b = finalElementBounds(v.v, v.e);
        const el::M4 none = el::isInf(b);
        if (lanes == 4) {
            std::memcpy(pr + i, &v.v, sizeof v.v);
            std::memcpy(pb + i, &b, sizeof b);
            infinite -= none[0] + none[1] + none[2] + none[3];
            continue;
        }
        for (std::int64_t k = 0; k < lanes; ++k) {
            pr[i + k] = v.v[k];
            pb[i + k] = b[k];
            infinite -= none[k];
        }
    }
    return infinite;
}
// An element-wise operator of FP32 tensors of one shape (x32, and y32 unless undefined) in
// one fused pass, in parallel over the allowed threads: f(x, y) gives the FP64 values and
// error bounds (BasicVE<el::D4>) of four elements from their exact inputs x and y (y = 0
// without y32); the bounds are finalised by the rules above.
// c.claim is judged as the elements are (ClaimJudge).
template <class F>
OpBound perElement(const Ctx& c, const at::Tensor& x32, const at::Tensor& y32, const F& f) {
    const auto x = x32.contiguous();
    const auto y = y32.defined() ? y32.contiguous() : at::Tensor();
    ClaimJudge judge(c, x.sizes());
    const bool keep = !judge.tallyOnly();
    auto ref = keep ? at::empty(x.sizes(), x.options().dtype(at::kDouble)) : at::Tensor();
    auto bnd = keep ? at::empty_like(ref) : at::Tensor();
    const float* px = x.data_ptr<float>();
    const float* py = y.defined() ? y.data_ptr<float>() : nullptr;
    double* pr = keep ? ref.data_ptr<double>() : nullptr;
    double* pb = keep ? bnd.data_ptr<double>() : nullptr;
    std::atomic<std::int64_t> infinite{0};
    at::parallel_for(0, x.numel(), 1 << 12, [&](std::int64_t lo, std::int64_t hi) {
        std::int64_t none = 0;
        ClaimTally part;
        std::vector<double> scratch(keep ? 0 : 2 * kJudgeBlock);
        for (auto from = lo; from < hi; from += kJudgeBlock) {
            const auto n = std::min(hi, from + kJudgeBlock) - from;
            double* r = keep ? pr + from : scratch.data();
            double* b = keep ? pb + from : scratch.data() + kJudgeBlock;
            none += perElementRange(px + from, py ? py + from : nullptr, r, b, 0, n, f);
            judge.judgeBlock(part, from, r, b, n);
        }
        infinite += none;
        judge.merge(part);
    });
    return judge.result(std::move(ref), std::move(bnd), infinite);
}
// The same for one FP32 tensor: f(x).
template <class F> OpBound perElement(const Ctx& c, const at::Tensor& x32, const F& f) {
    return perElement(c, x32, at::Tensor(), [&](const el::D4& x, const el::D4&) { return f(x); });
}
// A row-wise operator of an FP32 tensor whose rows are its last `cols` elements, one pass
// per row, rows in parallel: row(r, x, ref, bound) fills row r's FP64 references and
// bounds (before finalElementBound, applied here) from its `cols` inputs x, and may use ref
// and bound as scratch until it writes them.
// c.claim is judged row by row (ClaimJudge).
template <class F>
OpBound perRow(const Ctx& c, const at::Tensor& x32, std::int64_t cols, const F& row) {
    const auto x = x32.contiguous();
    const std::int64_t rows = cols == 0 ? 0 : x.numel() / cols;
    ClaimJudge judge(c, x.sizes());
    const bool keep = !judge.tallyOnly();
    auto ref = keep ? at::empty(x.sizes(), x.options().dtype(at::kDouble)) : at::Tensor();
    auto bnd = keep ? at::empty_like(ref) : at::Tensor();
    const float* px = x.data_ptr<float>();
    double* pr = keep ? ref.data_ptr<double>() : nullptr;
    double* pb = keep ? bnd.data_ptr<double>() : nullptr;
    std::atomic<std::int64_t> infinite{0};
    const auto grain = std::max<std::int64_t>(1, (1 << 14) / std::max<std::int64_t>(cols, 1));
    at::parallel_for(0, rows, grain, [&](std::int64_t lo, std::int64_t hi) {
        std::int64_t n = 0;
        ClaimTally part;
        std::vector<double> scratch(keep ? 0 : 2 * cols);
        for (auto r = lo; r < hi; ++r) {
            double* rr = keep ? pr + r * cols : scratch.data();
            double* rb = keep ? pb + r * cols : scratch.data() + cols;
            row(r, px + r * cols, rr, rb);
            n += finalElementBoundsInto(rr, rb, rb, cols);
            judge.judgeBlock(part, r * cols, rr, rb, cols);
        }
        infinite += n;
        judge.merge(part);
    });
    return judge.result(std::move(ref), std::move(bnd), infinite);
}
// One output's final bound (the rules above); `infinite` (if given) receives how many of
// its elements have none.
at::Tensor finalizeBound(const at::Tensor& ref, const at::Tensor& bound,
                         std::int64_t* infinite = nullptr);

using Handler = std::function<OpBound(const Inputs&, const Ctx&)>;
using HandlerTable = std::map<std::string, Handler, std::less<>>;

// One table per operator family (one translation unit each, to keep builds fast).
const HandlerTable& elementwiseHandlers();
const HandlerTable& reductionHandlers();
const HandlerTable& linearHandlers();
const HandlerTable& activationHandlers();  // activation_bounds.cpp
const HandlerTable& normHandlers();        // norm_bounds.cpp
const HandlerTable& contractionHandlers(); // contraction_bounds.cpp
// Every table above, in lookup order (a kind appears in at most one).
const std::vector<const HandlerTable*>& allHandlerTables();
// Exact operators are evaluated through the JIT operator registry (op_bound.cpp).
const std::vector<std::string>& exactKinds();

} // namespace tao::numerics::detail
