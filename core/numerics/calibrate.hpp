#pragma once
// Empirical calibration: run a model on many inputs under every configuration, and record
// per operator the error of each FP32 result against the FP64 reference computed on the
// same committed inputs, plus segment replay errors (see calibration_profile.hpp for the
// metrics, the profile format and how calibration scales out over machines).
#include "core/numerics/calibration_config.hpp"
#include "core/numerics/calibration_profile.hpp"

#include <filesystem>
#include <functional>
#include <memory>

namespace tao::graph {
class Model;
}

namespace tao::numerics {

struct CalibrationOptions {
    // Inputs: safetensors files (one tensor per model input, named as the graph's inputs),
    // or, when empty, `randomRuns` inputs from the model's input description with seeds
    // seedBase, seedBase + 1, ...
    std::vector<std::filesystem::path> inputFiles;
    std::uint64_t randomRuns = 0;
    std::uint64_t seedBase = 1000;
    std::vector<CalibrationConfig> configs = parseConfigs("default");
    double percentile = 0.9999; // (0, 1]
    double safetyFactor = 3.0;  // >= 1
    // Input k is calibrated by shard k mod shardCount.
    std::uint32_t shardIndex = 0;
    std::uint32_t shardCount = 1;
    bool segments = true; // also calibrate segment thresholds (about log2(ops) extra forwards)
    // Memory, not results: per-operator thresholds are measured on windows of operators
    // whose FP64 references and bounds take about this many bytes (at least one operator
    // each). Profiles do not depend on it.
    std::size_t windowBytes = std::size_t(1) << 30;
    // Called with (inputs done, inputs in this shard); returning false cancels
    // (graph::OperationCancelled).
    std::function<bool(std::size_t, std::size_t)> progress;
};

// Throws std::invalid_argument for bad options (no inputs, bad shard, percentile or
// safety factor), std::runtime_error naming the input for unreadable or non-finite
// inputs, graph::ModelError when the model fails to run.
Profile calibrate(const std::shared_ptr<graph::Model>& model, const CalibrationOptions& options);

// The *.safetensors files directly inside `dir`, sorted by name. Throws std::runtime_error
// when the directory cannot be read or holds none.
std::vector<std::filesystem::path> inputFilesIn(const std::filesystem::path& dir);

} // namespace tao::numerics
