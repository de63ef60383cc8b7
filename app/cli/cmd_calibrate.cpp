#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "core/graph/op_info.hpp"
#include "core/numerics/calibrate.hpp"

#include <algorithm>
#include <iostream>
#include <tuple>

namespace tao::cli {

namespace {

// "99.99", "p99.99" or "0.9999" -> 0.9999
double percentileOf(const CommandLine& cl) {
    auto text = cl.valueOr("percentile", "99.99");
    if (!text.empty() && (text[0] == 'p' || text[0] == 'P')) text.erase(0, 1);
    double v = 0;
    try {
        std::size_t used = 0;
        v = std::stod(text, &used);
        if (used != text.size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
        throw UsageError("--percentile must be a number such as 99.99 or 0.9999");
    }
    if (v > 1) v /= 100;
    if (!(v > 0 && v <= 1)) throw UsageError("--percentile must lie in (0, 100]");
    return v;
}

int runCalibrateMerge(const std::vector<std::string>& args) {
    // `-o C.json` is accepted as well as `--out C.json`.
    std::vector<std::string> rest;
    for (std::size_t i = 1; i < args.size(); ++i)
        rest.push_back(args[i] == "-o" ? "--out" : args[i]);
    CommandLine cl(rest, {"out"}, {});
    const auto& files = cl.positional();
    if (files.size() < 2) throw UsageError("merge needs at least two profiles");
    auto merged = numerics::Profile::load(files[0]);
    for (std::size_t i = 1; i < files.size(); ++i)
        merged = numerics::mergeProfiles(merged, numerics::Profile::load(files[i]));
    const auto out = cl.value("out");
    merged.save(out);
    std::uint64_t inputs = 0;
    for (const auto& s : merged.sources)
        inputs += s.inputs;
    std::cout << "merged " << files.size() << " profiles of " << merged.modelName << " ("
              << merged.sources.size() << " sources, " << inputs << " inputs) into " << out
              << "\nprofile hash " << merged.hash().hex() << "\n";
    return kOk;
}

// Renames a profile made under the legacy (LibTorch-version-dependent) model id to
// the model's version-independent id; thresholds are untouched.
int runRekey(const std::vector<std::string>& args) {
    std::vector<std::string> rest;
    for (std::size_t i = 1; i < args.size(); ++i)
        rest.push_back(args[i] == "-o" ? "--out" : args[i]);
    CommandLine cl(rest, {"out", "model"}, {});
    if (cl.positional().size() != 1) throw UsageError("rekey takes one profile");
    const auto& file = cl.positional()[0];
    auto profile = numerics::Profile::load(file);
    auto model = graph::loadModel(cl.value("model"));
    if (graph::matchId(*model, profile.modelId) == graph::IdMatch::None)
        throw std::runtime_error(file + ": calibrated for model " + profile.modelId.hex() +
                                 ", which is neither id of " + cl.value("model"));
    profile.modelId = graph::idOf(*model);
    const auto out = cl.value("out");
    profile.save(out);
    std::cout << "wrote " << out << " for model " << profile.modelId.hex() << " (hash "
              << profile.hash().hex() << ")\n";
    return kOk;
}

} // namespace

int runCalibrate(const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "merge") return runCalibrateMerge(args);
    if (!args.empty() && args[0] == "rekey") return runRekey(args);
    CommandLine cl(args,
                   {"model", "inputs", "random", "out", "configs", "percentile", "safety", "shard",
                    "seed-base"},
                   {"no-segments", "quiet"});
    numerics::CalibrationOptions opt;
    if (cl.has("inputs") == cl.has("random"))
        throw UsageError("give exactly one of --inputs DIR and --random N");
    try {
        opt.configs = numerics::parseConfigs(cl.valueOr("configs", "default"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--configs: ") + e.what());
    }
    opt.percentile = percentileOf(cl);
    opt.safetyFactor = cl.number("safety", 3.0);
    if (!(opt.safetyFactor >= 1)) throw UsageError("--safety must be at least 1");
    if (cl.has("shard")) std::tie(opt.shardIndex, opt.shardCount) = shardOption(cl.value("shard"));
    opt.segments = !cl.has("no-segments");
    opt.seedBase = static_cast<std::uint64_t>(cl.integer("seed-base", 1000, 0, 1LL << 62));
    const auto out = cl.value("out");
    if (cl.has("random"))
        opt.randomRuns = static_cast<std::uint64_t>(cl.integer("random", 0, 1, 100000000));
    else
        opt.inputFiles = numerics::inputFilesIn(cl.value("inputs"));
    auto model = graph::loadModel(cl.value("model"));
    const bool quiet = cl.has("quiet");
    opt.progress = [&](std::size_t done, std::size_t total) {
        if (!quiet)
            std::cerr << "\rcalibrating: " << done << "/" << total << " inputs" << std::flush;
        return true;
    };
    const auto profile = numerics::calibrate(model, opt);
    if (!quiet) std::cerr << "\n";
    profile.save(out);

    std::vector<double> ratios;
    std::size_t withThreshold = 0;
    for (const auto& op : profile.ops) {
        const auto t = profile.threshold(op.index);
        if (!t) continue;
        ++withThreshold;
        if (op.status == "bounded" && *t > 0) ratios.push_back(1.0 / *t);
    }
    std::sort(ratios.begin(), ratios.end());
    std::cout << "profile of " << profile.modelName << ": " << profile.ops.size() << " operators, "
              << withThreshold << " with thresholds, " << profile.segments.size()
              << " segment entries; p" << profile.percentile * 100 << " x " << profile.safetyFactor
              << "\n";
    if (!ratios.empty())
        std::cout << "sound bound / empirical threshold over bounded operators: median "
                  << sci(ratios[ratios.size() / 2]) << ", range " << sci(ratios.front()) << " .. "
                  << sci(ratios.back()) << "\n";
    std::cout << "wrote " << out << " (hash " << profile.hash().hex() << ")\n";
    return kOk;
}

} // namespace tao::cli
