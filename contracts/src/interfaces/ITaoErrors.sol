// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {JobStatus, Phase} from "./TaoTypes.sol";

/// Every revert of the coordinator, by name.
interface ITaoErrors {
    error BadConfig();
    error Reentrancy();
    error TransferFailed();
    error NothingToWithdraw();

    error ModelExists(bytes32 modelId);
    error UnknownModel(bytes32 modelId);
    error NotModelOwner(bytes32 modelId);
    error BadOpCount(uint256 opCount);

    error FeeTooLarge();
    error UnknownJob(uint256 jobId);
    error WrongJobStatus(uint256 jobId, JobStatus status);
    error AlreadyFinalized(uint256 jobId);
    error NotClient(uint256 jobId);
    error NotDesignatedProvider(uint256 jobId);
    error WrongBond(uint256 expected, uint256 sent);
    error OpCountMismatch(uint256 expected, uint256 posted);
    error ChallengeWindowClosed(uint256 jobId);
    error ChallengeWindowOpen(uint256 jobId);
    error SelfChallenge();
    error AlreadyChallenged(uint256 jobId, uint256 gameId);

    error NotProvider(uint256 gameId);
    error NotChallenger(uint256 gameId);
    error GameMoot(uint256 gameId);
    error GameNotMoot(uint256 gameId);
    error WrongTurn(Phase expected, Phase actual);
    error MoveTooLate(uint256 deadline);
    error DeadlineNotPassed(uint256 deadline);
    error WrongCutCount(uint256 expected, uint256 got);
    error WrongLeafIndex(uint256 expected, uint256 got);
    error BadProofLength(uint256 expected, uint256 got);
    error BadProof(uint256 index);
    error WrongChildCount(uint256 expected, uint256 got);
    error BadParentNodes(uint256 gameId);
    error BadNode(uint256 lo, uint256 hi);
    error BadCommitment(uint256 gameId);
    error BadSegment(uint256 segment, uint256 parts);
    error TooManyInputs(uint256 count);
    error BadInputIndex(uint256 index);
    error NotInGraph(uint256 index);
    error OutputMismatch(uint256 jobId);

    error AlreadyMember();
    error CommitteeFull(uint256 max);
    error StakeTooLarge();
    error NotCommitteeMember(address account);
    error MemberLeaving();
    error StakeLocked(uint256 until);
    error SeatsUnsettled(uint256 openSeats);
    error PanelNotDrawn(uint256 gameId);
    error NoDrawPending(uint256 gameId);
    error DrawNotReady(uint256 drawBlock);
    error NotSeated(address member);
    error AlreadyVoted(address member);
    error NotCommitted(address member);
    error BadReveal(address member);
    error BadReason(uint8 reason);
    error ReasonContradictsVote(bool accept, uint8 reason);
    error VotingClosed(uint256 deadline);
    error VotingStillOpen(uint256 deadline);
    error NothingToSettle(uint256 gameId, address member);
}
