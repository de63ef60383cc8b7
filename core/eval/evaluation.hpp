#pragma once
// The whole evaluation in one call: false positives over honest runs, the downgrade
// attacks, single-operator perturbations at multiples of their threshold, the
// threshold-aware adversary against the empirical thresholds and against the sound
// bound alone, the false-positive / headroom trade-off over safety factors, threshold
// tightness, and what downgrades cost in Fashion-MNIST accuracy. The result is the JSON
// document bench/results/eval.json holds (format "tao-eval", described in evaluation.cpp).
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace tao::eval {

struct EvaluationOptions {
    std::filesystem::path root;    // the repository: resources/models, resources/profiles
    std::filesystem::path workDir; // scratch for attack traces (created, emptied)
    bool quick = false;            // a few runs of each part: a smoke test, not evidence
    std::function<void(const std::string& line)> log; // progress, one line at a time
};

// Throws std::runtime_error naming a missing model, profile or dataset.
nlohmann::json runEvaluation(const EvaluationOptions& options);

} // namespace tao::eval
