#include "core/numerics/calibration_config.hpp"

#include <stdexcept>

namespace tao::numerics {

const std::vector<CalibrationConfig>& knownConfigs() {
    static const std::vector<CalibrationConfig> all = {
        {"cpu-t1", 1, true, std::nullopt},
        {"cpu-t2", 2, true, std::nullopt},
        {"cpu-t1-noonednn", 1, false, std::nullopt},
        {"cpu-t2-noonednn", 2, false, std::nullopt},
        {"emu-shuffled", 1, true, Emulation::Shuffled},
        {"emu-splitk", 1, true, Emulation::SplitK},
        {"emu-tf32", 1, true, Emulation::Tf32},
        {"emu-winograd", 1, true, Emulation::Winograd},
        {"cpu-t1-ftz", 1, true, std::nullopt, true},
    };
    return all;
}

std::vector<CalibrationConfig> parseConfigs(std::string_view list) {
    std::vector<CalibrationConfig> out;
    if (list == "all") return knownConfigs();
    if (list == "default" || list.empty() || list == "gpu") {
        for (const auto& c : knownConfigs())
            if (!c.widensBounds() || (list == "gpu" && c.emulation)) out.push_back(c);
        return out;
    }
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string_view::npos) end = list.size();
        const auto name = list.substr(start, end - start);
        bool found = false;
        for (const auto& c : knownConfigs())
            if (c.name == name) {
                found = true;
                bool dup = false;
                for (const auto& o : out)
                    dup |= o.name == c.name;
                if (!dup) out.push_back(c);
            }
        if (!found) {
            std::string known;
            for (const auto& c : knownConfigs())
                known += (known.empty() ? "" : ", ") + c.name;
            throw std::invalid_argument("unknown configuration '" + std::string(name) +
                                        "' (known: default, gpu, all, " + known + ")");
        }
        start = end + 1;
    }
    return out;
}

} // namespace tao::numerics
