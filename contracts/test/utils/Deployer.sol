// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Assertions} from "./Assertions.sol";
import {TaoCoordinator} from "../../src/TaoCoordinator.sol";
import {Config} from "../../src/interfaces/TaoTypes.sol";

/// Deploys the coordinator from its compiled artifact. A `new TaoCoordinator` in a test would
/// embed the whole coordinator in that test contract, and the IR pipeline would optimise it
/// once more for every such contract: most of a cold build. The artifact is the very bytecode
/// the deploy script and the devnets use.
abstract contract Deployer is Assertions {
    /// The default profile's IR build. Test files compile with the legacy pipeline and carry
    /// their own legacy copy of the coordinator, so it is named by its file, not its name.
    string internal constant COORDINATOR_ARTIFACT = "out/TaoCoordinator.sol/TaoCoordinator.json";

    /// The `fast` profile (quick iterations, mutation runs) builds everything with the legacy
    /// pipeline into out-fast/, where the contract's name is unambiguous.
    function fastProfile() internal view returns (bool) {
        return keccak256(bytes(vm.envOr("FOUNDRY_PROFILE", string("default")))) == keccak256("fast");
    }

    /// Behaves as `new TaoCoordinator(c)`: a constructor's revert is bubbled up unchanged, so
    /// vm.expectRevert sees it.
    function newCoordinator(Config memory c) internal returns (TaoCoordinator t) {
        string memory artifact = fastProfile() ? "TaoCoordinator.sol:TaoCoordinator" : COORDINATOR_ARTIFACT;
        bytes memory code = abi.encodePacked(vm.getCode(artifact), abi.encode(c));
        assembly ("memory-safe") {
            t := create(0, add(code, 0x20), mload(code))
            if iszero(t) {
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
        }
    }
}
