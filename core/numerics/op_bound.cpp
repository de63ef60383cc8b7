// Dispatch by operator kind, the shared bound arithmetic, and the exact operators.
#include "core/numerics/bound_arith.hpp"
#include "core/numerics/exact_checks.hpp"
#include "core/numerics/fp_limits.hpp"

#include <ATen/Parallel.h>
#include <algorithm>
#include <atomic>
#include <c10/core/InferenceMode.h>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <set>
#include <torch/csrc/jit/runtime/operator.h>
#if defined(__x86_64__) || defined(__i386__)
#include <pmmintrin.h> // _MM_DENORMALS_ZERO_MASK (and xmmintrin.h)
#endif

namespace tao::numerics {
namespace detail {

double Ctx::gammaFor(double n, double unit) {
    const double nu = n * unit;
    return nu < 1.0 ? nu / (1.0 - nu) : kInf;
}

Ctx::Ctx(const BoundParams& p)
    : params(p)
    , u(p.u + kVerifierU) {
    for (std::size_t i = 0; i < eps_.size(); ++i) {
        const auto& a = mathAllowance(static_cast<MathFn>(i));
        const double k = params.mathUlpMargin * std::max(a.documentedUlp, a.measuredUlp);
        eps_[i] = (2.0 * k + 1.0) * u;
    }
}

double Ctx::dotCoefficient(double n) const {
    if (!params.tf32) return gamma(n);
    const double uIn = 0x1p-10;
    return (1.0 + uIn) * (1.0 + uIn) * (1.0 + gammaFor(n, 2.0 * u)) - 1.0;
}

VE logVE(const Ctx& c, const VE& x0, double eps) {
    auto x = inRange(x0);
    auto v = at::log(x.v);
    auto ok = x.v > x.e;
    auto prop = at::where(ok, -at::log1p(-x.e / x.v), at::full_like(v, kInf));
    return {v, prop + eps * (v.abs() + prop) + kTiny};
}

VE sqrtVE(const Ctx& c, const VE& x0, double eps) {
    auto x = inRange(x0);
    auto v = at::sqrt(x.v);
    auto lo = at::clamp_min(x.v - x.e, 0.0);
    auto prop = at::where(x.e == 0, at::zeros_like(v), x.e / (v + at::sqrt(lo)));
    // The computed radicand may be negative: an honest result may then be NaN.
    prop = at::where((x.v - x.e < 0) & (x.e > 0), at::full_like(v, kInf), prop);
    return {v, prop + eps * (v + prop) + kTiny};
}

VE rsqrtVE(const Ctx& c, const VE& x0, double eps) {
    auto x = inRange(x0);
    auto v = at::rsqrt(x.v);
    auto ok = x.v > x.e;
    auto lo = at::rsqrt(x.v - x.e);
    auto prop = at::where(ok, lo - v, at::full_like(v, kInf));
    auto e = prop + eps * at::where(ok, lo, at::full_like(v, kInf)) + kTiny;
    return {v, e};
}

VE expm1VE(const Ctx& c, const VE& x0, double eps) {
    // expm1(v + d) - expm1(v) = e^v (e^d - 1): the same propagation as exp.
    auto x = inRange(x0);
    auto v = at::expm1(x.v);
    auto prop = at::where(x.e == 0, at::zeros_like(v), at::exp(x.v) * at::expm1(x.e));
    return {v, prop + eps * (v.abs() + prop) + kTiny};
}

VE log1pVE(const Ctx& c, const VE& x0, double eps) {
    // |log1p(v + d) - log1p(v)| <= -log(1 - |d| / (1 + v)) for |d| < 1 + v.
    auto x = inRange(x0);
    auto v = at::log1p(x.v);
    auto room = 1.0 + x.v;
    auto prop = at::where(x.e < room, -at::log1p(-x.e / room), at::full_like(v, kInf));
    prop = at::where(x.e == 0, at::zeros_like(v), prop);
    return {v, prop + eps * (v.abs() + prop) + kTiny};
}

VE clampVE(const VE& x, double lo, double hi) {
    auto v = at::clamp(x.v, lo, hi);
    auto beyond = (x.v + x.e <= lo) | (x.v - x.e >= hi);
    return {v, at::where(beyond, at::zeros_like(x.e), x.e)};
}

// --- arguments ---

const at::Tensor& tensorArg(const Inputs& in, size_t i, const char* what) {
    if (i >= in.size() || !in[i].isTensor())
        throw Unsupported(std::string("argument ") + std::to_string(i) + " (" + what +
                          ") is not a tensor");
    return in[i].toTensor();
}

c10::optional<at::Tensor> optTensorArg(const Inputs& in, size_t i) {
    if (i >= in.size() || in[i].isNone()) return c10::nullopt;
    if (!in[i].isTensor())
        throw Unsupported("argument " + std::to_string(i) + " is neither a tensor nor None");
    const auto& t = in[i].toTensor();
    if (!t.defined()) return c10::nullopt;
    return t;
}

bool hasArg(const Inputs& in, size_t i) {
    return i < in.size() && !in[i].isNone();
}

double scalarArg(const Inputs& in, size_t i, double dflt) {
    if (!hasArg(in, i)) return dflt;
    const auto& v = in[i];
    if (v.isDouble()) return v.toDouble();
    if (v.isInt()) return static_cast<double>(v.toInt());
    if (v.isBool()) return v.toBool() ? 1.0 : 0.0;
    if (v.isTensor() && v.toTensor().numel() == 1 && v.toTensor().dim() == 0)
        return v.toTensor().item<double>();
    throw Unsupported("argument " + std::to_string(i) + " is not a number");
}

std::int64_t intArg(const Inputs& in, size_t i, std::int64_t dflt) {
    if (!hasArg(in, i)) return dflt;
    if (!in[i].isInt()) throw Unsupported("argument " + std::to_string(i) + " is not an int");
    return in[i].toInt();
}

bool boolArg(const Inputs& in, size_t i, bool dflt) {
    if (!hasArg(in, i)) return dflt;
    if (in[i].isBool()) return in[i].toBool();
    if (in[i].isInt()) return in[i].toInt() != 0;
    throw Unsupported("argument " + std::to_string(i) + " is not a bool");
}

std::vector<std::int64_t> intListArg(const Inputs& in, size_t i) {
    if (!hasArg(in, i)) return {};
    if (in[i].isInt()) return {in[i].toInt()};
    if (!in[i].isIntList())
        throw Unsupported("argument " + std::to_string(i) + " is not an int list");
    return in[i].toIntVector();
}

at::Tensor f64(const at::Tensor& t, const char* what) {
    if (at::isFloatingType(t.scalar_type()) && t.scalar_type() != at::kFloat)
        throw Unsupported(std::string(what) + " has dtype " +
                          std::string(c10::toString(t.scalar_type())) +
                          "; only FP32 operators are bounded");
    if (t.is_complex()) throw Unsupported(std::string(what) + " is complex");
    return t.to(at::kDouble).contiguous();
}

void requireFloatDtype(const Inputs& in, size_t i) {
    if (!hasArg(in, i)) return;
    if (in[i].isInt() && static_cast<at::ScalarType>(in[i].toInt()) == at::kFloat) return;
    throw Unsupported("dtype argument other than float32 is not bounded");
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) std::int64_t
finalElementBoundsInto(const double* r, const double* b, double* out, std::int64_t n) {
    std::int64_t infinite = 0;
#pragma omp simd reduction(+ : infinite)
    for (std::int64_t i = 0; i < n; ++i) {
        const double f = finalElementBound(r[i], b[i]);
        out[i] = f;
        infinite += !std::isfinite(f);
    }
    return infinite;
}

at::Tensor finalizeBound(const at::Tensor& ref, const at::Tensor& bound, std::int64_t* infinite) {
    const auto b = bound.to(at::kDouble).expand(ref.sizes()).contiguous();
    const auto r = ref.to(at::kDouble).contiguous();
    auto out = at::empty_like(b);
    const double* bp = b.data_ptr<double>();
    const double* rp = r.data_ptr<double>();
    double* op = out.data_ptr<double>();
    std::atomic<std::int64_t> count{0};
    // One pass, in parallel: this runs on every output element of every operator.
    at::parallel_for(0, b.numel(), 1 << 15, [&](std::int64_t lo, std::int64_t hi) {
        count += finalElementBoundsInto(rp + lo, bp + lo, op + lo, hi - lo);
    });
    if (infinite) *infinite = count;
    return out;
}

OpBound bounded(std::vector<at::Tensor> refs, std::vector<at::Tensor> bounds) {
    OpBound r;
    r.status = BoundStatus::Bounded;
    std::int64_t infinite = 0, total = 0;
    for (size_t i = 0; i < refs.size(); ++i) {
        std::int64_t n = 0;
        auto b = finalizeBound(refs[i], bounds[i], &n);
        infinite += n;
        total += b.numel();
        r.reference.push_back(refs[i].contiguous());
        r.bound.push_back(b);
    }
    r.reason = infiniteNote(infinite, total);
    return r;
}

OpBound finalizedOutput(at::Tensor ref, at::Tensor bound, std::int64_t infinite) {
    OpBound r;
    r.status = BoundStatus::Bounded;
    r.reason = infiniteNote(infinite, ref.numel());
    r.reference.push_back(std::move(ref));
    r.bound.push_back(std::move(bound));
    return r;
}

ClaimJudge::ClaimJudge(const Ctx& c, at::IntArrayRef outputSizes) {
    if (!c.claim || !c.claim->defined()) return;
    const auto& y = *c.claim;
    // JudgedClaim identifies its tensors by their version counters, which inference
    // tensors lack.
    if (y.scalar_type() != at::kFloat || !y.is_contiguous() || y.sizes() != outputSizes ||
        y.is_inference() || c10::InferenceMode::is_enabled())
        return;
    claim_ = y;
    y_ = y.data_ptr<float>();
    keep_ = c.keepTensors;
}

void ClaimJudge::merge(const ClaimTally& part) {
    if (!y_) return;
    std::lock_guard lock(mutex_);
    total_.merge(part);
}

OpBound ClaimJudge::attach(OpBound out) const {
    if (!y_) return out;
    return withJudgedClaim(std::move(out), claim_, total_);
}

OpBound ClaimJudge::tallied(std::int64_t infinite) const {
    return talliedOutput(claim_.sizes(), claim_, total_, infinite);
}

OpBound ClaimJudge::result(at::Tensor ref, at::Tensor bound, std::int64_t infinite) const {
    if (tallyOnly()) return tallied(infinite);
    return attach(finalizedOutput(std::move(ref), std::move(bound), infinite));
}

OpBound withJudgedClaim(OpBound out, const at::Tensor& claim, const ClaimTally& tally) {
    if (out.reference.size() != 1 || out.bound.size() != 1) return out;
    JudgedClaim j;
    j.tally = tally;
    j.claim = claim;
    j.reference = out.reference[0];
    j.bound = out.bound[0];
    j.versions[0] = claim._version();
    j.versions[1] = j.reference._version();
    j.versions[2] = j.bound._version();
    out.judged = std::move(j);
    return out;
}

std::optional<ClaimTally> tallyOfClaim(const OpBound& out, const at::Tensor& claim) {
    if (out.status != BoundStatus::Bounded || out.reference.size() != 1) return std::nullopt;
    if (out.judged && out.judged->matches(claim, out.reference[0], out.bound[0]))
        return out.judged->tally;
    if (out.tallyOnly() || claim.scalar_type() != at::kFloat || !claim.is_contiguous() ||
        claim.sizes() != out.reference[0].sizes())
        return std::nullopt;
    ClaimTally t;
    judgeClaimRange(t, claim.data_ptr<float>(), out.reference[0].contiguous().data_ptr<double>(),
                    out.bound[0].contiguous().data_ptr<double>(), 0, claim.numel());
    return t;
}

OpBound talliedOutput(at::IntArrayRef sizes, const at::Tensor& claim, const ClaimTally& tally,
                      std::int64_t infinite) {
    const auto meta = at::TensorOptions().dtype(at::kDouble).device(at::kMeta);
    return withJudgedClaim(
        finalizedOutput(at::empty(sizes, meta), at::empty(sizes, meta), infinite), claim, tally);
}

std::string infiniteNote(std::int64_t infinite, std::int64_t total) {
    if (infinite == 0) return {};
    return std::to_string(infinite) + " of " + std::to_string(total) +
           " elements have no finite bound (non-finite input or reference, possible "
           "intermediate overflow, or ill-conditioning)";
}

} // namespace detail

namespace {
using namespace detail;

std::string baseKind(std::string_view kind) {
    std::string k(kind);
    // "aten::relu_" -> "aten::relu"; dunder names such as "aten::__and__" stay as they are.
    if (k.size() > 1 && k.back() == '_' && k[k.size() - 2] != '_') k.pop_back();
    return k;
}

// Kinds whose only correct result is a rearrangement, selection or exact conversion of
// input elements, or a constant; evaluated through the JIT registry on the FP32 inputs
// themselves. Selections with ties rely on the documented rule: max/min/argmax/argmin
// along a dim return the first maximal index. upsample_nearest's source index
// floor(dst * scale) is the operator's definition (CPU and CUDA share it), so it is exact
// for every scale.
const std::vector<std::string> kExact = {
    // pack_padded_sequence / pad_packed_sequence: rows gathered and scattered (padding 0).
    "aten::_pack_padded_sequence",
    "aten::_pad_packed_sequence",
    "aten::abs",
    "aten::adaptive_max_pool1d",
    "aten::adaptive_max_pool2d",
    "aten::alias",
    "aten::amax",
    "aten::amin",
    "aten::argmax",
    "aten::argmin",
    "aten::cat",
    "aten::chunk",
    "aten::clamp",
    "aten::clamp_max",
    "aten::clamp_min",
    "aten::clone",
    "aten::concat",
    "aten::constant_pad_nd",
    "aten::contiguous",
    "aten::detach",
    "aten::dropout",
    "aten::embedding",
    "aten::eq", // comparisons and logical ops: exact on the FP32 values (masks)
    "aten::expand",
    "aten::expand_as",
    "aten::feature_dropout",
    "aten::flatten",
    "aten::flip",
    "aten::full",
    "aten::full_like",
    "aten::gather",
    "aten::ge",
    "aten::gt",
    "aten::hardtanh",
    "aten::index",
    "aten::index_select",
    "aten::le",
    "aten::logical_and",
    "aten::logical_not",
    "aten::logical_or",
    "aten::lt",
    "aten::masked_fill",
    "aten::max",
    "aten::max_pool1d",
    "aten::max_pool2d",
    "aten::max_pool3d",
    "aten::maximum",
    "aten::min",
    "aten::minimum",
    "aten::narrow",
    "aten::ne",
    "aten::neg",
    "aten::new_full",
    "aten::new_ones",
    "aten::new_zeros",
    "aten::ones",
    "aten::ones_like",
    "aten::pad",
    "aten::permute",
    "aten::reflection_pad1d",
    "aten::reflection_pad2d",
    "aten::relu",
    "aten::repeat",
    "aten::replication_pad1d",
    "aten::replication_pad2d",
    "aten::reshape",
    "aten::reshape_as",
    "aten::roll",
    "aten::select",
    "aten::slice",
    "aten::split",
    "aten::split_with_sizes",
    "aten::squeeze",
    "aten::stack",
    "aten::t",
    "aten::to",
    "aten::transpose",
    "aten::tril",
    "aten::triu",
    "aten::type_as",
    "aten::unbind",
    "aten::unflatten",
    "aten::unsqueeze",
    "aten::upsample_nearest1d",
    "aten::upsample_nearest2d",
    "aten::view",
    "aten::view_as",
    "aten::where",
    "aten::zeros",
    "aten::zeros_like",
    "prim::NumToTensor", // an int from shape arithmetic as a 0-dim tensor (channel shuffles)
};

// Kinds that are bounded for floating inputs and exact when every tensor input is integral.
// floor_divide appears in traced graphs on shape arithmetic (channel shuffles); on
// floating tensors floor(a / b) is discontinuous in the rounded quotient and has no bound.
const std::set<std::string, std::less<>> kExactOnIntegers = {
    "aten::add", "aten::sub",    "aten::mul",         "aten::rsub",
    "aten::sum", "aten::cumsum", "aten::floor_divide"};

bool anyFloat32Tensor(const Inputs& in) {
    for (const auto& v : in)
        if (v.isTensor() && v.toTensor().defined() && v.toTensor().scalar_type() == at::kFloat &&
            v.toTensor().dim() > 0)
            return true;
    return false;
}

bool anyFloatingTensor(const Inputs& in) {
    for (const auto& v : in) {
        if (v.isTensor() && v.toTensor().defined() && v.toTensor().is_floating_point()) return true;
        if (v.isTensorList())
            for (const at::Tensor& t : v.toTensorVector())
                if (t.is_floating_point()) return true;
    }
    return false;
}

bool argMatches(const c10::IValue& v, const c10::TypePtr& type) {
    if (v.isNone())
        return type->kind() == c10::TypeKind::OptionalType ||
               type->kind() == c10::TypeKind::NoneType;
    auto t = type;
    if (auto opt = t->cast<c10::OptionalType>()) t = opt->getElementType();
    if (v.isTensor()) return t->kind() == c10::TypeKind::TensorType;
    if (v.isInt() &&
        (t->kind() == c10::TypeKind::IntType || t->kind() == c10::TypeKind::ScalarTypeType ||
         t->kind() == c10::TypeKind::LayoutType || t->kind() == c10::TypeKind::MemoryFormatType ||
         t->kind() == c10::TypeKind::SymIntType))
        return true;
    return v.type()->isSubtypeOf(*t);
}

// Runs the registered operator whose schema accepts the inputs (trailing defaults filled).
std::vector<c10::IValue> runRegistered(const std::string& kind, const Inputs& in) {
    const auto sym = c10::Symbol::fromQualString(kind);
    for (const auto& op : torch::jit::getAllOperatorsFor(sym)) {
        const auto& schema = op->schema();
        if (schema.is_mutable() || schema.is_vararg()) continue;
        const auto& args = schema.arguments();
        if (in.size() > args.size()) continue;
        bool ok = true;
        for (size_t i = 0; i < args.size() && ok; ++i) {
            if (i < in.size())
                ok = argMatches(in[i], args[i].type());
            else
                ok = args[i].default_value().has_value();
        }
        if (!ok) continue;
        torch::jit::Stack stack(in.begin(), in.end());
        for (size_t i = in.size(); i < args.size(); ++i)
            stack.push_back(*args[i].default_value());
        op->getOperation()(stack);
        return stack;
    }
    throw Unsupported("no overload of " + kind + " accepts these arguments");
}

// The registered operator's outputs as a flat list of tensors; Unsupported for any other
// result.
std::vector<at::Tensor> registeredTensors(const std::string& kind, const Inputs& in) {
    std::vector<at::Tensor> out;
    for (const auto& o : runRegistered(kind, in)) {
        if (o.isTensor())
            out.push_back(o.toTensor());
        else if (o.isTensorList())
            for (const at::Tensor& t : o.toTensorVector())
                out.push_back(t);
        else
            throw Unsupported(kind + " returns a non-tensor value");
    }
    return out;
}

// Bound 0 for every element of an exact result, +inf where it is NaN (infinities pass
// through exactly; a NaN has no numeric guarantee): one pass, as exact operators (views,
// slices, copies) carry a large share of a trace's elements.
at::Tensor exactBound(const at::Tensor& ref) {
    auto b = at::empty_like(ref);
    const double* rp = ref.data_ptr<double>();
    double* bp = b.data_ptr<double>();
    at::parallel_for(0, ref.numel(), 1 << 15, [&](std::int64_t lo, std::int64_t hi) {
        for (auto i = lo; i < hi; ++i)
            bp[i] = std::isnan(rp[i]) ? kInf : 0.0;
    });
    return b;
}

OpBound exactOp(const std::string& kind, const Inputs& in) {
    if (kind == "aten::dropout" || kind == "aten::feature_dropout") {
        if (boolArg(in, 2, true)) throw Unsupported("dropout in training mode draws a random mask");
        const auto& x = tensorArg(in, 0, "input");
        OpBound r;
        r.status = BoundStatus::Exact;
        r.dtypes.push_back(x.scalar_type());
        r.reference.push_back(x.to(at::kDouble).contiguous());
        r.bound.push_back(exactBound(r.reference[0]));
        return r;
    }
    OpBound r;
    r.status = BoundStatus::Exact;
    for (const auto& t : registeredTensors(kind, in)) {
        auto ref = t.to(at::kDouble).contiguous();
        r.dtypes.push_back(t.scalar_type());
        r.bound.push_back(exactBound(ref));
        r.reference.push_back(std::move(ref));
    }
    return r;
}

const HandlerTable* findHandlerTable(std::string_view kind) {
    for (const HandlerTable* t : allHandlerTables())
        if (t->find(kind) != t->end()) return t;
    return nullptr;
}

bool isExactKind(std::string_view kind) {
    return std::find(kExact.begin(), kExact.end(), kind) != kExact.end();
}

// Whether boundAsCommitted takes `base` on these inputs to exactOp: integer arithmetic on
// integral tensors, or an exact kind without a handler of its own.
bool takesExactPath(const std::string& base, const Inputs& in) {
    if (kExactOnIntegers.count(base) && !anyFloatingTensor(in)) return true;
    return !findHandlerTable(base) && isExactKind(base);
}

OpBound noBound(std::string reason) {
    OpBound r;
    r.status = BoundStatus::NoBound;
    r.reason = std::move(reason);
    return r;
}

} // namespace

const std::vector<std::string>& detail::exactKinds() {
    return kExact;
}

const std::vector<const HandlerTable*>& detail::allHandlerTables() {
    static const std::vector<const HandlerTable*> tables = {
        &elementwiseHandlers(), &activationHandlers(), &reductionHandlers(),
        &normHandlers(),        &linearHandlers(),     &contractionHandlers()};
    return tables;
}

namespace {

// Kinds whose output element i depends on element i of each tensor argument alone.
// add, sub, rsub, mul, tanh, sigmoid and gelu take one fused pass per element instead
// (perElement); division and the rest still evaluate tensor formulas.
const std::set<std::string, std::less<>> kElementwise = {
    "aten::div",  "aten::reciprocal",  "aten::exp",       "aten::log",
    "aten::sqrt", "aten::rsqrt",       "aten::erf",       "aten::silu",
    "aten::pow",  "aten::hardsigmoid", "aten::hardswish", "aten::leaky_relu",
    "aten::elu",  "aten::softplus",    "aten::sin",       "aten::cos"};

// Elements per chunk. A bound formula is a few dozen FP64 tensor expressions; on a chunk
// they stay in the core's cache, on a whole large tensor each one streams megabytes through
// memory (and faults in fresh pages for its result).
constexpr std::int64_t kChunk = 16384;

// An element-wise kind whose tensor arguments share one shape, large enough to gain.
bool chunkable(std::string_view base, const Inputs& in) {
    if (!kElementwise.count(base)) return false;
    const at::Tensor* first = nullptr;
    for (const auto& v : in) {
        if (v.isTensorList()) return false;
        if (!v.isTensor()) continue;
        if (!first)
            first = &v.toTensor();
        else if (v.toTensor().sizes() != first->sizes())
            return false;
    }
    return first && first->numel() >= 4 * kChunk;
}

// The handler on `count` pieces of the inputs (piece(i) gives piece i's), in parallel over
// the allowed threads. Each piece's output must be a run of the whole output along its
// first dimension, `pieceElements` elements long (the last may be shorter) and of the shape
// of the piece's first tensor argument, so that concatenated and shaped to `sizes` they are
// the bound of the whole, element for element. A claim (ClaimJudge's conditions) is judged
// piece by piece, each against its run of the claim; tally only, no piece keeps tensors.
OpBound inPieces(const Handler& handler, const Inputs& in, const Ctx& ctx, std::int64_t count,
                 std::int64_t pieceElements, const std::function<Inputs(std::int64_t)>& piece,
                 at::IntArrayRef sizes) {
    const bool judging = ClaimJudge(ctx, sizes).judging();
    const auto flatClaim = judging ? ctx.claim->reshape({-1}) : at::Tensor();
    std::vector<OpBound> parts(static_cast<std::size_t>(count));
    std::vector<std::int64_t> infinite(parts.size(), 0);
    std::vector<ClaimTally> tallies(parts.size());
    std::atomic<bool> unjudged{false};
    at::parallel_for(0, count, 1, [&](std::int64_t begin, std::int64_t end) {
        for (auto i = begin; i < end; ++i) {
            auto& p = parts[static_cast<std::size_t>(i)];
            const auto args = piece(i);
            Ctx pieceCtx = ctx;
            at::Tensor claim;
            if (judging) {
                const auto first = std::find_if(args.begin(), args.end(),
                                                [](const c10::IValue& v) { return v.isTensor(); });
                const auto from = i * pieceElements;
                claim = flatClaim.narrow(0, from, std::min(pieceElements, flatClaim.numel() - from))
                            .view(first->toTensor().sizes());
                pieceCtx.claim = &claim;
            }
            p = handler(args, pieceCtx);
            if (p.status != BoundStatus::Bounded || p.bound.size() != 1) continue;
            auto& tally = tallies[static_cast<std::size_t>(i)];
            if (judging) {
                // A handler of tensor expressions: its piece is judged here, still in cache.
                if (const auto t = tallyOfClaim(p, claim))
                    tally = *t;
                else
                    unjudged = true;
            }
            // Counted while the piece is in cache, for the note of the whole.
            infinite[static_cast<std::size_t>(i)] =
                p.tallyOnly() ? tally.unbounded : at::isinf(p.bound[0]).sum().item<std::int64_t>();
        }
    });
    ClaimTally total;
    std::vector<at::Tensor> refs, bounds;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto& p = parts[i];
        if (p.status == BoundStatus::NoBound) return std::move(p); // the same reason for all
        // Not one bounded output: no piecewise assembly is defined, so the whole at once.
        if (p.status != BoundStatus::Bounded || p.reference.size() != 1 || unjudged)
            return handler(in, ctx);
        total.merge(tallies[i]);
        refs.push_back(std::move(p.reference[0]));
        bounds.push_back(std::move(p.bound[0]));
    }
    const auto none = std::accumulate(infinite.begin(), infinite.end(), std::int64_t{0});
    if (judging && !ctx.keepTensors) return talliedOutput(sizes, *ctx.claim, total, none);
    auto r = finalizedOutput(at::cat(refs).reshape(sizes), at::cat(bounds).reshape(sizes), none);
    return judging ? withJudgedClaim(std::move(r), *ctx.claim, total) : r;
}

// Element-wise kinds on matching chunks of their flattened tensor arguments.
OpBound inChunks(const Handler& handler, const Inputs& in, const Ctx& ctx) {
    Inputs flat = in;
    std::vector<std::int64_t> sizes;
    for (auto& v : flat)
        if (v.isTensor()) {
            sizes = v.toTensor().sizes().vec();
            v = v.toTensor().reshape({-1});
        }
    const std::int64_t n = c10::multiply_integers(sizes);
    const auto piece = [&](std::int64_t i) {
        Inputs part = flat;
        for (auto& v : part)
            if (v.isTensor())
                v = v.toTensor().narrow(0, i * kChunk, std::min(kChunk, n - i * kChunk));
        return part;
    };
    return inPieces(handler, in, ctx, (n + kChunk - 1) / kChunk, kChunk, piece, sizes);
}

// Rows are blocked from this many elements on (8 MB per FP64 temporary, beyond the
// caches, where attention's softmax at sequence 1024 held 100 MB per temporary): below it
// the blocks gained nothing measurable on GPT-2 at sequence 128.
constexpr std::int64_t kRowBlocked = std::int64_t(1) << 20;
// Elements per block of rows.
constexpr std::int64_t kRowBlock = std::int64_t(1) << 16;

// Kinds that treat each row of their first argument on its own, a row being its trailing
// dimensions: softmax and log_softmax along the last dimension, layer_norm over its
// normalized shape. The number of trailing dimensions in a row; 0 for every other kind
// and for inputs too small to gain.
std::int64_t rowDims(std::string_view base, const Inputs& in) {
    if (in.size() < 2 || !in[0].isTensor()) return 0;
    const auto& x = in[0].toTensor();
    if (x.numel() < kRowBlocked) return 0;
    const bool softmax = base == "aten::softmax" || base == "aten::log_softmax" ||
                         base == "aten::_softmax" || base == "aten::_log_softmax";
    if (softmax && in[1].isInt() && x.dim() >= 2 &&
        (in[1].toInt() == -1 || in[1].toInt() == x.dim() - 1))
        return 1;
    if (base == "aten::layer_norm" && in[1].isIntList()) {
        const auto n = static_cast<std::int64_t>(in[1].toIntVector().size());
        return n >= 1 && n < x.dim() ? n : 0;
    }
    return 0;
}

// Those kinds on blocks of whole rows (the leading dimensions flattened), about kRowBlock
// elements each: every expression of their bound then works in cache, and the temporaries
// of one block at a time are alive.
OpBound inRowBlocks(const Handler& handler, const Inputs& in, const Ctx& ctx,
                    std::int64_t trailing) {
    const auto& x = in[0].toTensor();
    std::vector<std::int64_t> shape{-1};
    for (auto d = x.dim() - trailing; d < x.dim(); ++d)
        shape.push_back(x.size(d));
    const auto rows = x.reshape(shape);
    const std::int64_t count = rows.size(0);
    const std::int64_t rowSize = count > 0 ? x.numel() / count : 1;
    const std::int64_t per =
        std::max<std::int64_t>(1, kRowBlock / std::max<std::int64_t>(rowSize, 1));
    const auto piece = [&](std::int64_t i) {
        Inputs part = in;
        part[0] = rows.narrow(0, i * per, std::min(per, count - i * per));
        if (in[1].isInt()) part[1] = c10::IValue(std::int64_t{-1}); // softmax: the last dim
        return part;
    };
    return inPieces(handler, in, ctx, (count + per - 1) / per, per * rowSize, piece, x.sizes());
}

OpBound boundAsCommitted(std::string_view kind, const std::vector<c10::IValue>& inputs,
                         const BoundParams& params, const at::Tensor* claim = nullptr,
                         Retain retain = Retain::Tensors) {
    const std::string base = baseKind(kind);
    try {
        at::NoGradGuard noGrad;
        if (takesExactPath(base, inputs)) return exactOp(base, inputs);
        if (const auto* table = findHandlerTable(base)) {
            Ctx ctx(params);
            ctx.claim = claim;
            ctx.keepTensors = retain == Retain::Tensors;
            const auto& handler = table->find(base)->second;
            const auto trailing = rowDims(base, inputs);
            OpBound r;
            if (chunkable(base, inputs))
                r = inChunks(handler, inputs, ctx);
            else if (trailing > 0)
                r = inRowBlocks(handler, inputs, ctx, trailing);
            else
                r = handler(inputs, ctx);
            // Type promotion with an FP32 tensor operand gives FP32 (a bounded handler
            // rejects other floating dtypes); without one (pow of an integer tensor, ...)
            // the result dtype is left unchecked.
            if (r.status == BoundStatus::Bounded && anyFloat32Tensor(inputs))
                r.dtypes.assign(r.reference.size(), at::kFloat);
            return r;
        }
        return noBound("no error bound is defined for operator kind " + std::string(kind));
    } catch (const Unsupported& e) {
        return noBound(std::string(kind) + ": " + e.what());
    } catch (const c10::Error& e) {
        return noBound(std::string(kind) + ": evaluation failed: " + e.what_without_backtrace());
    } catch (const std::exception& e) {
        return noBound(std::string(kind) + ": evaluation failed: " + e.what());
    }
}

at::Tensor flushSubnormals(const at::Tensor& t) {
    if (!t.defined() || !t.is_floating_point()) return t;
    const auto sub = (t != 0) & (t.abs() < kTiny);
    return sub.any().item<bool>() ? at::where(sub, t * 0, t) : t;
}

// The inputs as a denormals-are-zero unit reads them; false when none changes.
bool flushedInputs(const std::vector<c10::IValue>& in, std::vector<c10::IValue>& out) {
    bool changed = false;
    auto flush = [&](const at::Tensor& t) {
        auto f = flushSubnormals(t);
        changed |= !f.is_same(t);
        return f;
    };
    out.clear();
    for (const auto& v : in) {
        if (v.isTensor()) {
            out.emplace_back(flush(v.toTensor()));
        } else if (v.isTensorList()) {
            std::vector<at::Tensor> list;
            for (const at::Tensor& t : v.toTensorVector())
                list.push_back(flush(t));
            out.emplace_back(list);
        } else {
            out.push_back(v);
        }
    }
    return changed;
}

// See op_bound.hpp: the claim lies within b1 of r1 or within b2 of r2 (flushed inputs),
// and a result that may be subnormal may be flushed as well.
OpBound withFlushedDenormals(std::string_view kind, const std::vector<c10::IValue>& inputs,
                             const BoundParams& params, OpBound asCommitted) {
    std::vector<c10::IValue> flushed;
    std::optional<OpBound> alt;
    if (flushedInputs(inputs, flushed)) {
        alt = boundAsCommitted(kind, flushed, params);
        if (alt->status == BoundStatus::NoBound)
            return noBound(std::string(kind) +
                           " with subnormal inputs read as zero: " + alt->reason);
        if (alt->reference.size() != asCommitted.reference.size())
            return noBound(std::string(kind) + ": flushing subnormal inputs changes the outputs");
    }
    bool widened = false;
    for (std::size_t i = 0; i < asCommitted.reference.size(); ++i) {
        const auto& r = asCommitted.reference[i];
        if (!r.is_floating_point()) continue;
        auto b = asCommitted.bound[i];
        if (alt) {
            const auto& r2 = alt->reference[i];
            auto gap = at::where(r2 == r, at::zeros_like(r), (r2 - r).abs());
            gap = at::where(at::isnan(gap), at::full_like(gap, kInf), gap);
            b = at::maximum(b, gap + alt->bound[i]);
        }
        // A subnormal result may be flushed (budgeted per rounding by bounded kinds; an
        // exact kind's result is never rounded, so it is exactly r).
        if (asCommitted.status == BoundStatus::Exact)
            b = at::where((r != 0) & (r.abs() < kTiny), b + kTiny, b);
        widened |= !at::equal(b, asCommitted.bound[i]);
        asCommitted.bound[i] = b;
    }
    if (widened && asCommitted.status == BoundStatus::Exact) {
        asCommitted.status = BoundStatus::Bounded;
        asCommitted.reason = "exact but for flushed denormals";
    }
    return asCommitted;
}

// Bounds are evaluated in IEEE arithmetic on the calling thread, whatever mode it was left
// in (a calibration configuration may set flush-to-zero): the FP64 reference and the FP32
// magnitudes of dot products (linear_bounds.cpp) count on gradual underflow. A provider's
// flushing is modelled explicitly (withFlushedDenormals), never by the verifier's FPU mode.
class IeeeArithmetic {
public:
#if defined(__x86_64__) || defined(__i386__)
    IeeeArithmetic()
        : saved_(_mm_getcsr()) {
        _mm_setcsr(saved_ & ~(_MM_FLUSH_ZERO_MASK | _MM_DENORMALS_ZERO_MASK));
    }
    ~IeeeArithmetic() {
        _mm_setcsr(saved_);
    }

private:
    unsigned saved_;
#endif
};

} // namespace

