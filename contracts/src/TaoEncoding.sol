// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Bisection} from "./lib/Bisection.sol";
import {GraphMerkle} from "./lib/GraphMerkle.sol";
import {JobDomain} from "./lib/JobDomain.sol";
import {TraceMerkle} from "./lib/TraceMerkle.sol";
import {Leaf} from "./interfaces/TaoTypes.sol";

/// @title TaoEncoding
/// @notice The coordinator's hashing and interval rules as pure calls, for clients and tests to
/// check their own encoders against the code the coordinator runs (same libraries).
contract TaoEncoding {
    /// @notice The trace leaf hash.
    function leafHash(uint32 index, bytes32 schemaHash, bytes32 outputHash) external pure returns (bytes32) {
        return TraceMerkle.leafHash(index, schemaHash, outputHash);
    }

    /// @notice The inner node hash of the trace tree.
    function nodeHash(bytes32 left, bytes32 right) external pure returns (bytes32) {
        return TraceMerkle.nodeHash(left, right);
    }

    /// @notice True iff `proof` places `leaf` at `index` under `root`.
    function verifyProof(bytes32 root, bytes32 leaf, uint256 index, bytes32[] calldata proof)
        external
        pure
        returns (bool)
    {
        return TraceMerkle.verify(root, leaf, index, proof);
    }

    /// @notice The model graph entry of leaf `index` reading the leaves `inputs` (only their
    /// indices count).
    function graphEntryHash(uint32 index, bytes32 schemaHash, Leaf[] calldata inputs)
        external
        pure
        returns (bytes32)
    {
        return GraphMerkle.entryHash(index, schemaHash, inputs);
    }

    /// @notice JobDomain.bind for any domain.
    function bindCommitment(
        uint256 chainId,
        address coordinator,
        uint256 jobId,
        address provider,
        bytes32 traceCommitment
    ) external pure returns (bytes32) {
        return JobDomain.bind(chainId, coordinator, jobId, provider, traceCommitment);
    }

    /// @notice The sub-interval [lo, hi) that part `segment` of [lo, hi) selects at arity k.
    function segmentOf(uint256 lo, uint256 hi, uint256 k, uint256 segment) external pure returns (uint256, uint256) {
        return Bisection.select(lo, hi, Bisection.parts(lo, hi, k), segment);
    }
}
