// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Leaf} from "../interfaces/TaoTypes.sol";
import {TraceMerkle} from "./TraceMerkle.sol";

/// @title GameTree
/// @notice The second half of a job's commitment, shared with the C++ side (tests/vectors/merkle.json).
/// The game tree follows the k-ary bisection: for an interval [lo, hi) with hi - lo >= 2 split
/// into m parts at boundaries c_0 = lo < c_1 < ... < c_m = hi (Bisection),
///   node(lo, hi) = keccak256(0x02 ‖ leaf(c_1 - 1) ‖ ... ‖ leaf(c_{m-1} - 1) ‖ node(c_0, c_1) ‖ ... ‖ node(c_{m-1}, c_m))
///   node(i, i + 1) = leaf(i)   (the trace leaf of TraceMerkle)
/// and a job commits to  keccak256(0x03 ‖ opRoot ‖ gameRoot)  with opRoot the binary trace root
/// and gameRoot = node(0, n). A bisect move reveals the cut leaves and the m child nodes of the
/// current interval; they must hash to the node the previous move committed to, so each move
/// carries O(k) hashes whatever the trace length (a binary proof per cut would carry log2(n)).
library GameTree {
    /// @notice Node of an interval from its revealed cut leaves and child nodes.
    function nodeHash(Leaf[] calldata cuts, bytes32[] calldata children) internal pure returns (bytes32 h) {
        uint256 nc = cuts.length;
        uint256 nk = children.length;
        bytes memory buf = new bytes(1 + 32 * (nc + nk));
        assembly ("memory-safe") {
            let p := add(buf, 32)
            mstore8(p, 2)
            p := add(p, 1)
            for { let i := 0 } lt(i, nk) { i := add(i, 1) } {
                mstore(add(p, mul(add(nc, i), 32)), calldataload(add(children.offset, mul(i, 32))))
            }
        }
        for (uint256 i; i < nc; ++i) {
            Leaf calldata c = cuts[i];
            bytes32 leaf = TraceMerkle.leafHash(c.index, c.schemaHash, c.outputHash);
            assembly ("memory-safe") {
                mstore(add(add(buf, 33), mul(i, 32)), leaf)
            }
        }
        h = keccak256(buf);
    }

    /// @notice Hash of a node's children list, and of the job commitment [opRoot, gameRoot].
    function listHash(bytes32[] calldata list) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x03), list));
    }

    /// @notice The job commitment: listHash([opRoot, gameRoot]).
    function commitment(bytes32 opRoot, bytes32 gameRoot) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x03), opRoot, gameRoot));
    }
}
