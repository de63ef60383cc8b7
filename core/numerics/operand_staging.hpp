#pragma once
// Internal to core/numerics: prepares the next piece of a dot product's operands (a weight
// panel read from the model file and converted to FP64 and BF16, a band of convolution
// columns, a piece's BF16 magnitude product) on one helper thread while the caller computes
// the current piece's FP64 product. The preparation is memory-bound copying that the FP64
// GEMM on the caller's core cannot hide (GPT-2's weight panels: 0.09 s of reading and
// converting per verification), and the BF16 product is a further share (resnet18's: 11 ms
// beside 80 ms of FP64 GEMM); on a core of its own either costs the caller only the wait for a
// piece that is not ready yet.
//
// The helper runs only where a core is free beside LibTorch's threads, so a user who gave
// verification every core gets the same work done inline, in the same order. Either way
// each piece is computed by the same code from the same inputs, so at one LibTorch thread
// results are identical; at more, oneDNN may sum an inline BF16 magnitude in another order
// (the bound's rounding up holds for every order).
#include <functional>
#include <memory>

namespace tao::numerics::detail {

// Whether staging runs on the helper thread: where the machine has more cores than the
// `libtorchThreads` LibTorch computes with. TAO_STAGING=0 or 1 in the environment says
// never or always instead (to measure the difference, and to test both ways on any machine).
bool stagingOnHelper(int libtorchThreads);

// One caller's staged work: at most one task in flight. Not shared between threads.
class Staging {
public:
    explicit Staging(bool onHelper);
    // Waits for a task still in flight; its error is dropped (the caller is unwinding or
    // did not ask).
    ~Staging();
    Staging(const Staging&) = delete;
    Staging& operator=(const Staging&) = delete;

    // Runs `task` on the helper thread, or now on the calling thread when this Staging is
    // not on the helper. The task must not call into LibTorch's thread pool; oneDNN may be
    // called (on the helper it computes on one thread). Waits first for the task started
    // before.
    void start(std::function<void()> task);
    // Waits for the task started last and rethrows what it threw; returns at once when none
    // is in flight.
    void wait();
    // Whether tasks run on the helper thread (then they must not use LibTorch's threads).
    bool onHelper() const { return onHelper_; }

    struct Job;

private:
    bool onHelper_;
    std::shared_ptr<Job> inFlight_;
};

} // namespace tao::numerics::detail
