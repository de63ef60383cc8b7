// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Assertions} from "../utils/Assertions.sol";
import {Handler} from "./Handler.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {Game, JobStatus, Outcome, Phase, Tally} from "../../src/interfaces/TaoTypes.sol";

/// The coordinator's ether always equals what it owes, every job ends by the multi-game rule,
/// and no reward is paid twice. The handler calls only what must succeed outside
/// expectRevert, so any other revert is a failure.
/// forge-config: default.invariant.fail-on-revert = true
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

    /// No ballot pays more rewards than it has majority voters.
    function invariant_noRewardClaimedTwice() public view {
        for (uint256 i; i < handler.gameCount(); ++i) {
            uint256 id = handler.games(i);
            Tally memory t = tao.getTally(id);
            uint256 winners = t.outcome == Outcome.ProviderWon ? t.accepts : t.outcome == Outcome.ChallengerWon ? t.rejects : 0;
            assertLe(handler.claimsOf(id), winners, "claims <= majority voters");
        }
    }

    /// Appends this run's money-moving calls to gas/invariant-counts.txt (scripts/test sums
    /// them), so a run that never reaches a path is visible.
    function afterInvariant() public {
        (uint256 ch, uint256 mv, uint256 to, uint256 vo, uint256 re, uint256 cl, uint256 pe, uint256 mo,
            uint256 fi, uint256 rj, uint256 wd, uint256 at) = handler.counts();
        string memory line = string.concat("challenges=", vm.toString(ch), " moves=", vm.toString(mv));
        line = string.concat(line, " timeouts=", vm.toString(to), " votes=", vm.toString(vo));
        line = string.concat(line, " resolutions=", vm.toString(re), " claims=", vm.toString(cl));
        line = string.concat(line, " penalties=", vm.toString(pe), " mootCloses=", vm.toString(mo));
        line = string.concat(line, " finalizes=", vm.toString(fi), " rejections=", vm.toString(rj));
        line = string.concat(line, " withdrawals=", vm.toString(wd), " blockedAttacks=", vm.toString(at));
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
