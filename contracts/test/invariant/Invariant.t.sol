// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Assertions} from "../utils/Assertions.sol";
import {Handler} from "./Handler.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {Ballot, Game, JobStatus, Outcome, Phase} from "../../src/interfaces/TaoTypes.sol";

/// The coordinator's ether always equals what it owes, every job ends by the multi-game rule,
/// and no reward is paid twice. The handler calls only what must succeed outside
/// expectRevert, so any other revert is a failure.
/// forge-config: default.invariant.fail-on-revert = true
/// forge-config: default.invariant.runs = 256
/// forge-config: fast.invariant.fail-on-revert = true
contract InvariantTest is Assertions {
    Handler internal handler;
    TaoCoordinator internal tao;

    function setUp() public {
        handler = new Handler();
        tao = handler.coordinator();
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(handler);
    }

    /// balance == fees + bonds of open jobs and games + unclaimed rewards + stakes + withdrawable.
    function invariant_etherEqualsLiabilities() public view {
        uint256 owed;
        for (uint256 i; i < handler.jobCount(); ++i) owed += handler.heldFor(handler.jobs(i));
        address[] memory stakers = handler.stakers();
        for (uint256 i; i < stakers.length; ++i) owed += tao.getMember(stakers[i]).stake;
        address[] memory all = handler.actors();
        for (uint256 i; i < all.length; ++i) owed += tao.balanceOf(all[i]);
        owed += tao.balanceOf(tao.BURN());
        assertEq(address(tao).balance, owed, "balance == fees + bonds + rewards + stakes + withdrawable + burned");
    }

    /// A job is rejected by exactly one game the provider lost; an accepted job lost none; an
    /// open job's open-game count matches its games.
    function invariant_jobsFollowTheirGames() public view {
        for (uint256 i; i < handler.jobCount(); ++i) {
            uint256 id = handler.jobs(i);
            uint256[] memory gs = tao.jobGames(id);
            uint256 lost;
            uint256 open;
            for (uint256 g; g < gs.length; ++g) {
                Game memory game = tao.getGame(gs[g]);
                if (game.outcome == Outcome.ChallengerWon) ++lost;
                if (game.phase != Phase.Resolved) ++open;
                assertEq(game.jobId, id, "game's job");
            }
            JobStatus s = tao.getJob(id).status;
            assertEq(lost, s == JobStatus.Rejected ? 1 : 0, "rejected iff exactly one game lost");
            assertEq(tao.openGames(id), open, "open-game count");
            if (s == JobStatus.Submitted || s == JobStatus.Accepted) assertEq(open, 0, "no open game");
            if (s == JobStatus.Disputed) assertTrue(open > 0, "disputed means a game is open");
        }
    }

    /// No ballot pays more rewards than its winning seats earned (so none is paid twice).
    function invariant_noRewardPaidTwice() public view {
        for (uint256 i; i < handler.gameCount(); ++i) {
            uint256 id = handler.games(i);
            Ballot memory b = tao.getBallot(id);
            uint256 winners =
                b.outcome == Outcome.ProviderWon ? b.acceptSeats : b.outcome == Outcome.ChallengerWon ? b.rejectSeats : 0;
            assertLe(handler.rewardsOf(id), uint256(b.rewardPerSeat) * winners, "rewards <= winning seats' share");
        }
    }

    /// Appends this run's money-moving calls to gas/invariant-counts.txt (scripts/test sums
    /// them), so a run that never reaches a path is visible.
    function afterInvariant() public {
        Handler.Counts memory c = handler.countsOf();
        string memory line = string.concat("challenges=", vm.toString(c.challenges), " moves=", vm.toString(c.moves));
        line = string.concat(line, " timeouts=", vm.toString(c.timeouts), " draws=", vm.toString(c.draws));
        line = string.concat(line, " votes=", vm.toString(c.votes), " reveals=", vm.toString(c.reveals));
        line = string.concat(line, " escalations=", vm.toString(c.escalations));
        line = string.concat(line, " resolutions=", vm.toString(c.resolutions), " claims=", vm.toString(c.claims));
        line = string.concat(line, " penalties=", vm.toString(c.penalties), " mootCloses=", vm.toString(c.mootCloses));
        line = string.concat(line, " finalizes=", vm.toString(c.finalizes), " rejections=", vm.toString(c.rejections));
        line = string.concat(line, " withdrawals=", vm.toString(c.withdrawals));
        line = string.concat(line, " blockedAttacks=", vm.toString(c.blockedAttacks));
        vm.writeLine("gas/invariant-counts.txt", line);
    }

    function invariant_intervalsWellFormed() public view {
        for (uint256 i; i < handler.gameCount(); ++i) {
            uint256 id = handler.games(i);
            Game memory g = tao.getGame(id);
            assertTrue(g.lo < g.hi && g.hi <= tao.getJob(g.jobId).opCount, "0 <= lo < hi <= n");
            if (g.phase == Phase.ProviderReveal || g.phase == Phase.Voting) assertEq(g.hi - g.lo, 1, "leaf");
        }
    }
}
