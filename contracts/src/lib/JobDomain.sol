// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title JobDomain
/// @notice Binds a trace commitment to the one result slot it was made for, shared with the
/// C++ side (core/commit/job_domain.hpp, tests/vectors/merkle.json):
///   jobCommitment = keccak256(0x04 ‖ uint256 chainId ‖ address coordinator ‖ uint256 jobId
///                             ‖ address provider ‖ traceCommitment)
/// with traceCommitment = keccak256(0x03 ‖ opRoot ‖ gameRoot) (GameTree). A job stores the
/// bound value; the first game move that opens the commitment recomputes it with this chain,
/// this contract, the job and the job's provider. So a commitment copied from the mempool (or
/// from another job, chain or deployment) cannot be opened by the one who copied it: it loses
/// every game on its result.
library JobDomain {
    function bind(uint256 chainId, address coordinator, uint256 jobId, address provider, bytes32 traceCommitment)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encodePacked(bytes1(0x04), chainId, coordinator, jobId, provider, traceCommitment));
    }
}
