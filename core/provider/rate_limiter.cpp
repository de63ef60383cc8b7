#include "core/provider/rate_limiter.hpp"

#include <algorithm>

namespace tao::provider {

bool RateLimiter::allow(const std::string& client) {
    if (rate_ <= 0) return true; // limiting disabled
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    // At most once per refill time, drop the buckets that are full again.
    const double refill = burst_ / rate_;
    if (std::chrono::duration<double>(now - lastPrune_).count() >= refill) {
        std::erase_if(buckets_, [&](const auto& entry) {
            const auto& b = entry.second;
            return b.tokens + std::chrono::duration<double>(now - b.last).count() * rate_ >= burst_;
        });
        lastPrune_ = now;
    }
    auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
    auto& b = it->second;
    if (!fresh) {
        double dt = std::chrono::duration<double>(now - b.last).count();
        b.tokens = std::min(burst_, b.tokens + dt * rate_);
        b.last = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
}

std::size_t RateLimiter::tracked() {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

} // namespace tao::provider
