#pragma once
// Internal to core/numerics: the magnitude conv(|x|, |w|) of a 2-d convolution as a GEMM
// over im2col columns of BF16-rounded operands, the rule linear layers use (bf16_dot.hpp).
// oneDNN's FP32 convolution of |x| and |w| took about as long as the forward layer itself;
// one image's BF16 columns are a copy of taps x the input in two-byte values, and their
// product a fraction of an FP32 one where the CPU has BF16 dot products. (Building the FP64
// reference from FP64 columns the same way measured the same as LibTorch's FP64
// convolution, which is also im2col and DGEMM, so the reference stays LibTorch's.)
#include <ATen/ATen.h>
#include <cstdint>
#include <vector>

namespace tao::numerics::detail {

struct Conv2dShape {
    std::vector<std::int64_t> stride, padding, dilation; // two values each
    std::int64_t groups = 1;
};

// s[n, o, y, x] = the sum over the w.size(1) * kh * kw taps of output channel o of
// beta(x) beta(w) (bf16_dot.hpp), summed in FP32 in an order oneDNN or BLAS chooses: an FP32
// tensor of the convolution's output shape, without bias, to be rounded up as sums of that
// many non-negative products, times kBf16OperandFactor. x is FP32 [N, C, H, W], w FP32
// [O, C / groups, kh, kw]; the caller has checked that groups divide O and C. Columns are
// built for a band of output rows at a time, so the working set stays near
// `columnElements` values whatever the image size. Throws std::runtime_error when oneDNN
// refuses a shape.
at::Tensor conv2dMagnitudeBf16(const at::Tensor& x, const at::Tensor& w, const Conv2dShape& shape,
                               std::int64_t columnElements = 1 << 22);

} // namespace tao::numerics::detail
