#pragma once
// How the commands that judge committed ops (challenge, committee, demo) build their checker:
// --profile P.json gives the calibrated thresholds (and segment thresholds for the game);
// without it the model's bundled profile is used when there is one. Ops are judged by the
// same rule as `tao verify`, so a profile is required.
#include "app/cli/command_line.hpp"
#include "core/dispute/op_checker.hpp"

#include <filesystem>

namespace tao::cli {

inline const std::set<std::string> kCheckerOptions{"profile"};

// `fallbackProfile` is used when --profile is absent and the file exists. Throws UsageError
// when there is no profile at all, ProfileError / VerifyError naming the profile when it is
// unreadable or calibrated for another model.
std::unique_ptr<dispute::OpChecker> makeChecker(std::shared_ptr<graph::Model> model,
                                                const CommandLine& cl,
                                                const std::filesystem::path& fallbackProfile);

// resources/profiles/<model file stem>.json in this checkout (the demo models' profiles).
std::filesystem::path bundledProfileFor(const std::filesystem::path& modelPath);

} // namespace tao::cli
