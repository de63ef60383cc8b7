// How much tighter the empirical thresholds are than the sound bounds, and what verifying a
// whole trace costs relative to one plain forward, per model. The profile is the committed
// resources/profiles/<model>.json when it matches the model, else one calibrated here on
// --runs random inputs (default configurations, no segments). Verification is timed twice:
// on the run's outputs in memory, and as `tao verify` does it, from the same run captured
// to a bundle on disk (read back and checked against the committed hashes). A forward is
// timed before and after each verification: the ratios are medians over the repetitions
// of the median times, and, less open to the load of a shared machine drifting between
// repetitions, medians of each verification's ratio to its two neighbouring forwards
// (`_paired`, with their spread). Prints JSON and writes --out.
//
// Per bounded operator the ratio is (sound bound) / (empirical threshold) = 1 / threshold in
// the bound-utilisation metric; exact operators (bound 0) and operators whose threshold is 0
// are left out. TAO reports 10^2..10^3 for the operators that reduce (matmul, conv, norms).
#include "bench/bench_options.hpp"
#include "core/numerics/calibrate.hpp"
#include "core/numerics/emulation.hpp"
#include "core/runtime/capture.hpp"
#include "core/runtime/process_memory.hpp"
#include "core/runtime/runtime_settings.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/verify.hpp"
#include "core/verify/verify_values.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <unistd.h>

using namespace tao;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

template <class F> double timed(F&& f) {
    auto t0 = Clock::now();
    f();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool reducing(const std::string& kind) {
    for (const char* k :
         {"linear", "matmul", "mm", "conv", "norm", "softmax", "sum", "mean", "pool", "attention"})
        if (kind.find(k) != std::string::npos) return true;
    return false;
}

nlohmann::json stats(const std::vector<double>& r) {
    if (r.empty()) return {{"count", 0}};
    return {{"count", r.size()},
            {"median", median(r)},
            {"min", *std::min_element(r.begin(), r.end())},
            {"max", *std::max_element(r.begin(), r.end())}};
}

// Seconds per operator kind in one more verification: the progress callback runs before
// each operator, so the time between two calls is one operator's reading, bound and
// judgement. The kinds taking at least 1 % of the time, largest first, and the rest.
nlohmann::json secondsByKind(const std::shared_ptr<graph::Model>& model,
                             const std::vector<c10::IValue>& inputs,
                             const graph::OpOutputSource& source,
                             const numerics::Profile& profile) {
    std::map<std::string, double> byKind;
    std::string running;
    auto last = Clock::now();
    const auto lap = [&] {
        const auto now = Clock::now();
        if (!running.empty()) byKind[running] += std::chrono::duration<double>(now - last).count();
        last = now;
    };
    verify::VerifyOptions options;
    options.progress = [&](std::size_t done, std::size_t) {
        lap(); // the last call (done == all) ends the last operator
        running = done < model->ops().size() ? model->ops()[done].kind : std::string();
        return true;
    };
    const double total =
        timed([&] { verify::verifyValues(model, inputs, source, profile, options); });
    std::vector<std::pair<double, std::string>> sorted;
    for (const auto& [kind, t] : byKind)
        sorted.emplace_back(t, kind);
    std::sort(sorted.rbegin(), sorted.rend());
    nlohmann::json out = nlohmann::json::array();
    double rest = total;
    for (const auto& [t, kind] : sorted) {
        if (t < 0.01 * total) break;
        out.push_back({{"kind", kind}, {"s", t}});
        rest -= t;
    }
    out.push_back({{"kind", "rest"}, {"s", rest}});
    return out;
}

nlohmann::json benchModel(const std::string& root, const std::string& name, int runs, int reps) {
    auto model = graph::Model::load(tao::bench::modelPath(root, name));
    numerics::Profile profile;
    std::string source;
    const auto committed = root + "/resources/profiles/" + name + ".json";
    double calibrateSeconds = 0;
    if (std::filesystem::exists(committed) &&
        numerics::Profile::load(committed).modelId == model->id()) {
        profile = numerics::Profile::load(committed);
        source = "resources/profiles/" + name + ".json";
    } else {
        numerics::CalibrationOptions opt;
        opt.randomRuns = static_cast<std::uint64_t>(runs);
        opt.segments = false;
        calibrateSeconds = timed([&] { profile = numerics::calibrate(model, opt); });
        source = "calibrated here on " + std::to_string(runs) + " random inputs";
    }
    std::vector<double> all, reduce;
    for (const auto& op : profile.ops) {
        const auto t = profile.threshold(op.index);
        if (op.status != "bounded" || !t || *t <= 0) continue;
        all.push_back(1.0 / *t);
        if (reducing(op.kind)) reduce.push_back(1.0 / *t);
    }

    // Verification holds the weights as `tao verify` does (WeightResidence::BySize): a small
    // archive copied into the heap at load, a large one read in place and given back after
    // each operator; the forward it is compared with keeps them in the heap, as a
    // provider's does.
    const auto verifying =
        graph::Model::load(tao::bench::modelPath(root, name), graph::WeightResidence::BySize);
    graph::Interpreter interp(model);
    const auto inputs = model->randomInputs(4242);
    numerics::applyConfig(numerics::knownConfigs()[0]);
    const auto outs = numerics::runUnderConfig(interp, inputs, numerics::knownConfigs()[0], 0);
    graph::OpOutputSource source_ = [&](std::uint32_t op) { return outs.at(op); };
    // The same run as a bundle on disk (in the page cache, as just written): `tao verify`'s
    // path, which also reads every tensor back and checks it against its committed hash.
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tao-bench-thresholds-" + std::to_string(::getpid()));
    runtime::CaptureOptions toDisk;
    toDisk.inputs = std::make_shared<const std::vector<c10::IValue>>(inputs);
    toDisk.out = dir / (name + ".taotrace");
    runtime::capture(model, toDisk);
    const auto bundle = trace::TraceBundle::open(toDisk.out);
    torch::NoGradGuard noGrad;
    model->module().forward(inputs); // warm-up
    std::vector<double> plain, verifyT, verifyBundle, pairedT, pairedBundle;
    verify::VerifyReport report, bundleReport;
    const auto forward = [&] {
        plain.push_back(timed([&] { model->module().forward(inputs); }));
        return plain.back();
    };
    double before = forward();
    for (int r = 0; r < reps; ++r) {
        verifyT.push_back(
            timed([&] { report = verify::verifyValues(verifying, inputs, source_, profile); }));
        const double between = forward();
        pairedT.push_back(verifyT.back() / ((before + between) / 2));
        verifyBundle.push_back(
            timed([&] { bundleReport = verify::verifyTrace(verifying, bundle, profile); }));
        before = forward();
        pairedBundle.push_back(verifyBundle.back() / ((between + before) / 2));
    }
    std::filesystem::remove_all(dir);
    return {
        {"model", name},
        {"ops", model->ops().size()},
        {"profile", source},
        {"calibrate_s", calibrateSeconds},
        {"bounded_ops", all.size()},
        {"bound_over_threshold_median", median(all)},
        {"bound_over_threshold_min", all.empty() ? 0 : *std::min_element(all.begin(), all.end())},
        {"bound_over_threshold_max", all.empty() ? 0 : *std::max_element(all.begin(), all.end())},
        {"reducing_ops", stats(reduce)},
        {"plain_forward_s", median(plain)},
        {"verify_s", median(verifyT)},
        {"ratio_verify_to_forward", median(verifyT) / median(plain)},
        {"ratio_verify_to_forward_paired", stats(pairedT)},
        {"verify_overall", std::string(verify::verdictName(report.overall()))},
        {"verify_bundle_s", median(verifyBundle)},
        {"ratio_verify_bundle_to_forward", median(verifyBundle) / median(plain)},
        {"ratio_verify_bundle_to_forward_paired", stats(pairedBundle)},
        {"verify_bundle_overall", std::string(verify::verdictName(bundleReport.overall()))},
        {"verify_weights_mapped_mib", verifying->mappedWeightBytes() / 1048576.0},
        {"verify_by_kind_s", secondsByKind(verifying, inputs, source_, profile)}};
}

} // namespace

