#pragma once
// Where a demo model lies in a checkout: committed under resources/models, or made by
// scripts/setup under resources/models/generated.
#include <filesystem>
#include <string>

namespace tao::io {

// resources/models/<name>.pt, else resources/models/generated/<name>.pt, under `root` (the
// repository); empty when neither exists.
std::filesystem::path demoModelPath(const std::filesystem::path& root, const std::string& name);

} // namespace tao::io
