#pragma once
// Internal to core/numerics: the error bound of dot-product operators (linear, addmm, the
// matmul family, convolution): |fl(a^T w) - a^T w| <= coef(n) |a|^T |w|, from the
// magnitude |A||B| computed in FP32 and rounded up where the operands allow it.
#include "core/numerics/bound_arith.hpp"

#include <functional>
#include <optional>

namespace tao::numerics::detail {

using Product = std::function<at::Tensor(const at::Tensor&, const at::Tensor&)>;

// An operand as both products need it: its exact FP64 copy (for the reference) and, for an
// FP32 operand, its FP32 absolute value (for the magnitude; undefined otherwise), made in
// one pass. Throws Unsupported as f64() does.
struct DotOperand {
    at::Tensor f64;
    at::Tensor abs32;
};
DotOperand dotOperand(const at::Tensor& t, const char* what);

// coef(n) |mag| plus the underflow terms of n products and additions; +inf where |mag|
// (plus the error of the partial sums) leaves the FP32 range: an honest partial sum or
// product may overflow there, whatever the final value.
at::Tensor dotBound(const at::Tensor& mag, double n, const Ctx& c);

// Sums of `terms` products are short enough for roundUpMagnitude's correction of an FP32
// magnitude (gamma_terms stays far from 1).
bool fp32MagnitudeHolds(double terms);

// s' = product(|a|, |b|) in FP32 (an SGEMM instead of a DGEMM: half the time and half the
// memory) when both operands have an FP32 absolute value and sums of `terms` are short
// enough for the correction of roundUpMagnitude; undefined otherwise.
at::Tensor magnitude32(const Product& product, const DotOperand& a, const DotOperand& b,
                       double terms);

// An upper bound on the exact magnitude |A||B|, whose elements are sums of `terms`
// non-negative products, from its FP32 evaluation s'. abs() of an FP32 value is exact, and
// every evaluation order of a sum of non-negative terms (blocked, FMA or not) computes
// s' >= (1 - gamma_terms) s - terms 2^-126 in IEEE arithmetic (the last term covers
// underflow), so s <= (s' + terms 2^-126) / (1 - gamma_terms); (1 + 2^-50) covers the FP64
// evaluation of that correction. An overflowed s' gives +inf, as an exact magnitude near
// FLT_MAX gives an infinite bound in dotBound. referenceAndBound runs in IEEE mode (no
// flush-to-zero) on the calling thread.
at::Tensor roundUpMagnitude(const at::Tensor& s32, double terms);

// bounded({ref}, {dotBound(scale * M + extra, n, c)}) in one pass over the output, for M
// the magnitude rounded up (roundUpMagnitude) from s32, its FP32 evaluation as sums of
// `terms` non-negative products, times operandFactor (kBf16OperandFactor where the
// operands were rounded before the product). extra (FP64, may be undefined) is a 1-d
// tensor running along ref's dimension extraDim (negative counts from the end: |bias| per
// output feature, or per channel of a convolution), or anything broadcastable to ref.
// c.claim is judged block by block (ClaimJudge); tally only, no bound tensor is made.
OpBound fusedDotBound(const at::Tensor& ref, const at::Tensor& s32, double terms, double scale,
                      const at::Tensor& extra, double n, const Ctx& c, double operandFactor = 1.0,
                      std::int64_t extraDim = -1);

// bounded({ref}, {dotBound(scale * M + extra, n, c)}) for ref = product(a, b) (plus what the
// caller added), M the magnitude product(|a|, |b|): from magnitude32, rounded up, in one
// pass over the output instead of a dozen tensor expressions; else the FP64 product of |a|
// and |b|. extra (FP64, may be undefined) is |bias| along the last dimension, or anything
// broadcastable to ref.
OpBound dotProductBound(const at::Tensor& ref, const Product& product, const DotOperand& a,
                        const DotOperand& b, double terms, double scale, const at::Tensor& extra,
                        double n, const Ctx& c);

// linear(x, weight, bias) for FP32 x and a 2-d FP32 weight [rows, cols] (bias FP64, one
// value per row, or none): the reference and dotProductBound's bound, n its terms, with the
// magnitude from BF16-rounded operands (bf16_dot.hpp: under 1 % wider, a fraction of the
// time of an FP32 GEMM where the CPU has BF16 dot products) and the
// weight converted one panel of about panelElements elements (whole rows) at a time into
// buffers reused across panels. Whole FP64 and |w| copies of a large model's weights are
// 1.5 bytes of freshly touched memory per byte of weight, more time than the bound itself.
// Panels split the output features, never an output's sum of cols terms; BLAS may sum a
// panel's products in another order than the whole product's (an FP64 rounding apart in the
// reference, which the bound's final margin covers; the magnitude's rounding up holds for
// every order). c.claim is judged as in fusedDotBound; tally only (ClaimJudge), each
// panel's reference and magnitude are bounded and judged before the next panel, in buffers
// of the panel's size, so that no tensor of the output's size is made. Where a core is free
// beside LibTorch's threads, each panel's BF16 magnitude and the next panel's reading and
// conversion run on the staging thread (operand_staging.hpp) while the caller computes the
// FP64 product. nullopt where the operands do not qualify (then dotProductBound on whole
// operands applies).
std::optional<OpBound> linearInPanels(const DotOperand& x, const at::Tensor& weight,
                                      const c10::optional<at::Tensor>& bias, double n, const Ctx& c,
                                      std::int64_t panelElements = 1 << 19);

} // namespace tao::numerics::detail
