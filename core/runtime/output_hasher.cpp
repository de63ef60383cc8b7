#include "core/runtime/output_hasher.hpp"

#include "core/graph/tensor_convert.hpp"
#include "core/trace/trace_bundle.hpp"

#include <chrono>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

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
        queued_.store(0);
    }
    ready_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void OutputHasher::push(std::uint32_t op, std::vector<at::Tensor> outputs) {
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(op, std::move(outputs));
        queued_.store(queue_.size(), std::memory_order_release);
    }
    // A worker still polling needs no wake-up call: on the virtual machines measured, waking
    // a thread asleep on another core cost the forward's thread tens of microseconds per
    // operator.
    if (sleeping_.load(std::memory_order_acquire)) ready_.notify_one();
}

void OutputHasher::pushInputs(std::vector<at::Tensor> inputs) {
    push(kInputs, std::move(inputs));
}

namespace {
// How long the worker polls for the next operator's outputs before it sleeps: longer than
// most operators take to run, so during a forward it rarely sleeps.
constexpr auto kPollFor = std::chrono::milliseconds(2);
} // namespace

bool OutputHasher::pollForWork() const {
    const auto until = std::chrono::steady_clock::now() + kPollFor;
    while (queued_.load(std::memory_order_acquire) == 0 &&
           !closing_.load(std::memory_order_acquire)) {
        for (int i = 0; i < 64; ++i) {
#if defined(__x86_64__)
            _mm_pause();
#endif
        }
        if (std::chrono::steady_clock::now() > until) return false;
    }
    return true;
}

void OutputHasher::work() {
    // Tensors are read-only here; no autograd graph is built for the copies.
    c10::InferenceMode guard;
    for (;;) {
        std::pair<std::uint32_t, std::vector<at::Tensor>> item;
        const bool found = pollForWork();
        {
            std::unique_lock lock(mutex_);
            if (!found) {
                sleeping_.store(true, std::memory_order_release);
                ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
                sleeping_.store(false, std::memory_order_relaxed);
            }
            if (queue_.empty()) {
                if (closing_) return;
                continue;
            }
            item = std::move(queue_.front());
            queue_.pop_front();
            queued_.store(queue_.size(), std::memory_order_release);
        }
        if (error_) continue; // only this thread sets it; the rest is dropped unread
        try {
            const bool inputs = item.first == kInputs;
            auto& hashes = inputs ? inputHashes_ : hashes_[item.first];
            for (auto& t : item.second) {
                auto host = graph::hostContiguous(t);
                const auto j = hashes.size();
                hashes.push_back(graph::tensorHash(host));
                if (sink_ && host.defined() && !inputs)
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
