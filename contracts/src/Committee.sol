// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TaoBase} from "./TaoBase.sol";
import {Member} from "./interfaces/TaoTypes.sol";

/// @title Committee
/// @notice Staked members from whom each game's ballot draws its panels. A member's weight in a
/// draw is its stake, and only stake bonded before the job's result was posted counts, so
/// neither splitting stake over addresses nor joining after seeing a trace buys seats. A member
/// holding an unsettled seat cannot exit, so a slash it owes cannot be dodged by leaving.
abstract contract Committee is TaoBase {
    /// Bounds the work of one draw, which reads every member once (a sortition tree would lift it).
    uint256 public constant MAX_MEMBERS = 128;

    mapping(address => Member) internal _members;
    /// Every member that has not exited, leaving ones included (they hold no new seats).
    address[] internal _roster;
    mapping(address => uint256) internal _rosterSlot; // index in _roster + 1
    /// @notice Members currently active (joined and not leaving).
    uint256 public activeMembers;

    /// @notice Joins with at least `memberStake` wei. Reverts CommitteeFull at MAX_MEMBERS.
    function joinCommittee() external payable {
        Member storage m = _members[msg.sender];
        if (m.joinedAt != 0) revert AlreadyMember();
        if (msg.value < memberStake) revert WrongBond(memberStake, msg.value);
        if (msg.value > type(uint96).max) revert StakeTooLarge();
        if (_roster.length >= MAX_MEMBERS) revert CommitteeFull(MAX_MEMBERS);
        m.stake = uint96(msg.value);
        m.joinedAt = _now();
        m.stakedAt = _now();
        _roster.push(msg.sender);
        _rosterSlot[msg.sender] = _roster.length;
        ++activeMembers;
        emit MemberJoined(msg.sender, msg.value);
    }

    /// @notice Tops up the caller's stake (e.g. after a slash). Like a new stake, it counts only
    /// for jobs posted afterwards: the member draws no seat on earlier jobs' ballots.
    function addStake() external payable {
        Member storage m = _members[msg.sender];
        if (m.joinedAt == 0) revert NotCommitteeMember(msg.sender);
        if (m.leaveAt != 0) revert MemberLeaving();
        uint256 stake = uint256(m.stake) + msg.value;
        if (stake > type(uint96).max) revert StakeTooLarge();
        m.stake = uint96(stake);
        m.stakedAt = _now();
        emit StakeAdded(msg.sender, msg.value, stake);
    }

    /// @notice Stops being drawn on new panels; the stake is released by exitCommittee() later.
    function requestLeave() external {
        Member storage m = _members[msg.sender];
        if (m.joinedAt == 0) revert NotCommitteeMember(msg.sender);
        if (m.leaveAt != 0) revert MemberLeaving();
        m.leaveAt = _now();
        --activeMembers;
        emit LeaveRequested(msg.sender, _now() + uint40(unbondingPeriod));
    }

    /// @notice After the unbonding period, and once every seat the member held is settled (its
    /// rewards paid and slashes taken), credits the remaining stake and forgets the member.
    function exitCommittee() external {
        Member storage m = _members[msg.sender];
        if (m.joinedAt == 0) revert NotCommitteeMember(msg.sender);
        if (m.leaveAt == 0) revert StakeLocked(type(uint256).max);
        uint256 until = uint256(m.leaveAt) + unbondingPeriod;
        if (block.timestamp < until) revert StakeLocked(until);
        if (m.openSeats != 0) revert SeatsUnsettled(m.openSeats);
        uint256 stake = m.stake;
        delete _members[msg.sender];
        _removeFromRoster(msg.sender);
        emit MemberExited(msg.sender, stake);
        _credit(msg.sender, stake);
    }

    /// @notice The member record (joinedAt == 0 when not a member).
    function getMember(address account) external view returns (Member memory) {
        return _members[account];
    }

    /// @notice Every member that has not exited (a view: draws read it in one pass).
    function roster() external view returns (address[] memory) {
        return _roster;
    }

    /// @notice The weight `account` draws with on the ballot of a job whose result was posted at
    /// `postedAt`: its stake if it staked strictly before then, is not leaving and holds at least
    /// `memberStake` (a slashed-below member draws nothing until it tops up); else 0.
    function drawWeight(address account, uint256 postedAt) public view returns (uint256) {
        Member storage m = _members[account];
        if (m.joinedAt == 0 || m.stakedAt >= postedAt || m.leaveAt != 0 || m.stake < memberStake) return 0;
        return m.stake;
    }

    function _removeFromRoster(address account) private {
        uint256 slot = _rosterSlot[account];
        address last = _roster[_roster.length - 1];
        _roster[slot - 1] = last;
        _rosterSlot[last] = slot;
        _roster.pop();
        delete _rosterSlot[account];
    }
}
