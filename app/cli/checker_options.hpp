#pragma once
// How the commands that judge committed ops (challenge, committee, demo) build their checker:
// --profile P.json gives the calibrated thresholds (and segment thresholds for the game),
// --tolerance T the relative tolerance for ops without a sound bound or without a profile.
#include "app/cli/command_line.hpp"
#include "core/dispute/op_checker.hpp"

#include <filesystem>

namespace tao::cli {

inline const std::set<std::string> kCheckerOptions{"profile", "tolerance"};

// `fallbackProfile` is used when --profile is absent and the file exists. Throws UsageError
// for a bad number, ProfileError / VerifyError naming the profile when it is unreadable or
// calibrated for another model.
std::unique_ptr<dispute::OpChecker> makeChecker(std::shared_ptr<graph::Model> model,
                                                const CommandLine& cl,
                                                const std::filesystem::path& fallbackProfile = {});

// resources/profiles/<model file stem>.json in this checkout (the demo models' profiles).
std::filesystem::path bundledProfileFor(const std::filesystem::path& modelPath);

} // namespace tao::cli
