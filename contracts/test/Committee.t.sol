// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {ITaoEvents} from "../src/interfaces/ITaoEvents.sol";
import {JobStatus, Outcome, Phase, Tally} from "../src/interfaces/TaoTypes.sol";

/// Membership, votes, resolution, rewards and penalties.
contract CommitteeTest is Fixture {
    Plan internal plan;
    uint256 internal job;

    function setUp() public {
        deploy(4);
        joinAll();
        plan = makePlan(64, 4, 5);
        job = postResult(plan);
        challengeJob(job);
        playToLeaf(job, plan);
        revealMove(job, plan);
    }

    function _afterVote() internal {
        vm.warp(tao.getTally(job).deadline + 1);
    }

    function test_joinLeaveExit() public {
        address m = address(0x1234);
        vm.deal(m, 1 ether);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongBond.selector, STAKE, 1));
        tao.joinCommittee{value: 1}();
        vm.prank(m);
        tao.joinCommittee{value: STAKE}();
        assertEq(tao.activeMembers(), 4, "four members");
        vm.prank(m);
        vm.expectRevert(ITaoErrors.AlreadyMember.selector);
        tao.joinCommittee{value: STAKE}();
        vm.prank(m);
        tao.addStake{value: 0.1 ether}();
        assertEq(tao.getMember(m).stake, STAKE + 0.1 ether, "topped up");
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.StakeLocked.selector, type(uint256).max));
        tao.exitCommittee();
        vm.prank(m);
        tao.requestLeave();
        assertEq(tao.activeMembers(), 3, "leaving member not active");
        vm.prank(m);
        vm.expectRevert(ITaoErrors.MemberLeaving.selector);
        tao.requestLeave();
        vm.prank(m);
        vm.expectRevert(ITaoErrors.MemberLeaving.selector);
        tao.addStake{value: 1}();
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.StakeLocked.selector, block.timestamp + UNBOND));
        tao.exitCommittee();
        vm.warp(block.timestamp + UNBOND);
        vm.prank(m);
        tao.exitCommittee();
        assertEq(tao.balanceOf(m), STAKE + 0.1 ether, "stake credited");
        assertEq(tao.getMember(m).joinedAt, 0, "forgotten");
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, m));
        tao.exitCommittee();
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, m));
        tao.requestLeave();
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, m));
        tao.addStake{value: 1}();
    }

    function test_voteRecorded() public {
        vm.expectEmit(true, true, false, true, address(tao));
        emit ITaoEvents.Voted(job, members[0], false, 2);
        castVote(job, members[0], false, 2);
        castVote(job, members[1], true, 1);
        Tally memory t = tao.getTally(job);
        assertEq(t.accepts, 1, "accepts");
        assertEq(t.rejects, 1, "rejects");
        assertEq(t.byReason[2], 1, "beyond sound bound");
        assertEq(t.byReason[1], 1, "beyond empirical");
        assertEq(tao.voteMark(job, members[0]), 2, "mark reject");
    }

    function test_doubleVoteReverts() public {
        castVote(job, members[0], true, 0);
        vm.prank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyVoted.selector, members[0]));
        tao.vote(job, false, 1);
    }

    function test_nonMemberVoteReverts() public {
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, outsider));
        tao.vote(job, true, 0);
    }

    function test_lateJoinerCannotVote() public {
        address m = address(0x4321);
        vm.deal(m, 1 ether);
        vm.prank(m);
        tao.joinCommittee{value: STAKE}();
        vm.warp(block.timestamp + 10);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, m));
        tao.vote(job, true, 0);
    }

    function test_conflictedVoterReverts() public {
        vm.prank(provider);
        tao.joinCommittee{value: STAKE}();
        Plan memory p = makePlan(8, 4, 9);
        vm.warp(block.timestamp + 1);
        uint256 id = postResult(p);
        challengeJob(id);
        playToLeaf(id, p);
        revealMove(id, p);
        vm.prank(provider);
        vm.expectRevert(ITaoErrors.ConflictedVoter.selector);
        tao.vote(id, true, 0);
    }

    function test_reasonCodesChecked() public {
        vm.startPrank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadReason.selector, 3));
        tao.vote(job, false, 3);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ReasonContradictsVote.selector, true, 2));
        tao.vote(job, true, 2);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ReasonContradictsVote.selector, false, 0));
        tao.vote(job, false, 0);
        vm.stopPrank();
    }

    function test_voteOutsidePhaseOrWindowReverts() public {
        uint256 deadline = tao.getTally(job).deadline;
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingStillOpen.selector, deadline));
        tao.resolveVote(job);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingStillOpen.selector, deadline));
        tao.penalize(job, members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.Voting));
        tao.timeout(job);
        _afterVote();
        vm.prank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingClosed.selector, deadline));
        tao.vote(job, true, 0);
        tao.resolveVote(job);
        vm.prank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Voting, Phase.Resolved));
        tao.vote(job, true, 0);
    }

    function test_challengerWinsByMajority() public {
        castVote(job, members[0], false, 2);
        castVote(job, members[1], false, 1);
        castVote(job, members[2], true, 0);
        _afterVote();
        tao.resolveVote(job);
        uint256 pool = PBOND * 2000 / 10_000;
        Tally memory t = tao.getTally(job);
        assertEq(uint256(t.outcome), uint256(Outcome.ChallengerWon), "challenger won");
        assertEq(t.rewardPerVoter, pool / 2, "per voter");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "rejected");
        assertEq(tao.balanceOf(challenger), CBOND + PBOND - (pool / 2) * 2, "winner's take");
        assertEq(tao.balanceOf(client), FEE, "client refunded");
        vm.prank(members[0]);
        tao.claimVoteReward(job);
        assertEq(tao.balanceOf(members[0]), pool / 2, "reward");
        vm.prank(members[0]);
        vm.expectRevert(ITaoErrors.NothingToClaim.selector);
        tao.claimVoteReward(job);
        vm.prank(members[2]);
        vm.expectRevert(ITaoErrors.NothingToClaim.selector);
        tao.claimVoteReward(job);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Voting, Phase.Resolved));
        tao.resolveVote(job);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyFinalized.selector, job));
        tao.finalize(job);
    }

    function test_providerWinsOnTie() public {
        castVote(job, members[0], false, 1);
        castVote(job, members[1], true, 1);
        _afterVote();
        tao.resolveVote(job);
        uint256 per = CBOND * 2000 / 10_000;
        assertEq(uint256(tao.getTally(job).outcome), uint256(Outcome.ProviderWon), "tie keeps result");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Accepted), "accepted");
        assertEq(tao.balanceOf(provider), FEE + PBOND + CBOND - per, "provider's take");
        vm.prank(members[1]);
        tao.claimVoteReward(job);
        assertEq(tao.balanceOf(members[1]), per, "sole majority voter");
    }

    function test_noQuorumVoidsAndRefunds() public {
        castVote(job, members[0], false, 2);
        _afterVote();
        tao.resolveVote(job);
        assertEq(uint256(tao.getTally(job).outcome), uint256(Outcome.NoQuorum), "no quorum");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Voided), "voided");
        assertEq(tao.balanceOf(client), FEE, "fee back");
        assertEq(tao.balanceOf(provider), PBOND, "provider bond back");
        assertEq(tao.balanceOf(challenger), CBOND, "challenger bond back");
        vm.prank(members[0]);
        vm.expectRevert(ITaoErrors.NothingToClaim.selector);
        tao.claimVoteReward(job);
    }

    function test_penalizeAbsentMember() public {
        castVote(job, members[0], true, 0);
        castVote(job, members[1], true, 0);
        _afterVote();
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Resolved, Phase.Voting));
        tao.penalize(job, members[2]);
        tao.resolveVote(job);
        uint256 providerBefore = tao.balanceOf(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyVoted.selector, members[0]));
        tao.penalize(job, members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, outsider));
        tao.penalize(job, outsider);
        vm.prank(outsider);
        tao.penalize(job, members[2]);
        uint256 cut = STAKE * 1000 / 10_000;
        assertEq(tao.getMember(members[2]).stake, STAKE - cut, "slashed");
        // The slash used to pay the caller; it now goes to the winner of the game.
        assertEq(tao.balanceOf(outsider), 0, "caller not paid");
        assertEq(tao.balanceOf(provider), providerBefore + cut, "winner paid");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyVoted.selector, members[2]));
        tao.penalize(job, members[2]);
        assertEq(tao.voteMark(job, members[2]), 3, "marked penalised");
    }

    function test_penalizeBeforeVotingReverts() public {
        Plan memory p = makePlan(8, 4, 2);
        uint256 id = postResult(p);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Voting, Phase.None));
        tao.penalize(id, members[0]);
    }

    function test_slashedBelowStakeCannotVoteUntilToppedUp() public {
        _afterVote();
        tao.resolveVote(job);
        tao.penalize(job, members[2]);
        Plan memory p = makePlan(8, 4, 3);
        uint256 id = postResult(p);
        challengeJob(id);
        playToLeaf(id, p);
        revealMove(id, p);
        vm.prank(members[2]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, members[2]));
        tao.vote(id, true, 0);
        vm.prank(members[2]);
        tao.addStake{value: 1 ether}();
        castVote(id, members[2], true, 0);
    }

    function test_leavingMemberStillOwesOpenVote() public {
        vm.prank(members[2]);
        tao.requestLeave();
        _afterVote();
        tao.resolveVote(job);
        tao.penalize(job, members[2]);
        assertEq(tao.balanceOf(tao.BURN()), STAKE * 1000 / 10_000, "no quorum: slash burned");
        assertEq(tao.voteMark(job, members[2]), 3, "penalised while unbonding");
    }
}
