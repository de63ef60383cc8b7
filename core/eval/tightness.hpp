#pragma once
// How much room the empirical thresholds take out of the sound bounds (bound / threshold
// = 1 / threshold in the profile metric), per operator kind, per reduction length, and
// as the number of calibration inputs grows.
#include "core/graph/model.hpp"
#include "core/numerics/calibration_profile.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace tao::eval {

// The number of terms one output element sums for an operator kind on these inputs
// (matmul/linear K, convolution Cin/groups x kernel, softmax and layer-norm width,
// pooling window); 1 for element-wise kinds.
std::int64_t reductionLength(const std::string& kind, const std::vector<c10::IValue>& inputs);

// Rows {model, kind, ops, median, min, max} over the profile's bounded, thresholded ops.
nlohmann::json tightnessByKind(const std::string& model, const numerics::Profile& profile);

// Rows {model, upTo, ops, median, min, max}: ops grouped by reduction length into
// power-of-four classes (upTo = 1, 4, 16, ...), lengths measured on `inputs`.
nlohmann::json tightnessByReduction(const std::shared_ptr<graph::Model>& model,
                                    const numerics::Profile& profile,
                                    const std::vector<c10::IValue>& inputs);

// Rows {model, inputs, medianTightness, heldOutRuns, notPass}: the model recalibrated on
// the first N inputs of the default seeds for each N in `sizes` (default configurations,
// no segments), then `heldOutRuns` honest runs on other seeds verified against it.
nlohmann::json calibrationSizeStudy(const std::shared_ptr<graph::Model>& model,
                                    const std::vector<std::uint64_t>& sizes, int heldOutRuns);

} // namespace tao::eval
