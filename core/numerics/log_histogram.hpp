#pragma once
// A mergeable histogram of non-negative error values on a fixed log10 grid, plus the
// exact count and maximum. Every profile uses the same grid, so histograms from
// different machines add bin by bin and percentiles stay conservative (they are read
// from a bin's upper edge, never interpolated).
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>

namespace tao::numerics {

class LogHistogram {
public:
    // The grid: bins of 1/kBinsPerDecade decade from 10^kMinExp10 to 10^kMaxExp10.
    // Values in (0, 10^kMinExp10) fall into bin -1, values >= 10^kMaxExp10 (and +inf)
    // into bin kBins; zeros are counted apart.
    static constexpr int kMinExp10 = -20;
    static constexpr int kMaxExp10 = 4;
    static constexpr int kBinsPerDecade = 8;
    static constexpr int kBins = (kMaxExp10 - kMinExp10) * kBinsPerDecade;

    static int binOf(double value);   // value > 0
    static double upperEdge(int bin); // for -1 .. kBins-1; +inf for kBins
    static double lowerEdge(int bin); // 0 for -1

    // Adds `n` observations of `value` (>= 0 or +inf; NaN counts as +inf, a violation).
    void add(double value, std::uint64_t n = 1);
    // Adds `n` observations known to fall into `bin` (used for bulk element counts);
    // `value` is the largest of them, for the exact maximum.
    void addToBin(int bin, std::uint64_t n, double maxValue);
    void addZeros(std::uint64_t n) { zeros_ += n, count_ += n; }
    void merge(const LogHistogram& other);

    std::uint64_t count() const { return count_; }
    std::uint64_t zeros() const { return zeros_; }
    double max() const { return max_; }
    const std::map<int, std::uint64_t>& bins() const { return bins_; }

    // Conservative p-quantile (0 < p <= 1): the upper edge of the bin holding the
    // ceil(p * count)-th smallest observation, capped by the exact maximum. 0 when that
    // observation is a zero. Throws std::logic_error on an empty histogram.
    double quantileUpper(double p) const;

    // {"count": n, "zeros": z, "max": m|"inf", "bins": [[bin, n], ...]}
    nlohmann::json toJson() const;
    // Throws std::runtime_error naming `what` and the reason for malformed input.
    static LogHistogram fromJson(const nlohmann::json& j, const std::string& what);

private:
    std::map<int, std::uint64_t> bins_;
    std::uint64_t count_ = 0;
    std::uint64_t zeros_ = 0;
    double max_ = 0;
};

} // namespace tao::numerics
