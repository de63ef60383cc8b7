#include "core/numerics/log_histogram.hpp"

#include "core/numerics/fp_limits.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tao::numerics {

namespace {

double edge(int i) {
    return std::pow(10.0, LogHistogram::kMinExp10 +
                              static_cast<double>(i) / LogHistogram::kBinsPerDecade);
}
} // namespace

int LogHistogram::binOf(double value) {
    if (!(value < edge(kBins))) return kBins;
    if (value < edge(0)) return -1;
    int i = static_cast<int>(std::floor((std::log10(value) - kMinExp10) * kBinsPerDecade));
    // log10 rounding may put a value next to an edge one bin off; fix it exactly.
    while (i > 0 && value < edge(i))
        --i;
    while (i + 1 < kBins && value >= edge(i + 1))
        ++i;
    return i;
}

double LogHistogram::upperEdge(int bin) {
    return bin >= kBins ? kInf : edge(bin + 1);
}

double LogHistogram::lowerEdge(int bin) {
    return bin < 0 ? 0.0 : edge(bin);
}

void LogHistogram::add(double value, std::uint64_t n) {
    if (n == 0) return;
    if (std::isnan(value)) value = kInf;
    if (value <= 0) return addZeros(n);
    addToBin(binOf(value), n, value);
}

void LogHistogram::addToBin(int bin, std::uint64_t n, double maxValue) {
    if (n == 0) return;
    bins_[bin] += n;
    count_ += n;
    if (maxValue > max_) max_ = maxValue;
}

void LogHistogram::merge(const LogHistogram& other) {
    for (const auto& [bin, n] : other.bins_)
        bins_[bin] += n;
    count_ += other.count_;
    zeros_ += other.zeros_;
    if (other.max_ > max_) max_ = other.max_;
}

double LogHistogram::quantileUpper(double p) const {
    if (count_ == 0) throw std::logic_error("quantile of an empty histogram");
    if (!(p > 0 && p <= 1)) throw std::invalid_argument("quantile level must be in (0, 1]");
    const auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_)));
    if (rank <= zeros_) return 0.0;
    std::uint64_t seen = zeros_;
    for (const auto& [bin, n] : bins_) {
        seen += n;
        if (seen >= rank) return std::min(upperEdge(bin), max_);
    }
    return max_;
}

nlohmann::json LogHistogram::toJson() const {
    nlohmann::json bins = nlohmann::json::array();
    for (const auto& [bin, n] : bins_)
        bins.push_back({bin, n});
    nlohmann::json j{{"count", count_}, {"zeros", zeros_}, {"bins", bins}};
    if (std::isinf(max_))
        j["max"] = "inf";
    else
        j["max"] = max_;
    return j;
}

LogHistogram LogHistogram::fromJson(const nlohmann::json& j, const std::string& what) {
    auto bad = [&](const std::string& why) {
        return std::runtime_error(what + ": histogram " + why);
    };
    if (!j.is_object()) throw bad("is not an object");
    LogHistogram h;
    try {
        h.count_ = j.at("count").get<std::uint64_t>();
        h.zeros_ = j.at("zeros").get<std::uint64_t>();
        const auto& m = j.at("max");
        h.max_ = m.is_string() && m.get<std::string>() == "inf" ? kInf : m.get<double>();
        std::uint64_t total = h.zeros_;
        for (const auto& b : j.at("bins")) {
            const int bin = b.at(0).get<int>();
            const auto n = b.at(1).get<std::uint64_t>();
            if (bin < -1 || bin > kBins)
                throw bad("bin index " + std::to_string(bin) + " out of range");
            h.bins_[bin] += n;
            total += n;
        }
        if (total != h.count_)
            throw bad("counts add up to " + std::to_string(total) + ", not " +
                      std::to_string(h.count_));
        if (!(h.max_ >= 0)) throw bad("maximum is negative");
    } catch (const nlohmann::json::exception& e) {
        throw bad(std::string("is malformed: ") + e.what());
    }
    return h;
}

} // namespace tao::numerics
