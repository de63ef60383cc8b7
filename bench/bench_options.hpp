#pragma once
// Command-line helpers the benchmark programs share.
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

} // namespace tao::bench
