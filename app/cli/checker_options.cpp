#include "app/cli/checker_options.hpp"

#include "core/numerics/calibration_profile.hpp"

#include <cstdio>
#include <cstdlib>

namespace tao::cli {

std::unique_ptr<dispute::OpChecker> makeChecker(std::shared_ptr<graph::Model> model,
                                                const CommandLine& cl,
                                                const std::filesystem::path& fallbackProfile) {
    dispute::CheckOptions options;
    options.relTolerance = cl.number("tolerance", options.relTolerance);
    std::filesystem::path profilePath;
    if (cl.has("profile"))
        profilePath = cl.value("profile");
    else if (!fallbackProfile.empty() && std::filesystem::exists(fallbackProfile))
        profilePath = fallbackProfile;
    if (!profilePath.empty()) {
        options.profile = std::make_shared<numerics::Profile>(numerics::Profile::load(profilePath));
        std::printf("thresholds  %s (p%g x %g, hash %.16s...)\n", profilePath.c_str(),
                    options.profile->percentile * 100, options.profile->safetyFactor,
                    options.profile->hash().hex().c_str());
    } else {
        std::printf("thresholds  none given (--profile): relative tolerance %g, no segment "
                    "checks\n",
                    options.relTolerance);
    }
    return std::make_unique<dispute::OpChecker>(std::move(model), options);
}

std::filesystem::path bundledProfileFor(const std::filesystem::path& modelPath) {
    std::filesystem::path root = TAO_SOURCE_DIR;
    if (const char* env = std::getenv("TAO_SOURCE_DIR")) root = env;
    return root / "resources/profiles" / (modelPath.stem().string() + ".json");
}

} // namespace tao::cli
