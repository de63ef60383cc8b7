#include "core/numerics/operand_staging.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <omp.h>
#include <thread>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tao::numerics::detail {

struct Staging::Job {
    std::function<void()> task;
    std::exception_ptr error;
    std::atomic<bool> done{false};
};

namespace {

// How long the caller spins for a piece that is not ready before it sleeps: a piece takes
// about a millisecond, and waking a thread asleep on another core cost tens of microseconds
// on the virtual machines measured. The helper itself sleeps as soon as it is idle: its
// core also reads the trace ahead, and a spinning helper took that thread's time (GPT-2
// verified from disk about 15 ms slower).
constexpr auto kSpinFor = std::chrono::milliseconds(2);

template <class Ready> bool spinUntil(const Ready& ready) {
    const auto until = std::chrono::steady_clock::now() + kSpinFor;
    while (!ready()) {
        for (int i = 0; i < 64; ++i) {
#if defined(__x86_64__)
            _mm_pause();
#endif
        }
        if (std::chrono::steady_clock::now() > until) return ready();
    }
    return true;
}

// The process's one helper thread, started at first use.
class Helper {
public:
    static Helper& instance() {
        static Helper helper;
        return helper;
    }

    void submit(std::shared_ptr<Staging::Job> job) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(job));
        }
        work_.notify_one();
    }

    void waitFor(const Staging::Job& job) {
        if (spinUntil([&] { return job.done.load(std::memory_order_acquire); })) return;
        std::unique_lock lock(mutex_);
        done_.wait(lock, [&] { return job.done.load(std::memory_order_acquire); });
    }

private:
    Helper()
        : thread_([this] { loop(); }) {}
    ~Helper() {
        {
            std::lock_guard lock(mutex_);
            closing_ = true;
        }
        work_.notify_all();
        thread_.join();
    }

    void loop() {
        // oneDNN, called from a task, parallelises with OpenMP on the calling thread's
        // setting, which on a thread LibTorch did not start is every core: one here keeps a
        // task on the helper's core.
        omp_set_num_threads(1);
        for (;;) {
            std::shared_ptr<Staging::Job> job;
            {
                std::unique_lock lock(mutex_);
                work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
                if (queue_.empty()) return; // closing, nothing left
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            try {
                job->task();
            } catch (...) {
                job->error = std::current_exception();
            }
            job->task = nullptr; // what it captured is released before the caller goes on
            {
                std::lock_guard lock(mutex_);
                job->done.store(true, std::memory_order_release);
            }
            done_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable work_, done_;
    std::deque<std::shared_ptr<Staging::Job>> queue_;
    bool closing_ = false;
    std::thread thread_;
};

} // namespace

bool stagingOnHelper(int libtorchThreads) {
    if (const char* env = std::getenv("TAO_STAGING")) {
        if (std::strcmp(env, "0") == 0) return false;
        if (std::strcmp(env, "1") == 0) return true;
    }
    return static_cast<int>(std::thread::hardware_concurrency()) > libtorchThreads;
}

Staging::Staging(bool onHelper)
    : onHelper_(onHelper) {}

Staging::~Staging() {
    // A task run on the caller is done already; only the helper's are waited for (and only
    // then is the helper thread ever started).
    if (inFlight_ && onHelper_) Helper::instance().waitFor(*inFlight_);
}

void Staging::start(std::function<void()> task) {
    wait();
    if (!onHelper_) {
        // As on the helper, what the task throws comes back from wait().
        inFlight_ = std::make_shared<Job>();
        try {
            task();
        } catch (...) {
            inFlight_->error = std::current_exception();
        }
        inFlight_->done.store(true, std::memory_order_relaxed);
        return;
    }
    inFlight_ = std::make_shared<Job>();
    inFlight_->task = std::move(task);
    Helper::instance().submit(inFlight_);
}

void Staging::wait() {
    if (!inFlight_) return;
    const auto job = std::move(inFlight_);
    if (onHelper_) Helper::instance().waitFor(*job);
    if (job->error) std::rethrow_exception(job->error);
}

} // namespace tao::numerics::detail
