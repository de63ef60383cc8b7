#pragma once
// Internal to core/numerics: error bounds of the fast convolution algorithms an honest
// library may pick instead of a direct/GEMM convolution (docs/numerics.md, "Winograd and
// FFT convolutions"): Winograd F(m x m, r x r) and FFT convolution, both computed in FP32.
// Their errors are not bounded by the dot-product bound gamma_n |w|^T |x|: the transforms
// mix every element of an input tile (or of the whole image) into every output, so an
// output far from a large input still carries a share of its rounding error.
#include "core/numerics/bound_arith.hpp"

#include <vector>

namespace tao::numerics::detail {

// Toom-Cook matrices of the 1-D minimal filtering algorithm F(m, r):
//   y = AT [(G g) .* (BT d)],  d: m + r - 1 inputs, g: r taps, y: m outputs (correlation),
// generated from the finite points 0, 1, -1, 2, -2, 1/2, -1/2 (the first m + r - 2 of
// them) and the point at infinity. FP64, exact except the 1/f_i entries of G (rounded
// once in FP64). The 2-D algorithm nests them: Y = AT [(G g GT) .* (BT d B)] A.
struct WinogradMatrices {
    int m = 0, r = 0;
    at::Tensor AT; // m x alpha
    at::Tensor G;  // alpha x r
    at::Tensor BT; // alpha x alpha
};
WinogradMatrices winogradMatrices(int m, int r);
// The finite points in the order they are taken (7 of them: alpha <= 8).
const std::vector<double>& winogradPoints();

// The Winograd variants an honest library may use for an r x r kernel: F(2,3), F(4,3),
// F(6,3) for r = 3, F(2,5), F(4,5) for r = 5; none otherwise.
std::vector<int> winogradTileSizes(int r);

// Bound on |y - conv(x, w) - b| for a stride-1, dilation-1 2-D convolution of the already
// padded input x (N, C, H, W) with square kernels w (O, C/groups, r, r), evaluated by
// Winograd F(m x m, r x r) in FP32 with output tiles aligned at the output's origin.
// x, w, b are FP64 copies of the FP32 operands; the result has the convolution's shape.
at::Tensor winogradConvBound(const Ctx& c, const at::Tensor& x, const at::Tensor& w,
                             const c10::optional<at::Tensor>& b, std::int64_t groups, int m);

// Bound on |y - conv(x, w) - b| for a stride-1 convolution (1-3 spatial dims, any dilation)
// of the already padded input x evaluated by FFT convolution in FP32 (whole-image or tiled,
// radix-2 stages, real or complex transforms). ref: the exact result (for the last
// roundings); the bound is uniform over each (sample, output channel) plane.
at::Tensor fftConvBound(const Ctx& c, const at::Tensor& x, const at::Tensor& w,
                        const c10::optional<at::Tensor>& b,
                        const std::vector<std::int64_t>& dilation, std::int64_t groups,
                        const at::Tensor& ref);

// The element-wise maximum of the bounds of every fast algorithm an honest library may
// pick for a stride-1 convolution of the padded input x: Winograd for 2-D 3x3 and 5x5
// kernels with dilation 1, FFT for every stride-1 convolution. ref: the exact result.
at::Tensor fastConvBound(const Ctx& c, const at::Tensor& x, const at::Tensor& w,
                         const c10::optional<at::Tensor>& b,
                         const std::vector<std::int64_t>& dilation, std::int64_t groups,
                         const at::Tensor& ref);

} // namespace tao::numerics::detail
