#pragma once
// The runtime options several commands share: --threads N, --no-onednn, --device D.
#include "app/cli/command_line.hpp"
#include "core/runtime/runtime_settings.hpp"

namespace tao::cli {

inline const std::set<std::string> kRuntimeValued{"threads", "device"};
inline const std::set<std::string> kRuntimeFlags{"no-onednn"};

runtime::RuntimeSettings runtimeSettings(const CommandLine& cl);
// Options of a command plus the shared runtime ones.
std::set<std::string> withRuntime(std::set<std::string> own, const std::set<std::string>& shared);

} // namespace tao::cli
