#pragma once
// The one verdict rule for one operator, shared by `tao verify` (verify.cpp), the
// challenger and the committee (core/dispute/op_checker.cpp), so that no two of them can
// disagree on the same committed tensors.
//
// Given the operator's sound bound, its claimed outputs and its empirical threshold (in the
// profile metric max |y - r| / b; absent when the profile holds no samples for the op):
//   FAIL      the claim is wrong whatever the threshold: output count or shape differs, a
//             NaN/Inf no honest FP32 run can produce, a finite value for an exact infinity
//             (numerics::measureOpError), or max |y - r| / b > 1 on some element;
//   NO-BOUND  the operator kind has no bound, or some output elements have none (bound
//             +inf: non-finite inputs, possible intermediate overflow, ill-conditioning).
//             Such elements carry no guarantee, so the operator is never PASS; the reason
//             gives the count;
//   SUSPECT   within the bound everywhere but beyond the threshold, or no threshold;
//   PASS      within the threshold on every element, each of which has a bound.
// FAIL takes precedence over NO-BOUND: an element provably wrong decides on its own.
#include "core/numerics/error_metric.hpp"
#include "core/verify/verdict.hpp"

#include <optional>
#include <vector>

namespace tao::verify {

// Fills verdict, reason and the error fields of an OpVerdict; op, kind and scope are left
// for the caller. Never throws for bad claims (they are FAIL).
OpVerdict judgeOperator(const numerics::OpBound& bound, const std::vector<at::Tensor>& claimed,
                        std::optional<double> threshold);

// The same rule on an error already measured (numerics::measureOpError, or
// numerics::exactAgreement for an exact operator); boundReason is the bound's note, quoted
// when some elements have no bound.
OpVerdict judgeMeasured(const numerics::OpError& err, const std::string& boundReason,
                        std::optional<double> threshold);

} // namespace tao::verify
