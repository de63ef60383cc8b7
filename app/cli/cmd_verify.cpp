#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/graph/op_info.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/report_json.hpp"
#include "core/verify/verify.hpp"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <tuple>

namespace tao::cli {

namespace {

int printReport(const verify::VerifyReport& report, bool json,
                const std::optional<verify::ShardInfo>& shard);

// `tao verify merge SHARD.json...`: the shards' reports as one, printed as a whole run's.
int runVerifyMerge(const std::vector<std::string>& args) {
    CommandLine cl(args, {}, {"json"});
    std::vector<std::string> names(cl.positional().begin() + 1, cl.positional().end());
    if (names.empty()) throw UsageError("verify merge needs the shard reports to merge");
    std::vector<verify::ReportFile> files;
    for (const auto& name : names) {
        std::ifstream in(name);
        if (!in) throw UsageError(name + ": cannot be read");
        nlohmann::json json;
        try {
            in >> json;
        } catch (const std::exception& e) {
            throw verify::VerifyError(name + ": not JSON (" + e.what() + ")");
        }
        files.push_back(verify::reportFromJson(json, name));
    }
    return printReport(verify::mergeShardReports(files, names), cl.has("json"), std::nullopt);
}

std::optional<verify::ShardInfo> shardOf(const CommandLine& cl, std::uint32_t opCount) {
    if (!cl.has("shard")) return std::nullopt;
    verify::ShardInfo s;
    std::tie(s.index, s.count) = shardOption(cl.value("shard"));
    s.opCount = opCount;
    std::tie(s.lo, s.hi) = verify::shardRange(opCount, s.index, s.count);
    return s;
}

} // namespace

int runVerify(const std::vector<std::string>& args) {
    if (!args.empty() && args.front() == "merge") return runVerifyMerge(args);
    CommandLine cl(args, {"model", "trace", "profile", "shard", "threads", "weights"}, {"json"});
    // One core is left to the thread that reads and hash-checks the trace ahead of the
    // judging (on two cores, one LibTorch thread beside it was faster than two).
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    runtime::useThreads(static_cast<int>(cl.integer("threads", std::max(1u, cores - 1), 1, 1024)));
    const auto profilePath = cl.value("profile");
    auto model = graph::loadModel(cl.value("model"), weightResidence(cl));
    auto bundle = trace::TraceBundle::open(cl.value("trace"));
    noteLegacyId(*model, bundle.manifest().modelId, cl.value("trace"));
    auto profile = numerics::Profile::load(profilePath);
    noteLegacyId(*model, profile.modelId, profilePath);
    verify::checkProfileMatchesModel(*model, profile, profilePath);
    const auto shard = shardOf(cl, static_cast<std::uint32_t>(graph::opsOf(*model).size()));
    verify::VerifyOptions options;
    if (shard) options.range = std::pair{shard->lo, shard->hi};
    return printReport(verify::verifyTrace(model, bundle, profile, options), cl.has("json"), shard);
}

namespace {

int printReport(const verify::VerifyReport& report, bool json,
                const std::optional<verify::ShardInfo>& shard) {
    if (json) {
        std::cout << verify::reportToJson(report, shard).dump(1) << "\n";
        return verdictExitCode(report.overall());
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
    return verdictExitCode(report.overall());
}

} // namespace
} // namespace tao::cli
