// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {ITaoEvents} from "../src/interfaces/ITaoEvents.sol";
import {Game, JobStatus, Leaf, Outcome, Phase} from "../src/interfaces/TaoTypes.sol";

/// The multi-game rule (docs/protocol.md): every challenger plays its own game, so nobody can
/// lock others out of a dispute. Each test plays the attack first and checks that it fails or
/// that its cost lands where the rule says.
contract MultiGameTest is Fixture {
    address internal sybil = address(0x5B1); // a second account of the provider
    address internal second = address(0x5EC);
    address internal third = address(0x7D3);
    Plan internal plan;
    uint256 internal job;

    function setUp() public {
        deploy(4);
        joinAll();
        vm.deal(sybil, 100 ether);
        vm.deal(second, 100 ether);
        vm.deal(third, 100 ether);
        plan = makePlan(100, 4, 1);
        job = postResult(plan);
    }

    function _status() internal view returns (JobStatus) {
        return tao.getJob(job).status;
    }

    /// Plays a game to its ballot, draws its panel and has every seated member vote `accept`.
    function _toBallot(uint256 game, bool accept) internal {
        playToLeaf(game, plan);
        revealMove(game, plan);
        drawPanel(game);
        panelVotes(game, accept);
    }

    function _afterBallot(uint256 game) internal {
        revealVotes(game);
        vm.warp(uint256(tao.getBallot(game).revealDeadline) + 1);
    }

    /// What the seats take from a loser's bond when every seat of the panel votes with the majority.
    function _toVoters(uint256 loserBond) internal pure returns (uint256) {
        return (loserBond * 2000 / 10_000 / PANEL) * PANEL;
    }

    /// Issue 14, finding 1. The provider's sybil challenges first and never selects; it used to
    /// hold the job's only game, win it for the provider by timeout and lock every honest
    /// challenger out. Now the honest challenger opens its own game, wins it before the ballot of
    /// an honest committee, and the job is rejected; the sybil's game, lost by the sybil's
    /// timeout, only hands the sybil's bond back to its own provider.
    function test_selfChallengeLockoutFails() public {
        uint256 sybilGame = challengeAs(job, sybil);
        bisectMove(sybilGame, plan);
        vm.warp(block.timestamp + MOVE / 2); // the honest challenger comes later
        uint256 honestGame = challengeJob(job);
        assertTrue(honestGame != sybilGame, "own game");
        vm.warp(tao.getGame(sybilGame).deadline + 1);
        tao.timeout(sybilGame); // the sybil never selects
        assertEq(uint256(tao.getGame(sybilGame).outcome), uint256(Outcome.ProviderWon), "sybil game to the provider");
        assertEq(uint256(_status()), uint256(JobStatus.Disputed), "not accepted: a game is still open");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongJobStatus.selector, job, JobStatus.Disputed));
        tao.finalize(job);

        _toBallot(honestGame, false);
        _afterBallot(honestGame);
        tao.resolveVote(honestGame);
        assertEq(uint256(_status()), uint256(JobStatus.Rejected), "rejected");
        uint256 left = PBOND - _toVoters(PBOND);
        assertEq(tao.balanceOf(challenger), CBOND + left / 2, "honest challenger: own bond + half the rest");
        assertEq(tao.balanceOf(tao.BURN()), left - left / 2, "other half burned");
        assertEq(tao.balanceOf(client), FEE, "client refunded");
        assertEq(tao.balanceOf(sybil), 0, "sybil's bond went to the provider");
        assertEq(tao.balanceOf(provider), CBOND, "the pair gets back only the sybil's bond");
    }

    /// A provider that sees it will lose may prefer to lose to its own sybil (which then takes
    /// the winner's share). It still loses the fee and half its bond, and the honest game
    /// becomes moot with the honest challenger's bond refunded.
    function test_losingToOwnSybilStillCostsHalfTheBond() public {
        uint256 sybilGame = challengeAs(job, sybil);
        uint256 honestGame = challengeJob(job);
        bisectMove(honestGame, plan);
        vm.warp(tao.getGame(sybilGame).deadline + 1);
        tao.timeout(sybilGame); // the provider lets its sybil win
        assertEq(uint256(_status()), uint256(JobStatus.Rejected), "rejected");
        assertEq(tao.balanceOf(sybil), CBOND + PBOND / 2, "sybil: its bond + half");
        assertEq(tao.balanceOf(tao.BURN()), PBOND - PBOND / 2, "half of the provider's bond burned");
        tao.closeMootGame(honestGame);
        assertEq(tao.balanceOf(challenger), CBOND, "honest challenger refunded");
        assertEq(tao.balanceOf(client), FEE, "client refunded");
        assertEq(tao.balanceOf(provider), 0, "provider gets nothing");
    }

    /// A challenge front-run by the provider's sybil in the same block still opens the honest
    /// challenger's game, with its own interval, turn and deadline; moves in one game leave the
    /// other untouched.
    function test_frontRunChallengeStillOpensOwnGame() public {
        uint256 sybilGame = challengeAs(job, sybil);
        vm.expectEmit(true, true, true, true, address(tao));
        emit ITaoEvents.DisputeOpened(job, sybilGame + 1, challenger, 0, 100, Phase.ProviderBisect, uint40(block.timestamp + MOVE));
        uint256 honestGame = challengeJob(job);
        assertEq(tao.openGames(job), 2, "two open games");
        uint256[] memory listed = tao.jobGames(job);
        assertEq(listed.length, 2, "listed");
        assertEq(listed[0], sybilGame, "in opening order");
        assertEq(listed[1], honestGame, "in opening order");
        bisectMove(sybilGame, plan);
        selectMove(sybilGame, plan);
        Game memory h = tao.getGame(honestGame);
        assertEq(h.lo, 0, "honest lo");
        assertEq(h.hi, 100, "honest hi");
        assertEq(uint256(h.phase), uint256(Phase.ProviderBisect), "honest game waits on the provider");
        // The sybil cannot move in the honest game, nor the honest challenger in the sybil's.
        bisectMove(honestGame, plan);
        vm.prank(sybil);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotChallenger.selector, honestGame));
        tao.select(honestGame, 0);
        bisectMove(sybilGame, plan);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotChallenger.selector, sybilGame));
        tao.select(sybilGame, 0);
    }

    /// Spam: three accounts challenge an honest provider and abandon their games. Each lost
    /// game pays its bond to the provider, who gets fee and bond once the window is over.
    function test_spamChallengersCompensateProvider() public {
        address[3] memory spam = [challenger, second, third];
        uint256[3] memory ids;
        for (uint256 i; i < 3; ++i) {
            ids[i] = challengeAs(job, spam[i]);
            bisectMove(ids[i], plan);
        }
        vm.warp(tao.getGame(ids[2]).deadline + 1);
        for (uint256 i; i < 3; ++i) tao.timeout(ids[i]);
        assertEq(tao.balanceOf(provider), 3 * CBOND, "three bonds to the provider");
        assertEq(uint256(_status()), uint256(JobStatus.Submitted), "back to Submitted inside the window");
        vm.warp(tao.getJob(job).challengeDeadline + 1);
        tao.finalize(job);
        assertEq(tao.balanceOf(provider), FEE + PBOND + 3 * CBOND, "fee, bond and every spammer's bond");
        for (uint256 i; i < 3; ++i) assertEq(tao.balanceOf(spam[i]), 0, "spammer pays");
    }

    /// An honest provider facing three challengers that play to the end keeps fee and bond and
    /// takes each challenger's bond less the voters' share.
    function test_honestProviderWithThreeChallengersKeepsEverything() public {
        uint256 a = challengeJob(job);
        uint256 b = challengeAs(job, second);
        uint256 c = challengeAs(job, third);
        _toBallot(a, true);
        _toBallot(b, true);
        _toBallot(c, true);
        revealVotes(a);
        revealVotes(b);
        _afterBallot(c);
        tao.resolveVote(a);
        tao.resolveVote(b);
        assertEq(uint256(_status()), uint256(JobStatus.Disputed), "still disputed while a game is open");
        tao.resolveVote(c);
        assertEq(uint256(_status()), uint256(JobStatus.Accepted), "accepted with the last game, window over");
        uint256 perGame = CBOND - _toVoters(CBOND);
        assertEq(tao.balanceOf(provider), FEE + PBOND + 3 * perGame, "fee + bond + three bonds less voter shares");
        assertEq(tao.balanceOf(client), 0, "fee paid");
        uint256 rewards;
        for (uint256 i; i < 3; ++i) {
            if (seatsOf(a, members[i]) != 0) tao.settleSeat(a, members[i]);
            rewards += tao.balanceOf(members[i]);
        }
        assertEq(rewards, _toVoters(CBOND), "game a's seats share the voters' part of its bond");
    }

    /// After a rejection, the other open games are moot: their moves, votes, timeouts and
    /// resolutions revert, anyone may close them once (refunding the challenger), and their
    /// ballots owe no votes.
    function test_mootGamesCloseOnceAndOweNothing() public {
        uint256 winner = challengeJob(job);
        uint256 voting = challengeAs(job, second);
        uint256 selecting = challengeAs(job, third);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameNotMoot.selector, voting));
        tao.closeMootGame(voting);
        playToLeaf(voting, plan);
        revealMove(voting, plan);
        drawPanel(voting);
        address[] memory panel = tao.panelOf(voting);
        castVote(voting, panel[0], true, 0);
        bisectMove(selecting, plan);
        vm.warp(tao.getGame(winner).deadline + 1); // the provider never answered `winner`
        tao.timeout(winner);
        assertEq(uint256(_status()), uint256(JobStatus.Rejected), "rejected");
        assertEq(tao.openGames(job), 2, "two moot games still open");

        vm.prank(third);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, selecting));
        tao.select(selecting, 0);
        vm.prank(panel[panel.length - 1]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, voting));
        tao.commitVote(voting, bytes32(uint256(1)));
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, selecting));
        tao.timeout(selecting);
        vm.warp(uint256(tao.getBallot(voting).revealDeadline) + 1);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, voting));
        tao.resolveVote(voting);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.Resolved, Phase.Voting));
        tao.settleSeat(voting, panel[0]);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameNotMoot.selector, winner));
        tao.closeMootGame(winner);

        vm.expectEmit(true, true, false, true, address(tao));
        emit ITaoEvents.MootGameClosed(job, voting, second);
        vm.prank(outsider);
        tao.closeMootGame(voting);
        tao.closeMootGame(selecting);
        assertEq(tao.balanceOf(second), CBOND, "refunded");
        assertEq(tao.balanceOf(third), CBOND, "refunded");
        assertEq(tao.balanceOf(outsider), 0, "closing pays nobody");
        assertEq(tao.openGames(job), 0, "all closed");
        assertEq(uint256(tao.getGame(voting).outcome), uint256(Outcome.Moot), "moot");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameNotMoot.selector, voting));
        tao.closeMootGame(voting);
        // Seats of a moot ballot are released with neither reward nor slash.
        for (uint256 i; i < panel.length; ++i) tao.settleSeat(voting, panel[i]);
        for (uint256 i; i < panel.length; ++i) {
            assertEq(tao.getMember(panel[i]).stake, STAKE, "moot ballot: not slashed");
            assertEq(tao.getMember(panel[i]).openSeats, 0, "moot ballot: seat released");
            assertEq(tao.balanceOf(panel[i]), 0, "moot ballot: no reward");
        }
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NothingToSettle.selector, voting, panel[0]));
        tao.settleSeat(voting, panel[0]);
    }

    /// Two games lost by the provider at the same moment pay the provider bond out once: the
    /// first timeout rejects the job, the second game is moot and only refunds its challenger.
    /// Every wei the contract took in is accounted for afterwards.
    function test_noDoublePayouts() public {
        uint256 a = challengeJob(job);
        uint256 b = challengeAs(job, second);
        vm.warp(tao.getGame(b).deadline + 1);
        tao.timeout(a);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, b));
        tao.timeout(b);
        tao.closeMootGame(b);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameNotMoot.selector, a));
        tao.closeMootGame(a); // the game that rejected the job is over, not moot
        assertEq(tao.balanceOf(challenger), CBOND + PBOND / 2, "one winner's share");
        assertEq(tao.balanceOf(second), CBOND, "moot: bond back only");
        uint256 credited = tao.balanceOf(challenger) + tao.balanceOf(second) + tao.balanceOf(client)
            + tao.balanceOf(provider) + tao.balanceOf(tao.BURN());
        assertEq(credited, FEE + PBOND + 2 * CBOND, "credits == deposits of the job");
        assertEq(address(tao).balance, credited + 3 * STAKE, "nothing else held but stakes");
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyFinalized.selector, job));
        tao.challenge{value: CBOND}(job);
    }

    /// A member seated on two games of one job is rewarded once per game and seat.
    function test_rewardsSettledOncePerGame() public {
        uint256 a = challengeJob(job);
        uint256 b = challengeAs(job, second);
        _toBallot(a, true);
        _toBallot(b, true);
        revealVotes(a);
        _afterBallot(b);
        tao.resolveVote(a);
        tao.resolveVote(b);
        uint256 per = CBOND * 2000 / 10_000 / PANEL;
        address m = tao.panelOf(a)[0];
        uint256 want = per * (seatsOf(a, m) + seatsOf(b, m));
        tao.settleSeat(a, m);
        if (seatsOf(b, m) != 0) tao.settleSeat(b, m);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NothingToSettle.selector, a, m));
        tao.settleSeat(a, m);
        assertEq(tao.balanceOf(m), want, "one share per seat and game");
        assertEq(tao.getMember(m).openSeats, 0, "every seat settled");
    }

    /// Nothing loops over a job's games: opening the tenth game costs what opening the third
    /// does, and a provider move in the tenth game costs what it costs in the third.
    function test_costPerGameDoesNotGrowWithGames() public {
        uint256[] memory gas = new uint256[](10);
        uint256[] memory ids = new uint256[](10);
        for (uint256 i; i < 10; ++i) {
            address who = address(uint160(0x7000 + i));
            vm.deal(who, 10 ether);
            vm.prank(who);
            uint256 g = gasleft();
            ids[i] = tao.challenge{value: CBOND}(job);
            gas[i] = g - gasleft();
        }
        assertEq(gas[9], gas[2], "challenge gas independent of the number of games");
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(ids[2], plan);
        vm.prank(provider);
        tao.bisect(ids[2], cuts, children, parent); // warms the job's slots for the two below
        uint256[2] memory moveGas;
        uint256[2] memory which = [ids[3], ids[9]];
        for (uint256 i; i < 2; ++i) {
            vm.prank(provider);
            uint256 g = gasleft();
            tao.bisect(which[i], cuts, children, parent);
            moveGas[i] = g - gasleft();
        }
        // A loop over games would add at least a cold read (2,100 gas) per game; what is left is
        // the test's own bookkeeping around the call.
        assertLe(moveGas[1], moveGas[0] + 100, "provider move gas independent of the number of games");
    }

    /// A challenger of one game holds no seat on its ballot however much it stakes, but may
    /// sit on another game of the same job it is not party to.
    function test_partyOfOneGameSitsOnAnother() public {
        vm.prank(second);
        tao.joinCommittee{value: 100 * STAKE}(); // ~97% of the stake: drawn on nearly every seat
        vm.warp(block.timestamp + 1);
        uint256 id = postResult(plan);
        uint256 a = challengeAs(id, challenger);
        uint256 b = challengeAs(id, second);
        playToLeaf(a, plan);
        revealMove(a, plan);
        playToLeaf(b, plan);
        revealMove(b, plan);
        drawPanel(a);
        drawPanel(b);
        assertGt(seatsOf(a, second), 0, "seated on the other game");
        assertEq(seatsOf(b, second), 0, "never on its own game's panel");
        assertEq(tao.getBallot(b).seats, PANEL, "the panel filled from the other members");
        vm.prank(second);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotSeated.selector, second));
        tao.commitVote(b, bytes32(uint256(1)));
    }

    /// A leaf reveal is bound to its game: revealing in a game that is not at its leaf reverts
    /// even when another game of the job is.
    function test_movesAreScopedToTheirGame() public {
        uint256 a = challengeJob(job);
        uint256 b = challengeAs(job, second);
        playToLeaf(a, plan);
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(plan);
        bytes32[] memory parent = lastChildren[a];
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongTurn.selector, Phase.ProviderReveal, Phase.ProviderBisect));
        tao.revealLeaf(b, op, opProof, ins, insProofs, rootPair(plan), parent);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotProvider.selector, a));
        tao.revealLeaf(a, op, opProof, ins, insProofs, rootPair(plan), parent);
    }
}
