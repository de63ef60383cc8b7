// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {TraceTree} from "./utils/TraceTree.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {ITaoEvents} from "../src/interfaces/ITaoEvents.sol";
import {Game, JobStatus, Leaf, Outcome, Phase} from "../src/interfaces/TaoTypes.sol";

/// The bisection game: challenge, provider cuts, challenger selection, leaf reveal, timeouts.
contract DisputeTest is Fixture {
    Plan internal plan;
    uint256 internal job;

    function setUp() public {
        deploy(4);
        plan = makePlan(100, 4, 1);
        job = postResult(plan);
    }

    function _game() internal view returns (Game memory) {
        return tao.getGame(job);
    }

    function test_challengeOpensGame() public {
        vm.expectEmit(true, true, false, true, address(tao));
        emit ITaoEvents.DisputeOpened(job, challenger, 0, 100, Phase.ProviderBisect, uint40(block.timestamp + MOVE));
        challengeJob(job);
        Game memory g = _game();
        assertEq(g.lo, 0, "lo");
        assertEq(g.hi, 100, "hi");
        assertEq(uint256(g.phase), uint256(Phase.ProviderBisect), "provider to move");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Disputed), "disputed");
        assertEq(tao.challengerOf(job), challenger, "challenger");
        assertEq(address(tao).balance, FEE + PBOND + CBOND, "escrow");
    }

    function test_challengeReverts() public {
        vm.prank(provider);
        vm.expectRevert(ITaoErrors.SelfChallenge.selector);
        tao.challenge{value: CBOND}(job);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongBond.selector, CBOND, 1));
        tao.challenge{value: 1}(job);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ChallengeWindowClosed.selector, job));
        tao.challenge{value: CBOND}(job);
    }

    function test_challengeTwiceReverts() public {
        challengeJob(job);
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongJobStatus.selector, job, JobStatus.Disputed));
        tao.challenge{value: CBOND}(job);
    }

    function test_finalizeDuringDisputeReverts() public {
        challengeJob(job);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongJobStatus.selector, job, JobStatus.Disputed));
        tao.finalize(job);
    }

    function test_bisectAndSelect() public {
        challengeJob(job);
        uint256[] memory cuts = tao.pendingCuts(job);
        assertEq(cuts.length, 3, "k - 1 cuts");
        assertEq(cuts[0], 24, "cut 1");
        assertEq(cuts[1], 49, "cut 2");
        assertEq(cuts[2], 74, "cut 3");
        bisectMove(job, plan);
        assertEq(uint256(_game().phase), uint256(Phase.ChallengerSelect), "challenger to move");
        assertEq(tao.pendingCuts(job).length, 0, "no cuts pending on challenger's turn");
        vm.prank(challenger);
        tao.select(job, 2);
        Game memory g = _game();
        assertEq(g.lo, 50, "lo");
        assertEq(g.hi, 75, "hi");
        assertEq(g.round, 1, "round");
        assertEq(uint256(g.phase), uint256(Phase.ProviderBisect), "provider again");
    }

    function test_fullGameToVoting() public {
        challengeJob(job);
        playToLeaf(job, plan);
        Game memory g = _game();
        assertEq(g.hi - g.lo, 1, "one op");
        assertEq(g.lo, plan.lo, "where the plan said");
        revealMove(job, plan);
        assertEq(uint256(_game().phase), uint256(Phase.Voting), "voting");
        assertEq(tao.getTally(job).deadline, block.timestamp + VOTE, "vote deadline");
    }

    function test_singleOpJobGoesStraightToReveal() public {
        Plan memory p = makePlan(1, 4, 0);
        uint256 id = postResult(p);
        challengeJob(id);
        assertEq(uint256(tao.getGame(id).phase), uint256(Phase.ProviderReveal), "reveal at once");
        assertEq(tao.proofDepth(id), 0, "depth 0");
        revealMove(id, p);
        assertEq(uint256(tao.getGame(id).phase), uint256(Phase.Voting), "voting");
    }

    function test_wrongTurnReverts() public {
        challengeJob(job);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ChallengerSelect, Phase.ProviderBisect));
        tao.select(job, 0);
        bisectMove(job, plan);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(job, plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.ChallengerSelect));
        tao.bisect(job, cuts, children, parent);
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderReveal, Phase.ChallengerSelect));
        tao.revealLeaf(job, op, opProof, ins, insProofs, rootPair(plan));
    }

    function test_wrongPlayerReverts() public {
        challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(job, plan);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotProvider.selector, job));
        tao.bisect(job, cuts, children, parent);
        bisectMove(job, plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotChallenger.selector, job));
        tao.select(job, 0);
    }

    function test_lateMoveReverts() public {
        challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(job, plan);
        uint256 deadline = _game().deadline;
        vm.warp(deadline + 1);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.MoveTooLate.selector, deadline));
        tao.bisect(job, cuts, children, parent);
    }

    function test_lateSelectReverts() public {
        challengeJob(job);
        bisectMove(job, plan);
        uint256 deadline = _game().deadline;
        vm.warp(deadline + 1);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.MoveTooLate.selector, deadline));
        tao.select(job, 0);
    }

    function test_badProofReverts() public {
        challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(job, plan);
        vm.startPrank(provider);
        cuts[1].outputHash ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadNode.selector, 0, 100));
        tao.bisect(job, cuts, children, parent);
        cuts[1].outputHash ^= bytes32(uint256(1));
        children[3] ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadNode.selector, 0, 100));
        tao.bisect(job, cuts, children, parent);
        children[3] ^= bytes32(uint256(1));
        parent[0] ^= bytes32(uint256(1)); // another opRoot: not the job's commitment
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadParentNodes.selector, job));
        tao.bisect(job, cuts, children, parent);
        parent[0] ^= bytes32(uint256(1));
        tao.bisect(job, cuts, children, parent);
        vm.stopPrank();
        // Round 2 must open the children round 1 revealed, not the commitment again.
        selectMove(job, plan);
        (cuts, children,) = cutsFor(job, plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadParentNodes.selector, job));
        tao.bisect(job, cuts, children, parent);
    }

    function test_badCutShapeReverts() public {
        challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(job, plan);
        Leaf[] memory two = new Leaf[](2);
        (two[0], two[1]) = (cuts[0], cuts[1]);
        vm.startPrank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongCutCount.selector, 3, 2));
        tao.bisect(job, two, children, parent);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongChildCount.selector, 4, 3));
        tao.bisect(job, cuts, new bytes32[](3), parent);
        cuts[0].index = 23;
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongLeafIndex.selector, 24, 23));
        tao.bisect(job, cuts, children, parent);
        vm.stopPrank();
    }

    function test_badSegmentReverts() public {
        challengeJob(job);
        bisectMove(job, plan);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadSegment.selector, 4, 4));
        tao.select(job, 4);
    }

    function test_revealReverts() public {
        challengeJob(job);
        playToLeaf(job, plan);
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(plan);
        assertTrue(ins.length == 2, "plan has two inputs");
        vm.startPrank(provider);
        Leaf memory wrong = TraceTree.leafOf(plan.lo + 1, SALT);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongLeafIndex.selector, plan.lo, plan.lo + 1));
        tao.revealLeaf(job, wrong, opProof, ins, insProofs, rootPair(plan));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProofLength.selector, 7, 6));
        tao.revealLeaf(job, op, new bytes32[](6), ins, insProofs, rootPair(plan));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProofLength.selector, 14, 7));
        tao.revealLeaf(job, op, opProof, ins, new bytes32[](7), rootPair(plan));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.TooManyInputs.selector, 17));
        tao.revealLeaf(job, op, opProof, new Leaf[](17), insProofs, rootPair(plan));
        bytes32[2] memory roots = rootPair(plan);
        roots[1] ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadCommitment.selector, job));
        tao.revealLeaf(job, op, opProof, ins, insProofs, roots);
        op.schemaHash ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProof.selector, plan.lo));
        tao.revealLeaf(job, op, opProof, ins, insProofs, rootPair(plan));
        op.schemaHash ^= bytes32(uint256(1));
        Leaf memory second = ins[1];
        ins[1] = ins[0];
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadInputIndex.selector, ins[0].index));
        tao.revealLeaf(job, op, opProof, ins, insProofs, rootPair(plan));
        ins[1] = second;
        ins[1].outputHash = bytes32(0);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProof.selector, ins[1].index));
        tao.revealLeaf(job, op, opProof, ins, insProofs, rootPair(plan));
        ins[1] = TraceTree.leafOf(plan.lo, SALT);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadInputIndex.selector, plan.lo));
        tao.revealLeaf(job, op, opProof, ins, insProofs, rootPair(plan));
        vm.stopPrank();
    }

    function test_providerBisectTimeoutChallengerWins() public {
        challengeJob(job);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.DeadlineNotPassed.selector, _game().deadline));
        tao.timeout(job);
        vm.warp(_game().deadline + 1);
        vm.expectEmit(true, false, false, true, address(tao));
        emit ITaoEvents.MoveTimedOut(job, Phase.ProviderBisect);
        vm.prank(outsider);
        tao.timeout(job);
        _assertChallengerWonByDefault();
    }

    function test_providerRevealTimeoutChallengerWins() public {
        challengeJob(job);
        playToLeaf(job, plan);
        vm.warp(_game().deadline + 1);
        tao.timeout(job);
        _assertChallengerWonByDefault();
    }

    function test_challengerTimeoutProviderWins() public {
        challengeJob(job);
        bisectMove(job, plan);
        vm.warp(_game().deadline + 1);
        tao.timeout(job);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Accepted), "accepted");
        assertEq(tao.balanceOf(provider), FEE + PBOND + CBOND, "provider takes fee and both bonds");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.Resolved));
        tao.timeout(job);
    }

    function test_timeoutWithoutGameReverts() public {
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.None));
        tao.timeout(job);
    }

    function _assertChallengerWonByDefault() internal view {
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "rejected");
        assertEq(uint256(_game().phase), uint256(Phase.Resolved), "resolved");
        assertEq(tao.balanceOf(challenger), PBOND + CBOND, "challenger takes both bonds");
        assertEq(tao.balanceOf(client), FEE, "client refunded");
        assertEq(tao.balanceOf(provider), 0, "provider gets nothing");
    }

    function testFuzz_gameReachesLeaf(uint256 n, uint8 k, uint256 seed) public {
        n = 1 + n % 5000;
        k = uint8(2 + k % 15);
        deploy(k);
        Plan memory p = makePlan(n, k, seed);
        uint256 id = postResult(p);
        challengeJob(id);
        playToLeaf(id, p);
        Game memory g = tao.getGame(id);
        assertEq(g.hi - g.lo, 1, "single op");
        assertEq(g.lo, p.lo, "planned op");
        revealMove(id, p);
        assertEq(uint256(tao.getGame(id).phase), uint256(Phase.Voting), "voting");
    }
}
