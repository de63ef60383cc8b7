// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Adjudication} from "./Adjudication.sol";
import {TaoBase} from "./TaoBase.sol";
import {Config} from "./interfaces/TaoTypes.sol";

/// @title TaoCoordinator
/// @notice One deployment of the TAO protocol: model registry, optimistic jobs, the k-ary
/// bisection game and committee adjudication, all paid out through withdraw(). The pure
/// encoders clients check themselves against are in TaoEncoding, kept out of this contract's
/// code size.
contract TaoCoordinator is Adjudication {
    constructor(Config memory c) TaoBase(c) {}

    /// @notice The job commitment a provider posts for `traceCommitment` (keccak256(0x03 ‖ opRoot ‖
    /// gameRoot)) on job `jobId` of this coordinator on this chain.
    function jobCommitment(uint256 jobId, address provider, bytes32 traceCommitment) external view returns (bytes32) {
        return _bound(jobId, provider, traceCommitment);
    }
}
