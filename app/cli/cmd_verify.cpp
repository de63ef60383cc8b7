#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/graph/op_info.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/verify.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace tao::cli {

namespace {

int exitCodeOf(verify::Verdict worst) {
    switch (worst) {
    case verify::Verdict::Fail:
    case verify::Verdict::NoBound:
        return kFail;
    case verify::Verdict::Suspect:
        return kSuspect;
    default:
        return kOk;
    }
}

nlohmann::json reportJson(const verify::VerifyReport& r) {
    nlohmann::json ops = nlohmann::json::array();
    for (const auto& o : r.ops)
        ops.push_back({{"op", o.op},
                       {"kind", o.kind},
                       {"scope", o.scope},
                       {"verdict", verify::verdictName(o.verdict)},
                       {"error", o.error},
                       {"maxAbsError", o.maxAbsError},
                       {"empiricalThreshold", o.empiricalThreshold},
                       {"empiricalUtilisation", o.empiricalUtilisation},
                       {"soundUtilisation", o.soundUtilisation},
                       {"reason", o.reason}});
    nlohmann::json counts;
    for (auto v : {verify::Verdict::Pass, verify::Verdict::Suspect, verify::Verdict::Fail,
                   verify::Verdict::NoBound})
        counts[std::string(verify::verdictName(v))] = r.count(v);
    const auto first = r.firstNonPass();
    return {{"modelId", r.modelId.hex()},
            {"traceRoot", r.traceRoot.hex()},
            {"profileHash", r.profileHash.hex()},
            {"overall", verify::verdictName(r.overall())},
            {"counts", counts},
            {"firstNonPass", first ? nlohmann::json(*first) : nlohmann::json(nullptr)},
            {"ops", ops}};
}

} // namespace

int runVerify(const std::vector<std::string>& args) {
    CommandLine cl(args, {"model", "trace", "profile"}, {"json"});
    const auto profilePath = cl.value("profile");
    auto model = graph::loadModel(cl.value("model"));
    auto bundle = trace::TraceBundle::open(cl.value("trace"));
    noteLegacyId(*model, bundle.manifest().modelId, cl.value("trace"));
    auto profile = numerics::Profile::load(profilePath);
    noteLegacyId(*model, profile.modelId, profilePath);
    verify::checkProfileMatchesModel(*model, profile, profilePath);
    const auto report = verify::verifyTrace(model, bundle, profile);
    if (cl.has("json")) {
        std::cout << reportJson(report).dump(1) << "\n";
        return exitCodeOf(report.overall());
    }
    std::vector<std::vector<std::string>> table{
        {"op", "kind", "scope", "verdict", "err/bound", "threshold", "err/threshold", "reason"}};
    for (const auto& o : report.ops) {
        const bool measured = o.verdict != verify::Verdict::NoBound;
        table.push_back({std::to_string(o.op), o.kind, o.scope.empty() ? "-" : o.scope,
                         std::string(verify::verdictName(o.verdict)),
                         measured ? sci(o.soundUtilisation) : "-",
                         measured ? sci(o.empiricalThreshold) : "-",
                         measured ? sci(o.empiricalUtilisation) : "-", o.reason});
    }
    printTable(table);
    std::cout << "\n"
              << report.ops.size() << " operator(s): " << report.count(verify::Verdict::Pass)
              << " PASS, " << report.count(verify::Verdict::Suspect) << " SUSPECT, "
              << report.count(verify::Verdict::Fail) << " FAIL, "
              << report.count(verify::Verdict::NoBound) << " NO-BOUND; overall "
              << verify::verdictName(report.overall());
    if (const auto first = report.firstNonPass()) {
        const auto& o = report.ops[*first - report.ops.front().op];
        std::cout << "; first non-PASS: op " << o.op << " " << o.kind
                  << (o.scope.empty() ? "" : " (" + o.scope + ")") << ": " << o.reason;
    }
    std::cout << "\n";
    return exitCodeOf(report.overall());
}

} // namespace tao::cli
