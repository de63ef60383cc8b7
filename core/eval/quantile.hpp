#pragma once
// The one order statistic the evaluation reports.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace tao::eval {

// The q-quantile of `v` (q in [0, 1]) by nearest rank; 0 for an empty vector.
inline double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

} // namespace tao::eval
