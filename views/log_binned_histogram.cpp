#include "views/log_binned_histogram.hpp"

#include "core/numerics/log_histogram.hpp"

#include <cmath>

namespace tao::views {

double LogBinnedHistogram::lowerEdge(int bin) const {
    return std::pow(10.0, minExp10 + static_cast<double>(bin) / binsPerDecade);
}

double LogBinnedHistogram::upperEdge(int bin) const {
    return lowerEdge(bin + 1);
}

LogBinnedHistogram LogBinnedHistogram::from(const numerics::LogHistogram& h) {
    LogBinnedHistogram out;
    out.minExp10 = numerics::LogHistogram::kMinExp10;
    out.binsPerDecade = numerics::LogHistogram::kBinsPerDecade;
    for (const auto& [bin, n] : h.bins())
        out.counts[bin] = n;
    out.zeros = h.zeros();
    out.total = h.count();
    out.max = h.max();
    return out;
}

} // namespace tao::views
