// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// Lifecycle of a job. Accepted/Rejected/Cancelled are terminal.
enum JobStatus {
    None,
    Requested, // fee escrowed, waiting for a result
    Submitted, // result and provider bond posted, no game open
    Disputed, // at least one game open on the result
    Accepted, // provider paid: window over, no game open, none lost
    Rejected, // the provider lost a game; client refunded, other open games moot
    Cancelled // client withdrew the request before any result
}

/// Whose move it is in a dispute.
enum Phase {
    None,
    ProviderBisect, // provider reveals the k-1 cut leaves of [lo, hi)
    ChallengerSelect, // challenger picks the sub-interval it disputes
    ProviderReveal, // hi - lo == 1: provider reveals the op and its inputs
    Voting, // a committee panel is drawn for the single op and votes (commit, then reveal)
    Resolved
}

/// How a game (or its ballot) ended.
enum Outcome {
    None,
    ProviderWon,
    ChallengerWon,
    Moot // another game rejected the job first: the challenger's bond back, no votes owed
}

/// One committed trace leaf: operator position, schema and output tensor hash.
struct Leaf {
    uint32 index;
    bytes32 schemaHash;
    bytes32 outputHash;
}

struct Model {
    address owner;
    uint32 opCount;
    bytes32 graphHash;
    bytes32 profileHash;
}

/// Packed so that the provider's move reads one slot for who/what/state.
struct Job {
    address client;
    uint96 fee;
    address provider; // designated provider (0 = open) until a result is posted
    uint40 challengeDeadline;
    uint32 opCount;
    JobStatus status;
    bytes32 modelId;
    bytes32 inputHash;
    bytes32 outputHash;
    bytes32 traceRoot; // the job commitment: keccak256(0x03 ‖ opRoot ‖ gameRoot) bound to chain, coordinator, job and provider (JobDomain)
}

/// Interval, turn, deadline and the job it disputes share one slot: every move reads and
/// rewrites only it (plus the job's provider slot).
struct Game {
    uint32 lo;
    uint32 hi;
    uint40 deadline;
    Phase phase;
    uint16 round;
    uint8 selected; // part of the parent's children the interval is (GameTree)
    Outcome outcome; // set when the game ends
    uint64 jobId;
}

/// The committee ballot of one game: panels drawn so far, the current panel's windows and the
/// seats revealed over all panels.
struct Ballot {
    uint64 drawBlock; // the block whose hash seeds the next panel (0: no draw pending)
    uint40 commitDeadline; // of the current panel
    uint40 revealDeadline; // of the current panel
    uint8 round; // panels drawn so far
    uint16 seats; // seats drawn over all panels
    uint16 acceptSeats; // revealed, over all panels
    uint16 rejectSeats;
    Outcome outcome;
    uint128 rewardPerSeat;
}

/// One member's seats on one game's ballot (count 0: not on the panel).
struct Seat {
    uint16 count; // seats drawn (a draw is with replacement, weighted by stake)
    uint8 round; // the panel the seats belong to
    uint8 state; // SeatState in Ballots.sol: drawn, committed, accepted, rejected, settled
}

struct Member {
    uint96 stake;
    uint40 joinedAt;
    uint40 stakedAt; // last time stake was added: only jobs posted later may draw it
    uint40 leaveAt; // 0 while active
    uint32 openSeats; // games holding an unsettled seat of this member: exit waits for 0
}

/// Deployment parameters, fixed for the life of a coordinator.
struct Config {
    uint8 arity; // k: parts per bisection round, 2..16
    uint32 challengeWindow; // seconds after a result during which it can be challenged
    uint32 moveTimeout; // seconds each side has per move
    uint32 voteWindow; // seconds the committee has to vote
    uint32 unbondingPeriod; // seconds between a leave request and stake release (>= 2 voteWindow)
    uint96 providerBond;
    uint96 challengerBond;
    uint96 memberStake;
    uint16 quorum; // revealed seats a ballot needs to decide before its last panel
    uint16 voterRewardBps; // share of the loser's bond paid to winning-side seats
    uint16 slashBps; // share of memberStake slashed per absent or losing-side seat
    uint16 panelSize; // seats of the first panel; each re-drawn panel doubles it
    uint16 drawDelay; // blocks between the need for a panel and the block seeding it (1..255)
}
