#include "core/verify/arithmetic_check.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

namespace tao::verify {

bool mayUseFastConvolution(const trace::RuntimeInfo& runtime) {
    std::string alg = runtime.arithmetic.convAlgorithm;
    std::transform(alg.begin(), alg.end(), alg.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (alg.empty()) return runtime.device.rfind("cuda", 0) == 0;
    for (std::string_view fast : {"winograd", "fft", "nnpack"})
        if (alg.find(fast) != std::string::npos) return true;
    static constexpr std::array<std::string_view, 7> direct = {
        "direct", "im2col", "onednn", "mkldnn", "slow_conv", "thnn", "cpu"};
    if (alg.find("gemm") != std::string::npos) return false;
    return std::find(direct.begin(), direct.end(), alg) == direct.end();
}

ArithmeticCheck checkArithmetic(const trace::RuntimeInfo& runtime,
                                const numerics::BoundSettings& profile) {
    const auto f = trace::effectiveArithmetic(runtime.device, runtime.arithmetic);
    ArithmeticCheck c;
    c.bounds = profile;
    std::vector<std::string> beyond;
    if ((f.tf32Matmul || f.tf32Conv) && !profile.tf32) {
        c.bounds.tf32 = true;
        beyond.push_back(f.tf32Matmul && f.tf32Conv ? "TF32 matmuls and convolutions"
                         : f.tf32Matmul             ? "TF32 matmuls"
                                                    : "TF32 convolutions");
    }
    if (mayUseFastConvolution(runtime) && !profile.fastConvolution) {
        c.bounds.fastConvolution = true;
        beyond.push_back("Winograd/FFT convolutions");
    }
    if (f.flushDenormal && !profile.flushDenormal) {
        c.bounds.flushDenormal = true;
        beyond.push_back("flushed denormals");
    }
    for (std::size_t i = 0; i < beyond.size(); ++i)
        c.uncovered += (i ? " and " : "") + beyond[i];
    return c;
}

} // namespace tao::verify
