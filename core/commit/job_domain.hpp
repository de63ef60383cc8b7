#pragma once
// Binds a trace commitment to the one result slot it is posted for, so that a result copied
// from the mempool, from another job, chain or coordinator cannot be opened by whoever copied
// it (identical to contracts/src/lib/JobDomain.sol):
//   jobCommitment = keccak256(0x04 || uint256 chainId || address coordinator || uint256 jobId
//                             || address provider || traceCommitment)
// with traceCommitment = keccak256(0x03 || opRoot || gameRoot) (game_tree.hpp).
#include "core/commit/hash.hpp"

#include <array>
#include <cstdint>

namespace tao::commit {

struct JobDomain {
    std::uint64_t chainId = 0;
    std::array<std::uint8_t, 20> coordinator{};
    std::uint64_t jobId = 0;
    std::array<std::uint8_t, 20> provider{}; // the account that posts the result
};

Hash32 jobCommitment(const JobDomain& domain, const Hash32& traceCommitment);

} // namespace tao::commit
