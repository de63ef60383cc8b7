#include "core/runtime/output_hasher.hpp"

#include "core/graph/tensor_convert.hpp"
#include "core/trace/trace_bundle.hpp"

namespace tao::runtime {

OutputHasher::OutputHasher(std::size_t opCount, trace::SafetensorsWriter* sink)
    : sink_(sink)
    , hashes_(opCount)
    , worker_([this] { work(); }) {}

OutputHasher::~OutputHasher() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        queue_.clear();
    }
    ready_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void OutputHasher::push(std::uint32_t op, std::vector<at::Tensor> outputs) {
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(op, std::move(outputs));
    }
    ready_.notify_one();
}

void OutputHasher::work() {
    // Tensors are read-only here; no autograd graph is built for the copies.
    c10::InferenceMode guard;
    for (;;) {
        std::pair<std::uint32_t, std::vector<at::Tensor>> item;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
            if (queue_.empty()) return;
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        if (error_) continue; // only this thread sets it; the rest is dropped unread
        try {
            for (auto& t : item.second) {
                auto host = graph::hostContiguous(t);
                const auto j = hashes_[item.first].size();
                hashes_[item.first].push_back(graph::tensorHash(host));
                if (sink_ && host.defined())
                    sink_->add(graph::viewOf(host, trace::opTensorName(item.first, j)));
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
    }
}

void OutputHasher::finish() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    ready_.notify_all();
    if (worker_.joinable()) worker_.join();
    if (error_) std::rethrow_exception(error_);
}

} // namespace tao::runtime
