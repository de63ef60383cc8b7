// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Sortition
/// @notice Draws seats with replacement in proportion to weights, from a seed. Pure, so the same
/// seed always gives the same panel and anyone can recompute a draw.
library Sortition {
    /// counts[i] is the number of `size` draws that fell on entry i; each draw picks i with
    /// probability weights[i] / total (0 for a zero weight). total == 0 draws nothing.
    function draw(uint256[] memory weights, uint256 size, bytes32 seed)
        internal
        pure
        returns (uint256[] memory counts, uint256 total)
    {
        uint256 n = weights.length;
        counts = new uint256[](n);
        uint256[] memory prefix = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            total += weights[i];
            prefix[i] = total;
        }
        if (total == 0) return (counts, 0);
        for (uint256 s; s < size; ++s) {
            // Modulo bias is below total / 2^256: negligible for any real stake total.
            uint256 r = uint256(keccak256(abi.encode(seed, s))) % total;
            ++counts[_first(prefix, r)];
        }
    }

    /// The first index whose prefix sum exceeds r (prefix is non-decreasing, r < its last entry).
    function _first(uint256[] memory prefix, uint256 r) private pure returns (uint256 lo) {
        uint256 hi = prefix.length - 1;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (prefix[mid] > r) hi = mid;
            else lo = mid + 1;
        }
    }
}
