// `tao compare`: two traces of one model on the same inputs, operator by operator.
#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/runtime/replay.hpp"
#include "core/trace/trace_bundle.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace tao::cli {

int runCompare(const std::vector<std::string>& args) {
    CommandLine cl(args, {"model", "limit"}, {"json"});
    if (cl.positional().size() != 2) throw UsageError("compare needs exactly two traces");
    const auto limit = cl.integer("limit", 20, 0, 1 << 30);
    auto model = graph::loadModel(cl.value("model"));
    const auto a = trace::TraceBundle::open(cl.positional()[0]);
    const auto b = trace::TraceBundle::open(cl.positional()[1]);
    std::vector<runtime::OpComparison> results;
    try {
        results = runtime::compareTraces(model, a, b);
    } catch (const std::runtime_error& e) {
        throw UsageError(e.what());
    }
    const auto [same, first, largest] = runtime::summarise(results);
    if (cl.has("json")) {
        nlohmann::json ops = nlohmann::json::array();
        for (const auto& c : results)
            ops.push_back(comparisonJson(c));
        std::cout << nlohmann::json{{"identical", same},
                                    {"operators", results.size()},
                                    {"firstDifference",
                                     first ? nlohmann::json(first->op) : nlohmann::json(nullptr)},
                                    {"ops", ops}}
                         .dump(1)
                  << "\n";
        return first ? kSuspect : kOk;
    }
    std::cout << same << " of " << results.size() << " operators identical\n";
    if (!first) return kOk;
    std::cout << "first difference: op " << first->op << " " << first->kind << " " << first->scope
              << "\nlargest relative difference: " << sci(largest->maxRel) << " at op "
              << largest->op << " " << largest->kind << "\n\n";
    std::vector<std::vector<std::string>> rows{
        {"op", "kind", "scope", "max abs", "max rel", "note"}};
    for (const auto& c : results) {
        if (c.bitExact) continue;
        if (static_cast<long long>(rows.size()) > limit) {
            rows.push_back({"…", "", "", "", "", "(--limit)"});
            break;
        }
        rows.push_back(
            {std::to_string(c.op), c.kind, c.scope, sci(c.maxAbs), sci(c.maxRel), c.problem});
    }
    printTable(rows);
    return kSuspect;
}

} // namespace tao::cli
