#include "core/runtime/output_hasher.hpp"

#include "core/graph/tensor_convert.hpp"
#include "core/trace/trace_bundle.hpp"

#include <algorithm>
#include <chrono>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tao::runtime {

unsigned hashingWorkers(int libtorchThreads) {
    const int cores = static_cast<int>(std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::clamp(cores - libtorchThreads, 1, 8));
}

OutputHasher::OutputHasher(std::size_t opCount, trace::SafetensorsWriter* sink, unsigned workers)
    : sink_(sink)
    , workerCount_(std::max(1u, workers))
    , hashes_(opCount) {
    for (unsigned i = 0; i < workerCount_; ++i)
        workers_.emplace_back([this, i] { work(i == 0); });
}

OutputHasher::~OutputHasher() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        queue_.clear();
        queued_.store(0);
    }
    ready_.notify_all();
    for (auto& w : workers_)
        w.join();
}

void OutputHasher::push(std::uint32_t op, std::vector<at::Tensor> outputs) {
    std::size_t queued = 0;
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(op, std::move(outputs));
        queued = queue_.size();
        queued_.store(queued, std::memory_order_release);
    }
    // A worker still polling needs no wake-up call: on the virtual machines measured, waking
    // a thread asleep on another core cost the forward's thread tens of microseconds per
    // operator. Only the first worker polls; the others are woken when outputs queue up
    // behind the one it is hashing, or when every worker sleeps.
    const int sleeping = sleeping_.load(std::memory_order_acquire);
    if (sleeping > 0 && (queued > 1 || sleeping == static_cast<int>(workerCount_)))
        ready_.notify_one();
}

void OutputHasher::pushInputs(std::vector<at::Tensor> inputs) {
    push(kInputs, std::move(inputs));
}

namespace {
// How many bytes of hashed outputs the workers keep, in all, before they let them go. Memory
// a worker's core has just read, handed straight back to the forward for its next outputs,
// made the forward's writes take the lines back from that core: resnet18's capture cost
// 1.085-1.106x a plain forward with nothing kept, 1.021-1.035x with 32 MiB kept and
// 1.013-1.063x with 16 (three interleaved rounds; all of its 33 MB kept, 1.02-1.05x).
// gpt2_small, whose cost is elsewhere, was the same either way (1.08-1.14x).
constexpr std::size_t kKeptBytes = std::size_t(32) << 20;

// Hashed outputs kept until `budget` bytes of later ones have been hashed.
class KeptOutputs {
public:
    explicit KeptOutputs(std::size_t budget)
        : budget_(budget) {}
    void keep(std::vector<at::Tensor> outputs) {
        std::size_t bytes = 0;
        for (const auto& t : outputs)
            bytes += t.defined() ? t.nbytes() : 0;
        bytes_ += bytes;
        kept_.emplace_back(bytes, std::move(outputs));
        while (bytes_ > budget_) {
            bytes_ -= kept_.front().first;
            kept_.pop_front();
        }
    }

private:
    std::deque<std::pair<std::size_t, std::vector<at::Tensor>>> kept_; // bytes, outputs
    std::size_t budget_, bytes_ = 0;
};

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

std::optional<OutputHasher::Item> OutputHasher::takeLocked() {
    Item item;
    item.op = queue_.front().first;
    item.outputs = std::move(queue_.front().second);
    queue_.pop_front();
    queued_.store(queue_.size(), std::memory_order_release);
    if (error_) return std::nullopt;
    try {
        if (sink_ && item.op != kInputs)
            for (std::size_t j = 0; j < item.outputs.size(); ++j) {
                const auto& t = item.outputs[j];
                if (t.defined())
                    item.places.push_back(sink_->reserve(trace::opTensorName(item.op, j),
                                                         graph::dtypeOf(t.scalar_type()),
                                                         t.sizes().vec()));
            }
    } catch (...) {
        error_ = std::current_exception();
        return std::nullopt;
    }
    return item;
}

void OutputHasher::process(const Item& item) {
    try {
        auto& hashes = item.op == kInputs ? inputHashes_ : hashes_[item.op];
        auto place = item.places.begin();
        for (const auto& t : item.outputs) {
            auto host = graph::hostContiguous(t);
            hashes.push_back(graph::tensorHash(host));
            if (host.defined() && place != item.places.end())
                sink_->write(*place++, graph::viewOf(host, {}).data);
        }
    } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
    }
}

void OutputHasher::work(bool polls) {
    // Tensors are read-only here; no autograd graph is built for the copies.
    c10::InferenceMode guard;
    KeptOutputs kept(kKeptBytes / workerCount_); // let go when the worker ends
    for (;;) {
        std::optional<Item> item;
        const bool found = polls && pollForWork();
        {
            std::unique_lock lock(mutex_);
            if (!found) {
                sleeping_.fetch_add(1, std::memory_order_release);
                ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
                sleeping_.fetch_sub(1, std::memory_order_relaxed);
            }
            if (queue_.empty()) {
                if (closing_) return;
                continue;
            }
            item = takeLocked();
        }
        if (!item) continue;
        process(*item);
        kept.keep(std::move(item->outputs));
    }
}

void OutputHasher::finish() {
    // The forward is over and its thread would only wait: where the worker is behind, as
    // when it writes a full trace (hashing and writing gpt2_small's 319 MB of outputs takes
    // longer than the forward), the two threads share what is left.
    {
        c10::InferenceMode guard;
        for (;;) {
            std::optional<Item> item;
            {
                std::lock_guard lock(mutex_);
                if (queue_.empty()) break;
                item = takeLocked();
            }
            if (item) process(*item);
        }
    }
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    ready_.notify_all();
    for (auto& w : workers_)
        w.join();
    workers_.clear();
    if (error_) std::rethrow_exception(error_);
}

} // namespace tao::runtime
