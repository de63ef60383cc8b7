// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Leaf} from "../interfaces/TaoTypes.sol";

/// @title GraphMerkle
/// @notice The model's graph commitment, shared with the C++ side (core/commit/graph_commitment.hpp,
/// tests/vectors/merkle.json). A model registers graphHash = the root of a binary tree (the
/// TraceMerkle node rule and padding) over one entry per trace leaf:
///   entry = keccak256(0x05 ‖ uint32_be(index) ‖ schemaHash ‖ uint32_be(in_0) ‖ … ‖ uint32_be(in_m-1))
/// with in_0 < … < in_m-1 the trace leaves whose outputs the operator reads (model inputs,
/// weights and constants are not leaves). The last entry is the output leaf: schema
/// keccak256("tao::output"), reading the ops the model returns. So the registry, not the
/// provider, decides which leaves a revealed op may open and what kind of op sits at an index.
library GraphMerkle {
    /// @notice Entry of trace leaf `index` of kind `schemaHash` reading the leaves `inputs`
    /// (their indices, in order; the caller checked they are increasing uint32 values).
    function entryHash(uint32 index, bytes32 schemaHash, Leaf[] calldata inputs) internal pure returns (bytes32 h) {
        uint256 m = inputs.length;
        // Scratch memory past the free pointer; each calldata Leaf is three words, index first.
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, shl(248, 5))
            mstore(add(p, 1), shl(224, index))
            mstore(add(p, 5), schemaHash)
            for { let i := 0 } lt(i, m) { i := add(i, 1) } {
                let idx := and(calldataload(add(inputs.offset, mul(i, 96))), 0xffffffff)
                mstore(add(p, add(37, mul(i, 4))), shl(224, idx))
            }
            h := keccak256(p, add(37, mul(m, 4)))
        }
    }
}
