#pragma once
// A token bucket per client address: a challenger needs a few hundred requests per game, a
// client hammering the API gets 429 instead of starving the provider's chain moves.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace tao::provider {

class RateLimiter {
public:
    RateLimiter(double perSecond, double burst)
        : rate_(perSecond)
        , burst_(burst) {}
    // True when `client` may make one more request now.
    bool allow(const std::string& client);
    // Clients tracked now. Buckets that have refilled are forgotten (a full bucket is what
    // a new client gets), so memory follows recent clients, not every address ever seen.
    std::size_t tracked();

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point last;
    };
    double rate_;
    double burst_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
    std::chrono::steady_clock::time_point lastPrune_ = std::chrono::steady_clock::now();
};

} // namespace tao::provider