int main(int argc, char** argv) {
    tao::runtime::reuseFreedMemory();
    tao::runtime::returnLargeBlocksWhenFreed();     // as tao verify and the GUI do
    tao::runtime::adviseHugePagesForLargeTensors(); // as tao verify and the GUI do
    std::string root = TAO_SOURCE_DIR, out;
    std::vector<std::string> models{"fashion_cnn", "tiny_lm", "resnet18", "gpt2_small"};
    int runs = 3, reps = 9;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i], v = argv[i + 1];
        if (a == "--out")
            out = v;
        else if (a == "--runs")
            runs = std::stoi(v);
        else if (a == "--reps")
            reps = std::stoi(v);
        else if (a == "--models")
            models = tao::bench::splitList(v);
    }
    try {
        runtime::RuntimeSettings settings;
        const auto info = runtime::describeRuntime(settings);
        nlohmann::json doc = {{"benchmark", "thresholds"},
                              {"machine", info.host},
                              {"blas", info.blas},
                              {"libtorch", info.libtorch},
                              {"threads", 1},
                              {"huge_pages", tao::runtime::hugePageAdviceEnabled()},
                              {"metric", "bound/threshold = 1/threshold in max|y-r|/bound"},
                              {"models", nlohmann::json::array()}};
        for (const auto& m : models) {
            if (tao::bench::modelPath(root, m).empty()) {
                std::cerr << "bench_thresholds: model " << m << " not found (scripts/setup)\n";
                continue;
            }
            doc["models"].push_back(benchModel(root, m, runs, reps));
        }
        std::cout << doc.dump(1) << "\n";
        if (!out.empty()) std::ofstream(out) << doc.dump(1) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "bench_thresholds: " << e.what() << "\n";
        return 1;
    }
}
