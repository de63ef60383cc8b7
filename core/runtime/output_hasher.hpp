#pragma once
// Hashes operator outputs on a worker thread while the interpreter goes on with
// the next operators, so committing costs little more than running: LibTorch
// runs the forward on its own threads, hashing overlaps with it.
#include "core/commit/hash.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <torch/script.h>
#include <vector>

namespace tao::runtime {

class OutputHasher {
public:
    // keepContiguous: also keep a contiguous CPU copy of each output (for writing a full trace).
    OutputHasher(std::size_t opCount, bool keepContiguous);
    ~OutputHasher();
    OutputHasher(const OutputHasher&) = delete;
    OutputHasher& operator=(const OutputHasher&) = delete;

    // Queues the flattened outputs of `op`. The tensors must not be modified afterwards
    // (callers copy them first when the model mutates tensors in place).
    void push(std::uint32_t op, std::vector<at::Tensor> outputs);
    // Waits for every queued output; rethrows a failure of the worker.
    void finish();

    const std::vector<commit::Hash32>& hashes(std::uint32_t op) const { return hashes_[op]; }
    const std::vector<at::Tensor>& kept(std::uint32_t op) const { return kept_[op]; }

private:
    void work();

    bool keep_;
    std::vector<std::vector<commit::Hash32>> hashes_;
    std::vector<std::vector<at::Tensor>> kept_;
    std::deque<std::pair<std::uint32_t, std::vector<at::Tensor>>> queue_;
    std::mutex mutex_;
    std::condition_variable ready_;
    bool closing_ = false;
    std::exception_ptr error_;
    std::thread worker_;
};

} // namespace tao::runtime
