#include "core/io/demo_models.hpp"

namespace tao::io {

std::filesystem::path demoModelPath(const std::filesystem::path& root, const std::string& name) {
    for (const char* dir : {"resources/models", "resources/models/generated"})
        if (auto path = root / dir / (name + ".pt"); std::filesystem::exists(path)) return path;
    return {};
}

} // namespace tao::io
