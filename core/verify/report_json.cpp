#include "core/verify/report_json.hpp"

#include "core/verify/verify.hpp"

#include <cmath>
#include <limits>

namespace tao::verify {
namespace {

// JSON has no infinity: an infinite error (a difference where none is allowed) is written
// as null and read back as infinity.
nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

double numberOf(const nlohmann::json& v) {
    return v.is_null() ? std::numeric_limits<double>::infinity() : v.get<double>();
}

commit::Hash32 hashOf(const nlohmann::json& o, const char* key) {
    return commit::Hash32::fromHex(o.at(key).get<std::string>());
}

} // namespace

nlohmann::json reportToJson(const VerifyReport& r, const std::optional<ShardInfo>& shard) {
    nlohmann::json ops = nlohmann::json::array();
    for (const auto& o : r.ops)
        ops.push_back({{"op", o.op},
                       {"kind", o.kind},
                       {"scope", o.scope},
                       {"verdict", verdictName(o.verdict)},
                       {"error", number(o.error)},
                       {"maxAbsError", number(o.maxAbsError)},
                       {"empiricalThreshold", number(o.empiricalThreshold)},
                       {"empiricalUtilisation", number(o.empiricalUtilisation)},
                       {"soundUtilisation", number(o.soundUtilisation)},
                       {"unboundedElements", o.unboundedElements},
                       {"reason", o.reason}});
    nlohmann::json counts;
    for (auto v : {Verdict::Pass, Verdict::Suspect, Verdict::Fail, Verdict::NoBound})
        counts[std::string(verdictName(v))] = r.count(v);
    const auto first = r.firstNonPass();
    nlohmann::json out = {
        {"modelId", r.modelId.hex()},
        {"traceRoot", r.traceRoot.hex()},
        {"profileHash", r.profileHash.hex()},
        {"overall", verdictName(r.overall())},
        {"counts", counts},
        {"firstNonPass", first ? nlohmann::json(*first) : nlohmann::json(nullptr)},
        {"ops", ops}};
    if (shard)
        out["shard"] = {{"index", shard->index},
                        {"count", shard->count},
                        {"lo", shard->lo},
                        {"hi", shard->hi},
                        {"opCount", shard->opCount}};
    return out;
}

ReportFile reportFromJson(const nlohmann::json& j, const std::string& name) {
    ReportFile f;
    try {
        f.report.modelId = hashOf(j, "modelId");
        f.report.traceRoot = hashOf(j, "traceRoot");
        f.report.profileHash = hashOf(j, "profileHash");
        for (const auto& o : j.at("ops")) {
            OpVerdict v;
            v.op = o.at("op").get<std::uint32_t>();
            v.kind = o.at("kind").get<std::string>();
            v.scope = o.value("scope", std::string());
            const auto verdict = verdictFromName(o.at("verdict").get<std::string>());
            if (!verdict)
                throw std::invalid_argument("unknown verdict at op " + std::to_string(v.op));
            v.verdict = *verdict;
            v.error = numberOf(o.at("error"));
            v.maxAbsError = numberOf(o.at("maxAbsError"));
            v.empiricalThreshold = numberOf(o.at("empiricalThreshold"));
            v.empiricalUtilisation = numberOf(o.at("empiricalUtilisation"));
            v.soundUtilisation = numberOf(o.at("soundUtilisation"));
            v.unboundedElements = o.value("unboundedElements", std::int64_t{0});
            v.reason = o.value("reason", std::string());
            f.report.ops.push_back(std::move(v));
        }
        if (j.contains("shard")) {
            const auto& s = j.at("shard");
            f.shard =
                ShardInfo{s.at("index").get<std::uint32_t>(), s.at("count").get<std::uint32_t>(),
                          s.at("lo").get<std::uint32_t>(), s.at("hi").get<std::uint32_t>(),
                          s.at("opCount").get<std::uint32_t>()};
        }
    } catch (const std::exception& e) {
        throw VerifyError(name + ": not a verify report (" + e.what() + ")");
    }
    return f;
}

VerifyReport mergeShardReports(const std::vector<ReportFile>& files,
                               const std::vector<std::string>& names) {
    if (files.empty()) throw VerifyError("no shard reports to merge");
    const auto& first = files.front();
    if (!first.shard) throw VerifyError(names.front() + ": not a shard report (no \"shard\")");
    const auto count = first.shard->count, opCount = first.shard->opCount;
    std::vector<const ReportFile*> byIndex(count, nullptr);
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& f = files[i];
        const auto& name = names.at(i);
        if (!f.shard) throw VerifyError(name + ": not a shard report (no \"shard\")");
        if (f.report.modelId != first.report.modelId ||
            f.report.traceRoot != first.report.traceRoot ||
            f.report.profileHash != first.report.profileHash)
            throw VerifyError(name + ": another model, trace or profile than " + names.front());
        if (f.shard->count != count || f.shard->opCount != opCount)
            throw VerifyError(name + ": shard of " + std::to_string(f.shard->count) + " over " +
                              std::to_string(f.shard->opCount) + " operators, " + names.front() +
                              " is one of " + std::to_string(count) + " over " +
                              std::to_string(opCount));
        const auto [lo, hi] = shardRange(opCount, f.shard->index, count);
        if (f.shard->lo != lo || f.shard->hi != hi || f.report.ops.size() != hi - lo)
            throw VerifyError(name + ": shard " + std::to_string(f.shard->index) +
                              " must hold operators [" + std::to_string(lo) + ", " +
                              std::to_string(hi) + ")");
        for (std::uint32_t k = 0; k < hi - lo; ++k)
            if (f.report.ops[k].op != lo + k)
                throw VerifyError(name + ": operator " + std::to_string(lo + k) + " is missing");
        if (byIndex[f.shard->index])
            throw VerifyError(name + ": shard " + std::to_string(f.shard->index) +
                              " is given twice");
        byIndex[f.shard->index] = &f;
    }
    VerifyReport merged;
    merged.modelId = first.report.modelId;
    merged.traceRoot = first.report.traceRoot;
    merged.profileHash = first.report.profileHash;
    for (std::uint32_t k = 0; k < count; ++k) {
        if (!byIndex[k])
            throw VerifyError("shard " + std::to_string(k) + "/" + std::to_string(count) +
                              " is missing");
        for (const auto& o : byIndex[k]->report.ops)
            merged.ops.push_back(o);
    }
    return merged;
}

} // namespace tao::verify