bool JudgedClaim::matches(const at::Tensor& claimNow, const at::Tensor& referenceNow,
                          const at::Tensor& boundNow) const {
    return claim.defined() && claim.is_same(claimNow) && reference.is_same(referenceNow) &&
           bound.is_same(boundNow) && claim._version() == versions[0] &&
           reference._version() == versions[1] && bound._version() == versions[2];
}

OpBound referenceAndBound(std::string_view kind, const std::vector<c10::IValue>& inputs,
                          const BoundParams& params) {
    return referenceAndBound(kind, inputs, params, {});
}

OpBound referenceAndBound(std::string_view kind, const std::vector<c10::IValue>& inputs,
                          const BoundParams& params, const std::vector<at::Tensor>& claimed,
                          Retain retain) {
    IeeeArithmetic ieee;
    // Flushed denormals widen the bound after the kernels (withFlushedDenormals): no claim
    // is judged against the bound before that.
    const at::Tensor* claim =
        claimed.size() == 1 && !params.flushDenormal ? &claimed.front() : nullptr;
    auto r = boundAsCommitted(kind, inputs, params, claim, retain);
    // A wrong claim is worded from the tensors (measureOpError): rare, so bound again.
    if (r.tallyOnly() && r.judged->tally.wrong > 0)
        r = boundAsCommitted(kind, inputs, params, claim, Retain::Tensors);
    if (!params.flushDenormal || r.status == BoundStatus::NoBound || !anyFloatingTensor(inputs))
        return r;
    try {
        at::NoGradGuard noGrad;
        return withFlushedDenormals(kind, inputs, params, std::move(r));
    } catch (const std::exception& e) {
        return noBound(std::string(kind) + ": bounding flushed denormals failed: " + e.what());
    }
}

