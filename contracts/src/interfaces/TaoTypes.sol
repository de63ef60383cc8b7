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
    Voting, // committee votes on the single op
    Resolved
}

/// How a game (or its ballot) ended.
enum Outcome {
    None,
    ProviderWon,
    ChallengerWon,
    NoQuorum, // the game is void: bonds back, the job undecided by it
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

struct Tally {
    uint40 deadline;
    uint16 accepts;
    uint16 rejects;
    uint16[3] byReason;
    Outcome outcome;
    uint128 rewardPerVoter;
    bytes32 evidenceHash; // keccak256(abi.encode(op leaf, input leaves))
}

struct Member {
    uint128 stake;
    uint40 joinedAt;
    uint40 leaveAt; // 0 while active
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
    uint16 quorum; // minimum number of votes cast for a decision
    uint16 voterRewardBps; // share of the loser's bond paid to winning-side voters
    uint16 slashBps; // share of the member stake slashed for not voting
}
