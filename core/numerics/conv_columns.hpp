#pragma once
// Internal to core/numerics: a 2-d convolution's FP64 reference and its magnitude
// conv(|x|, |w|) from im2col columns of one band of output rows at a time. The magnitude
// is a GEMM over columns of BF16-rounded operands, the rule linear layers use
// (bf16_dot.hpp): oneDNN's FP32 convolution of |x| and |w| took about as long as the
// forward layer itself. The reference is a DGEMM over FP64 columns of the same band,
// built straight from the FP32 input: LibTorch's FP64 convolution wrote all of a layer's
// FP64 columns (up to 15 MB on resnet18) to memory before its DGEMM read them back, and
// needed FP64 copies of the input and the weight besides.
#include <ATen/ATen.h>
#include <cstdint>
#include <vector>

namespace tao::numerics::detail {

struct Conv2dShape {
    std::vector<std::int64_t> stride, padding, dilation; // two values each
    std::int64_t groups = 1;
};

struct ConvReferenceAndMagnitude {
    at::Tensor ref; // FP64 [N, O, outH, outW]
    at::Tensor s32; // FP32, the same shape
};

// For x FP32 [N, C, H, W] and w FP32 [O, C / groups, kh, kw] (the caller has checked that
// groups divide O and C), and bias FP64 [O] or none:
// - ref: the convolution in FP64, plus bias: a DGEMM of the FP64 weight by FP64 im2col
//   columns, as LibTorch's FP64 convolution computes it: the same products, summed in an
//   order BLAS may choose per band (within the FP64 error of another order, which the
//   bound's final margin covers, as for linear layers' panels);
// - s32[n, o, y, x]: the sum over the w.size(1) * kh * kw taps of output channel o of
//   beta(x) beta(w) (bf16_dot.hpp), summed in FP32 in an order oneDNN or BLAS chooses,
//   without bias, to be rounded up as sums of that many non-negative products, times
//   kBf16OperandFactor.
// Both are made from columns of a band of output rows at a time, about `columnElements`
// values each, so the columns stay in the outer caches whatever the image size, and the
// weight is read once for its FP64 and BF16 forms. Where a core is free beside LibTorch's
// threads and the convolution has at least 2^23 multiply-adds, each band's BF16 columns and
// product run on the staging thread (operand_staging.hpp) while the caller builds and
// multiplies the FP64 ones. Throws std::runtime_error when oneDNN refuses a shape.
ConvReferenceAndMagnitude conv2dReferenceAndMagnitude(const at::Tensor& x, const at::Tensor& w,
                                                      const c10::optional<at::Tensor>& bias,
                                                      const Conv2dShape& shape,
                                                      std::int64_t columnElements = 1 << 20);

} // namespace tao::numerics::detail
