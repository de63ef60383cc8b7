#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/graph/op_info.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/coverage.hpp"
#include "core/verify/verify.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace tao::cli {
namespace {

// `tao bounds --coverage M.pt`: the model's operator kinds and which have no bound, from
// the graph alone (no capture). Exit 0 when every kind is bounded, kFail otherwise.
int runCoverage(const CommandLine& cl) {
    std::string path;
    if (cl.has("model"))
        path = cl.value("model");
    else if (cl.positional().size() == 1)
        path = cl.positional()[0];
    else
        throw UsageError("usage: tao bounds --coverage M.pt [--json]");
    auto model = graph::loadModel(path);
    const auto kinds = verify::boundCoverage(*model);
    std::size_t missing = 0, ops = 0;
    for (const auto& k : kinds) {
        missing += !k.bounded;
        ops += k.count;
    }
    if (cl.has("json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& k : kinds)
            list.push_back({{"kind", k.kind}, {"count", k.count}, {"bounded", k.bounded}});
        nlohmann::json out = {
            {"model", path}, {"operators", ops}, {"kinds", list}, {"noBoundKinds", missing}};
        std::cout << out.dump(1) << "\n";
    } else {
        std::vector<std::vector<std::string>> table{{"kind", "count", "bound"}};
        for (const auto& k : kinds)
            table.push_back({k.kind, std::to_string(k.count), k.bounded ? "yes" : "NO-BOUND"});
        printTable(table);
        std::cout << "\n"
                  << ops << " operator(s) of " << kinds.size() << " kind(s): " << missing
                  << " kind(s) without a bound\n";
    }
    return missing == 0 ? kOk : kFail;
}

} // namespace

int runBounds(const std::vector<std::string>& args) {
    CommandLine cl(args, {"model", "trace", "op", "weights"}, {"json", "tf32", "coverage"});
    if (cl.has("coverage")) return runCoverage(cl);
    auto model = graph::loadModel(cl.value("model"), weightResidence(cl));
    auto bundle = trace::TraceBundle::open(cl.value("trace"));
    noteLegacyId(*model, bundle.manifest().modelId, cl.value("trace"));
    verify::VerifyOptions opt;
    const auto n = static_cast<long long>(graph::opsOf(*model).size());
    if (cl.has("op")) opt.op = static_cast<std::uint32_t>(cl.integer("op", 0, 0, n - 1));
    const auto rows = verify::boundsOfTrace(model, bundle, opt, cl.has("tf32"));
    std::size_t noBound = 0, beyond = 0;
    for (const auto& r : rows) {
        noBound += r.status == "no-bound";
        beyond += r.failure || r.utilisation > 1;
    }
    if (cl.has("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : rows)
            out.push_back({{"op", r.op},
                           {"kind", r.kind},
                           {"scope", r.scope},
                           {"status", r.status},
                           {"reason", r.reason},
                           {"maxBound", r.maxBound},
                           {"maxAbsError", r.maxAbsError},
                           {"utilisation", r.utilisation},
                           {"unboundedElements", r.unbounded},
                           {"failure", r.failure}});
        std::cout << out.dump(1) << "\n";
        return kOk;
    }
    std::vector<std::vector<std::string>> table{
        {"op", "kind", "scope", "bound", "max bound", "max |y-r|", "utilisation", "note"}};
    for (const auto& r : rows) {
        const bool bounded = r.status != "no-bound";
        table.push_back({std::to_string(r.op), r.kind, r.scope.empty() ? "-" : r.scope, r.status,
                         bounded ? sci(r.maxBound) : "-", bounded ? sci(r.maxAbsError) : "-",
                         bounded ? sci(r.utilisation) : "-",
                         r.unbounded > 0 && r.reason.empty()
                             ? std::to_string(r.unbounded) + " unbounded element(s)"
                             : r.reason});
    }
    printTable(table);
    std::cout << "\n"
              << rows.size() << " operator(s): " << noBound << " without a bound, " << beyond
              << " beyond their sound bound (utilisation = max |y-r| / bound)\n";
    return kOk;
}

} // namespace tao::cli
