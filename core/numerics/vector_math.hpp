#pragma once
// Internal to core/numerics: FP64 math functions of four elements at once, from glibc's
// vector math library (libmvec), picked once at load for the CPU (its AVX2 functions where
// the CPU has AVX2, else its SSE2 ones twice). glibc documents these within 4 ulp of the
// exact result, like its scalar libm within a few; kVerifierU (value_error.hpp) budgets
// for either. Special values are the scalar functions': exp(+inf) = +inf, exp(-inf) = 0,
// expm1(+inf) = +inf, erf(+-inf) = +-1, erfc(+inf) = 0, tanh(+-inf) = +-1, NaN gives NaN.
//
// Arguments are arrays of four doubles, not vector registers, so that callers built for
// any x86-64 target share one calling convention.
namespace tao::numerics::detail::vecmath {

void exp4(const double* x, double* y);
void expm1_4(const double* x, double* y);
void erf4(const double* x, double* y);
void erfc4(const double* x, double* y);
void tanh4(const double* x, double* y);

// "avx2" or "sse2": which of glibc's functions the ones above call on this CPU.
const char* implementation();

} // namespace tao::numerics::detail::vecmath
