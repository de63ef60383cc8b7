// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TaoBase} from "./TaoBase.sol";
import {Member} from "./interfaces/TaoTypes.sol";

/// @title Committee
/// @notice Staked members who adjudicate single operators. A member is called on every
/// vote opened after it joined and before it asked to leave; its stake stays slashable
/// for `unbondingPeriod` after the leave request, which covers any vote it owes.
abstract contract Committee is TaoBase {
    mapping(address => Member) internal _members;
    /// @notice Members currently active (joined and not leaving).
    uint256 public activeMembers;

    /// @notice Joins with at least `memberStake` wei.
    function joinCommittee() external payable {
        Member storage m = _members[msg.sender];
        if (m.joinedAt != 0) revert AlreadyMember();
        if (msg.value < memberStake) revert WrongBond(memberStake, msg.value);
        m.stake = uint128(msg.value);
        m.joinedAt = _now();
        ++activeMembers;
        emit MemberJoined(msg.sender, msg.value);
    }

    /// @notice Tops up the caller's stake (e.g. after a slash).
    function addStake() external payable {
        Member storage m = _members[msg.sender];
        if (m.joinedAt == 0) revert NotCommitteeMember(msg.sender);
        if (m.leaveAt != 0) revert MemberLeaving();
        m.stake += uint128(msg.value);
        emit StakeAdded(msg.sender, msg.value, m.stake);
    }

    /// @notice Stops being called on new votes; the stake is released by exitCommittee() later.
    function requestLeave() external {
        Member storage m = _members[msg.sender];
        if (m.joinedAt == 0) revert NotCommitteeMember(msg.sender);
        if (m.leaveAt != 0) revert MemberLeaving();
        m.leaveAt = _now();
        --activeMembers;
        emit LeaveRequested(msg.sender, _now() + uint40(unbondingPeriod));
    }

    /// @notice After the unbonding period, credits the remaining stake and forgets the member.
    function exitCommittee() external {
        Member storage m = _members[msg.sender];
        if (m.joinedAt == 0) revert NotCommitteeMember(msg.sender);
        if (m.leaveAt == 0) revert StakeLocked(type(uint256).max);
        uint256 until = uint256(m.leaveAt) + unbondingPeriod;
        if (block.timestamp < until) revert StakeLocked(until);
        uint256 stake = m.stake;
        delete _members[msg.sender];
        emit MemberExited(msg.sender, stake);
        _credit(msg.sender, stake);
    }

    /// @notice The member record (joinedAt == 0 when not a member).
    function getMember(address account) external view returns (Member memory) {
        return _members[account];
    }

    /// @notice True iff `account` owes a vote on a ballot opened at `openedAt`.
    function isEligible(address account, uint256 openedAt) public view returns (bool) {
        Member storage m = _members[account];
        return m.joinedAt != 0 && m.joinedAt < openedAt && (m.leaveAt == 0 || m.leaveAt >= openedAt);
    }
}
