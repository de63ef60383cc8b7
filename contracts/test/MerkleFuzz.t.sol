// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Deployer} from "./utils/Deployer.sol";
import {TraceTree} from "./utils/TraceTree.sol";
import {TaoEncoding} from "../src/TaoEncoding.sol";
import {TaoCoordinator} from "../src/TaoCoordinator.sol";
import {Config, Leaf} from "../src/interfaces/TaoTypes.sol";

/// Valid proofs are accepted; any single flipped bit in leaf, sibling, index or root is rejected.
contract MerkleFuzzTest is Deployer {
    TaoEncoding internal enc = new TaoEncoding();
    using TraceTree for TraceTree.Tree;

    TaoCoordinator internal tao;

    function setUp() public {
        tao = newCoordinator(Config(2, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 1));
    }

    function _tree(uint256 n, uint256 index, uint256 salt) internal pure returns (TraceTree.Tree memory) {
        uint256[] memory idx = new uint256[](3);
        (idx[0], idx[1], idx[2]) = (index, n - 1, index / 2);
        return TraceTree.build(n, TraceTree.sortUnique(idx), salt);
    }

    function testFuzz_hashesMatchReference(uint32 index, bytes32 s, bytes32 o, bytes32 l, bytes32 r) public view {
        assertEq(enc.leafHash(index, s, o), TraceTree.leafRef(Leaf(index, s, o)), "leaf");
        assertEq(enc.nodeHash(l, r), TraceTree.nodeRef(l, r), "node");
    }

    function testFuzz_validProofAccepted(uint256 n, uint256 index, uint256 salt) public view {
        n = 1 + n % (1 << 32 - 1);
        index %= n;
        TraceTree.Tree memory t = _tree(n, index, salt);
        bytes32 leaf = TraceTree.leafRef(TraceTree.leafOf(index, salt));
        assertTrue(enc.verifyProof(t.root(), leaf, index, t.proof(index)), "valid proof");
    }

    function testFuzz_flippedBitRejected(uint256 n, uint256 index, uint256 salt, uint256 where, uint8 bit) public view {
        n = 2 + n % (1 << 20);
        index %= n;
        TraceTree.Tree memory t = _tree(n, index, salt);
        bytes32 root = t.root();
        bytes32 leaf = TraceTree.leafRef(TraceTree.leafOf(index, salt));
        bytes32[] memory proof = t.proof(index);
        bytes32 mask = bytes32(uint256(1) << bit);
        where %= proof.length + 3;
        uint256 idx = index;
        if (where < proof.length) proof[where] ^= mask;
        else if (where == proof.length) leaf ^= mask;
        else if (where == proof.length + 1) root ^= mask;
        else idx ^= uint256(1) << (bit % t.depth);
        assertFalse(enc.verifyProof(root, leaf, idx, proof), "tampered proof");
    }

    function testFuzz_depthIsCeilLog2(uint32 n) public pure {
        vm.assume(n > 0);
        uint256 d = TraceTree.depthOf(n);
        assertTrue((uint256(1) << d) >= n, "2^d covers n");
        if (d > 0) assertTrue((uint256(1) << (d - 1)) < n, "d minimal");
    }

    function test_singleLeafRootIsLeaf() public view {
        uint256[] memory idx = new uint256[](1);
        TraceTree.Tree memory t = TraceTree.build(1, idx, 3);
        bytes32 leaf = TraceTree.leafRef(TraceTree.leafOf(0, 3));
        assertEq(t.root(), leaf, "root of one leaf");
        assertTrue(enc.verifyProof(leaf, leaf, 0, new bytes32[](0)), "empty proof");
    }
}
