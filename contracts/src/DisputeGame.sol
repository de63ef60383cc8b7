// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {JobBook} from "./JobBook.sol";
import {Bisection} from "./lib/Bisection.sol";
import {GameTree} from "./lib/GameTree.sol";
import {JobDomain} from "./lib/JobDomain.sol";
import {TraceMerkle} from "./lib/TraceMerkle.sol";
import {Game, Job, JobStatus, Leaf, Outcome, Phase} from "./interfaces/TaoTypes.sol";

/// @title DisputeGame
/// @notice k-ary bisection over the op indices of a challenged trace. Every challenger plays
/// its own game (at most one per account and job), so no account can keep another out of the
/// dispute. A game's state is an interval [lo, hi): its challenger agrees with the trace up to
/// lo and disputes the leaf of op hi - 1. Each move has a deadline; whoever misses one loses
/// the game. The first game the provider loses rejects the job and makes the others moot.
abstract contract DisputeGame is JobBook {
    /// @notice Number of games ever opened; ids run from 1 to gameCount across all jobs.
    uint256 public gameCount;
    mapping(uint256 => Game) internal _games;
    /// @notice The account that opened a game and plays its selections.
    mapping(uint256 => address) public gameChallenger;
    /// @notice The game an account opened on a job (0: none).
    mapping(uint256 => mapping(address => uint256)) public gameOf;
    /// @notice Games on a job that have not ended yet (moot ones count until closed).
    mapping(uint256 => uint256) public openGames;
    mapping(uint256 => uint256[]) internal _jobGames;
    /// GameTree.listHash of the child nodes the last bisect of a game revealed (0 before the
    /// first one, when the parent is the job commitment [opRoot, gameRoot] itself).
    mapping(uint256 => bytes32) internal _childrenHash;

    /// @notice Opens the caller's own game on a posted result with exactly `challengerBond` wei,
    /// before the window closes, whatever games others opened. The game starts on
    /// [0, opCount) with the provider to move. Returns the game id.
    function challenge(uint256 jobId) external payable returns (uint256 gameId) {
        Job storage j = _job(jobId);
        if (j.status != JobStatus.Disputed) _expectStatus(jobId, j, JobStatus.Submitted);
        if (block.timestamp > j.challengeDeadline) revert ChallengeWindowClosed(jobId);
        if (msg.sender == j.provider) revert SelfChallenge();
        if (msg.value != challengerBond) revert WrongBond(challengerBond, msg.value);
        uint256 existing = gameOf[jobId][msg.sender];
        if (existing != 0) revert AlreadyChallenged(jobId, existing);
        gameId = ++gameCount;
        j.status = JobStatus.Disputed;
        ++openGames[jobId];
        gameOf[jobId][msg.sender] = gameId;
        gameChallenger[gameId] = msg.sender;
        _jobGames[jobId].push(gameId);
        uint32 n = j.opCount;
        Phase phase = n == 1 ? Phase.ProviderReveal : Phase.ProviderBisect;
        uint40 deadline = _now() + uint40(moveTimeout);
        // The commitment's children are [opRoot, gameRoot]; the game tree is child 1.
        _games[gameId] = Game(0, n, deadline, phase, 0, 1, Outcome.None, uint64(jobId));
        emit DisputeOpened(jobId, gameId, msg.sender, 0, n, phase, deadline);
    }

    /// @notice Provider move: reveals the leaves at the k-1 cut indices of [lo, hi), in order, and
    /// the m child nodes of the interval (GameTree). `parentChildren` are the nodes the previous
    /// bisect revealed ([opRoot, gameRoot] in the first round); the one the challenger selected
    /// must equal node(cuts, children). Calldata and work are O(k), independent of the op count.
    function bisect(
        uint256 gameId,
        Leaf[] calldata cuts,
        bytes32[] calldata children,
        bytes32[] calldata parentChildren
    ) external {
        Game memory g = _games[gameId];
        Job storage j = _liveJob(gameId, g.jobId);
        if (msg.sender != j.provider) revert NotProvider(gameId);
        _expectTurn(g, Phase.ProviderBisect);
        uint256 m = Bisection.parts(g.lo, g.hi, arity);
        if (cuts.length != m - 1) revert WrongCutCount(m - 1, cuts.length);
        if (children.length != m) revert WrongChildCount(m, children.length);
        for (uint256 i; i < cuts.length; ++i) {
            uint256 want = Bisection.cutIndex(g.lo, g.hi, m, i + 1);
            if (cuts[i].index != want) revert WrongLeafIndex(want, cuts[i].index);
        }
        _checkParent(gameId, g.jobId, j, g.selected, parentChildren);
        if (GameTree.nodeHash(cuts, children) != parentChildren[g.selected]) revert BadNode(g.lo, g.hi);
        _childrenHash[gameId] = GameTree.listHash(children);
        uint40 deadline = _now() + uint40(moveTimeout);
        _games[gameId] =
            Game(g.lo, g.hi, deadline, Phase.ChallengerSelect, g.round, g.selected, Outcome.None, g.jobId);
        emit CutsRevealed(gameId, g.round, g.lo, g.hi, cuts, children, deadline);
    }

    /// @notice Challenger move: picks part `segment` (< parts) of the last split as the new interval.
    function select(uint256 gameId, uint256 segment) external {
        if (msg.sender != gameChallenger[gameId]) revert NotChallenger(gameId);
        Game memory g = _games[gameId];
        _liveJob(gameId, g.jobId);
        _expectTurn(g, Phase.ChallengerSelect);
        uint256 m = Bisection.parts(g.lo, g.hi, arity);
        if (segment >= m) revert BadSegment(segment, m);
        (uint256 lo, uint256 hi) = Bisection.select(g.lo, g.hi, m, segment);
        Phase next = hi - lo == 1 ? Phase.ProviderReveal : Phase.ProviderBisect;
        uint40 deadline = _now() + uint40(moveTimeout);
        uint16 round = g.round + 1;
        _games[gameId] = Game(uint32(lo), uint32(hi), deadline, next, round, uint8(segment), Outcome.None, g.jobId);
        emit SegmentSelected(gameId, round, segment, uint32(lo), uint32(hi), next, deadline);
    }

    /// @notice After a missed move deadline, anyone may end the game for the side that was waiting.
    function timeout(uint256 gameId) external {
        Game storage g = _games[gameId];
        Phase p = g.phase;
        if (p != Phase.ProviderBisect && p != Phase.ChallengerSelect && p != Phase.ProviderReveal) {
            revert WrongTurn(Phase.ProviderBisect, p);
        }
        _liveJob(gameId, g.jobId);
        if (block.timestamp <= g.deadline) revert DeadlineNotPassed(g.deadline);
        emit MoveTimedOut(gameId, p);
        _endGame(gameId, g, p == Phase.ChallengerSelect ? Outcome.ProviderWon : Outcome.ChallengerWon, 0);
    }

    /// @notice Once the job is rejected, anyone may close one of its other games that is still
    /// open: it is moot, its challenger gets its bond back and its ballot's seats are released
    /// with neither reward nor slash.
    function closeMootGame(uint256 gameId) external {
        Game storage g = _games[gameId];
        Phase p = g.phase;
        uint256 jobId = g.jobId;
        if (p == Phase.None || p == Phase.Resolved || _jobs[jobId].status != JobStatus.Rejected) {
            revert GameNotMoot(gameId);
        }
        g.phase = Phase.Resolved;
        g.outcome = Outcome.Moot;
        --openGames[jobId];
        address c = gameChallenger[gameId];
        emit MootGameClosed(jobId, gameId, c);
        _credit(c, challengerBond);
    }

    /// @notice A game: interval, whose turn, its deadline, round, outcome and job.
    function getGame(uint256 gameId) external view returns (Game memory) {
        return _games[gameId];
    }

    /// @notice The job a game disputes (0 for an unknown game).
    function gameJob(uint256 gameId) external view returns (uint256) {
        return _games[gameId].jobId;
    }

    /// @notice Every game ever opened on a job, in opening order (a view: never looped over on chain).
    function jobGames(uint256 jobId) external view returns (uint256[] memory) {
        return _jobGames[jobId];
    }

    /// @notice The op indices whose leaves the provider must reveal next (empty unless it is its bisect turn).
    function pendingCuts(uint256 gameId) external view returns (uint256[] memory idx) {
        Game memory g = _games[gameId];
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

    /// `parentChildren` must be the list the game's last bisect stored, or in round one the
    /// opening of the job commitment itself, bound to this job and its provider.
    function _checkParent(
        uint256 gameId,
        uint256 jobId,
        Job storage j,
        uint8 selected,
        bytes32[] calldata parentChildren
    ) internal view {
        bytes32 want = _childrenHash[gameId];
        bytes32 opened = GameTree.listHash(parentChildren);
        if (want == 0) (want, opened) = (j.traceRoot, _bound(jobId, j.provider, opened));
        if (selected >= parentChildren.length || opened != want) revert BadParentNodes(gameId);
    }

    /// The job commitment a provider must have posted for a trace commitment (JobDomain).
    function _bound(uint256 jobId, address provider, bytes32 traceCommitment) internal view returns (bytes32) {
        return JobDomain.bind(block.chainid, address(this), jobId, provider, traceCommitment);
    }

    /// The job of a game whose moves still matter: once another game rejected the job, this
    /// one is moot and only closeMootGame may end it (so it cannot pay out a second time).
    function _liveJob(uint256 gameId, uint256 jobId) internal view returns (Job storage j) {
        j = _jobs[jobId];
        if (j.status == JobStatus.Rejected) revert GameMoot(gameId);
    }

    function _expectTurn(Game memory g, Phase want) internal view {
        if (g.phase != want) revert WrongTurn(want, g.phase);
        if (block.timestamp > g.deadline) revert MoveTooLate(g.deadline);
    }

    /// Ends a live game with outcome `o` (ProviderWon or ChallengerWon); `toVoters` is what the
    /// winning-side seats take from the loser's bond (0 after a timeout).
    /// - ProviderWon: the challenger's bond, less `toVoters`, to the provider.
    /// - ChallengerWon: the job is rejected: fee to the client, the challenger's bond back plus
    ///   half of the provider bond left after `toVoters`, the other half to BURN (so a provider
    ///   losing to its own second account still loses half its bond).
    /// When the last open game ends without a provider loss, the job is accepted at once if the
    /// window is over, else it returns to Submitted and finalize accepts it after the window.
    function _endGame(uint256 gameId, Game storage g, Outcome o, uint256 toVoters) internal {
        g.phase = Phase.Resolved;
        g.outcome = o;
        uint256 jobId = g.jobId;
        Job storage j = _jobs[jobId];
        address c = gameChallenger[gameId];
        uint256 open = --openGames[jobId];
        if (o == Outcome.ChallengerWon) {
            emit DisputeResolved(jobId, gameId, o, c);
            _close(jobId, j, JobStatus.Rejected);
            _credit(j.client, j.fee);
            uint256 left = providerBond - toVoters;
            _credit(c, challengerBond + left / 2);
            _credit(BURN, left - left / 2);
            return;
        }
        emit DisputeResolved(jobId, gameId, o, j.provider);
        _credit(j.provider, challengerBond - toVoters);
        if (open != 0) return;
        if (block.timestamp > j.challengeDeadline) _accept(jobId, j);
        else j.status = JobStatus.Submitted;
    }
}
