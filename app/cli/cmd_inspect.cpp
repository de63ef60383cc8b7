#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "core/trace/trace_bundle.hpp"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

namespace tao::cli {

int runInspect(const std::vector<std::string>& args) {
    CommandLine cl(args, {"limit"}, {"verify", "json"});
    if (cl.positional().size() != 1) throw UsageError("give one trace bundle");
    auto bundle = trace::TraceBundle::open(cl.positional()[0]);
    const auto& m = bundle.manifest();
    if (cl.has("verify")) bundle.verifyAllTensors();
    if (cl.has("json")) {
        std::ifstream in(bundle.path() / "manifest.json");
        std::cout << nlohmann::json::parse(in).dump(1) << "\n";
        return kOk;
    }
    std::cout << "trace       " << bundle.path().string() << " (" << (m.light ? "light" : "full")
              << ", format " << m.version << ")\n"
              << "model       " << m.modelName << "  " << m.modelId.hex() << "\n"
              << "runtime     " << trace::runtimeSummary(m.runtime) << "\n"
              << "arithmetic  " << trace::arithmeticSummary(m.runtime) << "\n"
              << "input hash  " << m.inputHash.hex() << "\n"
              << "output hash " << m.outputHash.hex() << "\n"
              << "trace root  " << m.root.hex() << " (checked against " << m.ops.size()
              << " operator leaves)\n";
    std::cout << "format      version " << m.version
              << (m.hasLayouts() ? ", tensor layouts recorded"
                                 : ": no tensor layouts, so replays are not promised bit-exact")
              << "\n";
    if (cl.has("verify")) std::cout << "tensors     every stored tensor matches its hash\n";
    std::cout << "\n";
    auto limit = static_cast<std::size_t>(cl.integer("limit", 1 << 30, 1, 1 << 30));
    std::vector<std::vector<std::string>> rows{{"op", "kind", "scope", "output", "hash"}};
    for (const auto& op : m.ops) {
        if (rows.size() > limit) break;
        std::string shape;
        for (const auto& t : op.outputs)
            shape += (shape.empty() ? "" : " ") + std::string(commit::safetensorsName(t.dtype)) +
                     trace::describeShape(t.shape);
        rows.push_back({std::to_string(op.index), op.kind, op.scope.empty() ? "-" : op.scope, shape,
                        shortHash(op.outputHash.hex())});
    }
    printTable(rows);
    if (m.ops.size() > limit) std::cout << "… " << m.ops.size() - limit << " more\n";
    return kOk;
}

} // namespace tao::cli
