#pragma once
// The execution configurations a calibration covers: real settings of this machine
// (threads, oneDNN) and deterministic emulations of other hardware, which recompute
// reductions in another order or precision with ordinary FP32 tensor operations.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tao::numerics {

enum class Emulation {
    Shuffled, // reduction dimension permuted (K of matmul/linear, C_in of conv, softmax/
              // log_softmax/layer_norm axis): the library then sums in another order
    SplitK,   // K split into 2..8 random chunks computed separately, partials summed in FP32
              // in a random order (as split-K GEMM kernels and multi-block reductions do)
    Tf32,     // matmul/linear/conv inputs rounded to TF32 (10 mantissa bits), FP32 accumulate
    Winograd, // stride-1 3x3/5x5 2-D convolutions by Winograd F(2|4|6, r) in FP32, as cuDNN's
              // and NNPACK's fast kernels run them (tile size drawn per operator)
};

struct CalibrationConfig {
    std::string name;
    int threads = 1;
    bool onednn = true;
    std::optional<Emulation> emulation; // run at threads=1, oneDNN on, then emulate
    bool flushDenormal = false;         // real flush-to-zero/denormals-are-zero on this CPU

    // True when admitting the configuration widens the sound bounds (TF32 inputs, flushed
    // denormals, fast convolutions): a strict-FP32 direct-convolution provider runs none of
    // them, so they are opt-in (see parseConfigs).
    bool widensBounds() const {
        return emulation == Emulation::Tf32 || emulation == Emulation::Winograd || flushDenormal;
    }
};

// Every configuration this build offers:
//   cpu-t1, cpu-t2, cpu-t1-noonednn, cpu-t2-noonednn, emu-shuffled, emu-splitk, emu-tf32,
//   emu-winograd, cpu-t1-ftz.
const std::vector<CalibrationConfig>& knownConfigs();
// "default" (all but those that widen the bounds: emu-tf32, emu-winograd, cpu-t1-ftz),
// "gpu" (default plus emu-tf32 and emu-winograd: what PyTorch's CUDA defaults may run, TF32
// convolutions and any cuDNN algorithm), "all", or a comma-separated list of names. Throws
// std::invalid_argument naming an unknown configuration.
//
// The profile records which arithmetic its configurations admit (BoundSettings), and the
// verifier widens the sound bounds to match. emu-tf32 is left out of the default on purpose: a
// profile that admits TF32 must use TF32 sound bounds for every matmul and convolution (~2^-9
// relative instead of n*2^-24), which loosens verification of strict-FP32 providers by orders of
// magnitude. A GPU deployment whose convolutions run on TF32 (cuDNN's default) calibrates a
// separate profile with --configs gpu. Likewise cpu-t1-ftz admits flushed denormals (every
// subnormal input may be read as zero), which only a deployment that flushes needs.
std::vector<CalibrationConfig> parseConfigs(std::string_view list);

} // namespace tao::numerics