namespace {
// Whether an operator of kind `base` is judged by exact agreement on these inputs: an exact
// kind, not dropout, and no flushed denormals modelled on floating inputs.
bool judgedExactly(const std::string& base, const Inputs& inputs, const BoundParams& params) {
    return takesExactPath(base, inputs) && base != "aten::dropout" &&
           base != "aten::feature_dropout" && !(params.flushDenormal && anyFloatingTensor(inputs));
}
} // namespace

std::optional<std::vector<at::Tensor>> exactOutputs(std::string_view kind,
                                                    const std::vector<c10::IValue>& inputs,
                                                    const BoundParams& params) {
    const std::string base = baseKind(kind);
    if (!judgedExactly(base, inputs, params)) return std::nullopt;
    try {
        IeeeArithmetic ieee;
        at::NoGradGuard noGrad;
        return registeredTensors(base, inputs);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool exactClaimAgrees(std::string_view kind, const std::vector<c10::IValue>& inputs,
                      const at::Tensor& claim, const BoundParams& params) {
    const std::string base = baseKind(kind);
    if (!judgedExactly(base, inputs, params)) return false;
    IeeeArithmetic ieee;
    return agreesWithoutReexecution(base, inputs, claim);
}

bool hasBound(std::string_view kind) {
    const std::string base = baseKind(kind);
    return findHandlerTable(base) != nullptr || isExactKind(base) ||
           kExactOnIntegers.count(base) > 0;
}

std::vector<std::string> supportedKinds() {
    std::set<std::string> all(kExact.begin(), kExact.end());
    for (const HandlerTable* t : allHandlerTables())
        for (const auto& [k, h] : *t)
            all.insert(k);
    all.insert(kExactOnIntegers.begin(), kExactOnIntegers.end());
    return {all.begin(), all.end()};
}

at::Tensor withinBound(const at::Tensor& y, const at::Tensor& reference, const at::Tensor& bound) {
    auto yd = y.to(at::kDouble);
    auto diff = (yd - reference).abs();
    const double inf = std::numeric_limits<double>::infinity();
    auto overflow = ((yd == inf) & (reference + bound >= kFltOverflow)) |
                    ((yd == -inf) & (reference - bound <= -kFltOverflow));
    return (diff <= bound) | (yd == reference) | overflow | (at::isnan(yd) & at::isnan(reference)) |
           at::isinf(bound);
}

} // namespace tao::numerics
