// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {JobBook} from "./JobBook.sol";
import {Bisection} from "./lib/Bisection.sol";
import {GameTree} from "./lib/GameTree.sol";
import {JobDomain} from "./lib/JobDomain.sol";
import {TraceMerkle} from "./lib/TraceMerkle.sol";
import {Game, Job, JobStatus, Leaf, Outcome, Phase} from "./interfaces/TaoTypes.sol";

/// @title DisputeGame
/// @notice k-ary bisection over the op indices of a challenged trace. The state is an
/// interval [lo, hi): the challenger agrees with the trace up to lo and disputes the
/// leaf of op hi - 1. Each move has a deadline; whoever misses one loses the game.
abstract contract DisputeGame is JobBook {
    mapping(uint256 => Game) internal _games;
    mapping(uint256 => address) public challengerOf;
    /// GameTree.listHash of the child nodes the last bisect revealed (0 before the first one,
    /// when the parent is the job commitment [opRoot, gameRoot] itself).
    mapping(uint256 => bytes32) internal _childrenHash;

    /// @notice Challenges a posted result with exactly `challengerBond` wei, before the window closes.
    /// The game starts on [0, opCount) with the provider to move.
    function challenge(uint256 jobId) external payable {
        Job storage j = _job(jobId);
        _expectStatus(jobId, j, JobStatus.Submitted);
        if (block.timestamp > j.challengeDeadline) revert ChallengeWindowClosed(jobId);
        if (msg.sender == j.provider) revert SelfChallenge();
        if (msg.value != challengerBond) revert WrongBond(challengerBond, msg.value);
        j.status = JobStatus.Disputed;
        challengerOf[jobId] = msg.sender;
        uint32 n = j.opCount;
        Phase phase = n == 1 ? Phase.ProviderReveal : Phase.ProviderBisect;
        uint40 deadline = _now() + uint40(moveTimeout);
        // The commitment's children are [opRoot, gameRoot]; the game tree is child 1.
        _games[jobId] = Game(0, n, deadline, phase, 0, 1);
        emit DisputeOpened(jobId, msg.sender, 0, n, phase, deadline);
    }

    /// @notice Provider move: reveals the leaves at the k-1 cut indices of [lo, hi), in order, and
    /// the m child nodes of the interval (GameTree). `parentChildren` are the nodes the previous
    /// bisect revealed ([opRoot, gameRoot] in the first round); the one the challenger selected
    /// must equal node(cuts, children). Calldata and work are O(k), independent of the op count.
    function bisect(
        uint256 jobId,
        Leaf[] calldata cuts,
        bytes32[] calldata children,
        bytes32[] calldata parentChildren
    ) external {
        Job storage j = _jobs[jobId];
        if (msg.sender != j.provider) revert NotProvider(jobId);
        Game memory g = _games[jobId];
        _expectTurn(g, Phase.ProviderBisect);
        uint256 m = Bisection.parts(g.lo, g.hi, arity);
        if (cuts.length != m - 1) revert WrongCutCount(m - 1, cuts.length);
        if (children.length != m) revert WrongChildCount(m, children.length);
        for (uint256 i; i < cuts.length; ++i) {
            uint256 want = Bisection.cutIndex(g.lo, g.hi, m, i + 1);
            if (cuts[i].index != want) revert WrongLeafIndex(want, cuts[i].index);
        }
        _checkParent(jobId, j, g.selected, parentChildren);
        if (GameTree.nodeHash(cuts, children) != parentChildren[g.selected]) revert BadNode(g.lo, g.hi);
        _childrenHash[jobId] = GameTree.listHash(children);
        uint40 deadline = _now() + uint40(moveTimeout);
        _games[jobId] = Game(g.lo, g.hi, deadline, Phase.ChallengerSelect, g.round, g.selected);
        emit CutsRevealed(jobId, g.round, g.lo, g.hi, cuts, children, deadline);
    }

    /// @notice Challenger move: picks part `segment` (< parts) of the last split as the new interval.
    function select(uint256 jobId, uint256 segment) external {
        if (msg.sender != challengerOf[jobId]) revert NotChallenger(jobId);
        Game memory g = _games[jobId];
        _expectTurn(g, Phase.ChallengerSelect);
        uint256 m = Bisection.parts(g.lo, g.hi, arity);
        if (segment >= m) revert BadSegment(segment, m);
        (uint256 lo, uint256 hi) = Bisection.select(g.lo, g.hi, m, segment);
        Phase next = hi - lo == 1 ? Phase.ProviderReveal : Phase.ProviderBisect;
        uint40 deadline = _now() + uint40(moveTimeout);
        uint16 round = g.round + 1;
        _games[jobId] = Game(uint32(lo), uint32(hi), deadline, next, round, uint8(segment));
        emit SegmentSelected(jobId, round, segment, uint32(lo), uint32(hi), next, deadline);
    }

    /// @notice After a missed move deadline, anyone may end the game for the side that was waiting.
    function timeout(uint256 jobId) external {
        Game storage g = _games[jobId];
        Phase p = g.phase;
        if (p != Phase.ProviderBisect && p != Phase.ChallengerSelect && p != Phase.ProviderReveal) {
            revert WrongTurn(Phase.ProviderBisect, p);
        }
        if (block.timestamp <= g.deadline) revert DeadlineNotPassed(g.deadline);
        g.phase = Phase.Resolved;
        emit MoveTimedOut(jobId, p);
        Outcome o = p == Phase.ChallengerSelect ? Outcome.ProviderWon : Outcome.ChallengerWon;
        Job storage j = _jobs[jobId];
        (address winner, uint256 toWinner) = _winnerTakes(jobId, j, o);
        _credit(winner, toWinner);
    }

    /// @notice The game: interval, whose turn, its deadline and the round number.
    function getGame(uint256 jobId) external view returns (Game memory) {
        return _games[jobId];
    }

    /// @notice The op indices whose leaves the provider must reveal next (empty unless it is its bisect turn).
    function pendingCuts(uint256 jobId) external view returns (uint256[] memory idx) {
        Game memory g = _games[jobId];
        if (g.phase != Phase.ProviderBisect) return idx;
        uint256 m = Bisection.parts(g.lo, g.hi, arity);
        idx = new uint256[](m - 1);
        for (uint256 i = 1; i < m; ++i) {
            idx[i - 1] = Bisection.cutIndex(g.lo, g.hi, m, i);
        }
    }

    /// @notice The rule's proof length for a job: ceil(log2(opCount)).
    function proofDepth(uint256 jobId) external view returns (uint256) {
        return TraceMerkle.depth(_jobs[jobId].opCount);
    }

    /// `parentChildren` must be the list the last bisect stored, or in round one the opening of
    /// the job commitment itself, bound to this job and its provider.
    function _checkParent(uint256 jobId, Job storage j, uint8 selected, bytes32[] calldata parentChildren)
        internal
        view
    {
        bytes32 want = _childrenHash[jobId];
        bytes32 opened = GameTree.listHash(parentChildren);
        if (want == 0) (want, opened) = (j.traceRoot, _bound(jobId, j.provider, opened));
        if (selected >= parentChildren.length || opened != want) revert BadParentNodes(jobId);
    }

    /// The job commitment a provider must have posted for a trace commitment (JobDomain).
    function _bound(uint256 jobId, address provider, bytes32 traceCommitment) internal view returns (bytes32) {
        return JobDomain.bind(block.chainid, address(this), jobId, provider, traceCommitment);
    }

    function _expectTurn(Game memory g, Phase want) internal view {
        if (g.phase != want) revert WrongTurn(want, g.phase);
        if (block.timestamp > g.deadline) revert MoveTooLate(g.deadline);
    }

    /// Closes the job for the winner of a game; returns what the winner is owed from the
    /// two bonds (the caller pays voters out of it first where there are any).
    function _winnerTakes(uint256 jobId, Job storage j, Outcome o)
        internal
        returns (address winner, uint256 bonds)
    {
        bonds = providerBond + challengerBond;
        if (o == Outcome.ProviderWon) {
            winner = j.provider;
            _close(jobId, j, JobStatus.Accepted);
            _credit(winner, j.fee);
        } else {
            winner = challengerOf[jobId];
            _close(jobId, j, JobStatus.Rejected);
            _credit(j.client, j.fee);
        }
        emit DisputeResolved(jobId, o, winner);
    }
}
