// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {Sortition} from "../src/lib/Sortition.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {ITaoEvents} from "../src/interfaces/ITaoEvents.sol";
import {Ballot, JobStatus, Outcome, Phase} from "../src/interfaces/TaoTypes.sol";

/// Membership and the ballot of one game: the panel draw, sealed votes, resolution,
/// escalation and settlement of seats.
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

    function _cut() internal pure returns (uint256) {
        return STAKE * 1000 / 10_000;
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
        assertEq(tao.roster().length, 4, "on the roster");
        vm.prank(m);
        vm.expectRevert(ITaoErrors.AlreadyMember.selector);
        tao.joinCommittee{value: STAKE}();
        vm.warp(block.timestamp + 5);
        vm.prank(m);
        tao.addStake{value: 0.1 ether}();
        assertEq(tao.getMember(m).stake, STAKE + 0.1 ether, "topped up");
        assertEq(tao.getMember(m).stakedAt, block.timestamp, "a top-up restarts the stake's age");
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
        assertEq(tao.roster().length, 3, "off the roster");
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitteeMember.selector, m));
        tao.exitCommittee();
    }

    function test_committeeIsBounded() public {
        for (uint256 i = tao.roster().length; i < tao.MAX_MEMBERS(); ++i) {
            address m = address(uint160(0x10000 + i));
            vm.deal(m, STAKE);
            vm.prank(m);
            tao.joinCommittee{value: STAKE}();
        }
        address extra = address(0x20000);
        vm.deal(extra, STAKE);
        vm.prank(extra);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.CommitteeFull.selector, tao.MAX_MEMBERS()));
        tao.joinCommittee{value: STAKE}();
    }

    /// The panel is seeded by a block after the reveal: drawing earlier reverts, and the seats
    /// drawn add up to the panel size, all on members.
    function test_panelDrawnFromALaterBlock() public {
        uint256 at = tao.getBallot(game).drawBlock;
        assertEq(at, block.number + DRAW_DELAY, "seed block fixed at the reveal");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.DrawNotReady.selector, at));
        tao.drawPanel(game);
        vm.roll(at);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.DrawNotReady.selector, at));
        tao.drawPanel(game);
        vm.roll(at + 1);
        tao.drawPanel(game);
        Ballot memory b = tao.getBallot(game);
        assertEq(b.round, 1, "first panel");
        assertEq(b.seats, PANEL, "panel size");
        assertEq(b.drawBlock, 0, "no draw pending");
        assertEq(b.commitDeadline, block.timestamp + VOTE, "commit window");
        assertEq(b.revealDeadline, block.timestamp + 2 * uint256(VOTE), "reveal window");
        uint256 seats;
        for (uint256 i; i < members.length; ++i) seats += seatsOf(game, members[i]);
        assertEq(seats, PANEL, "every seat on a member");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NoDrawPending.selector, game));
        tao.drawPanel(game);
    }

    /// A stake that does not fit the member record is refused, not silently cut to 96 bits.
    function test_joinAboveUint96Reverts() public {
        address whale = address(0x3A1E);
        uint256 huge = uint256(type(uint96).max) + 1;
        vm.deal(whale, huge);
        vm.prank(whale);
        vm.expectRevert(ITaoErrors.StakeTooLarge.selector);
        tao.joinCommittee{value: huge}();
    }

    /// The leave event names when the stake can leave: unbonding after the request.
    function test_leaveEventNamesTheExitTime() public {
        address m = members[0];
        vm.expectEmit(true, false, false, true, address(tao));
        emit ITaoEvents.LeaveRequested(m, uint40(block.timestamp + UNBOND));
        vm.prank(m);
        tao.requestLeave();
    }

    /// The PanelDrawn event lists every seated member once with its seat count, as the chain
    /// records them: agents follow the panel from this event.
    function test_panelEventListsEverySeat() public {
        vm.roll(uint256(tao.getBallot(game).drawBlock) + 1);
        uint256 snap = vm.snapshotState();
        tao.drawPanel(game);
        address[] memory panel = tao.panelOf(game);
        assertTrue(panel.length > 1, "more than one member drawn");
        uint16[] memory seats = new uint16[](panel.length);
        uint256 total;
        for (uint256 i; i < panel.length; ++i) {
            seats[i] = uint16(seatsOf(game, panel[i]));
            total += seats[i];
        }
        assertEq(total, PANEL, "seats add up to the panel");
        Ballot memory b = tao.getBallot(game);
        vm.revertToState(snap);
        vm.expectEmit(true, false, false, true, address(tao));
        emit ITaoEvents.PanelDrawn(game, 1, panel, seats, b.commitDeadline, b.revealDeadline);
        tao.drawPanel(game);
    }

    /// A seed block older than 256 blocks has no hash: the draw moves to a later block instead
    /// of drawing from zero.
    function test_staleSeedDefersTheDraw() public {
        uint256 at = tao.getBallot(game).drawBlock;
        vm.roll(at + 300);
        vm.setBlockhash(at, bytes32(0));
        vm.expectEmit(true, false, false, true, address(tao));
        emit ITaoEvents.DrawDeferred(game, uint64(block.number + DRAW_DELAY));
        tao.drawPanel(game);
        assertEq(tao.getBallot(game).round, 0, "nothing drawn");
        drawPanel(game);
        assertEq(tao.getBallot(game).seats, PANEL, "drawn from the new block");
    }

    function test_sealedVoteLifecycle() public {
        drawPanel(game);
        address m = tao.panelOf(game)[0];
        bytes32 salt = saltOf(game, m);
        vm.warp(block.timestamp + 1);
        castVote(game, m, false, 2);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyVoted.selector, m));
        tao.commitVote(game, bytes32(uint256(1)));
        Ballot memory b = tao.getBallot(game);
        // Nobody opens a vote while others may still commit.
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingStillOpen.selector, b.commitDeadline));
        tao.revealVote(game, false, 2, salt);
        vm.warp(uint256(b.commitDeadline) + 1);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadReveal.selector, m));
        tao.revealVote(game, true, 1, salt);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadReveal.selector, m));
        tao.revealVote(game, false, 2, bytes32(uint256(salt) + 1));
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ReasonContradictsVote.selector, false, 0));
        tao.revealVote(game, false, 0, salt);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadReason.selector, 3));
        tao.revealVote(game, false, 3, salt);
        uint16 seats = uint16(seatsOf(game, m));
        vm.expectEmit(true, true, false, true, address(tao));
        emit ITaoEvents.Voted(game, m, false, 2, seats);
        vm.prank(m);
        tao.revealVote(game, false, 2, salt);
        assertEq(tao.getBallot(game).rejectSeats, seats, "its seats count for reject");
        assertEq(tao.reasonSeats(game)[2], seats, "beyond the sound bound");
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotCommitted.selector, m));
        tao.revealVote(game, false, 2, salt);
        vm.warp(uint256(b.revealDeadline) + 1);
        delete sealedVotes[game];
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingClosed.selector, b.revealDeadline));
        tao.revealVote(game, false, 2, salt);
    }

    function test_onlySeatedMembersVote() public {
        vm.prank(members[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.PanelNotDrawn.selector, game));
        tao.commitVote(game, bytes32(uint256(1)));
        drawPanel(game);
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotSeated.selector, outsider));
        tao.commitVote(game, bytes32(uint256(1)));
        vm.warp(uint256(tao.getBallot(game).commitDeadline) + 1);
        vm.prank(tao.panelOf(game)[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingClosed.selector, tao.getBallot(game).commitDeadline));
        tao.commitVote(game, bytes32(uint256(1)));
    }

    /// The seats decide, not the addresses: every seat rejecting rejects the job, and each
    /// winning seat earns an equal share of the provider's bond.
    function test_challengerWinsBySeats() public {
        decideBallot(game, false);
        Ballot memory b = tao.getBallot(game);
        assertEq(uint256(b.outcome), uint256(Outcome.ChallengerWon), "challenger won");
        assertEq(b.rejectSeats, PANEL, "every seat rejected");
        uint256 per = PBOND * 2000 / 10_000 / PANEL;
        assertEq(b.rewardPerSeat, per, "per seat");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "rejected");
        uint256 left = PBOND - per * PANEL;
        assertEq(tao.balanceOf(challenger), CBOND + left / 2, "winner's take");
        assertEq(tao.balanceOf(tao.BURN()), left - left / 2, "other half burned");
        address m = tao.panelOf(game)[0];
        tao.settleSeat(game, m);
        assertEq(tao.balanceOf(m), per * seatsOf(game, m), "reward per seat");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Voting, Phase.Resolved));
        tao.resolveVote(game);
    }

    /// A tie of seats keeps the provider's result. The seed is chosen so that two members hold
    /// equal seats (computed with the same sortition the contract runs, which the draw must
    /// match); one rejects, one accepts, the third is absent.
    function test_tieOfSeatsKeepsTheResult() public {
        uint256 at = tao.getBallot(game).drawBlock;
        uint256[] memory weights = new uint256[](3);
        (weights[0], weights[1], weights[2]) = (STAKE, STAKE, STAKE);
        uint256[] memory counts;
        bytes32 h;
        for (uint256 s = 1; s < 200; ++s) {
            h = keccak256(abi.encode("seed", s));
            (counts,) = Sortition.draw(weights, PANEL, keccak256(abi.encode(h, game, uint8(1))));
            if (counts[0] == counts[1]) break;
        }
        assertEq(counts[0], counts[1], "a seed with two equal holdings");
        vm.roll(at + 1);
        vm.setBlockhash(at, h);
        tao.drawPanel(game);
        address[] memory roster = tao.roster();
        for (uint256 i; i < 3; ++i) assertEq(seatsOf(game, roster[i]), counts[i], "the draw the sortition gives");
        castVote(game, roster[0], false, 1);
        castVote(game, roster[1], true, 1);
        closeBallot(game);
        Ballot memory b = tao.getBallot(game);
        assertEq(b.acceptSeats, b.rejectSeats, "tie");
        assertEq(uint256(b.outcome), uint256(Outcome.ProviderWon), "a tie keeps the provider's result");
        uint256 before = tao.balanceOf(provider);
        tao.settleSeat(game, roster[0]);
        assertEq(tao.getMember(roster[0]).stake, STAKE - _cut() * counts[0], "losing seats slashed");
        assertEq(tao.balanceOf(provider), before + _cut() * counts[0], "to the winner");
    }

    function test_resolveBeforeRevealWindowEndsReverts() public {
        drawPanel(game);
        uint256 revealBy = tao.getBallot(game).revealDeadline;
        vm.warp(revealBy);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingStillOpen.selector, revealBy));
        tao.resolveVote(game);
    }

    /// Exit waits until every seat the member held is settled, so a slash it owes is taken.
    function test_exitWaitsForSettlement() public {
        drawPanel(game);
        address m = tao.panelOf(game)[0];
        vm.prank(m);
        tao.requestLeave();
        closeBallot(game); // nobody voted: escalates
        vm.warp(block.timestamp + UNBOND);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.SeatsUnsettled.selector, 1));
        tao.exitCommittee();
    }
}
