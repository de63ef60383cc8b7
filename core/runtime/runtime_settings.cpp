#include "core/runtime/runtime_settings.hpp"

#include <ATen/Parallel.h>
#include <fstream>
#include <stdexcept>
#include <torch/cuda.h>
#include <torch/version.h>

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

bool cudaAvailable() {
    return torch::cuda::is_available();
}

void applySettings(const RuntimeSettings& settings) {
    if (settings.threads < 1)
        throw std::invalid_argument("threads must be at least 1, got " +
                                    std::to_string(settings.threads));
    if (settings.device != "cpu" && !(settings.device.rfind("cuda", 0) == 0 && cudaAvailable()))
        throw std::invalid_argument(
            "device '" + settings.device +
            "' is not available in this build (CPU-only LibTorch or no GPU)");
    at::set_num_threads(settings.threads);
    at::globalContext().setUserEnabledMkldnn(settings.onednn);
}

trace::RuntimeInfo describeRuntime(const RuntimeSettings& settings) {
    trace::RuntimeInfo info;
    info.libtorch = TORCH_VERSION;
    info.device = settings.device;
    info.blas = loadedBlas();
    info.host = cpuModel();
    info.threads = settings.threads;
    info.onednn = settings.onednn;
    info.tf32 = at::globalContext().allowTF32CuBLAS();
    return info;
}

} // namespace tao::runtime
