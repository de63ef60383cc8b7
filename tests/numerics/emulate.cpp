#include "numerics/emulate.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace tao::test {

const char* orderName(Order o) {
    switch (o) {
    case Order::Sequential:
        return "sequential";
    case Order::SequentialFma:
        return "sequential-fma";
    case Order::Pairwise:
        return "pairwise";
    case Order::Blocked:
        return "blocked";
    case Order::BlockedFma:
        return "blocked-fma";
    }
    return "?";
}

namespace {

std::vector<std::int64_t> permutation(std::int64_t n, std::mt19937& rng) {
    std::vector<std::int64_t> p(n);
    std::iota(p.begin(), p.end(), 0);
    std::shuffle(p.begin(), p.end(), rng);
    return p;
}

// acc + a_k b_k over the given k, each step rounded to FP32 (FMA: one rounding per step).
at::Tensor runningSum(at::Tensor acc, const at::Tensor& a, const at::Tensor& b,
                      const std::vector<std::int64_t>& ks, bool fma) {
    for (auto k : ks) {
        auto ak = a.select(1, k).unsqueeze(1);
        auto bk = b.select(0, k).unsqueeze(0);
        if (fma)
            acc = (acc.to(at::kDouble) + ak.to(at::kDouble) * bk.to(at::kDouble)).to(at::kFloat);
        else
            acc = acc + ak * bk;
    }
    return acc;
}

at::Tensor pairwiseLast(at::Tensor x) {
    while (x.size(-1) > 1) {
        if (x.size(-1) % 2) x = at::cat({x, at::zeros_like(x.narrow(-1, 0, 1))}, -1);
        auto n = x.size(-1);
        x = x.narrow(-1, 0, n / 2) + x.narrow(-1, n / 2, n / 2);
    }
    return x.select(-1, 0);
}

} // namespace

at::Tensor emulatedMatmul(const at::Tensor& a, const at::Tensor& b, Order o, std::mt19937& rng) {
    const auto m = a.size(0), k = b.size(0), n = b.size(1);
    auto zero = at::zeros({m, n}, a.options());
    if (k == 0) return zero;
    auto perm = permutation(k, rng);
    switch (o) {
    case Order::Sequential:
        return runningSum(zero, a, b, perm, false);
    case Order::SequentialFma:
        return runningSum(zero, a, b, perm, true);
    case Order::Pairwise: {
        auto idx = at::tensor(perm, at::kLong);
        auto prods = a.index_select(1, idx).unsqueeze(1) * b.index_select(0, idx).t().unsqueeze(0);
        return pairwiseLast(prods);
    }
    case Order::Blocked:
    case Order::BlockedFma: {
        std::uniform_int_distribution<std::int64_t> bs(1, std::max<std::int64_t>(1, k));
        const auto block = bs(rng);
        std::vector<at::Tensor> partials;
        for (std::int64_t s = 0; s < k; s += block) {
            std::vector<std::int64_t> ks(perm.begin() + s, perm.begin() + std::min(k, s + block));
            partials.push_back(runningSum(zero, a, b, ks, o == Order::BlockedFma));
        }
        std::shuffle(partials.begin(), partials.end(), rng);
        auto acc = partials[0];
        for (size_t i = 1; i < partials.size(); ++i)
            acc = acc + partials[i];
        return acc;
    }
    }
    return zero;
}

at::Tensor emulatedSum(const at::Tensor& x, Order o, std::mt19937& rng) {
    const auto n = x.size(-1);
    auto idx = at::tensor(permutation(n, rng), at::kLong);
    auto xp = x.index_select(-1, idx);
    auto acc = at::zeros(x.sizes().slice(0, x.dim() - 1), x.options());
    switch (o) {
    case Order::Sequential:
    case Order::SequentialFma:
        for (std::int64_t k = 0; k < n; ++k)
            acc = acc + xp.select(-1, k);
        return acc;
    case Order::Pairwise:
        return pairwiseLast(xp);
    case Order::Blocked:
    case Order::BlockedFma: {
        // Random block size, at least sqrt(n) so that long rows stay affordable.
        const auto lo = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::sqrt(double(n))));
        std::uniform_int_distribution<std::int64_t> bs(lo, std::max(lo, n));
        const auto block = bs(rng);
        const auto nb = (n + block - 1) / block;
        auto padded = at::cat({xp, at::zeros({x.size(0), nb * block - n}, x.options())}, -1)
                          .reshape({x.size(0), nb, block});
        auto part = at::zeros({x.size(0), nb}, x.options());
        for (std::int64_t k = 0; k < block; ++k)
            part = part + padded.select(-1, k);
        auto order = permutation(nb, rng);
        for (auto j : order)
            acc = acc + part.select(-1, j);
        return acc;
    }
    }
    return acc;
}

at::Tensor roundTf32(const at::Tensor& x, bool truncate) {
    // Work on the unsigned bit pattern (sign-magnitude: rounding the low bits rounds |x|).
    auto bits =
        x.contiguous().view(at::kInt).to(at::kLong) & static_cast<std::int64_t>(0xFFFFFFFFLL);
    if (!truncate) {
        auto lsb = at::bitwise_right_shift(bits, 13).bitwise_and(1);
        bits = bits + 0xFFF + lsb;
    }
    bits = bits & ~static_cast<std::int64_t>(0x1FFF);
    bits = at::where(bits >= static_cast<std::int64_t>(1LL << 31),
                     bits - static_cast<std::int64_t>(1LL << 32), bits);
    return bits.to(at::kInt).view(at::kFloat).view(x.sizes());
}

} // namespace tao::test
