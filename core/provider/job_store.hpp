#pragma once
// The traces a provider has committed on chain, by job id: the only things its data API
// will serve.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

namespace tao::trace {
class TraceBundle;
}

namespace tao::provider {

class JobStore {
public:
    // Opens and checks the bundle (full mode required: the API serves tensors).
    // Throws std::runtime_error naming the bundle.
    void add(std::uint64_t jobId, const std::filesystem::path& bundle);
    void add(std::uint64_t jobId, std::shared_ptr<const trace::TraceBundle> bundle);
    std::shared_ptr<const trace::TraceBundle> find(std::uint64_t jobId) const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::shared_ptr<const trace::TraceBundle>> jobs_;
};

} // namespace tao::provider
