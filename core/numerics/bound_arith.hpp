#pragma once
// Internal to core/numerics: the bound arithmetic shared by the operator families.
//
// A VE pairs an FP64 value v (the exact result of a sub-expression, up to the verifier's
// FP64 error) with e, a bound on |computed FP32 value - v| for any implementation that
// evaluates the same expression with FP32 roundings. Every rounding adds u * (|v| + e)
// (the rounded quantity is within e of v) and an absolute tiny term for underflow/FTZ.
// Range: the primitives below guard their *operands*, not their results. An operand that
// may have left the FP32 range (|v| + e > FLT_MAX) is taken with e = +inf, since an honest
// implementation may then carry inf/NaN into the rest of the formula. The final result of
// an operator is left unguarded: when it may overflow, its finite bound reaches
// kFltOverflow and the acceptance rule (op_bound.hpp) allows a claimed infinity there.
// An exact infinity (v = +-inf with e = 0, e.g. x + (-inf)) propagates with e = 0: IEEE
// arithmetic on it is exact, so the FP32 result is the same infinity (or NaN, which the
// FP64 reference then is too).
#include "core/numerics/math_allowance.hpp"
#include "core/numerics/op_bound.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
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

constexpr double kFltMax = 3.4028234663852886e38;
// Absolute error of one rounding in the underflow range: 2^-126 covers gradual underflow
// (half a subnormal ulp) and flush-to-zero of results alike.
constexpr double kTiny = 0x1p-126;
// The verifier's FP64 evaluation follows the same expression with unit roundoff 2^-53 and
// FP64 libm within a few ulp; adding 2^-50 to u budgets for it (gamma is superadditive).
constexpr double kVerifierU = 0x1p-50;

struct Ctx {
    BoundParams params;
    double u = 0; // params.u + kVerifierU
    explicit Ctx(const BoundParams& p)
        : params(p)
        , u(p.u + kVerifierU) {}
    // Relative allowance of a math function: (2k + 1) u with k = margin * max(doc, measured).
    double eps(MathFn fn) const;
    // gamma_n = n u / (1 - n u); +inf when n u >= 1 (no bound).
    double gamma(double n) const { return gammaFor(n, u); }
    static double gammaFor(double n, double unit);
    // Relative coefficient of a length-n dot product / matmul / conv (n counts the extra
    // roundings of scaling and bias). FP32: gamma_n. TF32: inputs rounded to 10 explicit
    // bits (2^-10 covers truncation as well as rounding) and non-IEEE tensor-core
    // accumulation (2u inside gamma): (1 + 2^-10)^2 (1 + gamma_n(2u)) - 1.
    double dotCoefficient(double n) const;
};

struct VE {
    at::Tensor v; // FP64
    at::Tensor e; // FP64, >= 0 (may be +inf)
};

VE leaf(const at::Tensor& x64);                // exact input
VE constant(double c, const at::Tensor& like); // scalar as the FP32 kernel sees it
VE rounded(const Ctx& c, const at::Tensor& v, const at::Tensor& e); // one more rounding
// An intermediate as a later step sees it: e = +inf where it may have overflowed in FP32.
VE inRange(const VE& x);
// m * e with 0 where e == 0, so an exact operand never turns an infinite magnitude into NaN.
at::Tensor scaledErr(const at::Tensor& m, const at::Tensor& e);
VE add(const Ctx& c, const VE& a, const VE& b);
VE sub(const Ctx& c, const VE& a, const VE& b);
VE mul(const Ctx& c, const VE& a, const VE& b);
VE div(const Ctx& c, const VE& a, const VE& b);
VE expVE(const Ctx& c, const VE& x, double eps);
VE logVE(const Ctx& c, const VE& x, double eps);
VE sqrtVE(const Ctx& c, const VE& x, double eps);
VE rsqrtVE(const Ctx& c, const VE& x, double eps);
VE tanhVE(const Ctx& c, const VE& x, double eps);
VE erfVE(const Ctx& c, const VE& x, double eps);
VE expm1VE(const Ctx& c, const VE& x, double eps);
VE log1pVE(const Ctx& c, const VE& x, double eps);
// clamp(x, lo, hi) is exact on its computed operand and 1-Lipschitz: the error passes
// through, and vanishes where the whole interval [v - e, v + e] lies beyond a limit.
VE clampVE(const VE& x, double lo, double hi);
// tanh and sigmoid of a computed operand by every formula an honest kernel uses (the math
// library's tanhf, (1 - e^-2|x|)/(1 + e^-2|x|), 1/(1 + e^-x), e^x/(1 + e^x),
// 0.5 + 0.5 tanh(x/2)): the element-wise maximum of their bounds (elementwise_bounds.cpp).
// The recurrent cells (linear_bounds.cpp) apply them to gate pre-activations.
VE tanhAny(const Ctx& c, const VE& x);
VE sigmoidAny(const Ctx& c, const VE& x);
// Element-wise max of the error bounds of several evaluation formulas of the same value:
// sound for an implementation using any one of them.
at::Tensor maxErr(std::initializer_list<at::Tensor> es);

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
// One element's final bound under those rules, from its reference r and bound b (FP64).
inline double finalElementBound(double r, double b) {
    const double bi = b * (1.0 + 0x1p-20);
    // A finite reference keeps its finite bound even where |r| + b reaches the overflow
    // range: the acceptance rule then allows the matching infinity (op_bound.hpp). An
    // infinite reference is only bounded when exact (b == 0); NaN never is.
    const bool ok = std::isfinite(bi) && (std::isfinite(r) || (std::isinf(r) && bi == 0));
    return ok ? bi : std::numeric_limits<double>::infinity();
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
