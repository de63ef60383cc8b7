#include "app/cli/command_line.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace tao::cli {

CommandLine::CommandLine(const std::vector<std::string>& args, const std::set<std::string>& valued,
                         const std::set<std::string>& flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            positional_.push_back(a);
            continue;
        }
        auto name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (valued.count(name)) {
            if (inlineValue) {
                values_[name] = *inlineValue;
            } else {
                if (i + 1 >= args.size()) throw UsageError("option --" + name + " needs a value");
                values_[name] = args[++i];
            }
        } else if (flags.count(name) && !inlineValue) {
            flags_.insert(name);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

bool CommandLine::has(const std::string& name) const {
    return values_.count(name) || flags_.count(name);
}

std::string CommandLine::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) throw UsageError("missing required option --" + name);
    return it->second;
}

std::string CommandLine::valueOr(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

long long CommandLine::integer(const std::string& name, long long fallback, long long min,
                               long long max) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(it->second, &used);
    } catch (...) {
        used = 0;
    }
    if (used != it->second.size() || it->second.empty())
        throw UsageError("option --" + name + " expects an integer, got '" + it->second + "'");
    if (v < min || v > max)
        throw UsageError("option --" + name + " must be in [" + std::to_string(min) + ", " +
                         std::to_string(max) + "], got " + it->second);
    return v;
}

double CommandLine::number(const std::string& name, double fallback) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(it->second, &used);
    } catch (...) {
        used = 0;
    }
    if (used != it->second.size() || it->second.empty())
        throw UsageError("option --" + name + " expects a number, got '" + it->second + "'");
    return v;
}

void printTable(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width;
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (width.size() <= c) width.push_back(0);
            width[c] = std::max(width[c], r[c].size());
        }
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            line += r[c];
            if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 2, ' ');
        }
        std::cout << line << '\n';
    }
}

std::string sci(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    return buf;
}

std::string shortHash(const std::string& hex) {
    return hex.size() > 14 ? hex.substr(0, 10) + "…" + hex.substr(hex.size() - 4) : hex;
}

std::pair<std::uint32_t, std::uint32_t> shardOption(const std::string& text) {
    const auto slash = text.find('/');
    std::uint32_t index = 0, count = 0;
    try {
        if (slash == std::string::npos) throw std::invalid_argument("no slash");
        index = static_cast<std::uint32_t>(std::stoul(text.substr(0, slash)));
        count = static_cast<std::uint32_t>(std::stoul(text.substr(slash + 1)));
    } catch (const std::exception&) {
        throw UsageError("--shard must be i/N, e.g. 0/4");
    }
    if (count == 0 || index >= count) throw UsageError("--shard " + text + ": need 0 <= i < N");
    return {index, count};
}

int verdictExitCode(verify::Verdict v) {
    switch (v) {
    case verify::Verdict::Fail:
    case verify::Verdict::NoBound:
        return kFail;
    case verify::Verdict::Suspect:
        return kSuspect;
    default:
        return kOk;
    }
}

} // namespace tao::cli
