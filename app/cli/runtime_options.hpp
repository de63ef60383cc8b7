#pragma once
// The runtime options several commands share: --threads N, --no-onednn, --device D,
// --flush-denormal (FTZ/DAZ, as torch.set_flush_denormal(True)).
#include "app/cli/command_line.hpp"
#include "core/graph/op_info.hpp"
#include "core/runtime/replay.hpp"
#include "core/runtime/runtime_settings.hpp"

#include <nlohmann/json.hpp>

namespace tao::cli {

inline const std::set<std::string> kRuntimeValued{"threads", "device"};
inline const std::set<std::string> kRuntimeFlags{"no-onednn", "flush-denormal"};

runtime::RuntimeSettings runtimeSettings(const CommandLine& cl);
// --weights heap|mapped|by-size (absent: by-size), where a verifying command keeps the
// model's weights (graph::WeightResidence); throws UsageError for another value.
graph::WeightResidence weightResidence(const CommandLine& cl);
// Tells the user (stderr, one line) when `file` names `model` by its legacy id.
void noteLegacyId(const graph::Model& model, const commit::Hash32& id, const std::string& file);
// Options of a command plus the shared runtime ones.
std::set<std::string> withRuntime(std::set<std::string> own, const std::set<std::string>& shared);
// One operator's comparison (replay or compare) as the --json outputs print it.
nlohmann::json comparisonJson(const runtime::OpComparison& c);

} // namespace tao::cli
