#include "core/numerics/exact_checks.hpp"

#include <ATen/Parallel.h>
#include <algorithm>
#include <atomic>
#include <limits>

namespace tao::numerics::detail {

namespace {

bool isContiguousFloat(const at::Tensor& t) {
    return t.defined() && t.device().is_cpu() && t.scalar_type() == at::kFloat &&
           t.is_contiguous() && !t.is_quantized();
}

// A pair from an int[2] argument given as one or two values; false for anything else.
bool pairArg(const c10::IValue& v, std::int64_t (&out)[2]) {
    if (!v.isIntList()) return false;
    const auto list = v.toIntVector();
    if (list.size() == 1) {
        out[0] = out[1] = list[0];
        return true;
    }
    if (list.size() != 2) return false;
    out[0] = list[0];
    out[1] = list[1];
    return true;
}

// aten::max_pool2d(self, kernel_size, stride=[], padding=0, dilation=1, ceil_mode=False)
bool maxPoolAgrees(const std::vector<c10::IValue>& in, const at::Tensor& y) {
    if (in.size() < 2 || !in[0].isTensor()) return false;
    const auto& x = in[0].toTensor();
    if (!isContiguousFloat(x) || !isContiguousFloat(y) || x.dim() != 4) return false;
    std::int64_t kernel[2], stride[2], pad[2] = {0, 0}, dilation[2] = {1, 1};
    if (!pairArg(in[1], kernel)) return false;
    const bool strideGiven =
        in.size() > 2 && !in[2].isNone() && !(in[2].isIntList() && in[2].toIntVector().empty());
    if (!strideGiven)
        std::copy(kernel, kernel + 2, stride);
    else if (!pairArg(in[2], stride))
        return false;
    if (in.size() > 3 && !pairArg(in[3], pad)) return false;
    if (in.size() > 4 && !pairArg(in[4], dilation)) return false;
    if (in.size() > 5 && !(in[5].isBool() && !in[5].toBool())) return false;
    const std::int64_t height = x.size(2), width = x.size(3);
    std::int64_t out[2];
    for (int d = 0; d < 2; ++d) {
        if (kernel[d] < 1 || stride[d] < 1 || pad[d] < 0 || 2 * pad[d] > kernel[d] ||
            dilation[d] != 1)
            return false;
        const auto extent = (d == 0 ? height : width) + 2 * pad[d] - kernel[d];
        if (extent < 0) return false;
        out[d] = extent / stride[d] + 1;
    }
    if (y.sizes() != at::IntArrayRef{x.size(0), x.size(1), out[0], out[1]}) return false;
    const float* px = x.data_ptr<float>();
    const float* py = y.data_ptr<float>();
    std::atomic<bool> agrees{true};
    at::parallel_for(0, x.size(0) * x.size(1), 1, [&](std::int64_t lo, std::int64_t hi) {
        std::vector<float> rows(static_cast<std::size_t>(width));
        for (auto plane = lo; plane < hi && agrees.load(std::memory_order_relaxed); ++plane) {
            const float* image = px + plane * height * width;
            const float* claim = py + plane * out[0] * out[1];
            bool ok = true;
            for (std::int64_t oh = 0; oh < out[0] && ok; ++oh) {
                // The column maxima of the window's rows, then each window's maximum of them.
                // std::max may drop a NaN, so NaN inputs are looked for on the way.
                const auto top = oh * stride[0] - pad[0];
                const auto r0 = std::max<std::int64_t>(top, 0);
                const auto r1 = std::min(top + kernel[0], height);
                bool nan = false;
                std::fill(rows.begin(), rows.end(), -std::numeric_limits<float>::infinity());
                for (auto r = r0; r < r1; ++r) {
                    const float* row = image + r * width;
#pragma omp simd reduction(| : nan)
                    for (std::int64_t c = 0; c < width; ++c) {
                        nan |= row[c] != row[c];
                        rows[c] = std::max(rows[c], row[c]);
                    }
                }
                for (std::int64_t ow = 0; ow < out[1]; ++ow) {
                    const auto left = ow * stride[1] - pad[1];
                    const auto c0 = std::max<std::int64_t>(left, 0);
                    const auto c1 = std::min(left + kernel[1], width);
                    float m = rows[c0];
                    for (auto c = c0 + 1; c < c1; ++c)
                        m = std::max(m, rows[c]);
                    ok &= claim[oh * out[1] + ow] == m;
                }
                ok &= !nan;
            }
            if (!ok) agrees.store(false, std::memory_order_relaxed);
        }
    });
    return agrees.load();
}

// aten::relu(self): max(x, 0) by value.
bool reluAgrees(const std::vector<c10::IValue>& in, const at::Tensor& y) {
    if (in.empty() || !in[0].isTensor()) return false;
    const auto& x = in[0].toTensor();
    if (!isContiguousFloat(x) || !isContiguousFloat(y) || x.sizes() != y.sizes()) return false;
    const float* px = x.data_ptr<float>();
    const float* py = y.data_ptr<float>();
    std::atomic<bool> agrees{true};
    at::parallel_for(0, x.numel(), 1 << 16, [&](std::int64_t lo, std::int64_t hi) {
        constexpr std::int64_t kBlock = 4096;
        for (auto from = lo; from < hi && agrees.load(std::memory_order_relaxed); from += kBlock) {
            const auto to = std::min(hi, from + kBlock);
            bool wrong = false;
#pragma omp simd reduction(| : wrong)
            for (auto i = from; i < to; ++i) {
                const float expected = px[i] > 0.0f ? px[i] : 0.0f;
                // A NaN input gives a NaN result, which never passes: refused here too.
                wrong |= !(py[i] == expected) || px[i] != px[i];
            }
            if (wrong) agrees.store(false, std::memory_order_relaxed);
        }
    });
    return agrees.load();
}

} // namespace

bool agreesWithoutReexecution(const std::string& kind, const std::vector<c10::IValue>& inputs,
                              const at::Tensor& claim) {
    try {
        if (kind == "aten::max_pool2d") return maxPoolAgrees(inputs, claim);
        if (kind == "aten::relu") return reluAgrees(inputs, claim);
    } catch (const std::exception&) {
    }
    return false;
}

} // namespace tao::numerics::detail
