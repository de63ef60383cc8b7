// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Assertions} from "../utils/Assertions.sol";
import {Handler} from "./Handler.sol";

/// The handler's committee path, played in order once: a run that reaches it by chance
/// relies on the same calls, so they must work when the state allows.
contract HandlerPathTest is Assertions {
    function test_handlerReachesEveryCommitteeStep() public {
        Handler h = new Handler();
        h.request(3); // a 33-op job
        h.challenge(0, 1);
        for (uint256 i; i < 40; ++i) h.advance(0, false);
        h.draw(0);
        h.commit(0, 0, false, false);
        h.waitForBallot(0);
        h.reveal(0);
        h.waitForBallot(0);
        h.resolve(0);
        for (uint256 i; i < 4; ++i) h.settle(0);
        Handler.Counts memory c = h.countsOf();
        assertEq(c.draws, 1, "draw");
        assertGt(c.votes, 0, "votes");
        assertEq(c.reveals, c.votes, "reveals");
        assertEq(c.resolutions, 1, "resolution");
        assertGt(c.claims, 0, "rewards");
    }
}
