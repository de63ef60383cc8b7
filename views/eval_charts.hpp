#pragma once
// The evaluation report's figures (docs/evaluation.md), drawn from the JSON `tao eval`
// writes (format "tao-eval"). Each function returns a new chart the caller owns; parts
// missing from the document give an empty chart with a title saying so.
#include <QChart>
#include <QSize>
#include <nlohmann/json.hpp>

namespace tao::views {

// Per model, over the safety factor: the honest runs' false-positive rate and the
// largest output change the threshold-aware adversary reaches inside the thresholds.
QChart* tradeoffChart(const nlohmann::json& eval);
// Per model and operator kind: median sound bound / empirical threshold (log scale).
QChart* tightnessChart(const nlohmann::json& eval);
// Per model, over the reduction-length class: median bound / threshold (log-log).
QChart* reductionChart(const nlohmann::json& eval);
// Per model, allowance and fraction f: the largest output change of the adversary.
QChart* adversaryChart(const nlohmann::json& eval);
// Fashion-MNIST test accuracy per provider (honest and downgraded).
QChart* accuracyChart(const nlohmann::json& eval);

// From bench/results/growth.json (scripts/bench growth), at sequence length 128: seconds
// (plain forward, capture with the full trace, verify without the model load) and peak
// memory (GiB) against parameter count, log-log.
QChart* growthTimeChart(const nlohmann::json& growth);
QChart* growthMemoryChart(const nlohmann::json& growth);

// Renders `chart` at `size` logical pixels into a PNG. Returns false when it cannot write.
bool saveChartPng(QChart* chart, const QString& path, QSize size);

} // namespace tao::views
