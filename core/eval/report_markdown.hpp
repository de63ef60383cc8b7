#pragma once
// docs/evaluation.md from the evaluation's JSON (format "tao-eval") and the cost
// results beside it (eval-disputes.json, capture.json, thresholds.json, dispute.json). Every number
// in the report comes from those files.
#include <nlohmann/json.hpp>
#include <string>

namespace tao::eval {

struct CompanionResults {
    nlohmann::json disputes;   // bench/results/eval-disputes.json, or null
    nlohmann::json capture;    // bench/results/capture.json, or null
    nlohmann::json thresholds; // bench/results/thresholds.json, or null
    nlohmann::json dispute;    // bench/results/dispute.json, or null
};

// The headline table alone (also shown in the README).
std::string headlineTable(const nlohmann::json& eval);

// The whole report. `figures` is the folder of the PNGs, relative to the report.
std::string evaluationMarkdown(const nlohmann::json& eval, const CompanionResults& more,
                               const std::string& figures);

} // namespace tao::eval
