#pragma once
// Command-line helpers the benchmark programs share.
#include "core/io/demo_models.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace tao::bench {

// "a,b,,c" -> {"a", "b", "c"}
inline std::vector<std::string> splitList(const std::string& list) {
    std::vector<std::string> out;
    for (std::size_t p = 0, q; p <= list.size(); p = q + 1) {
        q = list.find(',', p);
        if (q == std::string::npos) q = list.size();
        if (q > p) out.push_back(list.substr(p, q - p));
    }
    return out;
}

// A demo model by name (resources/models, then the generated ones), or the path of any
// model file (the growth benchmark's); empty when there is none.
inline std::string modelPath(const std::string& root, const std::string& name) {
    if (name.ends_with(".pt") && std::filesystem::exists(name)) return name;
    return io::demoModelPath(root, name).string();
}

} // namespace tao::bench
