// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "../utils/Fixture.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {ITaoErrors} from "../../src/interfaces/ITaoErrors.sol";
import {Game, Job, JobStatus, Member, Outcome, Phase, Tally} from "../../src/interfaces/TaoTypes.sol";

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

    uint256[] public jobs;
    uint256[] public games;
    mapping(uint256 => uint256) internal sizeOf;
    mapping(uint256 => uint256) internal seedOf;
    /// Ghost: rewards claimed per game, checked against the ballot's winning side.
    mapping(uint256 => uint256) public claimsOf;

    struct Counts {
        uint256 challenges;
        uint256 moves;
        uint256 timeouts;
        uint256 votes;
        uint256 resolutions;
        uint256 claims;
        uint256 penalties;
        uint256 mootCloses;
        uint256 finalizes;
        uint256 rejections;
        uint256 withdrawals;
        uint256 blockedAttacks;
    }

    Counts public counts;

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
        if (withhold || block.timestamp > g.deadline) return;
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

    /// Who owes a vote on a game's ballot (the contract's rule, restated).
    function _owes(uint256 id, address m) internal view returns (bool) {
        Tally memory t = tao.getTally(id);
        return tao.isEligible(m, uint256(t.deadline) - VOTE) && tao.getMember(m).stake >= STAKE
            && m != provider && m != tao.gameChallenger(id);
    }

    /// The first member from m that owes a vote on an open ballot casts it; on a moot ballot a
    /// vote must revert.
    function vote(uint256 s, uint256 m, bool accept) external {
        uint256 id = _pickGame(s, Phase.Voting);
        if (id == 0) return;
        address[] memory st = stakers();
        if (_rejected(id)) {
            vm.prank(st[m % st.length]);
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
            tao.vote(id, accept, accept ? 0 : 2);
            ++counts.blockedAttacks;
            return;
        }
        if (block.timestamp > tao.getTally(id).deadline) return;
        for (uint256 i; i < st.length; ++i) {
            address who = st[(m % st.length + i) % st.length];
            if (!_owes(id, who) || tao.voteMark(id, who) != 0) continue;
            vm.prank(who);
            tao.vote(id, accept, accept ? 0 : 2);
            ++counts.votes;
            return;
        }
    }

    function resolve(uint256 s) external {
        uint256 id = _pickGame(s, Phase.Voting);
        if (id == 0 || block.timestamp <= tao.getTally(id).deadline) return;
        if (_rejected(id)) vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
        else ++counts.resolutions;
        tao.resolveVote(id);
        if (tao.getGame(id).outcome == Outcome.ChallengerWon) ++counts.rejections;
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

    /// A majority voter with an unclaimed reward (searching from s) claims it, then tries to
    /// claim it again.
    function claim(uint256 s) external {
        address[] memory st = stakers();
        for (uint256 i; i < games.length; ++i) {
            uint256 id = games[(s % games.length + i) % games.length];
            Tally memory t = tao.getTally(id);
            uint8 winMark = t.outcome == Outcome.ProviderWon ? 1 : t.outcome == Outcome.ChallengerWon ? 2 : 0;
            if (winMark == 0 || t.rewardPerVoter == 0) continue;
            for (uint256 m; m < st.length; ++m) {
                address who = st[m];
                if (tao.voteMark(id, who) != winMark) continue;
                vm.prank(who);
                tao.claimVoteReward(id);
                ++claimsOf[id];
                ++counts.claims;
                vm.prank(who);
                vm.expectRevert(ITaoErrors.NothingToClaim.selector);
                tao.claimVoteReward(id);
                return;
            }
        }
    }

    /// Reports an absent member after a ballot is resolved; a moot ballot owes nothing.
    function penalize(uint256 s, uint256 m) external {
        if (games.length == 0) return;
        uint256 id = games[s % games.length];
        address[] memory st = stakers();
        address who = st[m % st.length];
        Tally memory t = tao.getTally(id);
        if (t.deadline == 0 || block.timestamp <= t.deadline) return;
        if (tao.getGame(id).outcome == Outcome.Moot) {
            vm.expectRevert(abi.encodeWithSelector(ITaoErrors.GameMoot.selector, id));
            tao.penalize(id, who);
            ++counts.blockedAttacks;
            return;
        }
        if (t.outcome == Outcome.None || tao.voteMark(id, who) != 0 || !_owes(id, who)) return;
        vm.prank(outsider);
        tao.penalize(id, who);
        ++counts.penalties;
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
        vm.warp(block.timestamp + (dt % 3 == 0 ? VOTE + 1 : dt % MOVE));
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
        address[] memory st = stakers();
        for (uint256 g; g < gs.length; ++g) {
            Tally memory t = tao.getTally(gs[g]);
            if (t.outcome != Outcome.ProviderWon && t.outcome != Outcome.ChallengerWon) continue;
            uint8 winMark = t.outcome == Outcome.ProviderWon ? 1 : 2;
            for (uint256 i; i < st.length; ++i) {
                if (tao.voteMark(gs[g], st[i]) == winMark) held += t.rewardPerVoter;
            }
        }
    }
}
