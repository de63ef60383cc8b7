#pragma once
// Accuracy allowances for FP32 math functions, in ulp of the result.
//
// documented: the larger of CUDA's published FP32 maxima (CUDA Programming Guide,
// "Mathematical Functions") and the accuracy class of the SLEEF routines LibTorch's
// vectorised CPU kernels call (_u10 = 1.0 ulp). These are tested figures, not proofs.
// measured: the largest error of this machine's LibTorch 1.13.1 CPU kernels against FP64,
// from tests/numerics/measure_ulp.cpp (see the numbers below for the sweep used).
// The bound uses k = mathUlpMargin * max(documented, measured) and a relative allowance
// eps = (2k + 1) * u, since a result within k ulp of the correctly rounded value is within
// (k + 0.5) * 2^-23 relative of the exact value.
namespace tao::numerics {

enum class MathFn {
    Exp,
    Log,
    Tanh,
    Sigmoid,
    Erf,
    Erfc,
    Rsqrt,
    Sqrt,
    Silu,
    Pow,
    Expm1,
    Log1p,
    Sin,
    Cos,
    Count
};

struct MathAllowance {
    const char* name;
    double documentedUlp;
    double measuredUlp;
};

// Measured with measure_ulp --stride 61 (83,611,044 FP32 bit patterns spread over all
// signs, exponents and mantissas; one thread; AVX2 kernels) on LibTorch 1.13.1 CPU:
//   exp 0.973, log 0.628, tanh 1.000, sigmoid 2.324, erf 1.096, rsqrt 1.490, sqrt 0.500
//   (normal-range results; every subnormal-range result was within 2.94e-39 absolute,
//   i.e. inside the 2^-126 underflow term).
//   silu: relative error is meaningless where x/(1+e^-x) underflows (x < -88: result -0
//   for an exact value of ~1e-38); in u|x| units it is 1.968. Its bound composes exp.
//   gelu (erf form): 4.999 u|x|; gelu (tanh form): 1.949 u|x| (relative error unbounded
//   for x << 0: 1 + erf(x/sqrt 2) cancels).
//   expm1 1.000, log1p 1.000, sin 0.867 (worst at x = 1.15e11: full-range reduction holds),
//   cos 0.931, erfc 1.245 (same sweep). log1p's vectorised kernel returns +inf for
//   x >~ 1e38 (250,902 such inputs) where the exact result is ~88; the only bounded use of
//   log1p (softplus) applies it to exp(beta x) <= e^threshold, far below that range.
inline constexpr MathAllowance kMathAllowance[] = {
    {"exp", 2.0, 0.973},     // CUDA expf 2; SLEEF expf_u10 1
    {"log", 1.0, 0.628},     // CUDA logf 1; SLEEF logf_u10 1
    {"tanh", 2.0, 1.000},    // CUDA tanhf 2; SLEEF tanhf_u10 1
    {"sigmoid", 3.0, 2.324}, // no published figure: exp (2) + add and divide, as a budget
    {"erf", 2.0, 1.096},     // CUDA erff 2; LibTorch CPU uses its own polynomial
    {"erfc", 4.0, 1.245},    // CUDA erfcf 4 (GELU as 0.5 x erfc(-x/sqrt 2))
    {"rsqrt", 2.0, 1.490},   // CUDA rsqrtf 2; LibTorch CPU computes 1/sqrt(x)
    {"sqrt", 0.0, 0.500},    // IEEE sqrt is correctly rounded
    {"silu", 4.0, 0.0},      // x * sigmoid(x): sigmoid's budget plus one multiply
    {"pow", 4.0, 0.0},       // CUDA powf 4
    {"expm1", 1.0, 1.000},   // CUDA expm1f 1; SLEEF expm1f_u10 1 (elu)
    {"log1p", 1.0, 1.000},   // CUDA log1pf 1; SLEEF log1pf_u10 1 (softplus)
    {"sin", 2.0, 0.867},     // CUDA sinf 2 (full range, slow path for large |x|); SLEEF sinf_u10 1
    {"cos", 2.0, 0.931},     // CUDA cosf 2; SLEEF cosf_u10 1
};
static_assert(sizeof(kMathAllowance) / sizeof(kMathAllowance[0]) == static_cast<int>(MathFn::Count),
              "one allowance per MathFn");

// GELU's error is absolute in |x| (relative error is unbounded for x << 0): largest
// |y - r| / (u |x|) measured for LibTorch's FP32 kernels, erf form and tanh form.
inline constexpr double kMeasuredGeluPerAbsX = 4.999;
inline constexpr double kMeasuredGeluTanhPerAbsX = 1.949;

inline constexpr const MathAllowance& mathAllowance(MathFn fn) {
    return kMathAllowance[static_cast<int>(fn)];
}

} // namespace tao::numerics
