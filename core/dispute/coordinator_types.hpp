#pragma once
// The coordinator contract's records as C++ values (mirrors contracts/src/interfaces/TaoTypes.sol).
#include "core/chain/address.hpp"
#include "core/chain/uint256.hpp"
#include "core/commit/merkle_tree.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace tao::dispute {

enum class JobStatus : std::uint8_t {
    None,
    Requested,
    Submitted,
    Disputed,
    Accepted,
    Rejected,
    Cancelled
};
enum class Phase : std::uint8_t {
    None,
    ProviderBisect,
    ChallengerSelect,
    ProviderReveal,
    Voting,
    Resolved
};
// How a game (or its ballot) ended. Moot: another game of the job rejected it first.
enum class Outcome : std::uint8_t { None, ProviderWon, ChallengerWon, NoQuorum, Moot };

std::string jobStatusName(JobStatus s);
std::string phaseName(Phase p);
std::string outcomeName(Outcome o);

struct JobInfo {
    chain::Address client;
    chain::Uint256 fee;
    chain::Address provider;
    std::uint64_t challengeDeadline = 0;
    std::uint32_t opCount = 0;
    JobStatus status = JobStatus::None;
    commit::Hash32 modelId;
    commit::Hash32 inputHash;
    commit::Hash32 outputHash;
    commit::Hash32 commitment; // keccak256(0x03 || opRoot || gameRoot), commit/game_tree.hpp
};

// One game on a job (every challenger plays its own; getGame(gameId)).
struct GameInfo {
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    std::uint64_t deadline = 0;
    Phase phase = Phase::None;
    std::uint16_t round = 0;
    std::uint8_t selected = 0; // the part of the parent's children this interval is
    Outcome outcome = Outcome::None;
    std::uint64_t jobId = 0;
    bool open() const { return phase != Phase::None && phase != Phase::Resolved; }
};

struct TallyInfo {
    std::uint64_t deadline = 0;
    std::uint16_t accepts = 0;
    std::uint16_t rejects = 0;
    std::array<std::uint16_t, 3> byReason{};
    Outcome outcome = Outcome::None;
    chain::Uint256 rewardPerVoter;
    commit::Hash32 evidenceHash;
};

// Constructor parameters of one deployment (struct Config).
struct CoordinatorConfig {
    unsigned arity = 2;
    std::uint32_t challengeWindow = 60;
    std::uint32_t moveTimeout = 30;
    std::uint32_t voteWindow = 30;
    std::uint32_t unbondingPeriod = 60;
    chain::Uint256 providerBond = chain::Uint256(1'000'000'000'000'000ull);   // 0.001 ether
    chain::Uint256 challengerBond = chain::Uint256(1'000'000'000'000'000ull); // 0.001 ether
    chain::Uint256 memberStake = chain::Uint256(100'000'000'000'000ull);      // 0.0001 ether
    std::uint16_t quorum = 1;
    std::uint16_t voterRewardBps = 1000;
    std::uint16_t slashBps = 1000;
};

// Vote reason codes the contract accepts.
enum class VoteReason : std::uint8_t { WithinThreshold = 0, BeyondThreshold = 1, BeyondBound = 2 };

} // namespace tao::dispute
