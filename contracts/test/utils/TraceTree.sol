// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Leaf} from "../../src/interfaces/TaoTypes.sol";

/// A trace tree for tests, written from the rule's text and independent of the contract's
/// assembly. It is sparse: only the listed indices carry leaves, every other position is a
/// zero leaf, so a million-op trace costs a few hundred hashes.
library TraceTree {
    struct Tree {
        uint256 depth;
        uint256[][] pos;
        bytes32[][] hashes;
        bytes32[] zero;
    }

    function leafRef(Leaf memory l) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x00), l.index, l.schemaHash, l.outputHash));
    }

    function nodeRef(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x01), left, right));
    }

    function depthOf(uint256 n) internal pure returns (uint256 d) {
        while ((uint256(1) << d) < n) ++d;
    }

    /// The committed leaf of op i in the test trace identified by `salt`.
    function leafOf(uint256 i, uint256 salt) internal pure returns (Leaf memory) {
        return Leaf(uint32(i), keccak256(abi.encodePacked("schema", i % 5)), keccak256(abi.encodePacked("out", salt, i)));
    }

    /// Builds the tree of an n-op trace whose leaves at `idx` (sorted, unique, < n) are leafOf(i, salt).
    function build(uint256 n, uint256[] memory idx, uint256 salt) internal pure returns (Tree memory t) {
        bytes32[] memory hashes = new bytes32[](idx.length);
        for (uint256 i; i < idx.length; ++i) hashes[i] = leafRef(leafOf(idx[i], salt));
        return buildFrom(n, idx, hashes);
    }

    /// Builds a tree over n positions with hashes[i] at idx[i] (sorted, unique, < n) and zero elsewhere.
    function buildFrom(uint256 n, uint256[] memory idx, bytes32[] memory hashes) internal pure returns (Tree memory t) {
        t.depth = depthOf(n);
        t.zero = new bytes32[](t.depth + 1);
        for (uint256 l; l < t.depth; ++l) t.zero[l + 1] = nodeRef(t.zero[l], t.zero[l]);
        t.pos = new uint256[][](t.depth + 1);
        t.hashes = new bytes32[][](t.depth + 1);
        t.pos[0] = idx;
        t.hashes[0] = hashes;
        for (uint256 l; l < t.depth; ++l) _raise(t, l);
    }

    /// a followed by b.
    function concat(bytes32[] memory a, bytes32[] memory b) internal pure returns (bytes32[] memory c) {
        c = new bytes32[](a.length + b.length);
        for (uint256 i; i < a.length; ++i) c[i] = a[i];
        for (uint256 i; i < b.length; ++i) c[a.length + i] = b[i];
    }

    /// The model graph's entry for leaf `index` of kind `schemaHash` reading the leaves `inputs`
    /// (src/lib/GraphMerkle.sol), written from the rule's text.
    function graphEntryRef(uint256 index, bytes32 schemaHash, uint256[] memory inputs) internal pure returns (bytes32) {
        bytes memory packed = abi.encodePacked(bytes1(0x05), uint32(index), schemaHash);
        for (uint256 i; i < inputs.length; ++i) packed = abi.encodePacked(packed, uint32(inputs[i]));
        return keccak256(packed);
    }

    /// A model graph over n leaves whose only known entry is leaf `lo`'s (as leafOf(lo, salt)
    /// has it) reading `inputs`; the other entries are zero, which no reveal can open.
    function graphFor(uint256 n, uint256 lo, uint256[] memory inputs, uint256 salt) internal pure returns (Tree memory) {
        uint256[] memory idx = new uint256[](1);
        bytes32[] memory hashes = new bytes32[](1);
        idx[0] = lo;
        hashes[0] = graphEntryRef(lo, leafOf(lo, salt).schemaHash, inputs);
        return buildFrom(n, idx, hashes);
    }

    function _raise(Tree memory t, uint256 l) private pure {
        uint256[] memory p = t.pos[l];
        bytes32[] memory h = t.hashes[l];
        uint256[] memory np = new uint256[](p.length);
        bytes32[] memory nh = new bytes32[](p.length);
        uint256 count;
        for (uint256 i; i < p.length; ++i) {
            bytes32 left = t.zero[l];
            bytes32 right = t.zero[l];
            if (p[i] & 1 == 0) {
                left = h[i];
                if (i + 1 < p.length && p[i + 1] == p[i] + 1) right = h[++i];
            } else {
                right = h[i];
            }
            np[count] = p[i] >> 1;
            nh[count++] = nodeRef(left, right);
        }
        assembly {
            mstore(np, count)
            mstore(nh, count)
        }
        t.pos[l + 1] = np;
        t.hashes[l + 1] = nh;
    }

    function root(Tree memory t) internal pure returns (bytes32) {
        return t.pos[t.depth].length == 0 ? t.zero[t.depth] : t.hashes[t.depth][0];
    }

    function proof(Tree memory t, uint256 index) internal pure returns (bytes32[] memory sib) {
        sib = new bytes32[](t.depth);
        for (uint256 l; l < t.depth; ++l) sib[l] = _at(t, l, (index >> l) ^ 1);
    }

    function _at(Tree memory t, uint256 l, uint256 p) private pure returns (bytes32) {
        uint256[] memory ps = t.pos[l];
        uint256 a;
        uint256 b = ps.length;
        while (a < b) {
            uint256 mid = (a + b) / 2;
            if (ps[mid] < p) a = mid + 1;
            else b = mid;
        }
        return a < ps.length && ps[a] == p ? t.hashes[l][a] : t.zero[l];
    }

    // ---- Game tree (src/lib/GameTree.sol), written from the rule's text ----

    struct Game {
        uint256 k;
        uint256[] idx; // opened positions, sorted
        uint256 salt;
        uint256[] zeroLen; // memo: node of an interval with no opened leaf depends on its length only
        bytes32[] zeroHash;
        uint256 zeroCount;
    }

    function game(uint256 k, uint256[] memory idx, uint256 salt) internal pure returns (Game memory g) {
        g.k = k;
        g.idx = idx;
        g.salt = salt;
        g.zeroLen = new uint256[](256);
        g.zeroHash = new bytes32[](256);
    }

    function gameNodeRef(bytes32[] memory cuts, bytes32[] memory children) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x02), cuts, children));
    }

    function listRef(bytes32[] memory list) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x03), list));
    }

    function _boundary(uint256 lo, uint256 hi, uint256 m, uint256 i) private pure returns (uint256) {
        return lo + (hi - lo) * i / m;
    }

    function _opened(Game memory g, uint256 lo, uint256 hi) private pure returns (bool) {
        uint256 a;
        uint256 b = g.idx.length;
        while (a < b) {
            uint256 mid = (a + b) / 2;
            if (g.idx[mid] < lo) a = mid + 1;
            else b = mid;
        }
        return a < g.idx.length && g.idx[a] < hi;
    }

    function _leafAt(Game memory g, uint256 i) private pure returns (bytes32) {
        return _opened(g, i, i + 1) ? leafRef(leafOf(i, g.salt)) : bytes32(0);
    }

    /// The cut leaves and child nodes a bisect of [lo, hi) reveals.
    function split(Game memory g, uint256 lo, uint256 hi)
        internal
        pure
        returns (bytes32[] memory cuts, bytes32[] memory children)
    {
        uint256 m = hi - lo < g.k ? hi - lo : g.k;
        cuts = new bytes32[](m - 1);
        children = new bytes32[](m);
        for (uint256 i = 1; i < m; ++i) cuts[i - 1] = _leafAt(g, _boundary(lo, hi, m, i) - 1);
        for (uint256 i; i < m; ++i) children[i] = node(g, _boundary(lo, hi, m, i), _boundary(lo, hi, m, i + 1));
    }

    function node(Game memory g, uint256 lo, uint256 hi) internal pure returns (bytes32 h) {
        if (hi - lo == 1) return _leafAt(g, lo);
        bool zero = !_opened(g, lo, hi);
        if (zero) {
            for (uint256 i; i < g.zeroCount; ++i) {
                if (g.zeroLen[i] == hi - lo) return g.zeroHash[i];
            }
        }
        (bytes32[] memory cuts, bytes32[] memory children) = split(g, lo, hi);
        h = gameNodeRef(cuts, children);
        if (zero) {
            g.zeroLen[g.zeroCount] = hi - lo;
            g.zeroHash[g.zeroCount++] = h;
        }
    }

    /// Sorts and dedupes in place (test-sized arrays).
    function sortUnique(uint256[] memory a) internal pure returns (uint256[] memory) {
        for (uint256 i = 1; i < a.length; ++i) {
            uint256 v = a[i];
            uint256 j = i;
            while (j > 0 && a[j - 1] > v) {
                a[j] = a[j - 1];
                --j;
            }
            a[j] = v;
        }
        uint256 w;
        for (uint256 i; i < a.length; ++i) {
            if (w == 0 || a[i] != a[w - 1]) a[w++] = a[i];
        }
        assembly {
            mstore(a, w)
        }
        return a;
    }
}
