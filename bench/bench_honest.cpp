// False positives of the error models: honest executions of each demo model on held-out
// inputs (seeds 1..N; the committed profiles were calibrated on seeds 1000 and up), each
// under one of the default configurations in turn, verified against the committed profile
// resources/profiles/<model>.json. Counts PASS / SUSPECT / FAIL / NO-BOUND and the worst
// error / threshold seen. A model without a matching committed profile is reported as
// skipped with the reason.
// Usage: bench_honest [--runs N] [--models a,b] [--out FILE]   (prints JSON)
#include "bench/bench_options.hpp"
#include "core/eval/honest_study.hpp"
#include "core/runtime/process_memory.hpp"
#include "core/runtime/runtime_settings.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace tao;
using nlohmann::json;

namespace {

json benchModel(const std::filesystem::path& root, const std::string& name, int runs) {
    const std::filesystem::path path = tao::bench::modelPath(root.string(), name);
    if (path.empty()) return {{"model", name}, {"skipped", "model missing (scripts/setup)"}};
    const auto profilePath = root / "resources/profiles" / (name + ".json");
    if (!std::filesystem::exists(profilePath))
        return {{"model", name}, {"skipped", "no committed profile"}};
    auto model = graph::Model::load(path);
    const auto profile = numerics::Profile::load(profilePath);
    if (profile.modelId != model->id())
        return {{"model", name},
                {"skipped", "the committed profile is for another build of the model"}};
    eval::HonestRunsOptions options;
    options.runs = runs;
    options.progress = [&](int done, int total) {
        std::cerr << "\r" << name << ": " << done << "/" << total << " runs" << std::flush;
    };
    const auto h = eval::honestRuns(model, profile, options);
    std::cerr << "\n";
    std::vector<json> nonPass;
    for (const auto& n : h.nonPass)
        if (nonPass.size() < 10)
            nonPass.push_back({{"run", n.run},
                               {"config", n.config},
                               {"op", n.op},
                               {"verdict", n.verdict},
                               {"reason", n.reason}});
    std::ostringstream calibratedOn;
    for (const auto& s : profile.sources)
        calibratedOn << (calibratedOn.tellp() > 0 ? "; " : "") << s.inputSet;
    return {{"model", name},
            {"ops", h.ops},
            {"runs", h.runs},
            {"heldOutInputs", h.heldOutInputs},
            {"profileInputs", calibratedOn.str()},
            {"pass", h.verdicts.at("PASS")},
            {"suspect", h.verdicts.at("SUSPECT")},
            {"fail", h.verdicts.at("FAIL")},
            {"noBound", h.verdicts.at("NO-BOUND")},
            {"worstUtilisation", h.worstUtilisation},
            {"worstOp", h.worstOp},
            {"configs", h.perConfig},
            {"nonPass", nonPass},
            {"secondsPerRun", h.seconds / std::max(runs, 1)}};
}

} // namespace

int main(int argc, char** argv) {
    tao::runtime::reuseFreedMemory();
    tao::runtime::returnLargeBlocksWhenFreed();     // as tao verify and the GUI do
    tao::runtime::adviseHugePagesForLargeTensors(); // as tao verify and the GUI do
    int runs = 200;
    std::string out;
    std::vector<std::string> models{"fashion_cnn", "tiny_lm", "resnet18", "gpt2_small"};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--runs" && hasValue)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (a == "--models" && hasValue)
            models = tao::bench::splitList(argv[++i]);
        else if (a == "--out" && hasValue)
            out = argv[++i];
        else {
            std::cerr << "usage: bench_honest [--runs N] [--models a,b] [--out FILE]\n";
            return 3;
        }
    }
    std::filesystem::path root = TAO_SOURCE_DIR;
    if (const char* env = std::getenv("TAO_SOURCE_DIR")) root = env;
    try {
        json doc = {{"bench", "honest"}, {"models", json::array()}};
        for (const auto& m : models)
            doc["models"].push_back(benchModel(root, m, runs));
        const auto text = doc.dump(2);
        std::cout << text << "\n";
        if (!out.empty()) std::ofstream(out) << text << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_honest: " << e.what() << "\n";
        return 1;
    }
}
