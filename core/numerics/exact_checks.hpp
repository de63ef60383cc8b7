#pragma once
// Exact operators whose claims are checked in one pass over input and claim instead of
// being re-executed and compared. LibTorch's max_pool2d computes the index of every
// window's maximum and then drops it: resnet18's one pooling took 4.9 ms of a 32 ms
// verification that way, the forward's own cost, where a check needs each window's
// maximum only.
#include <ATen/ATen.h>
#include <ATen/core/ivalue.h>
#include <vector>

namespace tao::numerics::detail {

// For aten::max_pool2d (a contiguous 4-d FP32 input, dilation 1, no ceil mode, padding at
// most half the window) and aten::relu (a contiguous FP32 input): true when `claim` has the
// operator's output shape, every element equals the operator's result by value (-0 == +0)
// and none is NaN, the rule exactAgreement applies to a re-execution. false also means
// "not shown here" (another kind, another layout or argument, a NaN anywhere): the caller
// then re-executes the operator, which decides. Never throws. `kind` without its in-place
// underscore.
bool agreesWithoutReexecution(const std::string& kind, const std::vector<c10::IValue>& inputs,
                              const at::Tensor& claim);

} // namespace tao::numerics::detail
