// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Deployer} from "./utils/Deployer.sol";
import {TraceTree} from "./utils/TraceTree.sol";
import {TaoEncoding} from "../src/TaoEncoding.sol";
import {TaoCoordinator} from "../src/TaoCoordinator.sol";
import {Config, Leaf} from "../src/interfaces/TaoTypes.sol";

/// The contract's Merkle rule against the vectors the C++ side writes (tests/vectors/merkle.json).
contract MerkleVectorsTest is Deployer {
    using TraceTree for TraceTree.Tree;

    TaoEncoding internal enc = new TaoEncoding();
    string internal constant VECTORS = "../tests/vectors/merkle.json";
    TaoCoordinator internal tao;
    string internal json;

    function setUp() public {
        tao = newCoordinator(
            Config(4, 1 hours, 30 minutes, 1 days, 2 days, 1 ether, 1 ether, 1 ether, 1, 2000, 1000, 1, 1)
        );
        json = vm.readFile(VECTORS);
    }

    function _key(string memory a, uint256 i, string memory b) internal pure returns (string memory) {
        return string.concat(a, vm.toString(i), b);
    }

    function test_nodeVectors() public view {
        uint256 checked;
        for (uint256 i; vm.keyExistsJson(json, _key(".nodes[", i, "]")); ++i) {
            bytes32 l = vm.parseJsonBytes32(json, _key(".nodes[", i, "].left"));
            bytes32 r = vm.parseJsonBytes32(json, _key(".nodes[", i, "].right"));
            bytes32 want = vm.parseJsonBytes32(json, _key(".nodes[", i, "].node"));
            assertEq(enc.nodeHash(l, r), want, "node hash");
            assertEq(TraceTree.nodeRef(l, r), want, "reference node hash");
            ++checked;
        }
        assertTrue(checked > 0, "vectors hold node cases");
    }

    /// Model graph entries and roots (GraphMerkle) as the C++ side writes them.
    function test_graphVectors() public view {
        uint256 trees;
        for (uint256 t; vm.keyExistsJson(json, _key(".graphTrees[", t, "]")); ++t) {
            string memory base = _key(".graphTrees[", t, "]");
            uint256 n = vm.parseJsonUint(json, string.concat(base, ".n"));
            uint256[] memory idx = new uint256[](n);
            bytes32[] memory entries = new bytes32[](n);
            for (uint256 i; i < n; ++i) {
                string memory e = string.concat(base, _key(".entries[", i, "]"));
                bytes32 schema = vm.parseJsonBytes32(json, string.concat(e, ".schemaHash"));
                uint256[] memory ins = vm.parseJsonUintArray(json, string.concat(e, ".inputs"));
                Leaf[] memory leaves = new Leaf[](ins.length);
                for (uint256 j; j < ins.length; ++j) leaves[j].index = uint32(ins[j]);
                entries[i] = vm.parseJsonBytes32(json, string.concat(e, ".entry"));
                assertEq(enc.graphEntryHash(uint32(i), schema, leaves), entries[i], "entry");
                assertEq(TraceTree.graphEntryRef(i, schema, ins), entries[i], "reference entry");
                idx[i] = i;
            }
            bytes32 root = vm.parseJsonBytes32(json, string.concat(base, ".root"));
            assertEq(TraceTree.buildFrom(n, idx, entries).root(), root, "graph root");
            ++trees;
        }
        assertTrue(trees >= 3, "graph vectors for three sizes");
    }

    function test_treeVectors() public view {
        uint256 trees;
        bool sawThousand;
        for (uint256 t; vm.keyExistsJson(json, _key(".trees[", t, "]")); ++t) {
            string memory base = _key(".trees[", t, "]");
            uint256 n = vm.parseJsonUint(json, string.concat(base, ".n"));
            uint256 depth = vm.parseJsonUint(json, string.concat(base, ".depth"));
            bytes32 root = vm.parseJsonBytes32(json, string.concat(base, ".root"));
            assertEq(TraceTree.depthOf(n), depth, "depth");
            bytes32[] memory leaves = _checkLeaves(base, n);
            assertEq(_rootOf(leaves, depth), root, "root from leaves");
            uint256 proofs = _checkProofs(base, root, depth, n);
            assertTrue(proofs > 0, "tree carries proofs");
            sawThousand = sawThousand || n == 1000;
            ++trees;
        }
        assertTrue(trees >= 4 && sawThousand, "trees for n = 1, 2, 3, 1000");
    }

    function _checkLeaves(string memory base, uint256 n) internal view returns (bytes32[] memory leaves) {
        // Whole columns at once: every cheatcode call copies the full JSON text.
        string memory arr = string.concat(base, ".leaves");
        uint256[] memory index = _uints(arr, "index");
        bytes32[] memory schema = _words(arr, "schemaHash");
        bytes32[] memory output = _words(arr, "outputHash");
        leaves = _words(arr, "leaf");
        assertEq(leaves.length, n, "one leaf per op");
        for (uint256 i; i < n; ++i) {
            Leaf memory l = Leaf(uint32(index[i]), schema[i], output[i]);
            assertEq(index[i], i, "leaves listed in index order");
            assertEq(enc.leafHash(l.index, l.schemaHash, l.outputHash), leaves[i], "leaf hash");
            assertEq(TraceTree.leafRef(l), leaves[i], "reference leaf hash");
        }
    }

    function _checkProofs(string memory base, bytes32 root, uint256 depth, uint256 n)
        internal
        view
        returns (uint256 count)
    {
        uint256[] memory index = _uints(string.concat(base, ".proofs"), "index");
        bytes32[] memory leaf = _words(string.concat(base, ".proofs"), "leaf");
        for (; count < index.length; ++count) {
            bytes32[] memory sib = depth == 0
                ? new bytes32[](0)
                : vm.parseJsonBytes32Array(json, _key(string.concat(base, ".proofs["), count, "].siblings"));
            assertTrue(index[count] < n, "proof index in range");
            assertEq(sib.length, depth, "proof length == depth");
            assertTrue(enc.verifyProof(root, leaf[count], index[count], sib), "vector proof verifies");
            if (depth > 0) {
                sib[depth - 1] ^= bytes32(uint256(1) << 255);
                assertFalse(enc.verifyProof(root, leaf[count], index[count], sib), "tampered vector proof");
            }
        }
    }

    /// One field of every element of `arr` (a one-element wildcard match comes back as a scalar).
    function _uints(string memory arr, string memory field) internal view returns (uint256[] memory v) {
        if (vm.keyExistsJson(json, string.concat(arr, "[1]"))) {
            return abi.decode(vm.parseJson(json, string.concat(arr, "[*].", field)), (uint256[]));
        }
        v = new uint256[](1);
        v[0] = vm.parseJsonUint(json, string.concat(arr, "[0].", field));
    }

    function _words(string memory arr, string memory field) internal view returns (bytes32[] memory v) {
        if (vm.keyExistsJson(json, string.concat(arr, "[1]"))) {
            return abi.decode(vm.parseJson(json, string.concat(arr, "[*].", field)), (bytes32[]));
        }
        v = new bytes32[](1);
        v[0] = vm.parseJsonBytes32(json, string.concat(arr, "[0].", field));
    }

    /// Pads with zero leaves and folds pairwise, as the rule says.
    function _rootOf(bytes32[] memory leaves, uint256 depth) internal pure returns (bytes32) {
        uint256 width = uint256(1) << depth;
        bytes32[] memory layer = new bytes32[](width);
        for (uint256 i; i < leaves.length; ++i) layer[i] = leaves[i];
        while (width > 1) {
            width /= 2;
            for (uint256 i; i < width; ++i) layer[i] = TraceTree.nodeRef(layer[2 * i], layer[2 * i + 1]);
        }
        return layer[0];
    }

    /// The domain binding of a job commitment (JobDomain) matches the C++ vectors.
    function test_jobCommitmentVectors() public view {
        uint256 checked;
        for (uint256 i; vm.keyExistsJson(json, _key(".jobCommitments[", i, "]")); ++i) {
            string memory base = _key(".jobCommitments[", i, "]");
            bytes32 got = enc.bindCommitment(
                vm.parseJsonUint(json, string.concat(base, ".chainId")),
                vm.parseJsonAddress(json, string.concat(base, ".coordinator")),
                vm.parseJsonUint(json, string.concat(base, ".jobId")),
                vm.parseJsonAddress(json, string.concat(base, ".provider")),
                vm.parseJsonBytes32(json, string.concat(base, ".traceCommitment"))
            );
            assertEq(got, vm.parseJsonBytes32(json, string.concat(base, ".commitment")), "job commitment");
            ++checked;
        }
        assertTrue(checked >= 6, "job commitment vectors present");
    }
}
