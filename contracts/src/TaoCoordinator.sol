// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Adjudication} from "./Adjudication.sol";
import {TaoBase} from "./TaoBase.sol";
import {Config} from "./interfaces/TaoTypes.sol";
import {TraceMerkle} from "./lib/TraceMerkle.sol";
import {Bisection} from "./lib/Bisection.sol";
import {JobDomain} from "./lib/JobDomain.sol";

/// @title TaoCoordinator
/// @notice One deployment of the TAO protocol: model registry, optimistic jobs, the k-ary
/// bisection game and committee adjudication, all paid out through withdraw().
contract TaoCoordinator is Adjudication {
    constructor(Config memory c) TaoBase(c) {}

    /// @notice The trace leaf hash, for clients to check their own encoder against the chain.
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

    /// @notice The job commitment a provider posts for `traceCommitment` (keccak256(0x03 ‖ opRoot ‖
    /// gameRoot)) on job `jobId` of this coordinator on this chain.
    function jobCommitment(uint256 jobId, address provider, bytes32 traceCommitment) external view returns (bytes32) {
        return _bound(jobId, provider, traceCommitment);
    }

    /// @notice JobDomain.bind for any domain, for clients to check their own encoder.
    function bindCommitment(
        uint256 chainId,
        address coordinator,
        uint256 jobId,
        address provider,
        bytes32 traceCommitment
    ) external pure returns (bytes32) {
        return JobDomain.bind(chainId, coordinator, jobId, provider, traceCommitment);
    }

    /// @notice The sub-interval [lo, hi) that part `segment` of [lo, hi) selects at this deployment's arity.
    function segmentOf(uint256 lo, uint256 hi, uint256 segment) external view returns (uint256, uint256) {
        return Bisection.select(lo, hi, Bisection.parts(lo, hi, arity), segment);
    }
}
