// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "../utils/Fixture.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {ITaoErrors} from "../../src/interfaces/ITaoErrors.sol";
import {Ballot, Game, Job, JobStatus, Member, Outcome, Phase, Seat} from "../../src/interfaces/TaoTypes.sol";

/// Drives a coordinator through random sequences of calls from a cast that includes several
/// challengers per job, a second account of the provider that challenges and never selects,
/// players that withhold moves, members that join late, leave and skip votes. Each action
/// works out from the contract's state whether the call must succeed; if so it calls directly
/// (the invariant suite runs with fail_on_revert, so an unexpected revert fails the run), and
/// the attacks that must fail (second game per account, second payout of a reward or a moot
/// game, moves on a moot game) are made under expectRevert.
contract Handler is Fixture {
    address internal sybil = address(0x5B1); // the provider's second account
    address internal late = address(0x1A7E); // joins the committee after games have started
    address internal settler = address(0x5E7); // settles seats; party to nothing

    uint256[] public jobs;
    uint256[] public games;
    mapping(uint256 => uint256) internal sizeOf;
    mapping(uint256 => uint256) internal seedOf;
    /// Ghost: rewards paid per game, checked against the ballot's winning seats.
    mapping(uint256 => uint256) public rewardsOf;
    /// Ghost: who was ever seated on each ballot.
    mapping(uint256 => mapping(address => bool)) internal everSeated;

    struct Counts {
        uint256 challenges;
        uint256 moves;
        uint256 timeouts;
        uint256 draws;
        uint256 votes;
        uint256 reveals;
        uint256 escalations;
        uint256 resolutions;
        uint256 claims;
        uint256 penalties;
        uint256 mootCloses;
        uint256 finalizes;
        uint256 rejections;
        uint256 withdrawals;
        uint256 blockedAttacks;
    }

    Counts internal counts;

    function countsOf() external view returns (Counts memory) {
        return counts;
    }

    constructor() {
        deploy(3);
        vm.deal(sybil, 100 ether);
        vm.deal(late, 10 ether);
        joinAll();
    }

    function challengers() public view returns (address[] memory c) {
        c = new address[](3);
        (c[0], c[1], c[2]) = (sybil, challenger, outsider);
    }

    function actors() public view returns (address[] memory a) {
        a = new address[](6 + members.length);
        (a[0], a[1], a[2], a[3], a[4], a[5]) = (client, provider, challenger, outsider, sybil, late);
        for (uint256 i; i < members.length; ++i) a[6 + i] = members[i];
    }

    /// Everyone who may hold a committee stake.
    function stakers() public view returns (address[] memory s) {
        s = new address[](members.length + 1);
        for (uint256 i; i < members.length; ++i) s[i] = members[i];
        s[members.length] = late;
    }

    function coordinator() external view returns (TaoCoordinator) {
        return tao;
    }

    function jobCount() external view returns (uint256) {
        return jobs.length;
    }

    function gameCount() external view returns (uint256) {
        return games.length;
    }

    function _pickJob(uint256 s) internal view returns (uint256) {
        return jobs.length == 0 ? 0 : jobs[s % jobs.length];
    }

    /// A game whose phase is `ph` if there is one (searching from s), so ballots fill up.
    function _pickGame(uint256 s, Phase ph) internal view returns (uint256) {
        for (uint256 i; i < games.length; ++i) {
            uint256 id = games[(s % games.length + i) % games.length];
            if (tao.getGame(id).phase == ph) return id;
        }
        return 0;
    }

    function _plan(uint256 gameId) internal view returns (Plan memory) {
        uint256 job = tao.gameJob(gameId);
        return makePlan(sizeOf[job], 3, seedOf[job]);
    }

    function _rejected(uint256 gameId) internal view returns (bool) {
        return tao.getJob(tao.gameJob(gameId)).status == JobStatus.Rejected;
    }

    function request(uint256 s) external {
        // Few jobs, so random sequences reach votes and settlements on them.
        if (jobs.length >= 4) return;
        uint256 n = [uint256(1), 2, 7, 33][s % 4];
        Plan memory p = makePlan(n, 3, s);
        uint256 id = postResult(p);
        jobs.push(id);
        sizeOf[id] = n;
        seedOf[id] = s;
    }

    /// Any of three accounts (one of them the provider's own) opens its game; a second game by
    /// the same account, a challenge by the provider, one after the window or on a closed job
    /// must revert.
    function challenge(uint256 s, uint256 who) external {
        uint256 id = _pickJob(s);
        if (id == 0) return;
        address c = challengers()[who % 3];
        Job memory j = tao.getJob(id);
        bool open = j.status == JobStatus.Submitted || j.status == JobStatus.Disputed;
        if (open && block.timestamp <= j.challengeDeadline && tao.gameOf(id, c) == 0) {
            games.push(challengeAs(id, c));
            ++counts.challenges;
            return;
        }
        if (open && block.timestamp <= j.challengeDeadline) {
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyChallenged.selector, id, tao.gameOf(id, c)));
        } else if (open) {
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ChallengeWindowClosed.selector, id));
        } else if (j.status >= JobStatus.Accepted) {
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyFinalized.selector, id));
        } else {
            return;
        }
        vm.prank(c);
        tao.challenge{value: CBOND}(id);
        ++counts.blockedAttacks;
    }

    /// Plays whichever honest move is due in a game, unless the side to move withholds it
    /// (`withhold`); the provider's second account never selects. On a moot game every move
    /// must revert.
    function advance(uint256 s, bool withhold) external {
        if (games.length == 0) return;
        uint256 id = games[s % games.length];
        Game memory g = tao.getGame(id);
        Phase ph = g.phase;
        if (ph != Phase.ProviderBisect && ph != Phase.ChallengerSelect && ph != Phase.ProviderReveal) return;
        Plan memory p = _plan(id);
        if (_rejected(id)) {
            if (ph != Phase.ChallengerSelect) return; // the provider's calldata needs a live game to build
            address who = tao.gameChallenger(id);
            uint256 segment = p.segments[g.round];
            vm.prank(who);
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
            tao.select(id, segment);
            ++counts.blockedAttacks;
            return;
        }
        if ((withhold && s % 3 == 0) || block.timestamp > g.deadline) return;
        if (ph == Phase.ProviderBisect) bisectMove(id, p);
        else if (ph == Phase.ChallengerSelect && tao.gameChallenger(id) != sybil) selectMove(id, p);
        else if (ph == Phase.ProviderReveal) revealMove(id, p);
        else return;
        ++counts.moves;
    }

    function timeout(uint256 s) external {
        if (games.length == 0) return;
        uint256 id = games[s % games.length];
        Game memory g = tao.getGame(id);
        Phase ph = g.phase;
        if (ph != Phase.ProviderBisect && ph != Phase.ChallengerSelect && ph != Phase.ProviderReveal) return;
        if (block.timestamp <= g.deadline) return;
        if (_rejected(id)) vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
        else ++counts.timeouts;
        tao.timeout(id);
        if (tao.getGame(id).outcome == Outcome.ChallengerWon) ++counts.rejections;
    }

    /// A live-or-moot Voting game whose ballot is at `stage` (searching from s): DRAW a draw
    /// pending, COMMIT in its commit window, REVEAL in its reveal window with sealed votes,
    /// RESOLVE past its commit window with nothing left to reveal, DRAWN any drawn panel.
    uint256 internal constant DRAW = 0;
    uint256 internal constant COMMIT = 1;
    uint256 internal constant REVEAL = 2;
    uint256 internal constant RESOLVE = 3;
    uint256 internal constant DRAWN = 4;

    function _pickBallot(uint256 s, uint256 stage) internal view returns (uint256) {
        for (uint256 i; i < games.length; ++i) {
            uint256 id = games[(s % games.length + i) % games.length];
            if (tao.getGame(id).phase != Phase.Voting) continue;
            Ballot memory b = tao.getBallot(id);
            bool drawn = b.drawBlock == 0;
            if (stage == DRAW ? !drawn : !drawn) {
                if (stage == DRAW) return id;
                continue;
            }
            if (stage == DRAWN) return id;
            if (stage == COMMIT && block.timestamp <= b.commitDeadline) return id;
            if (stage == REVEAL && block.timestamp <= b.revealDeadline && sealedVotes[id].length > 0) return id;
            // Resolve once nothing sealed is left to reveal (or the reveal window is over).
            bool revealsDone = block.timestamp > b.commitDeadline && sealedVotes[id].length == 0;
            if (stage == RESOLVE && (revealsDone || block.timestamp > b.revealDeadline)) return id;
        }
        return 0;
    }

    /// Draws a pending panel once its seeding block is past; on a moot game it must revert.
    /// Every seat goes to a member staked before the job's result, and never to a party.
    function draw(uint256 s) external {
        uint256 id = _pickBallot(s, DRAW);
        if (id == 0) return;
        uint256 at = tao.getBallot(id).drawBlock;
        if (block.number <= at) vm.roll(at + 1);
        if (_rejected(id)) {
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
            tao.drawPanel(id);
            ++counts.blockedAttacks;
            return;
        }
        tao.drawPanel(id);
        ++counts.draws;
        Job memory j = tao.getJob(tao.gameJob(id));
        address[] memory panel = tao.panelOf(id);
        uint256 postedAt = uint256(j.challengeDeadline) - WINDOW;
        uint8 round = tao.getBallot(id).round;
        for (uint256 i; i < panel.length; ++i) {
            address m = panel[i];
            assertTrue(m != j.provider && m != tao.gameChallenger(id), "a party holds a seat");
            if (tao.seatOf(id, m).round != round) continue;
            assertTrue(!everSeated[id][m], "seated on two panels of one ballot");
            everSeated[id][m] = true;
            // Stake bonded after the result (the late joiner's, any top-up) draws no seat.
            assertLt(tao.getMember(m).stakedAt, postedAt, "stake bonded after the result was seated");
        }
        assertLe(tao.getBallot(id).seats, uint256(PANEL) * 7, "at most three panels");
    }

    /// The seated members of the current panel seal their votes; an unseated member's commit
    /// must revert NotSeated, and so must any commit on a moot ballot.
    function commit(uint256 s, uint256 m, bool accept, bool absent) external {
        uint256 id = _pickBallot(s, COMMIT);
        if (id == 0) return;
        address[] memory st = stakers();
        if (_rejected(id)) {
            vm.prank(st[m % st.length]);
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
            tao.commitVote(id, bytes32(uint256(1)));
            ++counts.blockedAttacks;
            return;
        }
        if (block.timestamp > tao.getBallot(id).commitDeadline) return;
        // Every seated member seals a vote; the one at m dissents, and when `absent` it is
        // absent instead (its seats are slashed at settlement).
        for (uint256 i; i < st.length; ++i) {
            address who = st[(m % st.length + i) % st.length];
            if (!seatedNow(id, who)) {
                if (tao.seatOf(id, who).count == 0) {
                    vm.prank(who);
                    vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotSeated.selector, who));
                    tao.commitVote(id, bytes32(uint256(1)));
                    ++counts.blockedAttacks;
                }
                continue;
            }
            if (tao.seatOf(id, who).state != 1) continue;
            if (i == 0 && absent) continue;
            bool side = i == 0 ? !accept : accept;
            castVote(id, who, side, side ? 0 : 2);
            ++counts.votes;
        }
    }

    /// Once the commit window is over (time runs to it), opens the sealed votes of the current panel (stale ones from an
    /// earlier panel are dropped), after a reveal with the wrong vote is refused.
    function reveal(uint256 s) external {
        uint256 id = _pickBallot(s, REVEAL);
        if (id == 0 || _rejected(id)) return;
        Ballot memory b = tao.getBallot(id);
        if (block.timestamp <= b.commitDeadline) vm.warp(uint256(b.commitDeadline) + 1); // commits close
        Sealed[] storage v = sealedVotes[id];
        bool triedForgery;
        while (v.length > 0) {
            Sealed memory x = v[v.length - 1];
            v.pop();
            if (!seatedNow(id, x.member) || tao.seatOf(id, x.member).state != 2) continue;
            if (!triedForgery) {
                vm.prank(x.member);
                vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadReveal.selector, x.member));
                tao.revealVote(id, !x.accept, 1, saltOf(id, x.member));
                ++counts.blockedAttacks;
                triedForgery = true;
            }
            vm.prank(x.member);
            tao.revealVote(id, x.accept, x.reason, saltOf(id, x.member));
            ++counts.reveals;
        }
    }

    /// Once the reveal window is over (time runs to it): decides, or escalates to a larger panel when short of quorum.
    function resolve(uint256 s) external {
        uint256 id = _pickBallot(s, RESOLVE);
        if (id == 0) return;
        uint256 revealBy = tao.getBallot(id).revealDeadline;
        if (block.timestamp <= revealBy) vm.warp(revealBy + 1); // the reveal window closes
        if (_rejected(id)) {
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
            tao.resolveVote(id);
            return;
        }
        tao.resolveVote(id);
        Outcome o = tao.getGame(id).outcome;
        if (o == Outcome.None) ++counts.escalations;
        else ++counts.resolutions;
        if (o == Outcome.ChallengerWon) ++counts.rejections;
    }

    /// Settles one unsettled seat of an ended game (searching from s): rewards for the winning
    /// side, slashes to the winner for the rest; settling it again must revert.
    function settle(uint256 s) external {
        for (uint256 i; i < games.length; ++i) {
            uint256 id = games[(s % games.length + i) % games.length];
            if (tao.getGame(id).phase != Phase.Resolved) continue;
            address[] memory panel = tao.panelOf(id);
            for (uint256 k; k < panel.length; ++k) {
                Seat memory seat = tao.seatOf(id, panel[k]);
                if (seat.state == 5) continue;
                uint256 before = tao.balanceOf(panel[k]);
                uint96 stakeBefore = tao.getMember(panel[k]).stake;
                vm.prank(settler);
                tao.settleSeat(id, panel[k]);
                if (tao.balanceOf(panel[k]) > before) {
                    ++counts.claims;
                    rewardsOf[id] += tao.balanceOf(panel[k]) - before;
                } else if (tao.getMember(panel[k]).stake < stakeBefore) {
                    ++counts.penalties;
                }
                assertEq(tao.balanceOf(settler), 0, "settling pays the caller nothing");
                vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NothingToSettle.selector, id, panel[k]));
                tao.settleSeat(id, panel[k]);
                return;
            }
        }
    }

    /// Closes a moot game (refunding its challenger) and tries to close it again.
    function closeMoot(uint256 s) external {
        if (games.length == 0) return;
        uint256 id = games[s % games.length];
        Phase ph = tao.getGame(id).phase;
        if (ph == Phase.None || ph == Phase.Resolved || !_rejected(id)) {
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameNotMoot.selector, id));
            tao.closeMootGame(id);
            return;
        }
        tao.closeMootGame(id);
        ++counts.mootCloses;
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameNotMoot.selector, id));
        tao.closeMootGame(id);
    }

    function finalize(uint256 s) external {
        uint256 id = _pickJob(s);
        if (id == 0) return;
        Job memory j = tao.getJob(id);
        if (j.status != JobStatus.Submitted || block.timestamp <= j.challengeDeadline) return;
        tao.finalize(id);
        ++counts.finalizes;
    }

    function membership(uint256 m, uint8 how) external {
        address[] memory st = stakers();
        address who = st[m % st.length];
        Member memory info = tao.getMember(who);
        how %= 4;
        vm.startPrank(who);
        if (how == 0 && info.joinedAt == 0) {
            tao.joinCommittee{value: STAKE}();
        } else if (how == 1 && info.joinedAt != 0 && info.leaveAt == 0 && tao.activeMembers() > 2) {
            tao.requestLeave(); // keep a quorum around so ballots can still be decided
        } else if (how == 2 && info.leaveAt != 0 && block.timestamp >= uint256(info.leaveAt) + UNBOND) {
            if (info.openSeats != 0) {
                // A slash it may owe is still unsettled: the stake stays.
                vm.expectRevert(abi.encodeWithSelector(ITaoErrors.SeatsUnsettled.selector, info.openSeats));
                ++counts.blockedAttacks;
            }
            tao.exitCommittee();
        } else if (how == 3 && info.joinedAt != 0 && info.leaveAt == 0) {
            tao.addStake{value: 0.05 ether}();
        }
        vm.stopPrank();
    }

    function withdraw(uint256 a) external {
        address[] memory all = actors();
        address who = all[a % all.length];
        if (tao.balanceOf(who) == 0) return;
        vm.prank(who);
        tao.withdraw();
        ++counts.withdrawals;
    }

    function wait(uint256 dt) external {
        // Mostly short steps that keep games alive, sometimes past a whole vote window.
        vm.warp(block.timestamp + (dt % 6 == 0 ? VOTE + 1 : dt % MOVE));
    }

    /// Lets time run to the end of the current window of a drawn ballot (commit, then reveal),
    /// as members waiting for the next stage would.
    function waitForBallot(uint256 s) external {
        uint256 id = _pickBallot(s, DRAWN);
        if (id == 0) return;
        Ballot memory b = tao.getBallot(id);
        if (block.timestamp <= b.commitDeadline) vm.warp(uint256(b.commitDeadline) + 1);
        else if (block.timestamp <= b.revealDeadline) vm.warp(uint256(b.revealDeadline) + 1);
    }

    /// What the coordinator should hold for one job and its games, read from its own state:
    /// the fee and provider bond while the job is open, the bond of every game not yet ended
    /// (moot ones until closed), and the unclaimed rewards of decided ballots.
    function heldFor(uint256 id) public view returns (uint256 held) {
        Job memory j = tao.getJob(id);
        if (j.status == JobStatus.Requested) return j.fee;
        if (j.status == JobStatus.Submitted || j.status == JobStatus.Disputed) held = j.fee + PBOND;
        held += CBOND * tao.openGames(id);
        uint256[] memory gs = tao.jobGames(id);
        for (uint256 g; g < gs.length; ++g) {
            Ballot memory b = tao.getBallot(gs[g]);
            if (b.outcome != Outcome.ProviderWon && b.outcome != Outcome.ChallengerWon) continue;
            uint8 win = b.outcome == Outcome.ProviderWon ? 3 : 4;
            address[] memory panel = tao.panelOf(gs[g]);
            for (uint256 i; i < panel.length; ++i) {
                Seat memory seat = tao.seatOf(gs[g], panel[i]);
                if (seat.state == win) held += uint256(b.rewardPerSeat) * seat.count;
            }
        }
    }
}
