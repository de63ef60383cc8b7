// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelRegistry} from "./ModelRegistry.sol";
import {Job, JobStatus, Model} from "./interfaces/TaoTypes.sol";

/// @title JobBook
/// @notice Optimistic jobs: a client escrows a fee, a provider posts a bonded result, and
/// once the window is over with no game open and none lost the provider gets fee and bond back.
abstract contract JobBook is ModelRegistry {
    mapping(uint256 => Job) internal _jobs;
    /// @notice Number of jobs ever requested; ids run from 1 to jobCount.
    uint256 public jobCount;

    /// @notice Escrows msg.value as the fee for running `modelId` on `inputHash`.
    /// `provider` restricts who may answer (address(0): anyone). Returns the new job id.
    function requestJob(bytes32 modelId, bytes32 inputHash, address provider)
        external
        payable
        returns (uint256 jobId)
    {
        Model storage m = _models[modelId];
        if (m.owner == address(0)) revert UnknownModel(modelId);
        if (msg.value > type(uint96).max) revert FeeTooLarge();
        jobId = ++jobCount;
        Job storage j = _jobs[jobId];
        j.client = msg.sender;
        j.fee = uint96(msg.value);
        j.provider = provider;
        j.opCount = m.opCount;
        j.status = JobStatus.Requested;
        j.modelId = modelId;
        j.inputHash = inputHash;
        emit JobRequested(jobId, msg.sender, modelId, inputHash, provider, msg.value, m.profileHash);
    }

    /// @notice Client takes its fee back while no result has been posted.
    function cancelJob(uint256 jobId) external {
        Job storage j = _job(jobId);
        if (j.client != msg.sender) revert NotClient(jobId);
        _expectStatus(jobId, j, JobStatus.Requested);
        j.status = JobStatus.Cancelled;
        emit JobCancelled(jobId);
        emit JobClosed(jobId, JobStatus.Cancelled);
        _credit(msg.sender, j.fee);
    }

    /// @notice Posts the result with exactly `providerBond` wei. `opCount` must equal the model's.
    /// `traceRoot` is the job commitment (JobDomain: the trace commitment bound to this chain,
    /// coordinator, job and the sender); it is checked when a game first opens it. Opens the
    /// challenge window.
    function submitResult(uint256 jobId, bytes32 outputHash, bytes32 traceRoot, uint32 opCount) external payable {
        Job storage j = _job(jobId);
        _expectStatus(jobId, j, JobStatus.Requested);
        if (j.provider != address(0) && j.provider != msg.sender) revert NotDesignatedProvider(jobId);
        if (msg.value != providerBond) revert WrongBond(providerBond, msg.value);
        if (opCount != j.opCount) revert OpCountMismatch(j.opCount, opCount);
        uint40 deadline = _now() + uint40(challengeWindow);
        j.provider = msg.sender;
        j.challengeDeadline = deadline;
        j.status = JobStatus.Submitted;
        j.outputHash = outputHash;
        j.traceRoot = traceRoot;
        emit ResultSubmitted(jobId, msg.sender, outputHash, traceRoot, opCount, deadline);
    }

    /// @notice After the window, with no game open (status Submitted: none was ever opened, or
    /// every one ended without the provider losing), accepts the result and credits the
    /// provider with fee + bond. Anyone may call.
    function finalize(uint256 jobId) external {
        Job storage j = _job(jobId);
        _expectStatus(jobId, j, JobStatus.Submitted);
        if (block.timestamp <= j.challengeDeadline) revert ChallengeWindowOpen(jobId);
        _accept(jobId, j);
    }

    /// @notice The full job record.
    function getJob(uint256 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    function _job(uint256 jobId) internal view returns (Job storage j) {
        j = _jobs[jobId];
        if (j.status == JobStatus.None) revert UnknownJob(jobId);
    }

    function _expectStatus(uint256 jobId, Job storage j, JobStatus want) internal view {
        JobStatus s = j.status;
        if (s == want) return;
        if (s >= JobStatus.Accepted) revert AlreadyFinalized(jobId);
        revert WrongJobStatus(jobId, s);
    }

    function _accept(uint256 jobId, Job storage j) internal {
        _close(jobId, j, JobStatus.Accepted);
        _credit(j.provider, uint256(j.fee) + providerBond);
    }

    function _close(uint256 jobId, Job storage j, JobStatus status) internal {
        j.status = status;
        emit JobClosed(jobId, status);
    }
}
