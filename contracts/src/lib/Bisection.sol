// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Bisection
/// @notice Cut arithmetic of the k-ary game over an interval [lo, hi) of op indices.
/// The interval is split into m = min(k, hi - lo) non-empty parts with boundaries
/// c_i = lo + floor(i * (hi - lo) / m), i = 0..m. The provider reveals the leaf of the
/// last op before each inner boundary (index c_i - 1, i = 1..m-1); choosing part j
/// means "agreed up to c_j, disputed at c_{j+1}" and the next interval is [c_j, c_{j+1}).
library Bisection {
    /// @notice Number of parts the interval is split into this round (>= 2 when hi - lo >= 2).
    function parts(uint256 lo, uint256 hi, uint256 k) internal pure returns (uint256) {
        uint256 len = hi - lo;
        return len < k ? len : k;
    }

    /// @notice Boundary i of m (0 -> lo, m -> hi).
    function boundary(uint256 lo, uint256 hi, uint256 m, uint256 i) internal pure returns (uint256) {
        return lo + ((hi - lo) * i) / m;
    }

    /// @notice Op index whose leaf the provider reveals for inner boundary i (1 <= i < m).
    function cutIndex(uint256 lo, uint256 hi, uint256 m, uint256 i) internal pure returns (uint256) {
        return boundary(lo, hi, m, i) - 1;
    }

    /// @notice The sub-interval a challenger selects with part `j` (< m).
    function select(uint256 lo, uint256 hi, uint256 m, uint256 j) internal pure returns (uint256, uint256) {
        return (boundary(lo, hi, m, j), boundary(lo, hi, m, j + 1));
    }
}
