// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {TraceTree} from "./utils/TraceTree.sol";
import {TaoEncoding} from "../src/TaoEncoding.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {JobStatus, Leaf, Phase} from "../src/interfaces/TaoTypes.sol";

/// A job commitment is bound to chain, coordinator, job and provider (JobDomain): a result
/// copied from the mempool or from another job cannot be opened by whoever copied it, so the
/// copier loses its bond (half of it to the challenger that beats it), and the one it copied
/// from can be that challenger.
contract DomainSeparationTest is Fixture {
    TaoEncoding internal enc = new TaoEncoding();
    address internal copier = address(0xC0FF);

    function setUp() public {
        deploy(4);
        joinAll();
        vm.deal(copier, 100 ether);
    }


    /// The honest provider's submitResult is front-run with its own calldata by `copier`, who
    /// even knows the whole trace: its first bisect cannot open the commitment, it times out
    /// and the provider, challenging the copy, takes half the copier's bond.
    function test_frontRunCopiedResultIsRejected() public {
        Plan memory p = makePlan(100, 4, 1);
        uint256 id = requestJobFor(p);
        bytes32 posted = boundOf(p, id, provider); // what the provider broadcast
        vm.prank(copier);
        tao.submitResult{value: PBOND}(id, outputOf(p), posted, uint32(p.n));
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongJobStatus.selector, id, JobStatus.Submitted));
        tao.submitResult{value: PBOND}(id, outputOf(p), posted, uint32(p.n));
        uint256 gid = challengeAs(id, provider);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(gid, p);
        vm.prank(copier);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadParentNodes.selector, gid));
        tao.bisect(gid, cuts, children, parent);
        vm.warp(tao.getGame(gid).deadline + 1);
        tao.timeout(gid);
        assertEq(uint256(tao.getJob(id).status), uint256(JobStatus.Rejected), "copied result rejected");
        assertEq(tao.balanceOf(provider), CBOND + PBOND / 2, "half the copier's bond to the challenger");
        assertEq(tao.balanceOf(copier), 0, "copier paid nothing");
    }

    /// A one-op job goes straight to the reveal, which checks the same binding.
    function test_copiedResultCannotBeRevealed() public {
        Plan memory p = makePlan(1, 4, 1);
        uint256 id = requestJobFor(p);
        vm.prank(copier);
        tao.submitResult{value: PBOND}(id, outputOf(p), boundOf(p, id, provider), 1);
        uint256 gid = challengeAs(id, provider);
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory inputs, bytes32[] memory inputProofs) =
            revealArgs(p);
        vm.prank(copier);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadCommitment.selector, gid));
        tao.revealLeaf(gid, op, opProof, inputs, inputProofs, rootPair(p), rootsOf(p));
    }

    /// The provider itself cannot reuse a result committed for one job on another job.
    function test_resultOfAnotherJobCannotBeOpened() public {
        Plan memory p = makePlan(100, 4, 1);
        uint256 first = requestJobFor(p);
        uint256 second = requestJobFor(p);
        vm.prank(provider);
        tao.submitResult{value: PBOND}(second, outputOf(p), boundOf(p, first, provider), uint32(p.n));
        uint256 secondGame = challengeAs(second, challenger);
        (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(secondGame, p);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadParentNodes.selector, secondGame));
        tao.bisect(secondGame, cuts, children, parent);
        // The same trace bound to the right job opens.
        uint256 third = requestJobFor(p);
        vm.prank(provider);
        tao.submitResult{value: PBOND}(third, outputOf(p), boundOf(p, third, provider), uint32(p.n));
        uint256 thirdGame = challengeAs(third, challenger);
        bisectMove(thirdGame, p);
        assertEq(uint256(tao.getGame(thirdGame).phase), uint256(Phase.ChallengerSelect), "bound result opens");
    }

    /// The contract's binding equals the reference encoding for any domain.
    function testFuzz_bindMatchesReference(uint256 chainId, address coord, uint256 jobId, address who, bytes32 t)
        public
        view
    {
        assertEq(
            enc.bindCommitment(chainId, coord, jobId, who, t),
            keccak256(abi.encodePacked(bytes1(0x04), chainId, coord, jobId, who, t)),
            "bind"
        );
    }
}
