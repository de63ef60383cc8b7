// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm, VM_ADDRESS} from "./Vm.sol";

/// Minimal assertion helpers: a failed check reverts with a message naming both values.
abstract contract Assertions {
    Vm internal constant vm = Vm(VM_ADDRESS);

    /// Lets forge treat a contract as a test suite.
    bool public IS_TEST = true;

    function assertTrue(bool ok, string memory what) internal pure {
        if (!ok) revert(string.concat("assertTrue failed: ", what));
    }

    function assertFalse(bool ok, string memory what) internal pure {
        if (ok) revert(string.concat("assertFalse failed: ", what));
    }

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) {
            revert(string.concat(what, ": ", vm.toString(a), " != ", vm.toString(b)));
        }
    }

    function assertEq(bytes32 a, bytes32 b, string memory what) internal pure {
        if (a != b) {
            revert(string.concat(what, ": ", vm.toString(a), " != ", vm.toString(b)));
        }
    }

    function assertEq(address a, address b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": address mismatch"));
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) revert(string.concat(what, ": ", vm.toString(a), " > ", vm.toString(b)));
    }

    function assertLt(uint256 a, uint256 b, string memory what) internal pure {
        if (a >= b) revert(string.concat(what, ": ", vm.toString(a), " >= ", vm.toString(b)));
    }

    function assertGt(uint256 a, uint256 b, string memory what) internal pure {
        if (a <= b) revert(string.concat(what, ": ", vm.toString(a), " <= ", vm.toString(b)));
    }
}
