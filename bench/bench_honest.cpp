// False positives of the error models: honest executions of each demo model on held-out
// inputs (seeds 1..N; the committed profiles were calibrated on seeds 1000 and up), each
// under one of the default configurations in turn, verified against the committed profile
// resources/profiles/<model>.json. Counts PASS / SUSPECT / FAIL / NO-BOUND and the worst
// error / threshold seen. A model without a matching committed profile is reported as
// skipped with the reason.
// Usage: bench_honest [--runs N] [--models a,b] [--out FILE]   (prints JSON)
#include "bench/bench_options.hpp"
#include "core/numerics/calibration_config.hpp"
#include "core/numerics/emulation.hpp"
#include "core/verify/verify_values.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace tao;
using Values = std::vector<c10::IValue>;
using nlohmann::json;

namespace {

std::filesystem::path modelPath(const std::filesystem::path& root, const std::string& name) {
    for (const char* dir : {"resources/models", "resources/models/generated"})
        if (std::filesystem::exists(root / dir / (name + ".pt")))
            return root / dir / (name + ".pt");
    return {};
}

json benchModel(const std::filesystem::path& root, const std::string& name, int runs) {
    const auto path = modelPath(root, name);
    if (path.empty()) return {{"model", name}, {"skipped", "model missing (scripts/setup)"}};
    const auto profilePath = root / "resources/profiles" / (name + ".json");
    if (!std::filesystem::exists(profilePath))
        return {{"model", name}, {"skipped", "no committed profile"}};
    auto model = graph::Model::load(path);
    const auto profile = numerics::Profile::load(profilePath);
    if (profile.modelId != model->id())
        return {{"model", name},
                {"skipped", "the committed profile is for another build of the model"}};
    graph::Interpreter interp(model);
    const auto& all = numerics::knownConfigs();
    const std::vector<numerics::CalibrationConfig> configs(all.begin(), all.end() - 1); // no TF32
    std::map<std::string, int> verdicts, perConfig;
    double worst = 0;
    std::uint32_t worstOp = 0;
    std::vector<json> nonPass;
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < runs; ++r) {
        const auto& config = configs[r % configs.size()];
        const auto inputs = model->randomInputs(static_cast<std::uint64_t>(r + 1));
        const auto outs = numerics::runUnderConfig(interp, inputs, config, r);
        graph::OpOutputSource committed = [&](std::uint32_t op) { return outs.at(op); };
        const auto report = verify::verifyValues(model, inputs, committed, profile);
        const auto overall = report.overall();
        ++verdicts[std::string(verify::verdictName(overall))];
        ++perConfig[config.name];
        for (const auto& o : report.ops)
            if (o.empiricalUtilisation > worst) {
                worst = o.empiricalUtilisation;
                worstOp = o.op;
            }
        if (overall != verify::Verdict::Pass && nonPass.size() < 10) {
            const auto first = *report.firstNonPass();
            nonPass.push_back({{"run", r},
                               {"config", config.name},
                               {"op", first},
                               {"verdict", verify::verdictName(report.ops[first].verdict)},
                               {"reason", report.ops[first].reason}});
        }
        std::cerr << "\r" << name << ": " << (r + 1) << "/" << runs << " runs" << std::flush;
    }
    std::cerr << "\n";
    numerics::applyConfig(configs.front());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ostringstream calibratedOn;
    for (const auto& s : profile.sources)
        calibratedOn << (calibratedOn.tellp() > 0 ? "; " : "") << s.inputSet;
    return {{"model", name},
            {"ops", model->ops().size()},
            {"runs", runs},
            {"heldOutInputs", "random seeds 1.." + std::to_string(runs)},
            {"profileInputs", calibratedOn.str()},
            {"pass", verdicts["PASS"]},
            {"suspect", verdicts["SUSPECT"]},
            {"fail", verdicts["FAIL"]},
            {"noBound", verdicts["NO-BOUND"]},
            {"worstUtilisation", worst},
            {"worstOp", worstOp},
            {"configs", perConfig},
            {"nonPass", nonPass},
            {"secondsPerRun", seconds / std::max(runs, 1)}};
}

} // namespace

int main(int argc, char** argv) {
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
