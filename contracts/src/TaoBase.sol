// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Config} from "./interfaces/TaoTypes.sol";
import {ITaoErrors} from "./interfaces/ITaoErrors.sol";
import {ITaoEvents} from "./interfaces/ITaoEvents.sol";

/// @title TaoBase
/// @notice Deployment parameters and pull payments shared by every part of the coordinator.
/// Ether only ever leaves through withdraw(); every other function credits balances.
abstract contract TaoBase is ITaoErrors, ITaoEvents {
    uint256 public immutable arity;
    uint256 public immutable challengeWindow;
    uint256 public immutable moveTimeout;
    uint256 public immutable voteWindow;
    uint256 public immutable unbondingPeriod;
    uint256 public immutable providerBond;
    uint256 public immutable challengerBond;
    uint256 public immutable memberStake;
    uint256 public immutable quorum;
    uint256 public immutable voterRewardBps;
    uint256 public immutable slashBps;
    uint256 public immutable panelSize;
    uint256 public immutable drawDelay;

    /// @notice Ether each account can take out with withdraw().
    mapping(address => uint256) public balanceOf;

    /// Where ether nobody may profit from goes (e.g. slashes of a ballot without quorum):
    /// balanceOf(BURN) only grows, since no one can call withdraw() as address(0).
    address public constant BURN = address(0);

    bool private transient locked;

    modifier nonReentrant() {
        if (locked) revert Reentrancy();
        locked = true;
        _;
        locked = false;
    }

    /// A panel is seeded by a block drawDelay blocks after it is needed, which must still have
    /// a hash (the last 256 blocks); the largest panel (4 panelSize seats) fits a uint16 count.
    constructor(Config memory c) {
        if (
            c.arity < 2 || c.arity > 16 || c.challengeWindow == 0 || c.moveTimeout == 0 || c.voteWindow == 0
                || c.unbondingPeriod < 2 * uint256(c.voteWindow)
                || c.providerBond == 0 || c.challengerBond == 0
                || c.memberStake == 0 || c.quorum == 0 || c.voterRewardBps > 10_000 || c.slashBps > 10_000
                || c.panelSize == 0 || c.panelSize > 1024 || c.quorum > c.panelSize || c.drawDelay == 0
                || c.drawDelay > 255
        ) revert BadConfig();
        arity = c.arity;
        challengeWindow = c.challengeWindow;
        moveTimeout = c.moveTimeout;
        voteWindow = c.voteWindow;
        unbondingPeriod = c.unbondingPeriod;
        providerBond = c.providerBond;
        challengerBond = c.challengerBond;
        memberStake = c.memberStake;
        quorum = c.quorum;
        voterRewardBps = c.voterRewardBps;
        slashBps = c.slashBps;
        panelSize = c.panelSize;
        drawDelay = c.drawDelay;
    }

    /// @notice Sends the caller everything credited to it. Reverts with NothingToWithdraw if zero.
    function withdraw() external nonReentrant {
        uint256 amount = balanceOf[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        balanceOf[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    function _credit(address account, uint256 amount) internal {
        if (amount == 0) return;
        balanceOf[account] += amount;
        emit Credited(account, amount);
    }

    function _now() internal view returns (uint40) {
        return uint40(block.timestamp);
    }
}
