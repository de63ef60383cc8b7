// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {TraceTree} from "./utils/TraceTree.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {Game, JobStatus, Leaf, Phase} from "../src/interfaces/TaoTypes.sol";

/// Issue 14, finding 4 (first part): the op revealed at the end of a game used to be checked
/// against opRoot only. A provider committing an op tree and a game tree over different leaves
/// could bisect on one and reveal the other's leaf. Now the revealed op must be the game's own
/// leaf (node(lo, lo + 1) of the game tree).
contract GameBindingTest is Fixture {
    using TraceTree for TraceTree.Game;

    uint256 internal constant OTHER_SALT = 8;

    /// Plays the game to its leaf on the game tree's own leaves (salted OTHER_SALT).
    function _bisectOnGameTree(uint256 gid, Plan memory p) internal {
        while (tao.getGame(gid).phase != Phase.ProviderReveal) {
            uint256[] memory idx = tao.pendingCuts(gid);
            Leaf[] memory cuts = new Leaf[](idx.length);
            for (uint256 i; i < idx.length; ++i) cuts[i] = TraceTree.leafOf(idx[i], OTHER_SALT);
            Game memory g = tao.getGame(gid);
            (, bytes32[] memory children) = p.game.split(g.lo, g.hi);
            bytes32[] memory parent = g.round == 0 ? rootsOf(p) : lastChildren[gid];
            vm.prank(provider);
            tao.bisect(gid, cuts, children, parent);
            lastChildren[gid] = children;
            selectMove(gid, p);
        }
    }

    /// Reveals the op tree's leaf with `parent` as the game's last split, expecting `err`.
    function _revealExpecting(uint256 gid, Plan memory p, bytes32[] memory parent, bytes memory err) internal {
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        bytes32[2] memory roots = rootPair(p);
        vm.prank(provider);
        vm.expectRevert(err);
        tao.revealLeaf(gid, op, opProof, ins, insProofs, roots, parent);
    }

    /// An n-op job committed with its game tree built over other leaves than its op tree (a
    /// mismatched commitment), and a challenge on it.
    function _mismatchedGame(uint256 n) internal returns (Plan memory p, uint256 job, uint256 gid) {
        deploy(4);
        joinAll();
        p = makePlan(n, 4, 5);
        p.game = TraceTree.game(4, p.tree.pos[0], OTHER_SALT);
        job = postResult(p);
        gid = challengeJob(job);
    }

    function test_revealedOpMustBeTheGamesLeaf() public {
        (Plan memory p, uint256 job, uint256 gid) = _mismatchedGame(64);
        _bisectOnGameTree(gid, p);
        // The op tree's leaf at lo proves against opRoot, but it is not the leaf the game ended on.
        bytes32[] memory last = lastChildren[gid];
        _revealExpecting(gid, p, last, abi.encodeWithSelector(ITaoErrors.BadNode.selector, p.lo, p.lo + 1));
        // Nor can it pass off other nodes as the game's last split.
        bytes32[] memory forged = new bytes32[](last.length);
        for (uint256 i; i < last.length; ++i) forged[i] = TraceTree.leafRef(TraceTree.leafOf(p.lo, SALT));
        _revealExpecting(gid, p, forged, abi.encodeWithSelector(ITaoErrors.BadParentNodes.selector, gid));
        // With no valid reveal the provider loses the game by timeout, and the job with it.
        vm.warp(uint256(tao.getGame(gid).deadline) + 1);
        tao.timeout(gid);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "rejected");
    }

    /// A one-op job has no bisect: the op must be the game root itself.
    function test_singleOpRevealMatchesTheGameRoot() public {
        (Plan memory p, uint256 job, uint256 gid) = _mismatchedGame(1);
        _revealExpecting(gid, p, rootsOf(p), abi.encodeWithSelector(ITaoErrors.BadNode.selector, 0, 1));
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Disputed), "still to be answered");
    }
}
