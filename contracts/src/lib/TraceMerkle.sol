// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title TraceMerkle
/// @notice The trace commitment rule shared with the C++ side (tests/vectors/merkle.json):
///   leaf = keccak256(0x00 ‖ uint32_be(index) ‖ schemaHash ‖ outputHash)
///   node = keccak256(0x01 ‖ left ‖ right)
///   the leaf layer is padded with bytes32(0) (not hashed) to a power of two;
///   a proof lists siblings bottom-up; bit L of the index says "current node is a right child".
library TraceMerkle {
    /// @notice Number of levels above the leaves for `n` operators: ceil(log2(n)), 0 for n <= 1.
    function depth(uint256 n) internal pure returns (uint256 d) {
        uint256 width = 1;
        while (width < n) {
            width <<= 1;
            ++d;
        }
    }

    /// @notice Hash of one trace leaf.
    function leafHash(uint32 index, bytes32 schemaHash, bytes32 outputHash) internal pure returns (bytes32 h) {
        // Scratch memory past the free pointer: nothing is allocated per hash.
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, 0)
            mstore(add(p, 1), shl(224, index))
            mstore(add(p, 5), schemaHash)
            mstore(add(p, 37), outputHash)
            h := keccak256(p, 69)
        }
    }

    /// @notice Hash of an inner node.
    function nodeHash(bytes32 left, bytes32 right) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, shl(248, 1))
            mstore(add(p, 1), left)
            mstore(add(p, 33), right)
            h := keccak256(p, 65)
        }
    }

    /// @notice Root reached from `leaf` at `index` through `proof`; the caller compares it with the root.
    function rootFrom(bytes32 leaf, uint256 index, bytes32[] calldata proof) internal pure returns (bytes32 node) {
        node = leaf;
        uint256 len = proof.length;
        for (uint256 level; level < len; ++level) {
            node = ((index >> level) & 1) == 1 ? nodeHash(proof[level], node) : nodeHash(node, proof[level]);
        }
    }

    /// @notice True iff `proof` places `leaf` at `index` under `root`.
    function verify(bytes32 root, bytes32 leaf, uint256 index, bytes32[] calldata proof) internal pure returns (bool) {
        return rootFrom(leaf, index, proof) == root;
    }
}
