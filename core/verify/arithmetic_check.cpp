#include "core/verify/arithmetic_check.hpp"

#include <vector>

namespace tao::verify {

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
    if (f.flushDenormal && !profile.flushDenormal) {
        c.bounds.flushDenormal = true;
        beyond.push_back("flushed denormals");
    }
    for (std::size_t i = 0; i < beyond.size(); ++i)
        c.uncovered += (i ? " and " : "") + beyond[i];
    return c;
}

} // namespace tao::verify
