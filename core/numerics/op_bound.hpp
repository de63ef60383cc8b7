#pragma once
// Sound element-wise error bounds for one operator of an FP32 inference run.
//
// A provider claims FP32 outputs y of one operator computed from committed FP32 inputs.
// referenceAndBound() recomputes the operator in FP64 from the same inputs (reference r)
// and returns an absolute bound b, element by element, such that |y - r| <= b holds for
// every correct FP32 implementation of the operator:
//   - any summation order or tree (sequential, pairwise, blocked, split-K, atomics),
//   - with or without fused multiply-add, any thread count, oneDNN or not,
//   - math functions within max(documented, measured) ulp times BoundParams::mathUlpMargin
//     (see math_allowance.hpp),
//   - gradual underflow or flush-to-zero of results (an absolute 2^-126 per rounding),
// plus the verifier's own FP64 rounding error (folded into a slightly larger unit roundoff).
// Inputs are taken as exact: the bound covers only the operator's own roundings.
//
// Convolutions: direct and GEMM-based algorithms (im2col, implicit GEMM, oneDNN direct),
// and, when BoundParams::fastConvolution is set, Winograd F(2,3), F(4,3), F(6,3), F(2,5),
// F(4,5) (2-D, stride 1, dilation 1, 3x3 or 5x5 kernels, Toom-Cook points 0, +-1, +-2,
// +-1/2 in any scaling) and FFT convolution (stride 1, radix-2 transforms) as well: the
// bound is then the maximum over every algorithm the library may pick for the layer
// (docs/numerics.md, "Winograd and FFT convolutions").
//
// Not covered (the bound may be violated by): Winograd/FFT convolutions unless
// BoundParams::fastConvolution is set, and Winograd variants with other points or larger
// tiles, Winograd for strided or dilated layers, and FFTs of radices other than powers of
// two; fast-math approximations (__expf, tanh.approx, rsqrtps without a Newton step),
// reduced-precision (FP16/BF16) accumulation, and, unless BoundParams::tf32 is set,
// TF32 tensor-core arithmetic, and unless BoundParams::flushDenormal is set,
// denormals-are-zero treatment of inputs.
//
// Denormals-are-zero (flushDenormal): an honest provider may read any subnormal input as
// zero (with the same sign) and flush any subnormal result. The op is then bounded twice,
// on the inputs as committed (r1, b1) and with subnormal inputs zeroed (r2, b2); the claim
// must lie in one of the two intervals, so the bound around r1 is max(b1, |r2 - r1| + b2),
// plus 2^-126 wherever the result itself may be subnormal (an exact op's flushed result).
//
// Overflow of the result: b bounds the deviation before the final rounding as well, so an
// honest FP32 result can only be +inf where r + b >= kFltOverflow (and -inf where
// r - b <= -kFltOverflow); such elements keep their finite bound and the acceptance rule
// (withinBound, measureOpError) allows exactly that infinity there. add(finfo.min,
// finfo.min) thus has a finite bound and accepts -inf, while a claimed infinity far from
// the overflow range is refuted.
//
// No guarantee: an element gets bound = +infinity when its reference is NaN, when an input
// it depends on is not finite (unless the result is an exact infinity, below), or when an
// intermediate of an honest FP32 evaluation may overflow (a partial sum, |A||B|, ...) so
// that the result may be inf/NaN whatever its exact value. Such elements carry no numeric
// guarantee: withinBound() does not refute any claim there, and core/verify never passes an
// operator that has them (its verdict is NO-BOUND). An exact infinity (x + (-inf), and
// every infinity an Exact operator passes through) has bound 0: the claim must equal it.
#include "core/numerics/claim_tally.hpp"

#include <ATen/ATen.h>
#include <ATen/core/ivalue.h>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tao::numerics {

struct BoundParams {
    double u = 0x1p-24;         // FP32 unit roundoff
    bool tf32 = false;          // matmul/conv inputs may be TF32-rounded on the provider
    double mathUlpMargin = 2.0; // factor on documented/measured math-library ulp allowances
    bool flushDenormal = false; // subnormal inputs and results may be flushed to zero
    // Convolutions may use Winograd or FFT algorithms (the library picks per layer).
    bool fastConvolution = false;
    // Row-wise kinds (layer_norm, softmax) on FP32 inputs evaluate their formulas in one
    // pass per row; false takes the same formulas as tensor expressions (equal up to FP64
    // rounding; tests compare the two).
    bool fusedRows = true;
    // 2-d convolutions of FP32 operands take the magnitude |x||w| as a GEMM of BF16-rounded
    // operands over im2col columns (under 1 % wider, as for linear layers) and the bound in
    // one pass; false takes oneDNN's FP32 convolution of |x| and |w| and tensor expressions
    // (tests compare the two).
    bool convolutionColumns = true;
};

enum class BoundStatus {
    Bounded, // bound holds element-wise as described above
    Exact,   // the only correct FP32 result is the reference (bound 0 where it is finite)
    NoBound, // not supported: reason says why; reference and bound are empty
};

// A claim judged against an operator's only output while its reference and bound were
// computed (referenceAndBound given the claim): the tally measureOpError's own pass over
// those tensors would make. It stands for that pass only while the claim, reference and
// bound are the very tensors it was made from, unmodified (matches); holding them keeps
// their identity from being reused.
struct JudgedClaim {
    ClaimTally tally;
    at::Tensor claim, reference, bound;
    std::int64_t versions[3] = {0, 0, 0};
    bool matches(const at::Tensor& claimNow, const at::Tensor& referenceNow,
                 const at::Tensor& boundNow) const;
};

