// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {Ballot, Outcome} from "../src/interfaces/TaoTypes.sol";

/// Issue 14, finding 6: each penalty bug of the one-address-one-vote committee, replayed
/// against seats. A slash never pays its caller, is taken once per seat, never from a party,
/// and cannot be escaped by leaving.
contract PenaltiesTest is Fixture {
    Plan internal plan;

    function setUp() public {
        deploy(4);
        joinAll();
    }

    /// Posts a job, challenges it and plays to a drawn panel; returns the game id.
    function _panel(uint256 n, uint256 seed) internal returns (uint256 gid) {
        plan = makePlan(n, 4, seed);
        uint256 id = postResult(plan);
        gid = challengeJob(id);
        playToLeaf(gid, plan);
        revealMove(gid, plan);
        drawPanel(gid);
    }

    function _cut() internal pure returns (uint256) {
        return STAKE * 1000 / 10_000;
    }

    /// A member that skipped a ballot used to report itself and get its own slash back. Now
    /// settling its own absent seats slashes it, and the slash goes to the winner.
    function test_selfSettleDoesNotPaySelf() public {
        uint256 game = _panel(64, 5);
        address[] memory panel = tao.panelOf(game);
        address absent = panel[panel.length - 1];
        for (uint256 i; i + 1 < panel.length; ++i) castVote(game, panel[i], false, 2);
        closeBallot(game);
        Ballot memory b = tao.getBallot(game);
        address winner = b.outcome == Outcome.ChallengerWon ? challenger : provider;
        uint256 winnerBefore = tao.balanceOf(winner);
        uint256 seats = seatsOf(game, absent);
        vm.prank(absent);
        tao.settleSeat(game, absent);
        assertEq(tao.balanceOf(absent), 0, "no slash back to the slashed member");
        assertEq(tao.getMember(absent).stake, STAKE - _cut() * seats, "slashed per seat");
        assertEq(tao.balanceOf(winner), winnerBefore + _cut() * seats, "slash to the winning side");
        vm.prank(absent);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NothingToSettle.selector, game, absent));
        tao.settleSeat(game, absent);
    }

    /// A member slashed below the stake used to be slashed again on every ballot. Now it is
    /// drawn on no panel until it tops up, and a top-up counts only for later jobs.
    function test_slashedMemberNotDrawnUntilToppedUp() public {
        uint256 game = _panel(64, 5);
        address[] memory panel = tao.panelOf(game);
        closeBallot(game); // nobody votes: escalates to a larger panel of the others
        address slashed = panel[0];
        assertEq(tao.getBallot(game).round, 1, "still the first panel");
        // Play the ballot out through every panel without votes, then settle the absentee.
        for (uint256 r = 1; r < tao.MAX_PANELS(); ++r) {
            drawPanel(game);
            closeBallot(game);
        }
        tao.settleSeat(game, slashed);
        assertLt(tao.getMember(slashed).stake, STAKE, "under the stake");
        uint256 postedAt = block.timestamp + 1;
        vm.warp(postedAt);
        assertEq(tao.drawWeight(slashed, postedAt + 1), 0, "draws nothing while under the stake");
        uint256 next = _panel(8, 3);
        assertEq(seatsOf(next, slashed), 0, "not seated, so not slashed again");
        vm.prank(slashed);
        tao.addStake{value: 1 ether}();
        assertEq(tao.drawWeight(slashed, block.timestamp), 0, "a top-up does not count for jobs already posted");
        assertGt(tao.drawWeight(slashed, block.timestamp + 1), 0, "it counts for later jobs");
    }

    /// A party used to owe a vote it could not cast and be slashed for it. Parties hold no
    /// seat on their own game's ballot, however large their stake.
    function test_partiesNeverSeated() public {
        vm.prank(challenger);
        tao.joinCommittee{value: 50 * STAKE}();
        vm.prank(provider);
        tao.joinCommittee{value: 50 * STAKE}();
        vm.warp(block.timestamp + 1);
        uint256 game = _panel(64, 5);
        assertEq(seatsOf(game, challenger), 0, "challenger not seated");
        assertEq(seatsOf(game, provider), 0, "provider not seated");
        assertEq(tao.getBallot(game).seats, PANEL, "the panel is filled by the others");
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotSeated.selector, challenger));
        tao.commitVote(game, bytes32(uint256(1)));
        panelVotes(game, false);
        closeBallot(game);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NothingToSettle.selector, game, challenger));
        tao.settleSeat(game, challenger);
        assertEq(tao.getMember(challenger).stake, 50 * STAKE, "party keeps its stake");
    }

    /// With unbondingPeriod == voteWindow a member leaving as a ballot opened could exit at
    /// its deadline, before a penalty was possible. Now a member with an unsettled seat cannot
    /// exit at all, and its slash is taken before its stake is returned.
    function test_leaverCannotExitBeforeItsSlash() public {
        uint256 game = _panel(64, 5);
        address[] memory panel = tao.panelOf(game);
        address leaver = panel[0];
        vm.prank(leaver);
        tao.requestLeave();
        for (uint256 i = 1; i < panel.length; ++i) castVote(game, panel[i], true, 0);
        closeBallot(game);
        for (uint256 r = tao.getBallot(game).round; tao.getGame(game).outcome == Outcome.None; ++r) {
            drawPanel(game);
            panelVotes(game, true);
            closeBallot(game);
        }
        vm.warp(block.timestamp + UNBOND);
        vm.prank(leaver);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.SeatsUnsettled.selector, 1));
        tao.exitCommittee();
        uint256 seats = seatsOf(game, leaver);
        tao.settleSeat(game, leaver);
        vm.prank(leaver);
        tao.exitCommittee();
        assertEq(tao.balanceOf(leaver), STAKE - _cut() * seats, "exits with its stake less the slash");
    }
}
