#include "core/provider/job_store.hpp"

#include "core/trace/trace_bundle.hpp"

namespace tao::provider {

void JobStore::add(std::uint64_t jobId, const std::filesystem::path& bundle) {
    add(jobId, std::make_shared<const trace::TraceBundle>(trace::TraceBundle::open(bundle)));
}

void JobStore::add(std::uint64_t jobId, std::shared_ptr<const trace::TraceBundle> bundle) {
    if (!bundle->hasOpTensors())
        throw std::runtime_error(bundle->path().string() +
                                 ": a light trace holds no tensors and cannot be served");
    std::lock_guard lock(mutex_);
    jobs_[jobId] = std::move(bundle);
}

std::shared_ptr<const trace::TraceBundle> JobStore::find(std::uint64_t jobId) const {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(jobId);
    return it == jobs_.end() ? nullptr : it->second;
}

std::size_t JobStore::size() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

} // namespace tao::provider
