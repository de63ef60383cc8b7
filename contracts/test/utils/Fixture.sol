// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Deployer} from "./Deployer.sol";
import {TraceTree} from "./TraceTree.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {Ballot, Config, Game, Leaf, Phase, Seat} from "../../src/interfaces/TaoTypes.sol";

/// Deploys a coordinator with known parameters and plays the honest provider and a scripted
/// challenger, so each test states only what it checks.
abstract contract Fixture is Deployer {
    using TraceTree for TraceTree.Tree;
    using TraceTree for TraceTree.Game;

    uint256 internal constant FEE = 0.3 ether;
    uint256 internal constant PBOND = 1 ether;
    uint256 internal constant CBOND = 0.8 ether;
    uint256 internal constant STAKE = 0.5 ether;
    uint32 internal constant WINDOW = 1 hours;
    uint32 internal constant MOVE = 30 minutes;
    uint32 internal constant VOTE = 1 days;
    uint32 internal constant UNBOND = 2 days;
    uint256 internal constant SALT = 7;
    uint16 internal constant PANEL = 5;
    uint16 internal constant QUORUM = 3;
    uint16 internal constant DRAW_DELAY = 2;

    TaoCoordinator internal tao;
    address internal client = address(0xC11E);
    address internal provider = address(0xB0B);
    address internal challenger = address(0xCAFE);
    address internal outsider = address(0xBAD);
    address[] internal members;

    /// A scripted game: the interval choices of the challenger and every index the provider will open.
    struct Plan {
        uint256 n;
        uint256[] segments;
        uint256 lo;
        uint256[] inputs;
        TraceTree.Tree tree;
        TraceTree.Game game;
        TraceTree.Tree graph; // the registered model graph (GraphMerkle): op lo reads `inputs`
    }

    /// The child nodes each game's last bisect revealed (what its next move must open).
    mapping(uint256 => bytes32[]) internal lastChildren;

    /// [opRoot, gameRoot]: the children of a job's commitment.
    function rootsOf(Plan memory p) internal pure returns (bytes32[] memory r) {
        r = new bytes32[](2);
        r[0] = p.tree.root();
        r[1] = p.game.node(0, p.n);
    }

    /// The trace commitment keccak256(0x03 ‖ opRoot ‖ gameRoot).
    function commitmentOf(Plan memory p) internal pure returns (bytes32) {
        return TraceTree.listRef(rootsOf(p));
    }

    /// The job commitment `who` posts for plan `p` on job `jobId` here (JobDomain, re-derived).
    function boundOf(Plan memory p, uint256 jobId, address who) internal view returns (bytes32) {
        return keccak256(
            abi.encodePacked(bytes1(0x04), block.chainid, address(tao), jobId, who, commitmentOf(p))
        );
    }

    function config(uint8 k) internal pure returns (Config memory) {
        return Config({
            arity: k,
            challengeWindow: WINDOW,
            moveTimeout: MOVE,
            voteWindow: VOTE,
            unbondingPeriod: UNBOND,
            providerBond: uint96(PBOND),
            challengerBond: uint96(CBOND),
            memberStake: uint96(STAKE),
            quorum: QUORUM,
            voterRewardBps: 2000,
            slashBps: 1000,
            panelSize: PANEL,
            drawDelay: DRAW_DELAY
        });
    }

    function deploy(uint8 k) internal {
        vm.warp(1_700_000_000);
        tao = newCoordinator(config(k));
        vm.deal(client, 100 ether);
        vm.deal(provider, 100 ether);
        vm.deal(challenger, 100 ether);
        vm.deal(outsider, 100 ether);
        delete members;
        for (uint256 i; i < 3; ++i) {
            address m = address(uint160(0xA0 + i));
            members.push(m);
            vm.deal(m, 10 ether);
        }
    }

    function joinAll() internal {
        for (uint256 i; i < members.length; ++i) {
            vm.prank(members[i]);
            tao.joinCommittee{value: STAKE}();
        }
        vm.warp(block.timestamp + 1);
    }

    /// The model a plan runs: its size and graph (plans ending on different ops differ).
    function modelFor(Plan memory p) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("model", p.n, p.graph.root()));
    }

    /// The job's posted output: the trace's own, the output hash of its last leaf.
    function outputOf(Plan memory p) internal pure returns (bytes32) {
        return TraceTree.leafOf(p.n - 1, SALT).outputHash;
    }

    /// Registers the plan's model (once) and posts a job for it, with no result yet.
    function requestJobFor(Plan memory plan) internal returns (uint256 jobId) {
        bytes32 model = modelFor(plan);
        if (tao.getModel(model).owner == address(0)) {
            tao.registerModel(model, plan.graph.root(), uint32(plan.n), keccak256("profile"));
        }
        vm.prank(client);
        jobId = tao.requestJob{value: FEE}(model, keccak256("input"), address(0));
    }

    /// Registers an n-op model and posts a job and a result committed to `plan.tree`.
    function postResult(Plan memory plan) internal returns (uint256 jobId) {
        jobId = requestJobFor(plan);
        vm.prank(provider);
        tao.submitResult{value: PBOND}(jobId, outputOf(plan), boundOf(plan, jobId, provider), uint32(plan.n));
    }

    /// Opens the default challenger's game on a job; returns the game id.
    function challengeJob(uint256 jobId) internal returns (uint256) {
        return challengeAs(jobId, challenger);
    }

    function challengeAs(uint256 jobId, address who) internal returns (uint256 gameId) {
        vm.prank(who);
        gameId = tao.challenge{value: CBOND}(jobId);
    }

    /// Simulates the game for choices derived from `seed` and builds the tree over every opened leaf.
    function makePlan(uint256 n, uint256 k, uint256 seed) internal pure returns (Plan memory p) {
        return _plan(n, k, seed, type(uint256).max);
    }

    /// A plan whose challenger always selects the part holding op `target`, so the game ends there.
    function makePlanTo(uint256 n, uint256 k, uint256 target) internal pure returns (Plan memory p) {
        return _plan(n, k, 0, target);
    }

    function _plan(uint256 n, uint256 k, uint256 seed, uint256 target) private pure returns (Plan memory p) {
        p.n = n;
        uint256[] memory idx = new uint256[](64 * k + 8);
        p.segments = new uint256[](64);
        uint256 count;
        uint256 rounds;
        uint256 lo;
        uint256 hi = n;
        while (hi - lo > 1) {
            uint256 m = hi - lo < k ? hi - lo : k;
            for (uint256 i = 1; i < m; ++i) idx[count++] = lo + (hi - lo) * i / m - 1;
            uint256 s = uint256(keccak256(abi.encode(seed, rounds))) % m;
            if (target < n) {
                s = 0;
                while (lo + (hi - lo) * (s + 1) / m <= target) ++s;
            }
            p.segments[rounds++] = s;
            (lo, hi) = (lo + (hi - lo) * s / m, lo + (hi - lo) * (s + 1) / m);
        }
        p.lo = lo;
        idx[count++] = lo;
        if (lo >= 2) {
            p.inputs = new uint256[](2);
            (p.inputs[0], p.inputs[1]) = (lo / 2 - 1, lo - 1);
        } else if (lo == 1) {
            p.inputs = new uint256[](1);
        }
        for (uint256 i; i < p.inputs.length; ++i) idx[count++] = p.inputs[i];
        uint256[] memory segs = p.segments;
        assembly {
            mstore(idx, count)
            mstore(segs, rounds)
        }
        p.tree = TraceTree.build(n, TraceTree.sortUnique(idx), SALT);
        p.game = TraceTree.game(k, p.tree.pos[0], SALT);
        p.graph = TraceTree.graphFor(n, lo, p.inputs, SALT);
    }

    /// The provider's bisect arguments for the current turn: the cut leaves, the interval's
    /// child nodes and the nodes the previous bisect revealed (the commitment's in round 0).
    function cutsFor(uint256 gameId, Plan memory p)
        internal
        view
        returns (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent)
    {
        uint256[] memory idx = tao.pendingCuts(gameId);
        cuts = new Leaf[](idx.length);
        for (uint256 i; i < idx.length; ++i) cuts[i] = TraceTree.leafOf(idx[i], SALT);
        Game memory g = tao.getGame(gameId);
        (, children) = p.game.split(g.lo, g.hi);
        parent = g.round == 0 ? rootsOf(p) : lastChildren[gameId];
    }

    function bisectMove(uint256 gameId, Plan memory p) internal {
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(gameId, p);
        vm.prank(provider);
        tao.bisect(gameId, cuts, children, parent);
        lastChildren[gameId] = children;
    }

    /// The game's own challenger picks the part the plan says.
    function selectMove(uint256 gameId, Plan memory p) internal {
        Game memory g = tao.getGame(gameId);
        address who = tao.gameChallenger(gameId);
        vm.prank(who);
        tao.select(gameId, p.segments[g.round]);
    }

    function revealArgs(Plan memory p)
        internal
        pure
        returns (Leaf memory op, bytes32[] memory opProof, Leaf[] memory inputs, bytes32[] memory inputProofs)
    {
        uint256 d = p.tree.depth;
        op = TraceTree.leafOf(p.lo, SALT);
        opProof = TraceTree.concat(p.tree.proof(p.lo), p.graph.proof(p.lo));
        inputs = new Leaf[](p.inputs.length);
        inputProofs = new bytes32[](p.inputs.length * d);
        for (uint256 i; i < p.inputs.length; ++i) {
            inputs[i] = TraceTree.leafOf(p.inputs[i], SALT);
            bytes32[] memory pr = p.tree.proof(p.inputs[i]);
            for (uint256 l; l < d; ++l) inputProofs[i * d + l] = pr[l];
        }
    }

    function rootPair(Plan memory p) internal pure returns (bytes32[2] memory r) {
        bytes32[] memory l = rootsOf(p);
        (r[0], r[1]) = (l[0], l[1]);
    }

    /// The nodes the game's last bisect revealed, or the commitment's [opRoot, gameRoot].
    function parentOf(uint256 gameId, Plan memory p) internal view returns (bytes32[] memory) {
        return tao.getGame(gameId).round == 0 && lastChildren[gameId].length == 0 ? rootsOf(p) : lastChildren[gameId];
    }

    function revealMove(uint256 gameId, Plan memory p) internal {
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory inputs, bytes32[] memory inputProofs) = revealArgs(p);
        bytes32[] memory parent = parentOf(gameId, p);
        vm.prank(provider);
        tao.revealLeaf(gameId, op, opProof, inputs, inputProofs, rootPair(p), parent);
    }

    /// Plays bisect/select rounds of a game until the provider must reveal the single op.
    function playToLeaf(uint256 gameId, Plan memory p) internal {
        while (tao.getGame(gameId).phase != Phase.ProviderReveal) {
            bisectMove(gameId, p);
            selectMove(gameId, p);
        }
    }

    /// Votes committed in a test and not yet revealed, per game.
    struct Sealed {
        address member;
        bool accept;
        uint8 reason;
    }

    mapping(uint256 => Sealed[]) internal sealedVotes;

    function saltOf(uint256 gameId, address m) internal pure returns (bytes32) {
        return keccak256(abi.encode("salt", gameId, m));
    }

    /// Moves past the ballot's seeding block and draws its pending panel.
    function drawPanel(uint256 gameId) internal {
        uint256 at = tao.getBallot(gameId).drawBlock;
        if (block.number <= at) vm.roll(at + 1);
        tao.drawPanel(gameId);
    }

    function seatsOf(uint256 gameId, address m) internal view returns (uint256) {
        return tao.seatOf(gameId, m).count;
    }

    /// True iff `m` holds seats on the game's current panel.
    function seatedNow(uint256 gameId, address m) internal view returns (bool) {
        Seat memory s = tao.seatOf(gameId, m);
        return s.count != 0 && s.round == tao.getBallot(gameId).round;
    }

    /// A member seals its vote now; revealVotes opens it after the commit deadline.
    function castVote(uint256 gameId, address m, bool accept, uint8 reason) internal {
        bytes32 sealedVote = tao.voteHash(gameId, m, accept, reason, saltOf(gameId, m));
        vm.prank(m);
        tao.commitVote(gameId, sealedVote);
        sealedVotes[gameId].push(Sealed(m, accept, reason));
    }

    /// Every member seated on the current panel votes the same way.
    function panelVotes(uint256 gameId, bool accept) internal {
        uint8 reason = accept ? 0 : 2;
        for (uint256 i; i < members.length; ++i) {
            if (seatedNow(gameId, members[i])) castVote(gameId, members[i], accept, reason);
        }
    }

    /// After the commit deadline, reveals every vote sealed on the game.
    function revealVotes(uint256 gameId) internal {
        Ballot memory b = tao.getBallot(gameId);
        if (block.timestamp <= b.commitDeadline) vm.warp(uint256(b.commitDeadline) + 1);
        Sealed[] storage v = sealedVotes[gameId];
        for (uint256 i; i < v.length; ++i) {
            vm.prank(v[i].member);
            tao.revealVote(gameId, v[i].accept, v[i].reason, saltOf(gameId, v[i].member));
        }
        delete sealedVotes[gameId];
    }

    /// Reveals the sealed votes, lets the reveal window pass and resolves the ballot.
    function closeBallot(uint256 gameId) internal {
        revealVotes(gameId);
        vm.warp(uint256(tao.getBallot(gameId).revealDeadline) + 1);
        tao.resolveVote(gameId);
    }

    /// Draws the first panel, has it vote `accept` unanimously, and resolves the ballot.
    function decideBallot(uint256 gameId, bool accept) internal {
        drawPanel(gameId);
        panelVotes(gameId, accept);
        closeBallot(gameId);
    }
}
