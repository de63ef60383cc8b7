#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/graph/op_info.hpp"
#include "core/runtime/capture.hpp"

#include <chrono>
#include <iostream>

namespace tao::cli {

int runCapture(const std::vector<std::string>& args) {
    CommandLine cl(args, withRuntime({"model", "input", "random-input", "out"}, kRuntimeValued),
                   withRuntime({"light"}, kRuntimeFlags));
    runtime::CaptureOptions opt;
    if (cl.has("input") == cl.has("random-input"))
        throw UsageError("give exactly one of --input FILE and --random-input SEED");
    if (cl.has("input")) opt.inputFile = cl.value("input");
    if (cl.has("random-input"))
        opt.seed = static_cast<std::uint64_t>(cl.integer("random-input", 0, 0, INT64_MAX));
    opt.out = cl.value("out");
    opt.light = cl.has("light");
    opt.settings = runtimeSettings(cl);
    auto t0 = std::chrono::steady_clock::now();
    auto model = graph::loadModel(cl.value("model"));
    auto t1 = std::chrono::steady_clock::now();
    auto m = runtime::capture(model, opt);
    auto t2 = std::chrono::steady_clock::now();
    std::size_t tensors = 0;
    for (const auto& op : m.ops)
        tensors += op.outputs.size();
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::cout << "captured " << m.modelName << " (" << m.ops.size() << " operators, " << tensors
              << " output tensors" << (m.light ? ", light" : "") << ") in " << secs(t1, t2)
              << " s (load " << secs(t0, t1) << " s)\n"
              << "model id    " << m.modelId.hex() << "\n"
              << "input hash  " << m.inputHash.hex() << "\n"
              << "output hash " << m.outputHash.hex() << "\n"
              << "trace root  " << m.root.hex() << "\n"
              << "written to  " << opt.out.string() << "\n";
    return kOk;
}

} // namespace tao::cli
