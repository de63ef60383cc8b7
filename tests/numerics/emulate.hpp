#pragma once
// FP32 evaluation orders that a correct implementation may use, emulated with FP32 tensor
// operations (every tensor op rounds once, so an elementwise FP32 add is one IEEE addition)
// and, for fused multiply-add, an FP64 product and sum rounded once to FP32 (exact: the
// product of two FP32 values fits in FP64).
#include <ATen/ATen.h>
#include <random>

namespace tao::test {

enum class Order {
    Sequential,    // one running sum over a random permutation of the terms
    SequentialFma, // the same with fused multiply-add
    Pairwise,      // a balanced tree over a random permutation
    Blocked,       // split-K: random block size, sequential blocks, partials in random order
    BlockedFma,    // the same with fused multiply-add inside blocks
};
inline constexpr Order kAllOrders[] = {Order::Sequential, Order::SequentialFma, Order::Pairwise,
                                       Order::Blocked, Order::BlockedFma};
const char* orderName(Order o);

// A (M x K) @ B (K x N), FP32 in, FP32 out, in the given order. Pairwise materialises
// M*N*K products, so keep that product moderate.
at::Tensor emulatedMatmul(const at::Tensor& a, const at::Tensor& b, Order o, std::mt19937& rng);

// Sum over the last dimension of x (R x n FP32) in the given order (FMA orders = plain).
at::Tensor emulatedSum(const at::Tensor& x, Order o, std::mt19937& rng);

// Rounds FP32 values to TF32 (10 explicit mantissa bits), to nearest even or by truncation.
at::Tensor roundTf32(const at::Tensor& x, bool truncate);

} // namespace tao::test
