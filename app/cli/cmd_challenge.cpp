// `tao challenge`: check a posted job against the model through the provider's data API and,
// when an op is not PASS, challenge and play the game to its end.
#include "app/cli/chain_session.hpp"
#include "app/cli/commands.hpp"
#include "core/dispute/remote_judging.hpp"
#include "core/graph/op_info.hpp"

#include <cstdio>

namespace tao::cli {

using namespace tao::dispute;

int runChallenge(const std::vector<std::string>& args) {
    auto valued = kChainOptions;
    valued.insert(
        {"job", "model", "provider-api", "fault-log", "dispute-op", "tolerance", "poll-ms"});
    CommandLine cl(args, valued, {"check-only", "devnet-time"});
    const auto jobId = static_cast<std::uint64_t>(cl.integer("job", 0, 1, 1LL << 53));
    if (!cl.has("job")) throw UsageError("--job ID is required");
    CheckOptions co;
    co.relTolerance = cl.number("tolerance", co.relTolerance);
    OpChecker checker(graph::loadModel(cl.value("model")), co);
    ChainSession session(cl, "challenger");
    RemoteTraceOptions api;
    api.url = cl.value("provider-api");
    api.faultLog = cl.valueOr("fault-log", "");
    auto a = assessJob(*session.coordinator, jobId, checker, api);
    std::printf("fetched     %llu of %llu trace bytes in %llu requests\n",
                static_cast<unsigned long long>(a.bytesFetched),
                static_cast<unsigned long long>(a.fullTraceBytes),
                static_cast<unsigned long long>(a.requests));
    if (a.fault) std::printf("provider    FAULTY: %s\n", a.fault->reason.c_str());
    if (a.firstBad) std::printf("first bad   %s\n", describe(*a.firstBad).c_str());
    auto disputed = a.disputedOp();
    if (cl.has("dispute-op"))
        disputed = static_cast<std::uint32_t>(cl.integer("dispute-op", 0, 0, 1 << 30));
    if (!disputed) {
        std::printf("verdict     every op passes; nothing to challenge\n");
        return kOk;
    }
    if (cl.has("check-only"))
        return a.firstBad && a.firstBad->verdict == verify::Verdict::Fail ? kFail : kSuspect;
    ChallengerAgent agent(*session.account, *disputed);
    agent.challenge(jobId);
    PlayOptions play;
    play.advanceTime = cl.has("devnet-time");
    play.pollInterval = std::chrono::milliseconds(cl.integer("poll-ms", 1000, 10, 600000));
    playUntilClosed(*session.coordinator, jobId, {&agent}, play);
    auto job = session.coordinator->job(jobId);
    std::printf("result      job %llu %s\n", static_cast<unsigned long long>(jobId),
                jobStatusName(job.status).c_str());
    return job.status == JobStatus::Rejected ? kOk : kFail;
}

} // namespace tao::cli
