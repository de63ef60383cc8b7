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
    uint256 internal game;

    function setUp() public {
        deploy(4);
        plan = makePlan(100, 4, 1);
        job = postResult(plan);
    }

    function _game() internal view returns (Game memory) {
        return tao.getGame(game);
    }

    function test_challengeOpensGame() public {
        vm.expectEmit(true, true, false, true, address(tao));
        emit ITaoEvents.DisputeOpened(job, 1, challenger, 0, 100, Phase.ProviderBisect, uint40(block.timestamp + MOVE));
        game = challengeJob(job);
        assertEq(game, 1, "first game id");
        assertEq(tao.gameJob(game), job, "game's job");
        assertEq(tao.gameOf(job, challenger), game, "challenger's game on the job");
        assertEq(tao.openGames(job), 1, "one open game");
        assertEq(tao.jobGames(job).length, 1, "listed");
        Game memory g = _game();
        assertEq(g.lo, 0, "lo");
        assertEq(g.hi, 100, "hi");
        assertEq(uint256(g.phase), uint256(Phase.ProviderBisect), "provider to move");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Disputed), "disputed");
        assertEq(tao.gameChallenger(game), challenger, "challenger");
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

    /// One game per account and job: a second challenge from the same account reverts and
    /// names the game it already has.
    function test_sameAccountChallengesOnce() public {
        game = challengeJob(job);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyChallenged.selector, job, game));
        tao.challenge{value: CBOND}(job);
        uint256 other = challengeAs(job, outsider);
        assertEq(other, game + 1, "another account still opens its own game");
        assertEq(tao.openGames(job), 2, "two open games");
    }

    /// The window boundary: a challenge at the deadline itself is in time, one second later is not.
    function test_challengeAtWindowEdge() public {
        vm.warp(tao.getJob(job).challengeDeadline);
        game = challengeJob(job);
        vm.warp(block.timestamp + 1);
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ChallengeWindowClosed.selector, job));
        tao.challenge{value: CBOND}(job);
    }

    function test_finalizeDuringDisputeReverts() public {
        game = challengeJob(job);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongJobStatus.selector, job, JobStatus.Disputed));
        tao.finalize(job);
    }

    function test_bisectAndSelect() public {
        game = challengeJob(job);
        uint256[] memory cuts = tao.pendingCuts(game);
        assertEq(cuts.length, 3, "k - 1 cuts");
        assertEq(cuts[0], 24, "cut 1");
        assertEq(cuts[1], 49, "cut 2");
        assertEq(cuts[2], 74, "cut 3");
        bisectMove(game, plan);
        assertEq(uint256(_game().phase), uint256(Phase.ChallengerSelect), "challenger to move");
        assertEq(tao.pendingCuts(game).length, 0, "no cuts pending on challenger's turn");
        vm.prank(challenger);
        tao.select(game, 2);
        Game memory g = _game();
        assertEq(g.lo, 50, "lo");
        assertEq(g.hi, 75, "hi");
        assertEq(g.round, 1, "round");
        assertEq(uint256(g.phase), uint256(Phase.ProviderBisect), "provider again");
    }

    function test_fullGameToVoting() public {
        game = challengeJob(job);
        playToLeaf(game, plan);
        Game memory g = _game();
        assertEq(g.hi - g.lo, 1, "one op");
        assertEq(g.lo, plan.lo, "where the plan said");
        revealMove(game, plan);
        assertEq(uint256(_game().phase), uint256(Phase.Voting), "voting");
        assertEq(tao.getBallot(game).drawBlock, block.number + DRAW_DELAY, "panel seeded by a future block");
    }

    function test_singleOpJobGoesStraightToReveal() public {
        Plan memory p = makePlan(1, 4, 0);
        uint256 id = postResult(p);
        uint256 gid = challengeJob(id);
        assertEq(uint256(tao.getGame(gid).phase), uint256(Phase.ProviderReveal), "reveal at once");
        assertEq(tao.proofDepth(id), 0, "depth 0");
        revealMove(gid, p);
        assertEq(uint256(tao.getGame(gid).phase), uint256(Phase.Voting), "voting");
    }

    function test_wrongTurnReverts() public {
        game = challengeJob(job);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ChallengerSelect, Phase.ProviderBisect));
        tao.select(game, 0);
        bisectMove(game, plan);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(game, plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.ChallengerSelect));
        tao.bisect(game, cuts, children, parent);
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderReveal, Phase.ChallengerSelect));
        tao.revealLeaf(game, op, opProof, ins, insProofs, rootPair(plan), children);
    }

    function test_wrongPlayerReverts() public {
        game = challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(game, plan);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotProvider.selector, game));
        tao.bisect(game, cuts, children, parent);
        bisectMove(game, plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotChallenger.selector, game));
        tao.select(game, 0);
    }

    /// Every move made in the very second of its deadline is in time, and in that second the
    /// waiting side cannot end the game yet.
    function test_movesAtTheirDeadlineAreInTime() public {
        game = challengeJob(job);
        while (_game().phase != Phase.ProviderReveal) {
            vm.warp(_game().deadline);
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.DeadlineNotPassed.selector, _game().deadline));
            tao.timeout(game);
            bisectMove(game, plan);
            vm.warp(_game().deadline);
            selectMove(game, plan);
        }
        vm.warp(_game().deadline);
        revealMove(game, plan);
        assertEq(uint256(_game().phase), uint256(Phase.Voting), "reveal at the deadline opens the ballot");
    }

    function test_lateMoveReverts() public {
        game = challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(game, plan);
        uint256 deadline = _game().deadline;
        vm.warp(deadline + 1);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.MoveTooLate.selector, deadline));
        tao.bisect(game, cuts, children, parent);
    }

    function test_lateSelectReverts() public {
        game = challengeJob(job);
        bisectMove(game, plan);
        uint256 deadline = _game().deadline;
        vm.warp(deadline + 1);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.MoveTooLate.selector, deadline));
        tao.select(game, 0);
    }

    function test_badProofReverts() public {
        game = challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(game, plan);
        vm.startPrank(provider);
        cuts[1].outputHash ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadNode.selector, 0, 100));
        tao.bisect(game, cuts, children, parent);
        cuts[1].outputHash ^= bytes32(uint256(1));
        children[3] ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadNode.selector, 0, 100));
        tao.bisect(game, cuts, children, parent);
        children[3] ^= bytes32(uint256(1));
        parent[0] ^= bytes32(uint256(1)); // another opRoot: not the job's commitment
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadParentNodes.selector, game));
        tao.bisect(game, cuts, children, parent);
        parent[0] ^= bytes32(uint256(1));
        tao.bisect(game, cuts, children, parent);
        vm.stopPrank();
        // Round 2 must open the children round 1 revealed, not the commitment again.
        selectMove(game, plan);
        (cuts, children,) = cutsFor(game, plan);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadParentNodes.selector, game));
        tao.bisect(game, cuts, children, parent);
    }

    function test_badCutShapeReverts() public {
        game = challengeJob(job);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(game, plan);
        Leaf[] memory two = new Leaf[](2);
        (two[0], two[1]) = (cuts[0], cuts[1]);
        vm.startPrank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongCutCount.selector, 3, 2));
        tao.bisect(game, two, children, parent);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongChildCount.selector, 4, 3));
        tao.bisect(game, cuts, new bytes32[](3), parent);
        cuts[0].index = 23;
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongLeafIndex.selector, 24, 23));
        tao.bisect(game, cuts, children, parent);
        vm.stopPrank();
    }

    function test_badSegmentReverts() public {
        game = challengeJob(job);
        bisectMove(game, plan);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadSegment.selector, 4, 4));
        tao.select(game, 4);
    }

    function test_revealReverts() public {
        game = challengeJob(job);
        playToLeaf(game, plan);
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(plan);
        assertTrue(ins.length == 2, "plan has two inputs");
        bytes32[] memory parent = parentOf(game, plan);
        vm.startPrank(provider);
        Leaf memory wrong = TraceTree.leafOf(plan.lo + 1, SALT);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongLeafIndex.selector, plan.lo, plan.lo + 1));
        tao.revealLeaf(game, wrong, opProof, ins, insProofs, rootPair(plan), parent);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProofLength.selector, 14, 6));
        tao.revealLeaf(game, op, new bytes32[](6), ins, insProofs, rootPair(plan), parent);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProofLength.selector, 14, 7));
        tao.revealLeaf(game, op, opProof, ins, new bytes32[](7), rootPair(plan), parent);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.TooManyInputs.selector, 65));
        tao.revealLeaf(game, op, opProof, new Leaf[](65), insProofs, rootPair(plan), parent);
        bytes32[2] memory roots = rootPair(plan);
        roots[1] ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadCommitment.selector, game));
        tao.revealLeaf(game, op, opProof, ins, insProofs, roots, parent);
        op.schemaHash ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProof.selector, plan.lo));
        tao.revealLeaf(game, op, opProof, ins, insProofs, rootPair(plan), parent);
        op.schemaHash ^= bytes32(uint256(1));
        Leaf memory second = ins[1];
        ins[1] = ins[0];
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadInputIndex.selector, ins[0].index));
        tao.revealLeaf(game, op, opProof, ins, insProofs, rootPair(plan), parent);
        ins[1] = second;
        ins[1].outputHash = bytes32(0);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProof.selector, ins[1].index));
        tao.revealLeaf(game, op, opProof, ins, insProofs, rootPair(plan), parent);
        ins[1] = TraceTree.leafOf(plan.lo, SALT);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadInputIndex.selector, plan.lo));
        tao.revealLeaf(game, op, opProof, ins, insProofs, rootPair(plan), parent);
        vm.stopPrank();
    }

    function test_providerBisectTimeoutChallengerWins() public {
        game = challengeJob(job);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.DeadlineNotPassed.selector, _game().deadline));
        tao.timeout(game);
        vm.warp(_game().deadline + 1);
        vm.expectEmit(true, false, false, true, address(tao));
        emit ITaoEvents.MoveTimedOut(game, Phase.ProviderBisect);
        vm.prank(outsider);
        tao.timeout(game);
        _assertChallengerWonByDefault();
    }

    function test_providerRevealTimeoutChallengerWins() public {
        game = challengeJob(job);
        playToLeaf(game, plan);
        vm.warp(_game().deadline + 1);
        tao.timeout(game);
        _assertChallengerWonByDefault();
    }

    function test_challengerTimeoutProviderWins() public {
        game = challengeJob(job);
        bisectMove(game, plan);
        vm.warp(_game().deadline + 1);
        tao.timeout(game);
        // The window is still open: the job returns to Submitted, the challenger's bond is the provider's.
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Submitted), "undecided while the window runs");
        assertEq(uint256(_game().outcome), uint256(Outcome.ProviderWon), "game outcome");
        assertEq(tao.openGames(job), 0, "no open game");
        assertEq(tao.balanceOf(provider), CBOND, "challenger's bond to the provider");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.Resolved));
        tao.timeout(game);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ChallengeWindowOpen.selector, job));
        tao.finalize(job);
        vm.warp(tao.getJob(job).challengeDeadline + 1);
        tao.finalize(job);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Accepted), "accepted");
        assertEq(tao.balanceOf(provider), FEE + PBOND + CBOND, "provider takes fee and both bonds");
    }

    /// A game the provider wins after the window closed accepts the job in the same transaction.
    function test_lastGameWonAfterWindowAccepts() public {
        vm.warp(tao.getJob(job).challengeDeadline);
        game = challengeJob(job);
        bisectMove(game, plan);
        vm.warp(_game().deadline + 1);
        tao.timeout(game);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Accepted), "accepted at once");
        assertEq(tao.balanceOf(provider), FEE + PBOND + CBOND, "provider takes fee and both bonds");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyFinalized.selector, job));
        tao.finalize(job);
    }

    /// The last game ending in the window's final second leaves the job open: it goes back to
    /// Submitted, not Accepted, and can still be challenged in that second.
    function test_lastGameEndingAtWindowDeadlineKeepsJobOpen() public {
        game = challengeJob(job);
        uint256 windowEnd = tao.getJob(job).challengeDeadline;
        vm.warp(windowEnd - 1 - MOVE);
        bisectMove(game, plan);
        assertEq(_game().deadline, windowEnd - 1, "challenger's move due a second before the window ends");
        vm.warp(windowEnd);
        tao.timeout(game);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Submitted), "not accepted inside the window");
        assertEq(tao.balanceOf(provider), CBOND, "only the challenger's bond so far");
        assertEq(challengeAs(job, outsider), game + 1, "challenged in the window's last second");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Disputed), "disputed again");
    }

    function test_timeoutWithoutGameReverts() public {
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.None));
        tao.timeout(game);
    }

    function _assertChallengerWonByDefault() internal view {
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "rejected");
        assertEq(uint256(_game().phase), uint256(Phase.Resolved), "resolved");
        assertEq(uint256(_game().outcome), uint256(Outcome.ChallengerWon), "game outcome");
        assertEq(tao.balanceOf(challenger), CBOND + PBOND / 2, "challenger: own bond + half the provider's");
        assertEq(tao.balanceOf(tao.BURN()), PBOND - PBOND / 2, "other half burned");
        assertEq(tao.balanceOf(client), FEE, "client refunded");
        assertEq(tao.balanceOf(provider), 0, "provider gets nothing");
    }

    function testFuzz_gameReachesLeaf(uint256 n, uint8 k, uint256 seed) public {
        n = 1 + n % 5000;
        k = uint8(2 + k % 15);
        deploy(k);
        Plan memory p = makePlan(n, k, seed);
        uint256 id = postResult(p);
        uint256 gid = challengeJob(id);
        playToLeaf(gid, p);
        Game memory g = tao.getGame(gid);
        assertEq(g.hi - g.lo, 1, "single op");
        assertEq(g.lo, p.lo, "planned op");
        revealMove(gid, p);
        assertEq(uint256(tao.getGame(gid).phase), uint256(Phase.Voting), "voting");
    }
}
