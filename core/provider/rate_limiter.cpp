#include "core/provider/rate_limiter.hpp"

#include <algorithm>

namespace tao::provider {

bool RateLimiter::allow(const std::string& client) {
    if (rate_ <= 0) return true; // limiting disabled
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
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

} // namespace tao::provider
