// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Committee} from "./Committee.sol";
import {DisputeGame} from "./DisputeGame.sol";
import {GameTree} from "./lib/GameTree.sol";
import {TraceMerkle} from "./lib/TraceMerkle.sol";
import {Game, Job, JobStatus, Leaf, Outcome, Phase, Tally} from "./interfaces/TaoTypes.sol";

/// @title Adjudication
/// @notice The end of a game: the provider opens the single disputed op (its output leaf
/// and the leaves of the ops feeding it), the committee recomputes it off chain and votes.
/// Reason codes: 0 within the empirical threshold, 1 beyond it, 2 beyond the sound bound.
abstract contract Adjudication is DisputeGame, Committee {
    /// Caps the proof work of one reveal; real operators have a handful of inputs.
    uint256 public constant MAX_INPUTS = 16;

    uint8 internal constant MARK_ACCEPT = 1;
    uint8 internal constant MARK_REJECT = 2;
    uint8 internal constant MARK_PENALIZED = 3;
    uint8 internal constant MARK_PAID = 4;

    mapping(uint256 => Tally) internal _tallies;
    mapping(uint256 => mapping(address => uint8)) internal _marks;

    /// @notice Provider reveals op `lo` and its input leaves (strictly increasing indices < lo),
    /// each with `depth` proof siblings (`inputProofs` concatenated) against the binary trace
    /// root; `roots` = [opRoot, gameRoot] must hash to the job's commitment. Opens the vote.
    function revealLeaf(
        uint256 jobId,
        Leaf calldata op,
        bytes32[] calldata opProof,
        Leaf[] calldata inputs,
        bytes32[] calldata inputProofs,
        bytes32[2] calldata roots
    ) external {
        _verifyReveal(jobId, op, opProof, inputs, inputProofs, roots);
        _openVote(jobId, op, inputs);
    }

    function _verifyReveal(
        uint256 jobId,
        Leaf calldata op,
        bytes32[] calldata opProof,
        Leaf[] calldata inputs,
        bytes32[] calldata inputProofs,
        bytes32[2] calldata roots
    ) internal view {
        (bytes32 root, uint256 lo, uint256 d) = _verifyOp(jobId, op, opProof, roots);
        if (inputs.length > MAX_INPUTS) revert TooManyInputs(inputs.length);
        if (inputProofs.length != inputs.length * d) revert BadProofLength(inputs.length * d, inputProofs.length);
        _verifyInputs(root, lo, d, inputs, inputProofs);
    }

    function _openVote(uint256 jobId, Leaf calldata op, Leaf[] calldata inputs) internal {
        uint40 deadline = _now() + uint40(voteWindow);
        bytes32 evidence = keccak256(abi.encode(op, inputs));
        _games[jobId].phase = Phase.Voting;
        Tally storage t = _tallies[jobId];
        t.deadline = deadline;
        t.evidenceHash = evidence;
        emit LeafRevealed(jobId, op, inputs, evidence, deadline);
    }

    function _verifyOp(uint256 jobId, Leaf calldata op, bytes32[] calldata proof, bytes32[2] calldata roots)
        internal
        view
        returns (bytes32 root, uint256 lo, uint256 d)
    {
        Job storage j = _jobs[jobId];
        if (msg.sender != j.provider) revert NotProvider(jobId);
        Game memory g = _games[jobId];
        _expectTurn(g, Phase.ProviderReveal);
        lo = g.lo;
        if (op.index != lo) revert WrongLeafIndex(lo, op.index);
        d = TraceMerkle.depth(j.opCount);
        if (proof.length != d) revert BadProofLength(d, proof.length);
        if (_bound(jobId, j.provider, GameTree.commitment(roots[0], roots[1])) != j.traceRoot) {
            revert BadCommitment(jobId);
        }
        root = roots[0];
        if (!TraceMerkle.verify(root, TraceMerkle.leafHash(op.index, op.schemaHash, op.outputHash), lo, proof)) {
            revert BadProof(lo);
        }
    }

    function _verifyInputs(bytes32 root, uint256 lo, uint256 d, Leaf[] calldata inputs, bytes32[] calldata proofs)
        internal
        pure
    {
        uint256 prev;
        for (uint256 i; i < inputs.length; ++i) {
            Leaf calldata x = inputs[i];
            if (x.index >= lo || (i > 0 && x.index <= prev)) revert BadInputIndex(x.index);
            prev = x.index;
            bytes32 leaf = TraceMerkle.leafHash(x.index, x.schemaHash, x.outputHash);
            if (!TraceMerkle.verify(root, leaf, x.index, proofs[i * d:(i + 1) * d])) revert BadProof(x.index);
        }
    }

    /// @notice A committee member's verdict on the revealed op, once per member, before the deadline.
    /// accept must come with reason 0 or 1; reject with reason 1 or 2.
    function vote(uint256 jobId, bool accept, uint8 reason) external {
        Game storage g = _games[jobId];
        if (g.phase != Phase.Voting) revert WrongTurn(Phase.Voting, g.phase);
        Tally storage t = _tallies[jobId];
        if (block.timestamp > t.deadline) revert VotingClosed(t.deadline);
        _expectOwesVote(jobId, msg.sender, t);
        if (_marks[jobId][msg.sender] != 0) revert AlreadyVoted(msg.sender);
        if (reason > 2) revert BadReason(reason);
        if ((accept && reason == 2) || (!accept && reason == 0)) revert ReasonContradictsVote(accept, reason);
        _marks[jobId][msg.sender] = accept ? MARK_ACCEPT : MARK_REJECT;
        if (accept) ++t.accepts;
        else ++t.rejects;
        ++t.byReason[reason];
        emit Voted(jobId, msg.sender, accept, reason);
    }

    /// @notice After the vote window, settles the dispute. With fewer than `quorum` votes the job is
    /// voided and everyone refunded; otherwise the majority wins (a tie keeps the provider's result),
    /// the winner takes both bonds less `voterRewardBps` of the loser's, shared by the majority voters.
    function resolveVote(uint256 jobId) external {
        Game storage g = _games[jobId];
        if (g.phase != Phase.Voting) revert WrongTurn(Phase.Voting, g.phase);
        Tally storage t = _tallies[jobId];
        if (block.timestamp <= t.deadline) revert VotingStillOpen(t.deadline);
        g.phase = Phase.Resolved;
        Job storage j = _jobs[jobId];
        uint256 cast = uint256(t.accepts) + t.rejects;
        if (cast < quorum) {
            t.outcome = Outcome.NoQuorum;
            emit VoteResolved(jobId, Outcome.NoQuorum, t.accepts, t.rejects, 0);
            emit DisputeResolved(jobId, Outcome.NoQuorum, address(0));
            _close(jobId, j, JobStatus.Voided);
            _credit(j.client, j.fee);
            _credit(j.provider, providerBond);
            _credit(challengerOf[jobId], challengerBond);
            return;
        }
        bool providerWins = t.accepts >= t.rejects;
        Outcome o = providerWins ? Outcome.ProviderWon : Outcome.ChallengerWon;
        uint256 winners = providerWins ? t.accepts : t.rejects;
        uint256 loserBond = providerWins ? challengerBond : providerBond;
        uint128 perVoter = uint128((loserBond * voterRewardBps / 10_000) / winners);
        t.outcome = o;
        t.rewardPerVoter = perVoter;
        emit VoteResolved(jobId, o, t.accepts, t.rejects, perVoter);
        (address winner, uint256 bonds) = _winnerTakes(jobId, j, o);
        _credit(winner, bonds - perVoter * winners);
    }

    /// @notice Credits a majority voter its share once the vote is resolved.
    function claimVoteReward(uint256 jobId) external {
        Tally storage t = _tallies[jobId];
        uint8 mark = _marks[jobId][msg.sender];
        bool onWinningSide = (t.outcome == Outcome.ProviderWon && mark == MARK_ACCEPT)
            || (t.outcome == Outcome.ChallengerWon && mark == MARK_REJECT);
        if (!onWinningSide || t.rewardPerVoter == 0) revert NothingToClaim();
        _marks[jobId][msg.sender] = MARK_PAID;
        emit VoteRewardClaimed(jobId, msg.sender, t.rewardPerVoter);
        _credit(msg.sender, t.rewardPerVoter);
    }

    /// @notice After the ballot is resolved, slashes `slashBps` of `memberStake` from a member that
    /// owed a vote and cast none. The slash never goes to the caller (who could be the member
    /// itself): it goes to the winner of the game, or to the burn balance when the ballot had no
    /// quorum, so no one profits from the absence that voided it. Once per member and ballot.
    function penalize(uint256 jobId, address member) external {
        Tally storage t = _tallies[jobId];
        if (t.deadline == 0) revert WrongTurn(Phase.Voting, _games[jobId].phase);
        if (block.timestamp <= t.deadline) revert VotingStillOpen(t.deadline);
        if (t.outcome == Outcome.None) revert WrongTurn(Phase.Resolved, Phase.Voting);
        if (_marks[jobId][member] != 0) revert AlreadyVoted(member);
        // The same test as vote(): only a member that could have voted owes the vote.
        _expectOwesVote(jobId, member, t);
        _marks[jobId][member] = MARK_PENALIZED;
        uint128 cut = uint128(memberStake * slashBps / 10_000);
        _members[member].stake -= cut; // stake >= memberStake >= cut (_expectOwesVote)
        address to = t.outcome == Outcome.ProviderWon
            ? _jobs[jobId].provider
            : t.outcome == Outcome.ChallengerWon ? challengerOf[jobId] : BURN;
        emit MemberPenalized(jobId, member, cut, to);
        _credit(to, cut);
    }

    /// @notice The ballot of a job: deadline, counts, reasons, outcome, reward, evidence hash.
    function getTally(uint256 jobId) external view returns (Tally memory) {
        return _tallies[jobId];
    }

    /// @notice 0 none, 1 voted accept, 2 voted reject, 3 penalised, 4 reward paid.
    function voteMark(uint256 jobId, address member) external view returns (uint8) {
        return _marks[jobId][member];
    }

    function _openedAt(Tally storage t) internal view returns (uint256) {
        return uint256(t.deadline) - voteWindow;
    }

    /// Who owes a vote on a ballot, and so may cast one: a member bonded before it opened and
    /// not leaving before it opened, holding at least `memberStake` (an under-staked member is
    /// neither asked nor slashed until it tops up), and not a party to the dispute.
    function _expectOwesVote(uint256 jobId, address member, Tally storage t) internal view {
        if (!isEligible(member, _openedAt(t)) || _members[member].stake < memberStake) {
            revert NotCommitteeMember(member);
        }
        if (member == _jobs[jobId].provider || member == challengerOf[jobId]) revert ConflictedVoter();
    }
}
