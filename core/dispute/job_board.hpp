#pragma once
// The jobs a coordinator holds, as an auditor's job list: found from the coordinator's
// JobRequested events, each with its current record and games read from the chain, so the
// list is the same after a restart as before it.
#include "core/dispute/coordinator.hpp"

namespace tao::dispute {

struct JobRow {
    std::uint64_t jobId = 0;
    JobInfo job;                      // as the chain holds it now
    std::vector<std::uint64_t> games; // in opening order
    std::size_t openGames = 0;
    std::uint64_t requestedBlock = 0;
};

// Every job requested since `fromBlock`, newest first. Throws chain errors when the node
// cannot be read.
std::vector<JobRow> readJobBoard(Coordinator& coordinator, std::uint64_t fromBlock = 0);

// Seconds left in the job's challenge window at chain time `now`; 0 once it has closed or
// when no result was submitted.
std::uint64_t challengeSecondsLeft(const JobInfo& job, std::uint64_t now);

} // namespace tao::dispute
