// `tao demo-files --out DIR`: the GUI's demo, made where tampering belongs (the provider
// side, not the views): fashion_cnn, an honest capture, a capture with its first linear
// layer scaled by 2 %, and a small calibration profile. Reuses files already in DIR.
// Prints one JSON object naming them, which tao-auditor reads.
#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/demo_file_set.hpp"
#include "core/graph/op_info.hpp"
#include "core/numerics/calibrate.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/provider/adversary.hpp"
#include "core/runtime/capture.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

namespace tao::cli {

DemoFileSet prepareDemoFileSet(const std::filesystem::path& dir,
                               const std::filesystem::path& modelPath) {
    DemoFileSet set;
    set.model = std::filesystem::absolute(modelPath);
    set.honestTrace = std::filesystem::absolute(dir / "fashion_cnn_honest.taotrace");
    set.tamperedTrace = std::filesystem::absolute(dir / "fashion_cnn_tampered.taotrace");
    set.profile = std::filesystem::absolute(dir / "fashion_cnn_profile.json");
    std::filesystem::create_directories(dir);
    auto model = graph::loadModel(modelPath);
    const auto& ops = graph::opsOf(*model);
    // The first fully connected layer: its output is scaled by 2 %, far beyond any rounding
    // error but small enough that the prediction often survives.
    std::optional<std::uint32_t> target;
    for (const auto& op : ops)
        if (op.kind == "aten::linear") {
            target = op.index;
            break;
        }
    if (!target) throw UsageError(modelPath.string() + " has no aten::linear operator to tamper");
    if (!std::filesystem::exists(set.honestTrace)) {
        runtime::CaptureOptions capture;
        capture.seed = 1;
        capture.out = set.honestTrace;
        runtime::capture(model, capture);
    }
    if (!std::filesystem::exists(set.tamperedTrace)) {
        runtime::CaptureOptions capture;
        capture.seed = 1;
        capture.out = set.tamperedTrace;
        provider::AdversaryOptions adversary;
        adversary.mode = provider::AdversaryMode::PerturbOp;
        adversary.op = *target;
        adversary.factor = 1.02;
        provider::AdversaryReport report;
        provider::adversarialCapture(model, capture, adversary, &report);
    }
    if (!std::filesystem::exists(set.profile)) {
        numerics::CalibrationOptions options;
        options.randomRuns = 6;
        options.segments = false;
        numerics::calibrate(model, options).save(set.profile);
    }
    set.tamperedOp = *target;
    set.tamperDescription =
        "op " + std::to_string(*target) + " (" + ops[*target].kind + ") scaled by 1.02";
    return set;
}

std::filesystem::path defaultDemoModel() {
    std::filesystem::path root = TAO_SOURCE_DIR;
    if (const char* env = std::getenv("TAO_SOURCE_DIR")) root = env;
    return root / "resources/models/fashion_cnn.pt";
}

int runDemoFiles(const std::vector<std::string>& args) {
    const CommandLine cl(args, {"out", "model"}, {});
    const auto set =
        prepareDemoFileSet(cl.value("out"), cl.valueOr("model", defaultDemoModel().string()));
    const nlohmann::json out = {{"model", set.model.string()},
                                {"honestTrace", set.honestTrace.string()},
                                {"tamperedTrace", set.tamperedTrace.string()},
                                {"profile", set.profile.string()},
                                {"tamperedOp", set.tamperedOp},
                                {"tamperDescription", set.tamperDescription}};
    std::cout << out.dump() << "\n";
    return 0;
}

} // namespace tao::cli
