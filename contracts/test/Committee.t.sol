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
    uint256 internal game;

    function setUp() public {
        deploy(4);
        joinAll();
        plan = makePlan(64, 4, 5);
        job = postResult(plan);
        game = challengeJob(job);
        playToLeaf(game, plan);
        revealMove(game, plan);
    }

    function _afterVote() internal {
        vm.warp(tao.getTally(game).deadline + 1);
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
        emit ITaoEvents.Voted(game, members[0], false, 2);
        castVote(game, members[0], false, 2);
        castVote(game, members[1], true, 1);
        Tally memory t = tao.getTally(game);
        assertEq(t.accepts, 1, "accepts");
        assertEq(t.rejects, 1, "rejects");
        assertEq(t.byReason[2], 1, "beyond sound bound");
        assertEq(t.byReason[1], 1, "beyond empirical");
        assertEq(tao.voteMark(game, members[0]), 2, "mark reject");
    }

    function test_doubleVoteReverts() public {
        castVote(game, members[0], true, 0);
        vm.prank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyVoted.selector, members[0]));
        tao.vote(game, false, 1);
    }

    function test_nonMemberVoteReverts() public {
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, outsider));
        tao.vote(game, true, 0);
    }

    function test_lateJoinerCannotVote() public {
        address m = address(0x4321);
        vm.deal(m, 1 ether);
        vm.prank(m);
        tao.joinCommittee{value: STAKE}();
        vm.warp(block.timestamp + 10);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, m));
        tao.vote(game, true, 0);
    }

    function test_conflictedVoterReverts() public {
        vm.prank(provider);
        tao.joinCommittee{value: STAKE}();
        Plan memory p = makePlan(8, 4, 9);
        vm.warp(block.timestamp + 1);
        uint256 id = postResult(p);
        uint256 gid = challengeJob(id);
        playToLeaf(gid, p);
        revealMove(gid, p);
        vm.prank(provider);
        vm.expectRevert(ITaoErrors.ConflictedVoter.selector);
        tao.vote(gid, true, 0);
    }

    function test_reasonCodesChecked() public {
        vm.startPrank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadReason.selector, 3));
        tao.vote(game, false, 3);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ReasonContradictsVote.selector, true, 2));
        tao.vote(game, true, 2);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ReasonContradictsVote.selector, false, 0));
        tao.vote(game, false, 0);
        vm.stopPrank();
    }

    function test_voteOutsidePhaseOrWindowReverts() public {
        uint256 deadline = tao.getTally(game).deadline;
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingStillOpen.selector, deadline));
        tao.resolveVote(game);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingStillOpen.selector, deadline));
        tao.penalize(game, members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderBisect, Phase.Voting));
        tao.timeout(game);
        _afterVote();
        vm.prank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingClosed.selector, deadline));
        tao.vote(game, true, 0);
        tao.resolveVote(game);
        vm.prank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Voting, Phase.Resolved));
        tao.vote(game, true, 0);
    }

    function test_challengerWinsByMajority() public {
        castVote(game, members[0], false, 2);
        castVote(game, members[1], false, 1);
        castVote(game, members[2], true, 0);
        _afterVote();
        tao.resolveVote(game);
        uint256 pool = PBOND * 2000 / 10_000;
        Tally memory t = tao.getTally(game);
        assertEq(uint256(t.outcome), uint256(Outcome.ChallengerWon), "challenger won");
        assertEq(t.rewardPerVoter, pool / 2, "per voter");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "rejected");
        uint256 left = PBOND - (pool / 2) * 2;
        assertEq(tao.balanceOf(challenger), CBOND + left / 2, "winner's take: own bond + half the rest");
        assertEq(tao.balanceOf(tao.BURN()), left - left / 2, "other half burned");
        assertEq(tao.balanceOf(client), FEE, "client refunded");
        vm.prank(members[0]);
        tao.claimVoteReward(game);
        assertEq(tao.balanceOf(members[0]), pool / 2, "reward");
        vm.prank(members[0]);
        vm.expectRevert(ITaoErrors.NothingToClaim.selector);
        tao.claimVoteReward(game);
        vm.prank(members[2]);
        vm.expectRevert(ITaoErrors.NothingToClaim.selector);
        tao.claimVoteReward(game);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Voting, Phase.Resolved));
        tao.resolveVote(game);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyFinalized.selector, job));
        tao.finalize(job);
    }

    function test_providerWinsOnTie() public {
        castVote(game, members[0], false, 1);
        castVote(game, members[1], true, 1);
        _afterVote();
        tao.resolveVote(game);
        uint256 per = CBOND * 2000 / 10_000;
        assertEq(uint256(tao.getTally(game).outcome), uint256(Outcome.ProviderWon), "tie keeps result");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Accepted), "accepted");
        assertEq(tao.balanceOf(provider), FEE + PBOND + CBOND - per, "provider's take");
        vm.prank(members[1]);
        tao.claimVoteReward(game);
        assertEq(tao.balanceOf(members[1]), per, "sole majority voter");
    }

    /// No quorum voids the game only: the challenger's bond comes back and the job is decided
    /// as if the game had not been opened (here: window over, no other game, so accepted).
    function test_noQuorumVoidsOnlyTheGame() public {
        castVote(game, members[0], false, 2);
        _afterVote();
        tao.resolveVote(game);
        assertEq(uint256(tao.getTally(game).outcome), uint256(Outcome.NoQuorum), "no quorum");
        assertEq(uint256(tao.getGame(game).outcome), uint256(Outcome.NoQuorum), "game void");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Accepted), "job undecided by the game");
        assertEq(tao.balanceOf(client), 0, "fee paid");
        assertEq(tao.balanceOf(provider), FEE + PBOND, "provider: fee and bond");
        assertEq(tao.balanceOf(challenger), CBOND, "challenger bond back");
        vm.prank(members[0]);
        vm.expectRevert(ITaoErrors.NothingToClaim.selector);
        tao.claimVoteReward(game);
    }

    function test_penalizeAbsentMember() public {
        castVote(game, members[0], true, 0);
        castVote(game, members[1], true, 0);
        _afterVote();
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Resolved, Phase.Voting));
        tao.penalize(game, members[2]);
        tao.resolveVote(game);
        uint256 providerBefore = tao.balanceOf(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyVoted.selector, members[0]));
        tao.penalize(game, members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, outsider));
        tao.penalize(game, outsider);
        vm.prank(outsider);
        tao.penalize(game, members[2]);
        uint256 cut = STAKE * 1000 / 10_000;
        assertEq(tao.getMember(members[2]).stake, STAKE - cut, "slashed");
        // The slash used to pay the caller; it now goes to the winner of the game.
        assertEq(tao.balanceOf(outsider), 0, "caller not paid");
        assertEq(tao.balanceOf(provider), providerBefore + cut, "winner paid");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyVoted.selector, members[2]));
        tao.penalize(game, members[2]);
        assertEq(tao.voteMark(game, members[2]), 3, "marked penalised");
    }

    function test_penalizeBeforeVotingReverts() public {
        Plan memory p = makePlan(8, 4, 2);
        uint256 id = postResult(p);
        uint256 gid = challengeJob(id);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Voting, Phase.ProviderBisect));
        tao.penalize(gid, members[0]);
    }

    function test_slashedBelowStakeCannotVoteUntilToppedUp() public {
        _afterVote();
        tao.resolveVote(game);
        tao.penalize(game, members[2]);
        Plan memory p = makePlan(8, 4, 3);
        uint256 id = postResult(p);
        uint256 gid = challengeJob(id);
        playToLeaf(gid, p);
        revealMove(gid, p);
        vm.prank(members[2]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, members[2]));
        tao.vote(gid, true, 0);
        vm.prank(members[2]);
        tao.addStake{value: 1 ether}();
        castVote(gid, members[2], true, 0);
    }

    function test_leavingMemberStillOwesOpenVote() public {
        vm.prank(members[2]);
        tao.requestLeave();
        _afterVote();
        tao.resolveVote(game);
        tao.penalize(game, members[2]);
        assertEq(tao.balanceOf(tao.BURN()), STAKE * 1000 / 10_000, "no quorum: slash burned");
        assertEq(tao.voteMark(game, members[2]), 3, "penalised while unbonding");
    }
}
