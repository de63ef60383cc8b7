#pragma once
// The cut arithmetic of the k-ary game, identical to contracts/src/lib/Bisection.sol, so
// clients know which leaves a round reveals and which interval a selection gives.
#include <cstdint>
#include <utility>
#include <vector>

namespace tao::commit {

// Parts of [lo, hi) at arity k: min(k, hi - lo).
std::uint32_t bisectionParts(std::uint32_t lo, std::uint32_t hi, unsigned k);
// Boundary i of m (0 -> lo, m -> hi).
std::uint32_t bisectionBoundary(std::uint32_t lo, std::uint32_t hi, std::uint32_t m,
                                std::uint32_t i);
// Op indices whose leaves the provider reveals this round (c_i - 1 for i = 1..m-1).
std::vector<std::uint32_t> cutIndices(std::uint32_t lo, std::uint32_t hi, unsigned k);
// The interval part j selects.
std::pair<std::uint32_t, std::uint32_t> selectedInterval(std::uint32_t lo, std::uint32_t hi,
                                                         unsigned k, std::uint32_t j);
// The part of [lo, hi) that contains op `disputedOp` (lo <= disputedOp < hi): the honest
// challenger's choice when it agrees with every op before disputedOp.
std::uint32_t partContaining(std::uint32_t lo, std::uint32_t hi, unsigned k,
                             std::uint32_t disputedOp);
// Rounds a game on n ops takes at arity k (ceil(log_k n) in the worst case, exactly for a
// given disputed op).
unsigned roundsFor(std::uint32_t n, unsigned k, std::uint32_t disputedOp);

} // namespace tao::commit
