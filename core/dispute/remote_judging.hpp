#pragma once
// The challenger's and the committee's use of the provider data API: find the first op a
// provider got wrong (fetching only the tensors needed, each checked against the trace root
// on chain), and judge a single revealed op for a vote.
#include "core/dispute/agents.hpp"
#include "core/dispute/op_checker.hpp"
#include "core/dispute/remote_trace.hpp"

namespace tao::dispute {

struct Assessment {
    std::optional<OpCheck> firstBad;    // empty: every op passed
    std::optional<ProviderFault> fault; // the provider served data not matching its commitment
    std::uint64_t bytesFetched = 0;
    std::uint64_t fullTraceBytes = 0;
    std::uint64_t requests = 0;
    // The op to dispute: the first bad op, or the op whose data was faulty (0 for the manifest).
    std::optional<std::uint32_t> disputedOp() const;
};

// Reads the job from chain, fetches the committed manifest and scans the ops in order.
// Throws std::runtime_error when the provider cannot be reached.
Assessment assessJob(Coordinator& coordinator, std::uint64_t jobId, OpChecker& checker,
                     const RemoteTraceOptions& api);

// A committee judge over the provider's API: PASS accepts, SUSPECT/FAIL reject (reasons 1/2);
// a provider serving data that does not match its commitment is rejected with reason 2, one
// that does not answer with reason 1 (the data was not made available).
CommitteeAgent::Judge remoteJudge(OpChecker& checker, RemoteTraceOptions api,
                                  std::function<void(const std::string&)> log = {});

} // namespace tao::dispute
