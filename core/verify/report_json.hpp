#pragma once
// Verify reports as JSON (what `tao verify --json` prints) and back, and the merge of the
// reports of shards (`tao verify --shard i/N`) into the report of the whole run.
#include "core/verify/verdict.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tao::verify {

// Which part of a run a report covers: shard `index` of `count`, operators [lo, hi) of
// `opCount`.
struct ShardInfo {
    std::uint32_t index = 0, count = 1, lo = 0, hi = 0, opCount = 0;
};

struct ReportFile {
    VerifyReport report;
    std::optional<ShardInfo> shard;
};

nlohmann::json reportToJson(const VerifyReport& report,
                            const std::optional<ShardInfo>& shard = std::nullopt);
// Throws VerifyError "<name>: <what is wrong>" for a malformed report.
ReportFile reportFromJson(const nlohmann::json& json, const std::string& name);

// One report of the whole run from the reports of shards 0..N-1 of one model, trace and
// profile, in any order. Throws VerifyError naming the file and the reason: another model,
// trace or profile, another N, a missing or repeated shard, or operators that do not fill
// the shard's range.
VerifyReport mergeShardReports(const std::vector<ReportFile>& files,
                               const std::vector<std::string>& names);

} // namespace tao::verify
