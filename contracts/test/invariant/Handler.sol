// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "../utils/Fixture.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {Job, JobStatus, Outcome, Phase, Tally} from "../../src/interfaces/TaoTypes.sol";

/// Drives a coordinator through random but well-formed sequences of calls from a fixed cast
/// of accounts; calls that revert are simply rejected by the contract and change nothing.
contract Handler is Fixture {
    uint256[] public jobs;
    mapping(uint256 => uint256) internal sizeOf;
    mapping(uint256 => uint256) internal seedOf;
    uint256 public calls;

    constructor() {
        deploy(3);
        joinAll();
    }

    function actors() public view returns (address[] memory a) {
        a = new address[](4 + members.length);
        (a[0], a[1], a[2], a[3]) = (client, provider, challenger, outsider);
        for (uint256 i; i < members.length; ++i) a[4 + i] = members[i];
    }

    function coordinator() external view returns (TaoCoordinator) {
        return tao;
    }

    function memberList() external view returns (address[] memory) {
        return members;
    }

    function jobCount() external view returns (uint256) {
        return jobs.length;
    }

    function _pick(uint256 s) internal view returns (uint256) {
        return jobs.length == 0 ? 0 : jobs[s % jobs.length];
    }

    /// A job in `ph` if there is one (searching from s), so ballots fill up.
    function _pickIn(uint256 s, Phase ph) internal view returns (uint256) {
        for (uint256 i; i < jobs.length; ++i) {
            uint256 id = jobs[(s + i) % jobs.length];
            if (tao.getGame(id).phase == ph) return id;
        }
        return _pick(s);
    }

    function _plan(uint256 id) internal view returns (Plan memory) {
        return makePlan(sizeOf[id], 3, seedOf[id]);
    }

    function request(uint256 s) external {
        ++calls;
        // Few jobs, so random sequences reach votes and settlements on them.
        if (jobs.length >= 4) return;
        uint256 n = [uint256(1), 2, 7, 33][s % 4];
        Plan memory p = makePlan(n, 3, s);
        uint256 id = postResult(p);
        jobs.push(id);
        sizeOf[id] = n;
        seedOf[id] = s;
        if (s % 5 == 0) {
            vm.prank(client);
            try tao.requestJob{value: s % 1 ether}(modelFor(n), 0, address(0)) returns (uint256 open) {
                jobs.push(open);
            } catch {}
        }
    }

    function challenge(uint256 s) external {
        ++calls;
        vm.prank(challenger);
        try tao.challenge{value: CBOND}(_pick(s)) {} catch {}
    }

    function bisect(uint256 s) external {
        ++calls;
        uint256 id = _pick(s);
        if (tao.getGame(id).phase != Phase.ProviderBisect || block.timestamp > tao.getGame(id).deadline) return;
        bisectMove(id, _plan(id));
    }

    function choose(uint256 s) external {
        ++calls;
        uint256 id = _pick(s);
        if (tao.getGame(id).phase != Phase.ChallengerSelect || block.timestamp > tao.getGame(id).deadline) return;
        selectMove(id, _plan(id));
    }

    function reveal(uint256 s) external {
        ++calls;
        uint256 id = _pick(s);
        if (tao.getGame(id).phase != Phase.ProviderReveal || block.timestamp > tao.getGame(id).deadline) return;
        revealMove(id, _plan(id));
    }

    /// Plays whichever honest move is due on a job, so games run to their end.
    function advance(uint256 s) external {
        ++calls;
        uint256 id = _pick(s);
        Phase ph = tao.getGame(id).phase;
        if (ph == Phase.None || ph == Phase.Resolved || block.timestamp > tao.getGame(id).deadline) return;
        Plan memory p = _plan(id);
        if (ph == Phase.ProviderBisect) bisectMove(id, p);
        else if (ph == Phase.ChallengerSelect) selectMove(id, p);
        else if (ph == Phase.ProviderReveal) revealMove(id, p);
    }

    function vote(uint256 s, uint256 m, bool accept) external {
        ++calls;
        uint256 id = _pickIn(s, Phase.Voting); // before prank: it calls the coordinator
        vm.prank(members[m % members.length]);
        try tao.vote(id, accept, accept ? 0 : 2) {} catch {}
    }

    function settle(uint256 s, uint8 how) external {
        ++calls;
        uint256 id = _pick(s);
        how %= 5;
        if (how == 0) try tao.finalize(id) {} catch {}
        else if (how == 1) try tao.timeout(id) {} catch {}
        else if (how == 2) try tao.resolveVote(_pickIn(s, Phase.Voting)) {} catch {}
        else if (how == 3) {
            vm.prank(client);
            try tao.cancelJob(id) {} catch {}
        } else {
            vm.prank(outsider);
            try tao.penalize(id, members[s % members.length]) {} catch {}
        }
    }

    function claim(uint256 s, uint256 m) external {
        ++calls;
        vm.prank(members[m % members.length]);
        try tao.claimVoteReward(_pick(s)) {} catch {}
    }

    function membership(uint256 m, uint8 how) external {
        ++calls;
        address who = members[m % members.length];
        vm.startPrank(who);
        how %= 4;
        // Keep a quorum around so ballots can still be decided.
        if (how == 0 && tao.activeMembers() > 2) try tao.requestLeave() {} catch {}
        else if (how == 1) try tao.exitCommittee() {} catch {}
        else if (how == 2) try tao.joinCommittee{value: STAKE}() {} catch {}
        else try tao.addStake{value: 0.01 ether}() {} catch {}
        vm.stopPrank();
    }

    function withdraw(uint256 a) external {
        ++calls;
        address[] memory all = actors();
        vm.prank(all[a % all.length]);
        try tao.withdraw() {} catch {}
    }

    function wait(uint256 dt) external {
        ++calls;
        // Mostly short steps that keep games alive, sometimes past a whole vote window.
        vm.warp(block.timestamp + (dt % 3 == 0 ? VOTE + 1 : dt % MOVE));
    }

    /// What the coordinator should hold for one job, read from its own state.
    function heldFor(uint256 id) public view returns (uint256 held) {
        Job memory j = tao.getJob(id);
        if (j.status == JobStatus.Requested) return j.fee;
        if (j.status == JobStatus.Submitted) return j.fee + PBOND;
        if (j.status == JobStatus.Disputed) return j.fee + PBOND + CBOND;
        Tally memory t = tao.getTally(id);
        if (t.outcome != Outcome.ProviderWon && t.outcome != Outcome.ChallengerWon) return 0;
        uint8 winMark = t.outcome == Outcome.ProviderWon ? 1 : 2;
        for (uint256 i; i < members.length; ++i) {
            if (tao.voteMark(id, members[i]) == winMark) held += t.rewardPerVoter;
        }
    }
}
