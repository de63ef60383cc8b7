#include "core/dispute/job_board.hpp"

#include <algorithm>

namespace tao::dispute {

std::vector<JobRow> readJobBoard(Coordinator& coordinator, std::uint64_t fromBlock) {
    std::vector<JobRow> rows;
    for (const auto& e : coordinator.events(fromBlock)) {
        if (e.name != "JobRequested" || !e.jobId) continue;
        JobRow row;
        row.jobId = *e.jobId;
        row.requestedBlock = e.blockNumber;
        row.job = coordinator.job(row.jobId);
        row.games = coordinator.jobGames(row.jobId);
        for (auto g : row.games)
            if (coordinator.game(g).open()) ++row.openGames;
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(),
              [](const JobRow& a, const JobRow& b) { return a.jobId > b.jobId; });
    return rows;
}

std::uint64_t challengeSecondsLeft(const JobInfo& job, std::uint64_t now) {
    if (job.status != JobStatus::Submitted && job.status != JobStatus::Disputed) return 0;
    return job.challengeDeadline > now ? job.challengeDeadline - now : 0;
}

} // namespace tao::dispute
