// One-off measurement of the accuracy of LibTorch's FP32 CPU math kernels against FP64.
// It sweeps FP32 bit patterns (all 2^32 with --stride 1, every stride-th one otherwise),
// runs the FP32 kernel and the FP64 kernel on the same inputs and prints the largest
// error per function. The numbers feed core/numerics/math_allowance.hpp; this is not a
// CI step (an exhaustive sweep takes minutes).
//
// Units: "ulp" = |y - r| / ulp32(r), where ulp32(r) = 2^(max(floor(log2 |r|), -126) - 23).
// For GELU, whose relative error is unbounded for x << 0 (cancellation), the error is also
// reported in units of u*|x| (u = 2^-24, for |x| >= 2^-100), which is the form the bound
// uses. Results below 2^-126 are reported by their largest absolute error instead.
// Usage: measure_ulp [--stride S] [--threads T] [--only NAME]
#include <ATen/Parallel.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <torch/script.h>
#include <vector>

namespace {

struct Fn {
    std::string name;
    std::function<at::Tensor(const at::Tensor&)> f;
    bool perAbsX = false; // also report |y - r| / (u |x|)
};

at::Tensor ulp32(const at::Tensor& r) {
    auto [m, e] = at::frexp(r.abs());
    auto ex = at::clamp_min(e.to(at::kDouble) - 1.0, -126.0) - 23.0;
    return at::exp2(ex);
}

} // namespace

int main(int argc, char** argv) {
    std::int64_t stride = 1;
    int threads = 2;
    std::string only;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--stride") stride = std::atoll(argv[i + 1]);
        if (a == "--threads") threads = std::atoi(argv[i + 1]);
        if (a == "--only") only = argv[i + 1];
    }
    at::set_num_threads(threads);
    std::vector<Fn> fns = {
        {"exp", [](const at::Tensor& x) { return at::exp(x); }},
        {"log", [](const at::Tensor& x) { return at::log(x); }},
        {"tanh", [](const at::Tensor& x) { return at::tanh(x); }},
        {"sigmoid", [](const at::Tensor& x) { return at::sigmoid(x); }},
        {"erf", [](const at::Tensor& x) { return at::erf(x); }},
        {"rsqrt", [](const at::Tensor& x) { return at::rsqrt(x); }},
        {"sqrt", [](const at::Tensor& x) { return at::sqrt(x); }},
        {"silu", [](const at::Tensor& x) { return at::silu(x); }, true},
        {"gelu", [](const at::Tensor& x) { return at::gelu(x); }, true},
        {"gelu_tanh", [](const at::Tensor& x) { return at::gelu(x, "tanh"); }, true},
        {"expm1", [](const at::Tensor& x) { return at::expm1(x); }},
        {"log1p", [](const at::Tensor& x) { return at::log1p(x); }},
        {"sin", [](const at::Tensor& x) { return at::sin(x); }},
        {"cos", [](const at::Tensor& x) { return at::cos(x); }},
        {"erfc", [](const at::Tensor& x) { return at::erfc(x); }},
    };
    const std::int64_t chunk = std::int64_t{1} << 24;
    const double fltMax = std::numeric_limits<float>::max();
    for (const auto& fn : fns) {
        if (!only.empty() && fn.name != only) continue;
        double maxUlp = 0, argUlp = 0, maxAbsX = 0, argAbsX = 0, maxSubAbs = 0, minBadAbsX = 0;
        std::int64_t count = 0, nonFinite = 0;
        for (std::int64_t start = 0; start < (std::int64_t{1} << 32); start += chunk * stride) {
            auto bits = at::arange(start, start + chunk * stride, stride, at::kLong);
            auto x = (bits - (std::int64_t{1} << 31)).to(at::kInt).view(at::kFloat);
            x = x.masked_select(at::isfinite(x));
            auto y = fn.f(x).to(at::kDouble);
            auto xd = x.to(at::kDouble);
            auto r = fn.f(xd);
            // Only elements whose exact result is a finite FP32 value are meaningful.
            auto ok = at::isfinite(r) & (r.abs() <= fltMax);
            auto err = (y - r).abs();
            // A non-finite FP32 result where the exact one is finite is counted apart (with
            // the smallest such |x|) and left out of the ulp statistics.
            auto bad = ok & at::isfinite(y).logical_not();
            if (bad.any().item<bool>()) {
                nonFinite += bad.sum().item<std::int64_t>();
                const double least = xd.abs().masked_select(bad).min().item<double>();
                minBadAbsX = nonFinite == bad.sum().item<std::int64_t>()
                                 ? least
                                 : std::min(minBadAbsX, least);
                ok = ok & bad.logical_not();
            }
            // Results in the subnormal range are judged by absolute error (the bound's 2^-126
            // per rounding); ulp statistics cover normal-range results.
            auto normal = ok & (r.abs() >= 0x1p-126);
            auto sub = ok & (r.abs() < 0x1p-126);
            maxSubAbs =
                std::max(maxSubAbs, at::where(sub, err, at::zeros_like(err)).max().item<double>());
            auto ulps = at::where(normal, err / ulp32(r), at::zeros_like(err));
            auto i = ulps.argmax().item<std::int64_t>();
            double m = ulps[i].item<double>();
            if (m > maxUlp) {
                maxUlp = m;
                argUlp = xd[i].item<double>();
            }
            if (fn.perAbsX) {
                auto ux = at::where(ok & (xd.abs() >= 0x1p-100), err / (xd.abs() * 0x1p-24),
                                    at::zeros_like(err));
                auto j = ux.argmax().item<std::int64_t>();
                double mj = ux[j].item<double>();
                if (mj > maxAbsX) {
                    maxAbsX = mj;
                    argAbsX = xd[j].item<double>();
                }
            }
            count += x.numel();
        }
        std::printf("%-10s inputs %lld  max ulp %.4f (at x = %.9g)", fn.name.c_str(),
                    static_cast<long long>(count), maxUlp, argUlp);
        std::printf("  subnormal-range max abs err %.3g", maxSubAbs);
        if (fn.perAbsX) std::printf("  max |err|/(u|x|) %.4f (at x = %.9g)", maxAbsX, argAbsX);
        if (nonFinite > 0)
            std::printf("  non-finite results for finite exact ones: %lld (from |x| = %.9g)",
                        static_cast<long long>(nonFinite), minBadAbsX);
        std::printf("\n");
        std::fflush(stdout);
    }
    return 0;
}
