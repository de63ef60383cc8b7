#pragma once
// Hashes operator outputs on worker threads while the interpreter goes on with the next
// operators, so committing costs little more than running: the forward runs on LibTorch's
// threads, hashing (and writing a full trace) on the cores they leave.
#include "core/commit/hash.hpp"
#include "core/trace/safetensors_writer.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <torch/script.h>
#include <vector>

namespace tao::runtime {

// Hashing threads for a capture: the cores LibTorch's `libtorchThreads` leave free, at
// least one and at most eight (a GPU's forward outruns one core's SHA-256 by far; on two
// cores at one LibTorch thread it is one).
unsigned hashingWorkers(int libtorchThreads);

class OutputHasher {
public:
    // sink: when given, every defined output is also written to it as "op.<i>.<j>"
    // right after it is hashed, so a full trace is never held in memory. Hashed outputs
    // are released once 32 MiB of later ones have been hashed, in all (output_hasher.cpp says why),
    // so a capture holds at most that much beyond the forward's own live set and queue.
    //
    // workers: threads that hash (and write) beside the forward, at least one. They take the
    // outputs in the order pushed, so the sink's file is the same with any number.
    OutputHasher(std::size_t opCount, trace::SafetensorsWriter* sink, unsigned workers = 1);
    ~OutputHasher();
    OutputHasher(const OutputHasher&) = delete;
    OutputHasher& operator=(const OutputHasher&) = delete;

    // Queues the flattened outputs of `op`. The tensors must not be modified afterwards
    // (callers copy the outputs a later operator writes into: Model::outputWrittenLater).
    void push(std::uint32_t op, std::vector<at::Tensor> outputs);
    // Queues the model's inputs, hashed as outputs are but never written to the sink, so
    // the forward need not wait for their hashes. The same rule holds: pass copies of
    // inputs the forward may write into.
    void pushInputs(std::vector<at::Tensor> inputs);
    // Hashes (and writes) queued outputs on the calling thread too, beside the workers,
    // until none is left; then waits for the workers. Rethrows the first failure of any.
    // A sink's file holds the outputs in the order they were pushed either way.
    void finish();

    const std::vector<commit::Hash32>& hashes(std::uint32_t op) const { return hashes_[op]; }
    // After finish(): the hashes of the tensors given to pushInputs, in order.
    const std::vector<commit::Hash32>& inputHashes() const { return inputHashes_; }

private:
    struct Item {
        std::uint32_t op = 0;
        std::vector<at::Tensor> outputs;
        std::vector<trace::SafetensorsWriter::Slot> places; // one per written output
    };
    // polls: whether this worker waits for work spinning a while before it sleeps.
    void work(bool polls);
    // Takes the oldest queued outputs and reserves their places in the sink; call with
    // mutex_ held and the queue not empty. Empty after a failure: the rest is dropped unread.
    std::optional<Item> takeLocked();
    // Hashes and writes one item's outputs; a failure is kept in error_.
    void process(const Item& item);
    // Waits for queued work or closing without sleeping, for a while; false when neither came.
    bool pollForWork() const;

    trace::SafetensorsWriter* sink_;
    const unsigned workerCount_;
    static constexpr std::uint32_t kInputs = ~std::uint32_t(0); // queue key of pushInputs
    std::vector<std::vector<commit::Hash32>> hashes_;
    std::vector<commit::Hash32> inputHashes_;
    std::deque<std::pair<std::uint32_t, std::vector<at::Tensor>>> queue_;
    std::atomic<std::size_t> queued_{0}; // queue_.size(), read by the waiting worker unlocked
    std::atomic<int> sleeping_{0};       // workers waiting on ready_, whom push wakes
    std::mutex mutex_;
    std::condition_variable ready_;
    std::atomic<bool> closing_{false}; // set under mutex_; read unlocked while polling
    std::exception_ptr error_;         // the first failure; under mutex_
    std::vector<std::thread> workers_;
};

} // namespace tao::runtime
