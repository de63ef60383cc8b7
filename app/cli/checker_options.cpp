#include "app/cli/checker_options.hpp"

#include "core/numerics/calibration_profile.hpp"

#include <cstdio>
#include <cstdlib>

namespace tao::cli {

std::unique_ptr<dispute::OpChecker> makeChecker(std::shared_ptr<graph::Model> model,
                                                const CommandLine& cl,
                                                const std::filesystem::path& fallbackProfile) {
    dispute::CheckOptions options;
    std::filesystem::path profilePath;
    if (cl.has("profile"))
        profilePath = cl.value("profile");
    else if (!fallbackProfile.empty() && std::filesystem::exists(fallbackProfile))
        profilePath = fallbackProfile;
    if (profilePath.empty())
        throw UsageError("no threshold profile for this model: pass --profile P.json (tao "
                         "calibrate makes one); ops are judged as tao verify judges them");
    options.profile = std::make_shared<numerics::Profile>(numerics::Profile::load(profilePath));
    std::printf("thresholds  %s (p%g x %g, hash %.16s...)\n", profilePath.c_str(),
                options.profile->percentile * 100, options.profile->safetyFactor,
                options.profile->hash().hex().c_str());
    return std::make_unique<dispute::OpChecker>(std::move(model), options);
}

std::filesystem::path bundledProfileFor(const std::filesystem::path& modelPath) {
    std::filesystem::path root = TAO_SOURCE_DIR;
    if (const char* env = std::getenv("TAO_SOURCE_DIR")) root = env;
    return root / "resources/profiles" / (modelPath.stem().string() + ".json");
}

} // namespace tao::cli
