#pragma once
// Internal to core/numerics: the magnitude |X||W|^T of a linear layer from BF16 operands
// rounded for an upper bound. CPUs with BF16 dot-product instructions (AVX512-BF16, AMX)
// multiply BF16 pairs exactly into FP32 sums at about three times the FP32 GEMM rate;
// the magnitude is only the bound's scale, so an operand rounding of 2^-8 relative, paid
// back by kBf16OperandFactor, costs the bound under 1 % of its width. Every machine
// computes the same rounded operands (on other CPUs in an FP32 GEMM), so bounds do not
// depend on which CPU a verifier has.
#include <bit>
#include <cstdint>

namespace tao::numerics::detail {

// beta(v) = RNE_bf16(max(|v|, 2^-126)) for v != 0, and 0 for 0: at least (1 - 2^-8)|v|,
// and never a BF16 subnormal, which dot-product instructions flush to zero (DAZ). NaN
// stays NaN and a value rounding past BF16's range becomes +inf, which the bound keeps.
// Branch-free, so conversion loops vectorise.
inline std::uint16_t magnitudeBf16(float v) {
    std::uint32_t u = std::bit_cast<std::uint32_t>(v) & 0x7fffffffu;
    const std::uint32_t least = u == 0 ? 0u : 0x00800000u; // 2^-126 for a subnormal
    u = u < least ? least : u;
    const std::uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;   // ties to even
    return static_cast<std::uint16_t>(u > 0x7f800000u ? 0x7fc0u : rounded); // NaN stays NaN
}

// beta(v) as the FP32 value it represents, for GEMMs on CPUs without BF16 dot products.
inline float magnitudeBf16AsFloat(float v) {
    return std::bit_cast<float>(static_cast<std::uint32_t>(magnitudeBf16(v)) << 16);
}

// For i in [0, n): pd[i] = px[i] in FP64 (unless pd is null), and beta(px[i]) as bits in
// pb (unless null) or as an FP32 value in pf (unless null). The buffers never overlap.
// Runs the widest vector instructions the CPU has (chosen once at load), whatever the
// baseline the library is built for: these loops convert every weight of a model on
// every verification.
void convertForMagnitude(const float* px, std::int64_t n, double* pd, std::uint16_t* pb, float* pf);

// |x||w| <= beta(x) beta(w) / (1 - 2^-8)^2 for every FP32 x, w (the 2^-126 floor only
// raises an operand); (1 + 2^-50) covers this division and the product that applies it.
constexpr double kBf16OperandFactor = (1.0 + 0x1p-50) / ((1.0 - 0x1p-8) * (1.0 - 0x1p-8));

// Whether oneDNN runs BF16 dot products natively here (its effective ISA has AVX512-BF16
// or AMX). TAO_BF16_DOT=0 turns the native path off.
bool hasNativeBf16Dot();

// How the second operand of bf16DotProducts is stored: its n rows of k values (a linear
// layer's weight), or k rows of n values (im2col columns).
enum class Bf16Layout { NByK, KByN };

// c[i * ldc + j] = sum over l < k of a[i * k + l] * b(l, j), for row-major BF16 a [m, k] and
// b(l, j) = b[j * k + l] (NByK) or b[l * n + j] (KByN), accumulated in FP32 by oneDNN (exact BF16
// products; each addition rounded to nearest, or fewer roundings; results and inputs below 2^-126
// flushed to zero). CPUs without native BF16 but with AVX-512 run it in FP32 kernels; below AVX-512
// oneDNN 2.6 has no BF16 product, and it throws std::runtime_error naming the shape (as for any
// refusal). Callers check hasNativeBf16Dot() first.
void bf16DotProducts(const std::uint16_t* a, const std::uint16_t* b, std::int64_t m, std::int64_t n,
                     std::int64_t k, float* c, std::int64_t ldc,
                     Bf16Layout layout = Bf16Layout::NByK);

} // namespace tao::numerics::detail
