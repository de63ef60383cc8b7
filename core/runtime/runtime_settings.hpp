#pragma once
// The LibTorch settings that change reduction orders (threads, oneDNN), applied
// before a capture or replay and recorded in every trace.
#include "core/trace/manifest.hpp"

namespace tao::runtime {

struct RuntimeSettings {
    int threads = 1;    // intra-op threads; traces record it because it changes sums
    bool onednn = true; // oneDNN (mkldnn) kernels for conv/matmul where LibTorch picks them
    std::string device = "cpu";
    // Flush-to-zero and denormals-are-zero on the calling thread (x86 MXCSR), as
    // torch.set_flush_denormal(True) sets them; off is IEEE gradual underflow.
    bool flushDenormal = false;
};

// Applies the settings process-wide (flushing: on the calling thread, the one that runs
// the operators). Throws std::invalid_argument for threads < 1, a device this build
// cannot use (CUDA without a CUDA LibTorch), or flushing on a CPU without it.
void applySettings(const RuntimeSettings& settings);
// Runs LibTorch's operators and the BLAS on `threads` threads (verification and
// calibration, which record no runtime). Throws std::invalid_argument for threads < 1.
void useThreads(int threads);
// What a trace records about the runtime under these settings.
trace::RuntimeInfo describeRuntime(const RuntimeSettings& settings);
// True when the calling thread flushes denormals (FTZ or DAZ set in MXCSR).
bool flushingDenormals();
// True when the linked LibTorch can run on CUDA and a device is present.
bool cudaAvailable();

} // namespace tao::runtime
