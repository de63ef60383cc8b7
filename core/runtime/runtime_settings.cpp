#include "core/runtime/runtime_settings.hpp"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <fstream>
#include <stdexcept>
#include <torch/cuda.h>
#include <torch/version.h>
#if defined(__x86_64__) || defined(__i386__)
#include <pmmintrin.h> // _MM_DENORMALS_ZERO_MASK (and xmmintrin.h)
#endif

namespace tao::runtime {

namespace {
// The BLAS library actually mapped into this process (LibTorch calls whatever
// libblas.so.3 points to; the reference BLAS is ~60x slower than OpenBLAS).
std::string loadedBlas() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        auto slash = line.find('/');
        if (slash == std::string::npos) continue;
        auto path = line.substr(slash);
        if (path.find("libblas") != std::string::npos || path.find("openblas") != std::string::npos)
            return path;
    }
    return "unknown";
}

// LibTorch sets its own and OpenMP's thread counts but not OpenBLAS's, whose pool
// starts one thread per core: a "1-thread" run then ran BLAS on every core, and its
// idle workers spin on sched_yield, taking the core a capture hashes on. Found
// through the symbol, since libblas.so.3 may be OpenBLAS or another BLAS.
void setBlasThreads(int threads) {
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(threads);
}

// The kernel set OpenBLAS chose for this CPU ("Cooperlake", "Haswell", ...), or "" for
// another BLAS. OPENBLAS_CORETYPE overrides the choice, so two processes on one machine
// can differ.
std::string blasKernels() {
    using CoreName = char* (*)();
    const auto name = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    const char* kernels = name ? name() : nullptr;
    return kernels ? kernels : "";
}

std::string cpuModel() {
    std::ifstream info("/proc/cpuinfo");
    std::string line;
    while (std::getline(info, line))
        if (line.rfind("model name", 0) == 0) {
            auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    return "unknown cpu";
}
} // namespace

bool flushingDenormals() {
#if defined(__x86_64__) || defined(__i386__)
    return (_mm_getcsr() & (_MM_FLUSH_ZERO_MASK | _MM_DENORMALS_ZERO_MASK)) != 0;
#else
    return false;
#endif
}

bool cudaAvailable() {
    return torch::cuda::is_available();
}

void useThreads(int threads) {
    if (threads < 1)
        throw std::invalid_argument("threads must be at least 1, got " + std::to_string(threads));
    if (at::get_num_threads() != threads) at::set_num_threads(threads); // costs ~0.1 s
    setBlasThreads(threads);
}

void applySettings(const RuntimeSettings& settings) {
    useThreads(settings.threads);
    if (settings.device != "cpu" && !(settings.device.rfind("cuda", 0) == 0 && cudaAvailable()))
        throw std::invalid_argument(
            "device '" + settings.device +
            "' is not available in this build (CPU-only LibTorch or no GPU)");
    at::globalContext().setUserEnabledMkldnn(settings.onednn);
    if (!at::globalContext().setFlushDenormal(settings.flushDenormal) && settings.flushDenormal)
        throw std::invalid_argument("this CPU cannot flush denormals (no FTZ/DAZ support)");
}

trace::RuntimeInfo describeRuntime(const RuntimeSettings& settings) {
    trace::RuntimeInfo info;
    info.libtorch = TORCH_VERSION;
    info.device = settings.device;
    // None changes while the process runs; reading /proc costs a millisecond per capture.
    static const std::string blas = loadedBlas(), host = cpuModel(), kernels = blasKernels();
    // The kernel set changes sums as much as the library does.
    info.blas = kernels.empty() ? blas : blas + " (" + kernels + " kernels)";
    info.host = host;
    info.threads = settings.threads;
    info.onednn = settings.onednn;
    auto& ctx = at::globalContext();
    auto& a = info.arithmetic;
    a.tf32Matmul = ctx.allowTF32CuBLAS();
    a.tf32Conv = ctx.allowTF32CuDNN();
    a.reducedPrecisionReduction = ctx.allowFP16ReductionCuBLAS();
    a.flushDenormal = flushingDenormals();
    a.deterministic = ctx.deterministicAlgorithms();
    a.cudnnBenchmark = ctx.benchmarkCuDNN();
    a.recorded = true;
    return info;
}

} // namespace tao::runtime
