// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {TraceTree} from "./utils/TraceTree.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {JobStatus, Leaf, Phase} from "../src/interfaces/TaoTypes.sol";

/// Issue 14, finding 3 and the second part of finding 4, tried as a cheating provider would.
/// Finding 3: the posted outputHash was never tied to the trace, so an honest trace could back
/// any output. Now the trace's last leaf is the output leaf, and revealing it needs the job's
/// outputHash. Finding 4: the provider chose which earlier leaves fed the disputed op. Now the
/// model's registered graph (GraphMerkle) fixes the op's kind and the exact leaves it reads.
contract GraphBindingTest is Fixture {
    using TraceTree for TraceTree.Tree;

    uint256 internal constant N = 64;

    function setUp() public {
        deploy(4);
        joinAll();
    }

    /// Plays a challenge on `plan` posted with `output` to its leaf; returns job and game.
    function _toLeaf(Plan memory plan, bytes32 output) internal returns (uint256 job, uint256 gid) {
        job = requestJobFor(plan);
        vm.prank(provider);
        tao.submitResult{value: PBOND}(job, output, boundOf(plan, job, provider), uint32(plan.n));
        gid = challengeJob(job);
        playToLeaf(gid, plan);
    }

    function _reveal(uint256 gid, Plan memory p, Leaf[] memory ins, bytes32[] memory insProofs, bytes memory err)
        internal
    {
        (Leaf memory op, bytes32[] memory opProof,,) = revealArgs(p);
        bytes32[] memory parent = parentOf(gid, p);
        bytes32[2] memory roots = rootPair(p);
        vm.prank(provider);
        if (err.length > 0) vm.expectRevert(err);
        tao.revealLeaf(gid, op, opProof, ins, insProofs, roots, parent);
    }

    function _timeoutRejects(uint256 job, uint256 gid) internal {
        vm.warp(uint256(tao.getGame(gid).deadline) + 1);
        tao.timeout(gid);
        assertEq(uint256(tao.getJob(job).status), uint256(JobStatus.Rejected), "job rejected");
    }

    /// The provider's trace (the plan's leaves and wiring) disagrees with the registered graph
    /// `p.graph` at op lo: the op does not reveal, and the provider loses by timeout.
    function _honestTraceAgainstAnotherGraph(Plan memory p) internal {
        (uint256 job, uint256 gid) = _toLeaf(p, outputOf(p));
        (,, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        _reveal(gid, p, ins, insProofs, abi.encodeWithSelector(ITaoErrors.NotInGraph.selector, p.lo));
        _timeoutRejects(job, gid);
    }

    /// An honest trace posted with another output: the output leaf cannot be revealed, and the
    /// provider loses by timeout.
    function test_outputNotTheTracesCannotBeDefended() public {
        Plan memory p = makePlanTo(N, 4, N - 1);
        (uint256 job, uint256 gid) = _toLeaf(p, keccak256("the output the client was sold"));
        (,, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        _reveal(gid, p, ins, insProofs, abi.encodeWithSelector(ITaoErrors.OutputMismatch.selector, job));
        _timeoutRejects(job, gid);
    }

    /// The trace's own output: the output leaf reveals and goes to the committee.
    function test_outputLeafOfTheJobsOutputReveals() public {
        Plan memory p = makePlanTo(N, 4, N - 1);
        assertEq(p.lo, N - 1, "game ends on the output leaf");
        (, uint256 gid) = _toLeaf(p, outputOf(p));
        (,, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        _reveal(gid, p, ins, insProofs, "");
        assertEq(uint256(tao.getGame(gid).phase), uint256(Phase.Voting), "ballot open");
    }

    /// The output check binds the last leaf only: an op inside the trace reveals whatever the job's output.
    function test_innerOpIsNotComparedWithTheOutput() public {
        Plan memory p = makePlanTo(N, 4, 40);
        (, uint256 gid) = _toLeaf(p, keccak256("another output"));
        (,, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        _reveal(gid, p, ins, insProofs, "");
        assertEq(uint256(tao.getGame(gid).phase), uint256(Phase.Voting), "ballot open");
    }

    /// Opening fewer leaves than the graph says the op reads, or others, does not reveal.
    function test_inputsAreTheGraphsNotTheProviders() public {
        Plan memory p = makePlanTo(N, 4, 40);
        assertEq(p.inputs.length, 2, "op 40 reads two leaves");
        (uint256 job, uint256 gid) = _toLeaf(p, outputOf(p));
        (,, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        uint256 d = p.tree.depth;
        bytes memory notInGraph = abi.encodeWithSelector(ITaoErrors.NotInGraph.selector, 40);
        // Only the second input (a provider hiding the first).
        Leaf[] memory one = new Leaf[](1);
        bytes32[] memory oneProof = new bytes32[](d);
        one[0] = ins[1];
        for (uint256 l; l < d; ++l) oneProof[l] = insProofs[d + l];
        _reveal(gid, p, one, oneProof, notInGraph);
        // None at all.
        _reveal(gid, p, new Leaf[](0), new bytes32[](0), notInGraph);
        _timeoutRejects(job, gid);
    }

    /// A graph that reads another leaf than the one the provider opens: the provider's trace
    /// wired the op differently from the model.
    function test_rewiredOpDoesNotReveal() public {
        Plan memory p = makePlanTo(N, 4, 40);
        uint256[] memory wiring = new uint256[](2);
        (wiring[0], wiring[1]) = (p.inputs[0] - 1, p.inputs[1]);
        p.graph = TraceTree.graphFor(N, p.lo, wiring, SALT);
        _honestTraceAgainstAnotherGraph(p);
    }

    /// The trace claims another kind of op at lo than the model has there.
    function test_opOfAnotherKindDoesNotReveal() public {
        Plan memory p = makePlanTo(N, 4, 40);
        uint256[] memory idx = new uint256[](1);
        bytes32[] memory hashes = new bytes32[](1);
        idx[0] = p.lo;
        hashes[0] = TraceTree.graphEntryRef(p.lo, keccak256("aten::relu"), p.inputs);
        p.graph = TraceTree.buildFrom(N, idx, hashes);
        _honestTraceAgainstAnotherGraph(p);
    }

    /// The op's proof carries the trace siblings and then the graph siblings: a graph proof
    /// left off does not reveal.
    function test_opProofWithoutGraphSiblingsReverts() public {
        Plan memory p = makePlanTo(N, 4, 40);
        (, uint256 gid) = _toLeaf(p, outputOf(p));
        (Leaf memory op,, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        bytes32[] memory parent = parentOf(gid, p);
        bytes32[2] memory roots = rootPair(p);
        bytes32[] memory traceOnly = p.tree.proof(p.lo);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadProofLength.selector, 12, 6));
        tao.revealLeaf(gid, op, traceOnly, ins, insProofs, roots, parent);
    }
}
