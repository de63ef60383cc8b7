// Cost of instrumented capture relative to a plain module.forward, measured in
// one run with interleaved repetitions: (a) recording every operator output,
// (b) recording and hashing, (c) a full trace written to disk; plus SHA-256
// throughput. Prints JSON and writes it to --out.
#include "bench/bench_options.hpp"
#include "core/commit/hash.hpp"
#include "core/graph/interpreter.hpp"
#include "core/graph/tensor_convert.hpp"
#include "core/runtime/capture.hpp"
#include "core/runtime/output_hasher.hpp"
#include "core/runtime/process_memory.hpp"
#include "core/runtime/runtime_settings.hpp"

#include <ATen/Parallel.h>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

using namespace tao;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <class F> double timed(F&& f) {
    auto t0 = Clock::now();
    f();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

nlohmann::json benchModel(const std::string& path, int reps, const std::filesystem::path& tmp) {
    std::shared_ptr<graph::Model> model;
    const double load = timed([&] { model = graph::Model::load(path); });
    auto inputs = model->randomInputs(1);
    graph::Interpreter interp(model);
    torch::NoGradGuard noGrad;
    std::size_t bytes = 0;
    auto record = [&] {
        std::vector<std::vector<c10::IValue>> kept(model->ops().size());
        graph::ExecutionHooks h;
        h.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& o) { kept[op] = o; };
        interp.run(inputs, h);
    };
    // (b) is a light capture: every output hashed (on the background hasher), nothing written.
    // Captures run on the plain forward's inputs, given in memory as a server has them.
    const auto given = std::make_shared<const std::vector<c10::IValue>>(inputs);
    runtime::CaptureOptions light;
    light.inputs = given;
    light.light = true;
    auto hash = [&] { runtime::capture(model, light); };
    {
        std::vector<std::vector<c10::IValue>> kept(model->ops().size());
        graph::ExecutionHooks h;
        h.afterOp = [&](std::uint32_t i, std::vector<c10::IValue>& o) {
            for (const auto& v : o)
                for (const auto& t : graph::flattenTensors(v))
                    bytes += t.nbytes();
            kept[i] = o;
        };
        interp.run(inputs, h);
    }
    runtime::CaptureOptions full;
    full.inputs = given;
    full.out = tmp / "bench.taotrace";
    std::map<std::string, std::vector<double>> t;
    model->module().forward(inputs); // warm-up
    record();
    for (int r = 0; r < reps; ++r) {
        t["plain"].push_back(timed([&] { model->module().forward(inputs); }));
        t["record"].push_back(timed(record));
        t["hash"].push_back(timed(hash));
        // The previous repetition's trace is removed first, untimed: replacing a trace would
        // otherwise add deleting 319 MB (16 ms here) to gpt2_small's capture.
        std::filesystem::remove_all(full.out);
        t["full"].push_back(timed([&] { runtime::capture(model, full); }));
    }
    std::filesystem::remove_all(full.out);
    double plain = median(t["plain"]);
    nlohmann::json j = {{"model", model->name()}, {"ops", model->ops().size()},
                        {"repetitions", reps},    {"activation_bytes", bytes},
                        {"model_load_s", load},   {"plain_forward_s", plain}};
    for (const char* mode : {"record", "hash", "full"}) {
        j[std::string(mode) + "_s"] = median(t[mode]);
        j[std::string("ratio_") + mode] = median(t[mode]) / plain;
    }
    return j;
}

double sha256Throughput() {
    std::vector<std::uint8_t> buf(256u << 20, 0x5a);
    double best = 1e9;
    for (int i = 0; i < 3; ++i)
        best = std::min(best, timed([&] { (void)commit::sha256(buf); }));
    return buf.size() / best / 1e9;
}

} // namespace

int main(int argc, char** argv) {
    tao::runtime::reuseFreedMemory(); // as tao capture does (no huge-page advice)
    std::string root = TAO_SOURCE_DIR, out;
    std::vector<std::string> models{"resnet18", "gpt2_small"};
    int reps = 9, threads = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i], v = argv[i + 1];
        if (a == "--out")
            out = v;
        else if (a == "--reps")
            reps = std::stoi(v);
        else if (a == "--threads")
            threads = std::stoi(v);
        else if (a == "--models")
            models = tao::bench::splitList(v);
    }
    runtime::RuntimeSettings settings;
    settings.threads = threads;
    runtime::applySettings(settings);
    auto info = runtime::describeRuntime(settings);
    auto tmp = std::filesystem::temp_directory_path() / ("tao-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(tmp);
    nlohmann::json doc = {{"benchmark", "capture"},
                          {"machine", info.host},
                          {"blas", info.blas},
                          {"libtorch", info.libtorch},
                          {"threads", threads},
                          {"cores", std::thread::hardware_concurrency()},
                          {"hashing_threads", runtime::hashingWorkers(threads)},
                          {"sha256_gb_per_s", sha256Throughput()},
                          {"models", nlohmann::json::array()}};
    for (const auto& m : models)
        if (const auto path = tao::bench::modelPath(root, m); !path.empty())
            doc["models"].push_back(benchModel(path, reps, tmp));
        else
            throw std::runtime_error("model " + m + " not found; run scripts/setup");
    std::filesystem::remove_all(tmp);
    std::cout << doc.dump(1) << "\n";
    if (!out.empty()) std::ofstream(out) << doc.dump(1) << "\n";
}
