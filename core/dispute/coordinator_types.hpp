#pragma once
// The coordinator contract's records as C++ values (mirrors contracts/src/interfaces/TaoTypes.sol).
#include "core/chain/address.hpp"
#include "core/chain/uint256.hpp"
#include "core/commit/merkle_tree.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace tao::dispute {

// The coordinator's MAX_INPUTS: the most leaves one revealed op may open.
inline constexpr std::size_t kMaxRevealInputs = 64;

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
enum class Outcome : std::uint8_t { None, ProviderWon, ChallengerWon, Moot };

std::string jobStatusName(JobStatus s);
// Whether a job in status `s` holds a provider's result (a committed trace).
bool hasResult(JobStatus s);
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

// A game's committee ballot (getBallot): a panel is drawn from a later block's hash, its
// seated members commit sealed votes, then reveal them; short of quorum a larger panel follows.
struct BallotInfo {
    std::uint64_t drawBlock = 0; // the block seeding the next panel; 0: none pending
    std::uint64_t commitDeadline = 0;
    std::uint64_t revealDeadline = 0;
    std::uint8_t round = 0; // panels drawn so far
    std::uint16_t seats = 0;
    std::uint16_t acceptSeats = 0;
    std::uint16_t rejectSeats = 0;
    Outcome outcome = Outcome::None;
    chain::Uint256 rewardPerSeat;
    bool drawn() const { return round > 0 && drawBlock == 0; }
};

// A member's seats on one ballot (seatOf).
enum class SeatState : std::uint8_t { None, Drawn, Committed, Accepted, Rejected, Settled };
struct SeatInfo {
    std::uint16_t count = 0; // 0: not on the panel
    std::uint8_t round = 0;  // the panel the seats belong to
    SeatState state = SeatState::None;
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
    std::uint16_t quorum = 1; // revealed seats a ballot needs before its last panel
    std::uint16_t voterRewardBps = 1000;
    std::uint16_t slashBps = 1000;
    std::uint16_t panelSize = 3; // seats of the first panel; re-drawn panels double it
    std::uint16_t drawDelay = 1; // blocks between a panel's need and its seeding block
};

// Vote reason codes the contract accepts.
enum class VoteReason : std::uint8_t { WithinThreshold = 0, BeyondThreshold = 1, BeyondBound = 2 };
std::string voteReasonName(VoteReason r); // "beyond threshold"

} // namespace tao::dispute
