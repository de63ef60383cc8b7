#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/graph/op_info.hpp"
#include "core/runtime/replay.hpp"
#include "core/trace/trace_bundle.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace tao::cli {

int runReplay(const std::vector<std::string>& args) {
    CommandLine cl(args, withRuntime({"model", "trace", "op", "from", "to"}, kRuntimeValued),
                   withRuntime({"segment", "json"}, kRuntimeFlags));
    runtime::ReplayOptions opt;
    opt.settings = runtimeSettings(cl); // option errors before any slow loading
    auto model = graph::loadModel(cl.value("model"));
    auto bundle = trace::TraceBundle::open(cl.value("trace"));
    noteLegacyId(*model, bundle.manifest().modelId, cl.value("trace"));
    const long long n = static_cast<long long>(graph::opsOf(*model).size());
    opt.segment = cl.has("segment");
    if (cl.has("op")) {
        if (cl.has("from") || cl.has("to")) throw UsageError("--op excludes --from/--to");
        opt.from = static_cast<std::uint32_t>(cl.integer("op", 0, 0, n - 1));
        opt.to = opt.from + 1;
    } else {
        opt.from = static_cast<std::uint32_t>(cl.integer("from", 0, 0, n - 1));
        opt.to = static_cast<std::uint32_t>(cl.integer("to", n, opt.from + 1, n));
    }
    auto results = runtime::replay(model, bundle, opt);
    std::size_t exact = 0;
    double worstAbs = 0;
    for (const auto& r : results) {
        exact += r.bitExact;
        worstAbs = std::max(worstAbs, r.maxAbs);
    }
    if (cl.has("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : results)
            out.push_back(comparisonJson(r));
        std::cout << out.dump(1) << "\n";
    } else {
        std::vector<std::vector<std::string>> rows{
            {"op", "kind", "scope", "max abs err", "max rel err", "bit-exact"}};
        for (const auto& r : results)
            rows.push_back({std::to_string(r.op), r.kind, r.scope.empty() ? "-" : r.scope,
                            sci(r.maxAbs), sci(r.maxRel),
                            r.problem.empty() ? (r.bitExact ? "yes" : "no") : r.problem});
        printTable(rows);
        if (!bundle.manifest().hasLayouts())
            std::cout << "\nnote: this trace (format " << bundle.manifest().version
                      << ") records no tensor layouts; committed inputs are replayed row-major, "
                         "so bit-exactness is not promised\n";
        for (const auto& r : results)
            if (!r.caveat.empty() && bundle.manifest().hasLayouts())
                std::cout << "note: op " << r.op << " is not promised bit-exact: " << r.caveat
                          << "\n";
        std::cout << "\n"
                  << results.size() << " operator(s) replayed "
                  << (opt.segment ? "as one segment" : "on committed inputs") << ": " << exact
                  << " bit-exact, worst abs error " << sci(worstAbs) << "\n";
    }
    return kOk;
}

} // namespace tao::cli
