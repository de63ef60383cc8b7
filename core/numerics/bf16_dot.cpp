#include "core/numerics/bf16_dot.hpp"

#include <cstdlib>
#include <oneapi/dnnl/dnnl.hpp>
#include <stdexcept>
#include <string>

namespace tao::numerics::detail {

namespace {
const dnnl::engine& cpuEngine() {
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

bool nativeBf16Isa() {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);
    return (isa & bf16) == bf16;
}
} // namespace

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void
convertForMagnitude(const float* px, std::int64_t n, double* pd, std::uint16_t* pb, float* pf) {
    if (pd && pb && !pf) {
        // One pass: the weights come from memory once (the second pass re-read them
        // from the outer caches, a fifth of the conversion's time).
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i) {
            pd[i] = px[i];
            pb[i] = magnitudeBf16(px[i]);
        }
        return;
    }
    if (pd) {
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i)
            pd[i] = px[i];
    }
    if (pb) {
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i)
            pb[i] = magnitudeBf16(px[i]);
    }
    if (pf) {
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i)
            pf[i] = magnitudeBf16AsFloat(px[i]);
    }
}

bool hasNativeBf16Dot() {
    static const bool native = [] {
        const char* env = std::getenv("TAO_BF16_DOT");
        if (env && std::string(env) == "0") return false;
        try {
            return nativeBf16Isa();
        } catch (const dnnl::error&) {
            return false;
        }
    }();
    return native;
}

void bf16DotProducts(const std::uint16_t* a, const std::uint16_t* b, std::int64_t m, std::int64_t n,
                     std::int64_t k, float* c, std::int64_t ldc, Bf16Layout layout) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        for (std::int64_t i = 0; i < m; ++i)
            for (std::int64_t j = 0; j < n; ++j)
                c[i * ldc + j] = 0.0f;
        return;
    }
    using dt = dnnl::memory::data_type;
    using dims = dnnl::memory::dims;
    try {
        const auto& engine = cpuEngine();
        const dnnl::memory::desc aDesc({m, k}, dt::bf16, dims{k, 1});
        const dnnl::memory::desc bDesc({k, n}, dt::bf16,
                                       layout == Bf16Layout::NByK ? dims{1, k} : dims{n, 1});
        const dnnl::memory::desc cDesc({m, n}, dt::f32, dims{ldc, 1});
        // oneDNN's primitive cache makes a repeated shape's creation a lookup.
        const dnnl::matmul product(
            dnnl::matmul::primitive_desc(dnnl::matmul::desc(aDesc, bDesc, cDesc), engine));
        dnnl::memory aMem(aDesc, engine, const_cast<std::uint16_t*>(a));
        dnnl::memory bMem(bDesc, engine, const_cast<std::uint16_t*>(b));
        dnnl::memory cMem(cDesc, engine, c);
        dnnl::stream stream(engine);
        product.execute(stream,
                        {{DNNL_ARG_SRC, aMem}, {DNNL_ARG_WEIGHTS, bMem}, {DNNL_ARG_DST, cMem}});
        stream.wait();
    } catch (const dnnl::error& e) {
        throw std::runtime_error("BF16 magnitude product [" + std::to_string(m) + ", " +
                                 std::to_string(k) + "] x [" + std::to_string(k) + ", " +
                                 std::to_string(n) + "]: oneDNN failed: " + e.what());
    }
}

} // namespace tao::numerics::detail
