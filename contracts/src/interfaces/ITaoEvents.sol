// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {JobStatus, Leaf, Outcome, Phase} from "./TaoTypes.sol";

/// Every state change is logged, so a client can follow a game from logs alone.
interface ITaoEvents {
    event ModelRegistered(
        bytes32 indexed modelId, address indexed owner, bytes32 graphHash, uint32 opCount, bytes32 profileHash
    );
    event ProfileUpdated(bytes32 indexed modelId, bytes32 profileHash);

    event JobRequested(
        uint256 indexed jobId,
        address indexed client,
        bytes32 indexed modelId,
        bytes32 inputHash,
        address provider,
        uint256 fee,
        bytes32 profileHash
    );
    event JobCancelled(uint256 indexed jobId);
    event ResultSubmitted(
        uint256 indexed jobId,
        address indexed provider,
        bytes32 outputHash,
        bytes32 traceRoot,
        uint32 opCount,
        uint40 challengeDeadline
    );
    event JobClosed(uint256 indexed jobId, JobStatus status);

    /// Game-scoped events are keyed by the game id; DisputeOpened, DisputeResolved and
    /// MootGameClosed also carry the job id, so a job's games can be found from its logs.
    event DisputeOpened(
        uint256 indexed jobId,
        uint256 indexed gameId,
        address indexed challenger,
        uint32 lo,
        uint32 hi,
        Phase phase,
        uint40 deadline
    );
    event CutsRevealed(
        uint256 indexed gameId, uint16 round, uint32 lo, uint32 hi, Leaf[] cuts, bytes32[] children, uint40 deadline
    );
    event SegmentSelected(
        uint256 indexed gameId, uint16 round, uint256 segment, uint32 lo, uint32 hi, Phase phase, uint40 deadline
    );
    event LeafRevealed(uint256 indexed gameId, Leaf op, Leaf[] inputs, bytes32 evidenceHash, uint40 voteDeadline);
    event MoveTimedOut(uint256 indexed gameId, Phase phase);
    event Voted(uint256 indexed gameId, address indexed member, bool accept, uint8 reason);
    event VoteResolved(uint256 indexed gameId, Outcome outcome, uint16 accepts, uint16 rejects, uint128 rewardPerVoter);
    event DisputeResolved(uint256 indexed jobId, uint256 indexed gameId, Outcome outcome, address winner);
    event MootGameClosed(uint256 indexed jobId, uint256 indexed gameId, address challenger);
    event VoteRewardClaimed(uint256 indexed gameId, address indexed member, uint256 amount);

    event MemberJoined(address indexed member, uint256 stake);
    event StakeAdded(address indexed member, uint256 amount, uint256 stake);
    event LeaveRequested(address indexed member, uint40 exitAt);
    event MemberExited(address indexed member, uint256 stake);
    event MemberPenalized(uint256 indexed gameId, address indexed member, uint256 amount, address paidTo);

    event Credited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
}
