// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ballots} from "./Ballots.sol";
import {GameTree} from "./lib/GameTree.sol";
import {GraphMerkle} from "./lib/GraphMerkle.sol";
import {TraceMerkle} from "./lib/TraceMerkle.sol";
import {Game, Job, Leaf, Phase} from "./interfaces/TaoTypes.sol";

/// @title Adjudication
/// @notice The end of a game: the provider opens the single disputed op (its output leaf
/// and the leaves of the ops feeding it); a committee panel recomputes it off chain and votes
/// (Ballots).
abstract contract Adjudication is Ballots {
    /// Caps the proof work of one reveal. The registered graph fixes how many leaves an op
    /// reads, so a model with an op reading more (a wide concatenation, a model returning
    /// more tensors) cannot be disputed at that op: keep such models off the registry.
    uint256 public constant MAX_INPUTS = 64;

    /// @notice Provider reveals op `lo` of game `gameId` and its input leaves (strictly increasing
    /// indices < lo), each with `depth` proof siblings (`inputProofs` concatenated) against the
    /// binary trace root; `roots` = [opRoot, gameRoot] must hash to the job's commitment. The op
    /// must also be the game's own leaf: `parentChildren` are the child nodes the game's last
    /// bisect revealed ([opRoot, gameRoot] when there was none), and the one the challenger
    /// selected must be the op's leaf hash (node(lo, lo + 1) = leaf(lo)), so the op judged is
    /// the one the bisection ended on and not another leaf of a mismatched op tree.
    /// `opProof` holds 2·depth siblings: the op's trace proof, then its graph proof, which places
    /// the op's graph entry (GraphMerkle: its index, schema
    /// and exactly the input indices opened) under the model's registered graphHash, so the
    /// provider cannot choose which leaves feed the op, nor claim another kind of op. At the last
    /// leaf (the output leaf) the op's output hash must be the job's posted outputHash: a result
    /// that is not the trace's own output cannot be defended. Opens the game's ballot, whose
    /// first panel the hash of block `block.number + drawDelay` draws.
    function revealLeaf(
        uint256 gameId,
        Leaf calldata op,
        bytes32[] calldata opProof,
        Leaf[] calldata inputs,
        bytes32[] calldata inputProofs,
        bytes32[2] calldata roots,
        bytes32[] calldata parentChildren
    ) external {
        _verifyReveal(gameId, op, opProof, inputs, inputProofs, roots);
        _verifyGameLeaf(gameId, op, parentChildren);
        _verifyGraph(gameId, op, inputs, opProof);
        bytes32 evidence = keccak256(abi.encode(op, inputs));
        uint64 drawBlock = _openBallot(gameId, evidence);
        emit LeafRevealed(gameId, op, inputs, evidence, drawBlock);
    }

    function _verifyReveal(
        uint256 gameId,
        Leaf calldata op,
        bytes32[] calldata opProof,
        Leaf[] calldata inputs,
        bytes32[] calldata inputProofs,
        bytes32[2] calldata roots
    ) internal view {
        (bytes32 root, uint256 lo, uint256 d) = _verifyOp(gameId, op, opProof, roots);
        if (inputs.length > MAX_INPUTS) revert TooManyInputs(inputs.length);
        if (inputProofs.length != inputs.length * d) revert BadProofLength(inputs.length * d, inputProofs.length);
        _verifyInputs(root, lo, d, inputs, inputProofs);
    }

    function _verifyGameLeaf(uint256 gameId, Leaf calldata op, bytes32[] calldata parentChildren)
        internal
        view
    {
        Game memory g = _games[gameId];
        _checkParent(gameId, g.jobId, _jobs[g.jobId], g.selected, parentChildren);
        if (parentChildren[g.selected] != TraceMerkle.leafHash(op.index, op.schemaHash, op.outputHash)) {
            revert BadNode(g.lo, g.hi);
        }
    }

    /// `opProof`'s second half (its length was checked) proves the op's graph entry.
    function _verifyGraph(uint256 gameId, Leaf calldata op, Leaf[] calldata inputs, bytes32[] calldata opProof)
        internal
        view
    {
        uint256 jobId = _games[gameId].jobId;
        Job storage j = _jobs[jobId];
        bytes32 entry = GraphMerkle.entryHash(op.index, op.schemaHash, inputs);
        bytes32[] calldata proof = opProof[opProof.length / 2:];
        if (!TraceMerkle.verify(_models[j.modelId].graphHash, entry, op.index, proof)) revert NotInGraph(op.index);
        if (op.index == j.opCount - 1 && op.outputHash != j.outputHash) revert OutputMismatch(jobId);
    }

    function _verifyOp(uint256 gameId, Leaf calldata op, bytes32[] calldata proof, bytes32[2] calldata roots)
        internal
        view
        returns (bytes32 root, uint256 lo, uint256 d)
    {
        Game memory g = _games[gameId];
        Job storage j = _liveJob(gameId, g.jobId);
        if (msg.sender != j.provider) revert NotProvider(gameId);
        _expectTurn(g, Phase.ProviderReveal);
        lo = g.lo;
        if (op.index != lo) revert WrongLeafIndex(lo, op.index);
        d = TraceMerkle.depth(j.opCount);
        if (proof.length != 2 * d) revert BadProofLength(2 * d, proof.length);
        if (_bound(g.jobId, j.provider, GameTree.commitment(roots[0], roots[1])) != j.traceRoot) {
            revert BadCommitment(gameId);
        }
        root = roots[0];
        if (!TraceMerkle.verify(root, TraceMerkle.leafHash(op.index, op.schemaHash, op.outputHash), lo, proof[:d])) {
            revert BadProof(lo);
        }
    }

    function _verifyInputs(bytes32 root, uint256 lo, uint256 d, Leaf[] calldata inputs, bytes32[] calldata proofs)
        internal
        pure
    {
        uint256 prev;
        for (uint256 i; i < inputs.length; ++i) {
            Leaf calldata x = inputs[i];
            if (x.index >= lo || (i > 0 && x.index <= prev)) revert BadInputIndex(x.index);
            prev = x.index;
            bytes32 leaf = TraceMerkle.leafHash(x.index, x.schemaHash, x.outputHash);
            if (!TraceMerkle.verify(root, leaf, x.index, proofs[i * d:(i + 1) * d])) revert BadProof(x.index);
        }
    }
}
