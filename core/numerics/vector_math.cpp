#include "core/numerics/vector_math.hpp"

#include <immintrin.h>

// libmvec's entry points under the x86-64 vector function ABI: 'b' takes SSE registers of
// two doubles, 'd' AVX2 registers of four.
extern "C" {
__m128d _ZGVbN2v_exp(__m128d);
__m128d _ZGVbN2v_expm1(__m128d);
__m128d _ZGVbN2v_erf(__m128d);
__m128d _ZGVbN2v_erfc(__m128d);
__m128d _ZGVbN2v_tanh(__m128d);
__m256d _ZGVdN4v_exp(__m256d);
__m256d _ZGVdN4v_expm1(__m256d);
__m256d _ZGVdN4v_erf(__m256d);
__m256d _ZGVdN4v_erfc(__m256d);
__m256d _ZGVdN4v_tanh(__m256d);
}

namespace tao::numerics::detail::vecmath {

namespace {

using Fn = void (*)(const double*, double*);

template <__m128d (*F)(__m128d)> void viaSse2(const double* x, double* y) {
    _mm_storeu_pd(y, F(_mm_loadu_pd(x)));
    _mm_storeu_pd(y + 2, F(_mm_loadu_pd(x + 2)));
}

// The 'd' functions take their argument in an AVX register, so their caller is built for
// AVX2; it runs only where the CPU has it.
template <__m256d (*F)(__m256d)>
__attribute__((target("avx2"))) void viaAvx2(const double* x, double* y) {
    _mm256_storeu_pd(y, F(_mm256_loadu_pd(x)));
}

struct Table {
    Fn exp, expm1, erf, erfc, tanh;
    const char* name;
};

Table pick() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        return {viaAvx2<_ZGVdN4v_exp>,  viaAvx2<_ZGVdN4v_expm1>, viaAvx2<_ZGVdN4v_erf>,
                viaAvx2<_ZGVdN4v_erfc>, viaAvx2<_ZGVdN4v_tanh>,  "avx2"};
    return {viaSse2<_ZGVbN2v_exp>,  viaSse2<_ZGVbN2v_expm1>, viaSse2<_ZGVbN2v_erf>,
            viaSse2<_ZGVbN2v_erfc>, viaSse2<_ZGVbN2v_tanh>,  "sse2"};
}

const Table& table() {
    static const Table t = pick();
    return t;
}

} // namespace

void exp4(const double* x, double* y) {
    table().exp(x, y);
}
void expm1_4(const double* x, double* y) {
    table().expm1(x, y);
}
void erf4(const double* x, double* y) {
    table().erf(x, y);
}
void erfc4(const double* x, double* y) {
    table().erfc(x, y);
}
void tanh4(const double* x, double* y) {
    table().tanh(x, y);
}
const char* implementation() {
    return table().name;
}

} // namespace tao::numerics::detail::vecmath
