#pragma once
// The demo's files, made where tampering belongs (the provider side): fashion_cnn, an honest
// capture, a capture with its first linear layer scaled by 2 %, and a small calibration
// profile. Shared by `tao demo-files` (the window's offline demo) and `tao demo-network`.
#include <cstdint>
#include <filesystem>
#include <string>

namespace tao::cli {

struct DemoFileSet {
    std::filesystem::path model, honestTrace, tamperedTrace, profile; // absolute
    std::uint32_t tamperedOp = 0;
    std::string tamperDescription;
};

// Makes what is missing in `dir` and reuses what is there. Throws UsageError for a model
// without a linear layer, std::runtime_error naming the file for other failures.
DemoFileSet prepareDemoFileSet(const std::filesystem::path& dir,
                               const std::filesystem::path& modelPath);
// resources/models/fashion_cnn.pt under $TAO_SOURCE_DIR or the source tree.
std::filesystem::path defaultDemoModel();

} // namespace tao::cli
