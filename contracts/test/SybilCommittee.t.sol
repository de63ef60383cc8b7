// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {Ballot, JobStatus, Outcome} from "../src/interfaces/TaoTypes.sol";

/// Issue 14, findings 2 and 5: the committee cannot be bought with addresses, and a ballot
/// without quorum does not hand the game to the side whose seats stayed away. Each test plays
/// the attack first.
contract SybilCommitteeTest is Fixture {
    Plan internal plan;

    function setUp() public {
        deploy(4);
        joinAll();
    }

    function _toLeaf(uint256 seed) internal returns (uint256 job, uint256 game) {
        plan = makePlan(32, 4, seed);
        job = postResult(plan);
        game = challengeJob(job);
        playToLeaf(game, plan);
        revealMove(game, plan);
    }

    function _puppets(uint256 count, uint256 each) internal returns (address[] memory p) {
        p = new address[](count);
        for (uint256 i; i < count; ++i) {
            p[i] = address(uint160(0xD000 + i));
            vm.deal(p[i], each);
            vm.prank(p[i]);
            tao.joinCommittee{value: each}();
        }
    }

    /// Joining after the result is posted (after seeing the trace, or one second before the
    /// reveal) used to buy a vote. Now 100 times the honest stake joined late holds no seat on
    /// any panel of that job, first or escalated.
    function test_lateStakeBuysNoSeat() public {
        (, uint256 game) = _toLeaf(5);
        address[] memory late = _puppets(10, 30 * STAKE);
        drawPanel(game);
        closeBallot(game); // no votes: a larger panel
        drawPanel(game);
        for (uint256 i; i < late.length; ++i) assertEq(seatsOf(game, late[i]), 0, "late stake seated");
        assertEq(tao.getBallot(game).seats, PANEL, "the second panel had no one left to draw");
    }

    /// Splitting stake over addresses used to multiply votes. Seats follow stake: ten puppets of
    /// STAKE each against four honest members holding 13 STAKE draw 10/23 of the seats over
    /// forty panels (200 seats), not the 10/14 one address one vote gave them.
    function test_splittingStakeBuysNoSeats() public {
        address whale = address(0xE1E);
        vm.deal(whale, 10 * STAKE);
        vm.prank(whale);
        tao.joinCommittee{value: 10 * STAKE}();
        _puppets(10, STAKE);
        vm.warp(block.timestamp + 1);
        uint256 puppetSeats;
        uint256 allSeats;
        for (uint256 s; s < 40; ++s) {
            (, uint256 game) = _toLeaf(s);
            drawPanel(game);
            for (uint256 i; i < 10; ++i) puppetSeats += seatsOf(game, address(uint160(0xD000 + i)));
            allSeats += tao.getBallot(game).seats;
        }
        assertEq(allSeats, 40 * uint256(PANEL), "seats drawn");
        // Binomial(200, 10/23): mean 87, sd 7; 60..115 holds with probability 1 - 1e-4, and the
        // seeds are fixed. One address one vote would have given the puppets 143 of 200.
        assertGt(puppetSeats, 60, "puppets' seats, by stake");
        assertLt(puppetSeats, 115, "puppets' seats, by stake, not by address");
    }

    /// Puppets with a minority of the stake vote to accept an op beyond its bound: the honest
    /// seats outvote them, the job is rejected, and every puppet seat is slashed to the
    /// challenger.
    function test_minorityPuppetsLoseAndPay() public {
        address[] memory puppets = _puppets(2, STAKE); // 2 of 5 STAKE
        vm.warp(block.timestamp + 1);
        (uint256 job, uint256 game) = _toLeaf(7);
        uint256 at = tao.getBallot(game).drawBlock;
        // A seed where the puppets hold a minority of the seats (honest stake is 3/4).
        bytes32 h;
        for (uint256 s = 1;; ++s) {
            h = keccak256(abi.encode("minority", s));
            vm.roll(at + 1);
            vm.setBlockhash(at, h);
            uint256 snap = vm.snapshotState();
            tao.drawPanel(game);
            uint256 ps;
            for (uint256 i; i < puppets.length; ++i) ps += seatsOf(game, puppets[i]);
            if (ps > 0 && 2 * ps < PANEL) break;
            vm.revertToState(snap);
        }
        for (uint256 i; i < puppets.length; ++i) {
            if (seatedNow(game, puppets[i])) castVote(game, puppets[i], true, 0);
        }
        for (uint256 i; i < members.length; ++i) {
            if (seatedNow(game, members[i])) castVote(game, members[i], false, 2);
        }
        closeBallot(game);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "the beyond-bound op is rejected");
        uint256 before = tao.balanceOf(challenger);
        uint256 slashed;
        for (uint256 i; i < puppets.length; ++i) {
            uint256 seats = seatsOf(game, puppets[i]);
            if (seats == 0) continue;
            tao.settleSeat(game, puppets[i]);
            slashed += STAKE * 1000 / 10_000 * seats;
        }
        assertGt(slashed, 0, "a puppet sat");
        assertEq(tao.balanceOf(challenger), before + slashed, "puppet slashes to the challenger");
    }

    /// Finding 5: a ballot without quorum used to void the game, refunding the challenger and
    /// letting a wrong result through. Now the absent panel is followed by a larger one drawn
    /// from the members not yet seated, and the honest seats there decide.
    function test_noQuorumEscalatesInsteadOfVoiding() public {
        address[] memory more = _puppets(6, STAKE); // six more honest members
        vm.warp(block.timestamp + 1);
        (uint256 job, uint256 game) = _toLeaf(9);
        drawPanel(game);
        address[] memory first = tao.panelOf(game);
        closeBallot(game); // the first panel withholds every vote
        assertEq(uint256(tao.getGame(game).outcome), uint256(Outcome.None), "not void: still open");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Disputed), "job still disputed");
        Ballot memory b = tao.getBallot(game);
        assertEq(b.drawBlock, block.number + DRAW_DELAY, "a new panel is seeded");
        drawPanel(game);
        b = tao.getBallot(game);
        assertEq(b.round, 2, "second panel");
        for (uint256 i; i < first.length; ++i) assertEq(tao.seatOf(game, first[i]).round, 1, "absentees not redrawn");
        assertGt(b.seats, PANEL, "a larger panel");
        for (uint256 i; i < more.length; ++i) {
            if (seatedNow(game, more[i])) castVote(game, more[i], false, 2);
        }
        for (uint256 i; i < members.length; ++i) {
            if (seatedNow(game, members[i])) castVote(game, members[i], false, 2);
        }
        closeBallot(game);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "decided by the second panel");
        for (uint256 i; i < first.length; ++i) {
            uint256 seats = seatsOf(game, first[i]);
            tao.settleSeat(game, first[i]);
            assertEq(tao.getMember(first[i]).stake, STAKE - STAKE * 1000 / 10_000 * seats, "absent seats slashed");
        }
    }

    /// A provider that withholds the disputed op's data leaves every seated member unable to
    /// judge (they abstain rather than guess). Three silent panels used to end in a 0-0 tie for
    /// the provider; now a ballot with no revealed seat rejects the result, and the silent
    /// seats pay the challenger.
    function test_silentBallotRejectsTheResult() public {
        (uint256 job, uint256 game) = _toLeaf(13);
        for (uint256 r; r < tao.MAX_PANELS(); ++r) {
            drawPanel(game);
            closeBallot(game);
        }
        Ballot memory b = tao.getBallot(game);
        assertEq(b.acceptSeats + b.rejectSeats, 0, "nothing revealed");
        assertEq(uint256(b.outcome), uint256(Outcome.ChallengerWon), "data never shown: rejected");
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "job rejected");
        assertEq(b.rewardPerSeat, 0, "no winning seat to reward");
    }

    /// Votes are sealed: during the commit window nothing revealed can be copied.
    function test_votesStaySealedWhileOthersCommit() public {
        (, uint256 game) = _toLeaf(11);
        drawPanel(game);
        address m = tao.panelOf(game)[0];
        castVote(game, m, false, 2);
        assertEq(tao.getBallot(game).rejectSeats, 0, "nothing counted before reveals");
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.VotingStillOpen.selector, tao.getBallot(game).commitDeadline));
        tao.revealVote(game, false, 2, saltOf(game, m));
    }
}
