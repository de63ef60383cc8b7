#pragma once
// A histogram on log10-spaced bins, as the views draw it: counts per bin index with the
// bin edges implied by the grid, plus zeros and the maximum. Filled from core's
// numerics::LogHistogram (calibration profiles, per-element errors).
#include <cstdint>
#include <map>

namespace tao::numerics {
class LogHistogram;
}

namespace tao::views {

struct LogBinnedHistogram {
    double minExp10 = -20; // lower edge of bin 0 is 10^minExp10
    int binsPerDecade = 8;
    std::map<int, std::uint64_t> counts; // bin -> count; bin -1 holds everything below
    std::uint64_t zeros = 0;
    std::uint64_t total = 0;
    double max = 0;

    double lowerEdge(int bin) const;
    double upperEdge(int bin) const;
    bool empty() const { return total == 0; }

    static LogBinnedHistogram from(const numerics::LogHistogram& h);
};

} // namespace tao::views
