#pragma once
// The torch-level form of verification, for committed tensors already in memory (tests,
// benchmarks, the calibration of held-out runs) rather than in a trace bundle.
#include "core/graph/interpreter.hpp"
#include "core/graph/model_error.hpp"
#include "core/numerics/error_metric.hpp"
#include "core/verify/judge_op.hpp"
#include "core/verify/verify.hpp"

namespace tao::verify {

// Verifies operators of `model` whose committed outputs `committed` supplies, on the
// committed model inputs `inputs`. The report's modelId and profileHash are filled in,
// traceRoot is left zero. Throws VerifyError for a profile of another model or
// non-finite inputs, graph::OperationCancelled on cancel.
VerifyReport verifyValues(const std::shared_ptr<graph::Model>& model,
                          const std::vector<c10::IValue>& inputs,
                          const graph::OpOutputSource& committed, const numerics::Profile& profile,
                          const VerifyOptions& options = {});

// The verdict for one operator from its bound and the profile's threshold for it
// (judgeOperator, the one rule; no exceptions).
OpVerdict judgeOp(const graph::OpInfo& info, const numerics::OpBound& bound,
                  const std::vector<at::Tensor>& claimed, const numerics::Profile& profile);

// The reason an operator is NO-BOUND when one of its inputs cannot be rebuilt after an
// in-place write: it is not judged on a value it may not have read, and never passes.
std::string unrebuildableReason(const graph::UnrebuildableRead& e);

// Throws VerifyError naming the input when a floating model input holds NaN or Inf.
void checkFiniteInputs(const graph::Model& model, const std::vector<c10::IValue>& inputs);

} // namespace tao::verify
