// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TaoBase} from "./TaoBase.sol";
import {Model} from "./interfaces/TaoTypes.sol";

/// @title ModelRegistry
/// @notice Models a job can name: identity, graph, op count and the threshold profile in force.
abstract contract ModelRegistry is TaoBase {
    mapping(bytes32 => Model) internal _models;

    /// @notice Registers `modelId` with the caller as owner. Ids are unique; opCount must be >= 1.
    function registerModel(bytes32 modelId, bytes32 graphHash, uint32 opCount, bytes32 profileHash) external {
        if (_models[modelId].owner != address(0)) revert ModelExists(modelId);
        if (opCount == 0) revert BadOpCount(opCount);
        _models[modelId] = Model(msg.sender, opCount, graphHash, profileHash);
        emit ModelRegistered(modelId, msg.sender, graphHash, opCount, profileHash);
    }

    /// @notice Lets the owner pin a recalibrated threshold profile; jobs requested later log the new hash.
    function updateProfile(bytes32 modelId, bytes32 profileHash) external {
        if (_models[modelId].owner != msg.sender) revert NotModelOwner(modelId);
        _models[modelId].profileHash = profileHash;
        emit ProfileUpdated(modelId, profileHash);
    }

    /// @notice The registered model (owner == address(0) when unknown).
    function getModel(bytes32 modelId) external view returns (Model memory) {
        return _models[modelId];
    }
}
