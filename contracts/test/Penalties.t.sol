// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {TaoCoordinator} from "../src/TaoCoordinator.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {Config, Outcome} from "../src/interfaces/TaoTypes.sol";

/// Regression tests for the committee penalty rule: a slash never pays the caller, is taken
/// only from a member that owed a vote and could have cast it, and cannot be escaped by
/// leaving the committee before anyone had the chance to report the missed vote.
contract PenaltiesTest is Fixture {
    Plan internal plan;
    uint256 internal game;

    function setUp() public {
        deploy(4);
        joinAll();
    }

    /// Posts a job, challenges it and plays to an open ballot; returns the game id.
    function _ballot(uint256 n, uint256 seed) internal returns (uint256 gid) {
        plan = makePlan(n, 4, seed);
        uint256 id = postResult(plan);
        gid = challengeJob(id);
        playToLeaf(gid, plan);
        revealMove(gid, plan);
    }

    function _closeBallot(uint256 gid) internal {
        vm.warp(tao.getTally(gid).deadline + 1);
        tao.resolveVote(gid);
    }

    function _cut() internal pure returns (uint256) {
        return STAKE * 1000 / 10_000;
    }

    /// A member that skipped a ballot used to report itself and get its own slash back.
    function test_selfPenalizeDoesNotPaySelf() public {
        game = _ballot(64, 5);
        castVote(game, members[0], false, 2);
        castVote(game, members[1], false, 1);
        _closeBallot(game);
        uint256 challengerBefore = tao.balanceOf(challenger);
        vm.prank(members[2]);
        tao.penalize(game, members[2]);
        assertEq(tao.balanceOf(members[2]), 0, "no slash back to the slashed member");
        assertEq(tao.getMember(members[2]).stake, STAKE - _cut(), "slashed");
        assertEq(tao.balanceOf(challenger), challengerBefore + _cut(), "slash to the winning side");
    }

    /// A member slashed below the stake may not vote, and used to be slashed again on every ballot.
    function test_slashedMemberNotSlashedAgain() public {
        game = _ballot(64, 5);
        castVote(game, members[0], true, 0);
        castVote(game, members[1], true, 0);
        _closeBallot(game);
        tao.penalize(game, members[2]);
        uint256 secondGame = _ballot(8, 3);
        vm.prank(members[2]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, members[2]));
        tao.vote(secondGame, true, 0);
        castVote(secondGame, members[0], true, 0);
        castVote(secondGame, members[1], true, 0);
        _closeBallot(secondGame);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, members[2]));
        tao.penalize(secondGame, members[2]);
        assertEq(tao.getMember(members[2]).stake, STAKE - _cut(), "slashed once only");
    }

    /// A member that is party to the dispute may not vote, and used to be slashed for not voting.
    function test_partyMemberNotSlashed() public {
        vm.prank(challenger);
        tao.joinCommittee{value: STAKE}();
        vm.warp(block.timestamp + 1);
        game = _ballot(64, 5);
        vm.prank(challenger);
        vm.expectRevert(ITaoErrors.ConflictedVoter.selector);
        tao.vote(game, false, 2);
        castVote(game, members[0], false, 2);
        castVote(game, members[1], false, 2);
        castVote(game, members[2], false, 2);
        _closeBallot(game);
        vm.expectRevert(ITaoErrors.ConflictedVoter.selector);
        tao.penalize(game, challenger);
        assertEq(tao.getMember(challenger).stake, STAKE, "party keeps its stake");
    }

    /// With unbondingPeriod == voteWindow a member leaving as a ballot opens could exit at its
    /// deadline, before a penalty is possible. Such a deployment is now refused.
    function test_unbondingNotLongerThanVoteWindowRejected() public {
        Config memory c = config(4);
        c.unbondingPeriod = c.voteWindow;
        vm.expectRevert(ITaoErrors.BadConfig.selector);
        new TaoCoordinator(c);
        c.unbondingPeriod = 2 * c.voteWindow - 1;
        vm.expectRevert(ITaoErrors.BadConfig.selector);
        new TaoCoordinator(c);
    }

    /// At the shortest accepted unbonding period, a member that asks to leave as the ballot opens
    /// is still locked at the deadline and can be slashed after it.
    function test_leaverStaysSlashableAfterDeadline() public {
        Config memory c = config(4);
        c.unbondingPeriod = 2 * c.voteWindow;
        tao = new TaoCoordinator(c);
        joinAll();
        game = _ballot(64, 5);
        vm.prank(members[2]);
        tao.requestLeave();
        castVote(game, members[0], true, 0);
        castVote(game, members[1], true, 0);
        vm.warp(tao.getTally(game).deadline);
        vm.prank(members[2]);
        vm.expectRevert(
            abi.encodeWithSelector(ITaoErrors.StakeLocked.selector, block.timestamp - VOTE + 2 * uint256(VOTE))
        );
        tao.exitCommittee();
        _closeBallot(game);
        assertEq(uint256(tao.getTally(game).outcome), uint256(Outcome.ProviderWon), "provider won");
        tao.penalize(game, members[2]);
        assertEq(tao.getMember(members[2]).stake, STAKE - _cut(), "slashed while unbonding");
    }
}
