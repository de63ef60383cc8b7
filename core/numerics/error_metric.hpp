#pragma once
// One operator's claimed outputs measured against its FP64 reference and sound bound, in
// the metric threshold profiles use (see calibration_profile.hpp for why this metric).
#include "core/graph/interpreter.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/numerics/op_bound.hpp"

namespace tao::numerics {

struct OpError {
    double metric = 0;          // max |y - r| / b over elements with a finite bound (0 if none)
    double maxAbs = 0;          // max |y - r| over the same elements (finite claims only)
    double maxBound = 0;        // largest finite bound
    std::int64_t elements = 0;  // output elements in all
    std::int64_t unbounded = 0; // elements whose bound is +inf: no numeric guarantee, so the
                                // claim there is neither accepted nor refuted
    std::string failure;        // set when the claim is wrong regardless of any threshold:
                                // output count, shape or known dtype (OpBound::dtypes)
                                // differs, NaN/Inf that no honest run
                                // can produce, or a finite value where an exact infinity is
};

// Element rule, over elements with a finite bound b around the reference r:
//   - y finite, r finite: ratio |y - r| / b (0 when equal);
//   - y == r (matching infinities of exact results): ratio 0;
//   - y = +inf where r + b >= kFltOverflow, or -inf where r - b <= -kFltOverflow (an honest
//     FP32 result may round to that infinity): ratio max(0, kFltOverflow - |r|) / b, the
//     least deviation that claim implies;
//   - anything else (NaN, an infinity the bound does not reach, a finite value for an
//     exact infinity): `failure`.
// `claimed`: the outputs flattened (graph::flattenTensors). `elements`, when given,
// receives the ratio of every element with a finite bound. FP32 claims are measured in one
// fused pass per output; `MeasureRule::Tensors` evaluates the same rule as tensor
// expressions instead (the reference implementation the fused pass is tested against; a
// dozen FP64 temporaries of the output's size). A bound kept as a tally only
// (OpBound::tallyOnly()) is measured only against the claims it was judged against, with
// the fused rule and without `elements`; anything else throws std::invalid_argument.
enum class MeasureRule { Fused, Tensors };
OpError measureOpError(const OpBound& bound, const std::vector<at::Tensor>& claimed,
                       LogHistogram* elements = nullptr, MeasureRule rule = MeasureRule::Fused);

// measureOpError(referenceAndBound(kind, inputs, params), claimed) for an exact operator
// whose claims equal its re-execution (exactOutputs) bit for bit, in count, shape and dtype,
// and hold no NaN: every element's error is 0. It reads each claim once instead of making
// FP64 copies. nullopt whenever that does not hold (another kind, any differing element, a
// NaN): the caller then takes the general path, which measures and words the difference.
std::optional<OpError> exactAgreement(std::string_view kind, const std::vector<c10::IValue>& inputs,
                                      const std::vector<at::Tensor>& claimed,
                                      const BoundParams& params);

// referenceAndBound() for operator `op` on `inputs`, plus one rule of our own: an operator
// numerics has no bound for whose outputs are all integral or boolean (shape arithmetic,
// comparisons, arange, ...) is exact. Such results involve no rounding, so every correct
// implementation returns the same values; the reference is a re-execution here.
// `claimed`, when given, is passed on to referenceAndBound to be judged in the bound's own
// pass (OpBound::judged), keeping what `retain` says.
OpBound boundForOp(graph::Interpreter& interp, std::uint32_t op,
                   const std::vector<c10::IValue>& inputs, const BoundParams& params,
                   const std::vector<at::Tensor>& claimed = {}, Retain retain = Retain::Tensors);

// Normwise relative difference max |y - c| / max(max |c|, FLT_MIN) over all outputs, +inf
// when counts or shapes differ or a difference is not finite (matching infinities and
// NaN pairs agree).
double segmentError(const std::vector<at::Tensor>& replayed,
                    const std::vector<at::Tensor>& committed);

BoundParams boundParamsOf(const BoundSettings& s);
std::vector<at::Tensor> flattenOutputs(const std::vector<c10::IValue>& values);
// "bounded", "exact", "no-bound"
std::string statusName(BoundStatus s);

} // namespace tao::numerics
