#pragma once
// Which arithmetic a trace may be judged under. A provider records the library switches
// that change FP32 arithmetic (TF32, flushed denormals; trace::ArithmeticFlags); the
// profile records which of them its calibration admitted (numerics::BoundSettings).
//   - Sound bounds follow the union of both: an honest run under the recorded switches is
//     never FAIL, and a claimed switch only ever widens a bound the profile would draw.
//   - An operator whose bound the trace's switches widen beyond the profile's is judged on
//     the wider bound but is at best SUSPECT: the empirical threshold was calibrated for
//     other arithmetic, so passing it proves nothing (reason: `uncovered`).
// The committee (core/dispute) judges on the profile's settings alone: the recorded
// switches are not part of the trace commitment, so on chain they are an untrusted claim
// and the job's registered profile defines honest arithmetic.
#include "core/numerics/calibration_profile.hpp"
#include "core/trace/manifest.hpp"

#include <string>

namespace tao::verify {

struct ArithmeticCheck {
    numerics::BoundSettings bounds; // the profile's settings widened by the trace's switches
    // Empty when the profile admits everything the trace ran; otherwise what it does not
    // admit, as a sentence fragment ("TF32 convolutions and flushed denormals").
    std::string uncovered;
};

// Whether the trace's convolutions may have run a Winograd or FFT algorithm, from the
// recorded runtime.arithmetic.convAlgorithm: a direct/GEMM algorithm ("direct", "gemm",
// "implicit-gemm", "implicit-precomp-gemm", "im2col", "onednn", ...) keeps the direct
// bound; "winograd", "fft", "nnpack" (NNPACK's CPU kernels are Winograd and FFT) and any
// other name do not. Not recorded: CPU LibTorch picks oneDNN or its own GEMM-based kernels
// (a CPU build that routes to NNPACK must record "nnpack"); on CUDA cuDNN picks per layer,
// so every algorithm it has is possible.
bool mayUseFastConvolution(const trace::RuntimeInfo& runtime);

ArithmeticCheck checkArithmetic(const trace::RuntimeInfo& runtime,
                                const numerics::BoundSettings& profile);

} // namespace tao::verify
