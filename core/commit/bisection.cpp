#include "core/commit/bisection.hpp"

#include <stdexcept>
#include <string>

namespace tao::commit {

std::uint32_t bisectionParts(std::uint32_t lo, std::uint32_t hi, unsigned k) {
    if (hi <= lo) throw std::invalid_argument("bisection: empty interval");
    std::uint32_t len = hi - lo;
    return len < k ? len : k;
}

std::uint32_t bisectionBoundary(std::uint32_t lo, std::uint32_t hi, std::uint32_t m,
                                std::uint32_t i) {
    return lo + static_cast<std::uint32_t>((std::uint64_t(hi - lo) * i) / m);
}

std::vector<std::uint32_t> cutIndices(std::uint32_t lo, std::uint32_t hi, unsigned k) {
    std::uint32_t m = bisectionParts(lo, hi, k);
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 1; i < m; ++i)
        out.push_back(bisectionBoundary(lo, hi, m, i) - 1);
    return out;
}

std::pair<std::uint32_t, std::uint32_t> selectedInterval(std::uint32_t lo, std::uint32_t hi,
                                                         unsigned k, std::uint32_t j) {
    std::uint32_t m = bisectionParts(lo, hi, k);
    if (j >= m)
        throw std::invalid_argument("bisection: part " + std::to_string(j) + " of " +
                                    std::to_string(m));
    return {bisectionBoundary(lo, hi, m, j), bisectionBoundary(lo, hi, m, j + 1)};
}

std::uint32_t partContaining(std::uint32_t lo, std::uint32_t hi, unsigned k,
                             std::uint32_t disputedOp) {
    if (disputedOp < lo || disputedOp >= hi)
        throw std::invalid_argument("bisection: op " + std::to_string(disputedOp) +
                                    " is outside [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + ")");
    std::uint32_t m = bisectionParts(lo, hi, k);
    for (std::uint32_t j = 0; j < m; ++j)
        if (disputedOp < bisectionBoundary(lo, hi, m, j + 1)) return j;
    return m - 1;
}

unsigned roundsFor(std::uint32_t n, unsigned k, std::uint32_t disputedOp) {
    std::uint32_t lo = 0, hi = n;
    unsigned rounds = 0;
    while (hi - lo > 1) {
        auto [a, b] = selectedInterval(lo, hi, k, partContaining(lo, hi, k, disputedOp));
        lo = a;
        hi = b;
        ++rounds;
    }
    return rounds;
}

} // namespace tao::commit