struct OpBound {
    BoundStatus status = BoundStatus::NoBound;
    // NoBound: why (unknown kind, unsupported argument, non-FP32 dtype, ...).
    // Bounded: empty, or a note such as how many elements got an infinite bound.
    std::string reason;
    std::vector<at::Tensor> reference; // FP64, one per tensor output, same shapes as the outputs
    std::vector<at::Tensor> bound;     // FP64 absolute bound on |y - r|, same shapes
    // Per output, the dtype every correct implementation returns (float32 for operators
    // with an FP32 input, the registry's result for exact ones); empty when not known.
    std::vector<at::ScalarType> dtypes;
    // Recurrent kinds only (lstm, gru, rnn_*): the bound given the claimed outputs. The
    // committed output sequence holds every step's state, so each step is bounded from the
    // claimed previous state, which an honest run computed from exactly (docs/numerics.md).
    // measureOpError uses it when the claimed outputs have the right count and shapes.
    std::function<OpBound(const std::vector<at::Tensor>& claimed)> givenClaims;
    // Set where a kernel judged the claim given to referenceAndBound in its own pass.
    std::optional<JudgedClaim> judged;
    // True where referenceAndBound (Retain::Tally) kept only `judged`: reference and bound
    // are then meta tensors, shapes without data.
    bool tallyOnly() const { return !reference.empty() && reference.front().is_meta(); }
};

// What referenceAndBound keeps of an output whose claim a kernel judged in its own pass.
//   Tensors: the FP64 reference and bound, whole.
//   Tally: only the tally (OpBound::judged; OpBound::tallyOnly()): the kernels then work a
//     block, a row or a panel of output features at a time, and the output's FP64 tensors
//     never exist whole (GPT-2's head: 2 x 51 MB at sequence 128, 2 x 411 MB at 1024).
//     Where no kernel judges the claim, or it is wrong somewhere (NaN, an infinity no
//     honest run produces), the tensors are kept as with Tensors, so that measureOpError
//     can word the failure. measureOpError must be given the same claims.
enum class Retain { Tensors, Tally };

// kind: the JIT schema name, e.g. "aten::linear", "aten::_convolution", "aten::softmax".
// An in-place variant ("aten::relu_", "aten::add_") is bounded as its out-of-place form;
// the inputs are never modified.
// inputs: what the TorchScript interpreter holds on the stack for the node, in schema
// argument order (FP32 tensors, plus ints, doubles, bools, lists, None, strings).
// Never throws for bad input: malformed arguments give NoBound with the reason.
OpBound referenceAndBound(std::string_view kind, const std::vector<c10::IValue>& inputs,
                          const BoundParams& params = {});
// The same, given the operator's claimed outputs (flattened): where the operator has one
// output, claimed as a contiguous FP32 tensor, and its bound comes from a fused kernel,
// the kernel judges the claim block by block while its results are in cache, and
// OpBound::judged holds the tally (what measureOpError then takes instead of reading the
// tensors again). Bounds and references are the same as without the claim; with
// Retain::Tally only the tally is kept where it can be (see Retain).
OpBound referenceAndBound(std::string_view kind, const std::vector<c10::IValue>& inputs,
                          const BoundParams& params, const std::vector<at::Tensor>& claimed,
                          Retain retain = Retain::Tensors);

// The outputs of an operator whose every correct result is exact and is re-executed here
// (referenceAndBound gives it BoundStatus::Exact: views, copies, selections, integer
// arithmetic), in their own dtypes and without the FP64 reference and bound; nullopt for
// every other kind, for dropout, where params model flushed denormals on floating inputs,
// and when the operator fails on these inputs.
std::optional<std::vector<at::Tensor>> exactOutputs(std::string_view kind,
                                                    const std::vector<c10::IValue>& inputs,
                                                    const BoundParams& params = {});

// For the exact operators detail::agreesWithoutReexecution knows (max_pool2d, relu), under
// the conditions exactOutputs re-executes them: true when `claim`, the operator's one
// output, equals that re-execution's by value and holds no NaN, found in one pass without
// it; false means not shown (re-execute to decide).
bool exactClaimAgrees(std::string_view kind, const std::vector<c10::IValue>& inputs,
                      const at::Tensor& claim, const BoundParams& params = {});

// True when referenceAndBound() can return something other than NoBound for the kind.
bool hasBound(std::string_view kind);

// Every supported kind, sorted.
std::vector<std::string> supportedKinds();

// Element-wise consistency with the bound: |y - reference| <= bound, or y equals the
// reference (this covers matching exact infinities), or y is the infinity an overflow
// within the bound reaches (see above), or both are NaN, or the bound is +infinity (no
// guarantee, so nothing to refute; the verdict rule in core/verify still never passes it).
// y may be any floating dtype; the result is a bool tensor of the reference's shape.
at::Tensor withinBound(const at::Tensor& y, const at::Tensor& reference, const at::Tensor& bound);

// Fused attention softmax(scale * Q K^T + mask) V, bounded by composing the matmul, softmax
// and matmul bounds (this LibTorch has no aten::scaled_dot_product_attention; the kind is
// nevertheless registered with the later schema (query, key, value, attn_mask, dropout_p,
// is_causal, scale)). Q: (..., L, d), K: (..., S, d), V: (..., S, dv). mask: optional, bool
// (true = keep) or additive float broadcastable to (..., L, S). scale defaults to 1/sqrt(d).
// Covers the unfused math path and FlashAttention-style online softmax (normalisation after
// PV, up to two rescalings per element); P must stay FP32 (no FP16/BF16 cast).
OpBound attentionBound(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                       const std::optional<at::Tensor>& mask, bool causal,
                       std::optional<double> scale, const BoundParams& params = {});

} // namespace tao::numerics
