// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Assertions} from "./utils/Assertions.sol";
import {Bisection} from "../src/lib/Bisection.sol";

/// Interval arithmetic for random n and k: parts cover [lo, hi) exactly, are non-empty and
/// ordered, and the game reaches one op within ceil(log_k(n)) rounds whatever the challenger picks.
contract BisectionTest is Assertions {
    function testFuzz_partsTileInterval(uint256 lo, uint256 len, uint256 k) public pure {
        len = 2 + len % (type(uint32).max - 1);
        lo = lo % (uint256(type(uint32).max) - len + 1);
        k = 2 + k % 15;
        uint256 hi = lo + len;
        uint256 m = Bisection.parts(lo, hi, k);
        assertEq(m, len < k ? len : k, "parts");
        uint256 prev = lo;
        uint256 minLen = type(uint256).max;
        uint256 maxLen;
        for (uint256 j; j < m; ++j) {
            (uint256 a, uint256 b) = Bisection.select(lo, hi, m, j);
            assertEq(a, prev, "contiguous");
            assertTrue(b > a, "non-empty");
            if (j + 1 < m) assertEq(Bisection.cutIndex(lo, hi, m, j + 1), b - 1, "cut is last op of part");
            minLen = b - a < minLen ? b - a : minLen;
            maxLen = b - a > maxLen ? b - a : maxLen;
            prev = b;
        }
        assertEq(prev, hi, "covers hi");
        assertLe(maxLen - minLen, 1, "balanced");
    }

    function testFuzz_roundsBounded(uint256 n, uint256 k, uint256 seed) public pure {
        n = 1 + n % type(uint32).max;
        k = 2 + k % 15;
        uint256 bound;
        for (uint256 w = 1; w < n; w *= k) ++bound;
        uint256 lo;
        uint256 hi = n;
        uint256 rounds;
        while (hi - lo > 1) {
            uint256 m = Bisection.parts(lo, hi, k);
            uint256 s = uint256(keccak256(abi.encode(seed, rounds))) % m;
            (uint256 a, uint256 b) = Bisection.select(lo, hi, m, s);
            assertTrue(a >= lo && b <= hi && b - a < hi - lo, "shrinks inside");
            (lo, hi) = (a, b);
            ++rounds;
        }
        assertEq(hi - lo, 1, "ends at one op");
        assertLe(rounds, bound, "rounds <= ceil(log_k n)");
    }
}
