// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Assertions} from "../utils/Assertions.sol";
import {Handler} from "./Handler.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {Game, Phase} from "../../src/interfaces/TaoTypes.sol";

/// The coordinator's ether always equals what it owes: escrowed fees and bonds of open jobs,
/// unclaimed voter rewards, member stakes and withdrawable balances.
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

    function invariant_etherEqualsLiabilities() public view {
        uint256 owed;
        for (uint256 i; i < handler.jobCount(); ++i) owed += handler.heldFor(handler.jobs(i));
        address[] memory members = handler.memberList();
        for (uint256 i; i < members.length; ++i) owed += tao.getMember(members[i]).stake;
        address[] memory all = handler.actors();
        for (uint256 i; i < all.length; ++i) owed += tao.balanceOf(all[i]);
        owed += tao.balanceOf(tao.BURN());
        assertEq(address(tao).balance, owed, "balance == fees + bonds + rewards + stakes + withdrawable + burned");
    }

    function invariant_intervalsWellFormed() public view {
        for (uint256 i; i < handler.jobCount(); ++i) {
            uint256 id = handler.jobs(i);
            Game memory g = tao.getGame(id);
            if (g.phase == Phase.None) continue;
            assertTrue(g.lo < g.hi && g.hi <= tao.getJob(id).opCount, "0 <= lo < hi <= n");
            if (g.phase == Phase.ProviderReveal || g.phase == Phase.Voting) assertEq(g.hi - g.lo, 1, "leaf");
        }
    }
}
