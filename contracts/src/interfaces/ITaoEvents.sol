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
    event LeafRevealed(uint256 indexed gameId, Leaf op, Leaf[] inputs, bytes32 evidenceHash, uint64 drawBlock);
    /// A panel of the game's ballot: the members drawn and their seats, and its two windows.
    event PanelDrawn(
        uint256 indexed gameId,
        uint8 round,
        address[] members,
        uint16[] seats,
        uint40 commitDeadline,
        uint40 revealDeadline
    );
    /// The seeding block's hash was no longer available (over 256 blocks): a later block seeds it.
    event DrawDeferred(uint256 indexed gameId, uint64 drawBlock);
    /// Too few revealed seats: a panel twice as large is drawn from the members not yet seated.
    event BallotEscalated(uint256 indexed gameId, uint8 round, uint16 revealedSeats, uint64 drawBlock);
    event VoteCommitted(uint256 indexed gameId, address indexed member);
    event MoveTimedOut(uint256 indexed gameId, Phase phase);
    event Voted(uint256 indexed gameId, address indexed member, bool accept, uint8 reason, uint16 seats);
    event VoteResolved(
        uint256 indexed gameId, Outcome outcome, uint16 acceptSeats, uint16 rejectSeats, uint128 rewardPerSeat
    );
    event DisputeResolved(uint256 indexed jobId, uint256 indexed gameId, Outcome outcome, address winner);
    event MootGameClosed(uint256 indexed jobId, uint256 indexed gameId, address challenger);

    event MemberJoined(address indexed member, uint256 stake);
    event StakeAdded(address indexed member, uint256 amount, uint256 stake);
    event LeaveRequested(address indexed member, uint40 exitAt);
    event MemberExited(address indexed member, uint256 stake);
    /// A seat settled after its game ended: a winning-side seat's reward, or the slash of an
    /// absent or losing-side seat and who it paid (the game's winner).
    event SeatSettled(uint256 indexed gameId, address indexed member, uint256 reward, uint256 slashed, address paidTo);

    event Credited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
}
