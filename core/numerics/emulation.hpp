#pragma once
// Deterministic emulation of other hardware (see calibration_config.hpp) and whole-model
// runs under a calibration configuration, as an honest provider there would run them.
#include "core/graph/interpreter.hpp"
#include "core/numerics/calibration_config.hpp"

#include <optional>
#include <random>

namespace tao::numerics {

// Recomputes operator `kind` on `inputs` (schema order, never modified) the way the
// emulated hardware would. nullopt when the emulation does not apply to this kind or
// these arguments (the native result then stands). Supported: linear, matmul, mm, bmm,
// _convolution/conv1d/conv2d (not transposed) for Shuffled, SplitK and Tf32; softmax,
// log_softmax and layer_norm over one axis for Shuffled; batched 2-D convolutions with
// square 3x3 or 5x5 kernels, stride 1 and dilation 1 for Winograd.
std::optional<std::vector<c10::IValue>> emulate(std::string_view kind,
                                                const std::vector<c10::IValue>& inputs,
                                                Emulation emulation, std::mt19937_64& rng);

// FP32 values rounded to nearest-even at 10 explicit mantissa bits (TF32); inf/NaN kept.
at::Tensor roundToTf32(const at::Tensor& x);

// Applies the configuration's threads and oneDNN setting process-wide.
void applyConfig(const CalibrationConfig& config);

// Called after each executed operator with its outputs, which it may replace.
using OutputEdit = std::function<void(std::uint32_t op, std::vector<c10::IValue>& outputs)>;

// Runs the whole model under `config` (settings applied, emulation seeded by `seed`) and
// returns every operator's outputs, copied so later in-place operators cannot change
// them. `edit` runs after emulation (tests use it to tamper). Throws like Interpreter::run.
// Deep copies of interpreter values: tensors and tensor lists cloned, anything else
// copied, so that a later in-place operator cannot change them.
std::vector<c10::IValue> cloneValues(const std::vector<c10::IValue>& values);

std::vector<std::vector<c10::IValue>>
runUnderConfig(graph::Interpreter& interp, const std::vector<c10::IValue>& inputs,
               const CalibrationConfig& config, std::uint64_t seed, const OutputEdit& edit = {});

// Replays operators [lo, hi) under `config` from the cut state `committed` (every value
// defined before lo); `record(op, outputs)` sees each result after emulation.
void runSegmentUnderConfig(graph::Interpreter& interp, const std::vector<c10::IValue>& inputs,
                           std::uint32_t lo, std::uint32_t hi,
                           const graph::OpOutputSource& committed, const CalibrationConfig& config,
                           std::mt19937_64& rng, const OutputEdit& record);

} // namespace tao::numerics
