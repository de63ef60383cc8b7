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

    /// Ballots and vote marks are per game: every game has its own ballot.
    mapping(uint256 => Tally) internal _tallies;
    mapping(uint256 => mapping(address => uint8)) internal _marks;

    /// @notice Provider reveals op `lo` of game `gameId` and its input leaves (strictly increasing
    /// indices < lo), each with `depth` proof siblings (`inputProofs` concatenated) against the
    /// binary trace root; `roots` = [opRoot, gameRoot] must hash to the job's commitment. Opens
    /// the game's ballot.
    function revealLeaf(
        uint256 gameId,
        Leaf calldata op,
        bytes32[] calldata opProof,
        Leaf[] calldata inputs,
        bytes32[] calldata inputProofs,
        bytes32[2] calldata roots
    ) external {
        _verifyReveal(gameId, op, opProof, inputs, inputProofs, roots);
        _openVote(gameId, op, inputs);
    }

    function _verifyReveal(
        uint256 gameId,
        Leaf calldata op,
        bytes32[] calldata opProof,
        Leaf[] calldata inputs,
        bytes32[] calldata inputProofs,
        bytes32[2] calldata roots
    ) internal view {
        (bytes32 root, uint256 lo, uint256 d) = _verifyOp(gameId, op, opProof, roots);
        if (inputs.length > MAX_INPUTS) revert TooManyInputs(inputs.length);
        if (inputProofs.length != inputs.length * d) revert BadProofLength(inputs.length * d, inputProofs.length);
        _verifyInputs(root, lo, d, inputs, inputProofs);
    }

    function _openVote(uint256 gameId, Leaf calldata op, Leaf[] calldata inputs) internal {
        uint40 deadline = _now() + uint40(voteWindow);
        bytes32 evidence = keccak256(abi.encode(op, inputs));
        _games[gameId].phase = Phase.Voting;
        Tally storage t = _tallies[gameId];
        t.deadline = deadline;
        t.evidenceHash = evidence;
        emit LeafRevealed(gameId, op, inputs, evidence, deadline);
    }

    function _verifyOp(uint256 gameId, Leaf calldata op, bytes32[] calldata proof, bytes32[2] calldata roots)
        internal
        view
        returns (bytes32 root, uint256 lo, uint256 d)
    {
        Game memory g = _games[gameId];
        Job storage j = _liveJob(gameId, g.jobId);
        if (msg.sender != j.provider) revert NotProvider(gameId);
        _expectTurn(g, Phase.ProviderReveal);
        lo = g.lo;
        if (op.index != lo) revert WrongLeafIndex(lo, op.index);
        d = TraceMerkle.depth(j.opCount);
        if (proof.length != d) revert BadProofLength(d, proof.length);
        if (_bound(g.jobId, j.provider, GameTree.commitment(roots[0], roots[1])) != j.traceRoot) {
            revert BadCommitment(gameId);
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

    /// @notice A committee member's verdict on a game's revealed op, once per member and game,
    /// before the deadline. accept must come with reason 0 or 1; reject with reason 1 or 2.
    function vote(uint256 gameId, bool accept, uint8 reason) external {
        Game storage g = _games[gameId];
        if (g.phase != Phase.Voting) revert WrongTurn(Phase.Voting, g.phase);
        _liveJob(gameId, g.jobId);
        Tally storage t = _tallies[gameId];
        if (block.timestamp > t.deadline) revert VotingClosed(t.deadline);
        _expectOwesVote(gameId, msg.sender, t);
        if (_marks[gameId][msg.sender] != 0) revert AlreadyVoted(msg.sender);
        if (reason > 2) revert BadReason(reason);
        if ((accept && reason == 2) || (!accept && reason == 0)) revert ReasonContradictsVote(accept, reason);
        _marks[gameId][msg.sender] = accept ? MARK_ACCEPT : MARK_REJECT;
        if (accept) ++t.accepts;
        else ++t.rejects;
        ++t.byReason[reason];
        emit Voted(gameId, msg.sender, accept, reason);
    }

    /// @notice After the vote window, ends the game. With fewer than `quorum` votes the game is
    /// void (challenger's bond back, the job undecided by it); otherwise the majority wins (a tie
    /// keeps the provider's result) and `voterRewardBps` of the loser's bond goes to the majority
    /// voters in equal shares; the rest moves as DisputeGame._endGame says.
    function resolveVote(uint256 gameId) external {
        Game storage g = _games[gameId];
        if (g.phase != Phase.Voting) revert WrongTurn(Phase.Voting, g.phase);
        _liveJob(gameId, g.jobId);
        Tally storage t = _tallies[gameId];
        if (block.timestamp <= t.deadline) revert VotingStillOpen(t.deadline);
        uint256 cast = uint256(t.accepts) + t.rejects;
        if (cast < quorum) {
            t.outcome = Outcome.NoQuorum;
            emit VoteResolved(gameId, Outcome.NoQuorum, t.accepts, t.rejects, 0);
            _endGame(gameId, g, Outcome.NoQuorum, 0);
            return;
        }
        bool providerWins = t.accepts >= t.rejects;
        Outcome o = providerWins ? Outcome.ProviderWon : Outcome.ChallengerWon;
        uint256 winners = providerWins ? t.accepts : t.rejects;
        uint256 loserBond = providerWins ? challengerBond : providerBond;
        uint128 perVoter = uint128((loserBond * voterRewardBps / 10_000) / winners);
        t.outcome = o;
        t.rewardPerVoter = perVoter;
        emit VoteResolved(gameId, o, t.accepts, t.rejects, perVoter);
        _endGame(gameId, g, o, perVoter * winners);
    }

    /// @notice Credits a majority voter its share once the game's ballot is resolved, once.
    function claimVoteReward(uint256 gameId) external {
        Tally storage t = _tallies[gameId];
        uint8 mark = _marks[gameId][msg.sender];
        bool onWinningSide = (t.outcome == Outcome.ProviderWon && mark == MARK_ACCEPT)
            || (t.outcome == Outcome.ChallengerWon && mark == MARK_REJECT);
        if (!onWinningSide || t.rewardPerVoter == 0) revert NothingToClaim();
        _marks[gameId][msg.sender] = MARK_PAID;
        emit VoteRewardClaimed(gameId, msg.sender, t.rewardPerVoter);
        _credit(msg.sender, t.rewardPerVoter);
    }

    /// @notice After a game's ballot is resolved, slashes `slashBps` of `memberStake` from a member
    /// that owed a vote and cast none. The slash never goes to the caller (who could be the member
    /// itself): it goes to the winner of the game, or to the burn balance when the ballot had no
    /// quorum, so no one profits from the absence that voided it. Once per member and ballot. A
    /// moot game's ballot owes no votes.
    function penalize(uint256 gameId, address member) external {
        Tally storage t = _tallies[gameId];
        Game storage g = _games[gameId];
        if (t.deadline == 0) revert WrongTurn(Phase.Voting, g.phase);
        if (g.outcome == Outcome.Moot) revert GameMoot(gameId);
        if (block.timestamp <= t.deadline) revert VotingStillOpen(t.deadline);
        if (t.outcome == Outcome.None) {
            if (_jobs[g.jobId].status == JobStatus.Rejected) revert GameMoot(gameId);
            revert WrongTurn(Phase.Resolved, Phase.Voting);
        }
        if (_marks[gameId][member] != 0) revert AlreadyVoted(member);
        // The same test as vote(): only a member that could have voted owes the vote.
        _expectOwesVote(gameId, member, t);
        _marks[gameId][member] = MARK_PENALIZED;
        uint128 cut = uint128(memberStake * slashBps / 10_000);
        _members[member].stake -= cut; // stake >= memberStake >= cut (_expectOwesVote)
        address to = t.outcome == Outcome.ProviderWon
            ? _jobs[g.jobId].provider
            : t.outcome == Outcome.ChallengerWon ? gameChallenger[gameId] : BURN;
        emit MemberPenalized(gameId, member, cut, to);
        _credit(to, cut);
    }

    /// @notice A game's ballot: deadline, counts, reasons, outcome, reward, evidence hash.
    function getTally(uint256 gameId) external view returns (Tally memory) {
        return _tallies[gameId];
    }

    /// @notice 0 none, 1 voted accept, 2 voted reject, 3 penalised, 4 reward paid (per game).
    function voteMark(uint256 gameId, address member) external view returns (uint8) {
        return _marks[gameId][member];
    }

    function _openedAt(Tally storage t) internal view returns (uint256) {
        return uint256(t.deadline) - voteWindow;
    }

    /// Who owes a vote on a game's ballot, and so may cast one: a member bonded before it opened
    /// and not leaving before it opened, holding at least `memberStake` (an under-staked member is
    /// neither asked nor slashed until it tops up), and not a party to that game.
    function _expectOwesVote(uint256 gameId, address member, Tally storage t) internal view {
        if (!isEligible(member, _openedAt(t)) || _members[member].stake < memberStake) {
            revert NotCommitteeMember(member);
        }
        if (member == _jobs[_games[gameId].jobId].provider || member == gameChallenger[gameId]) {
            revert ConflictedVoter();
        }
    }
}
