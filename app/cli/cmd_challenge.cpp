// `tao challenge`: check a posted job against the model through the provider's data API and,
// when it is wrong, open this account's own game on it (whatever games others, the provider's
// own accounts among them, already hold) and play it to the end of the job: towards the first
// bad op when the ops were scanned, else by segment replays from the provider's cut states.
#include "app/cli/chain_session.hpp"
#include "app/cli/checker_options.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/dispute/remote_judging.hpp"
#include "core/graph/op_info.hpp"

#include <cstdio>

namespace tao::cli {

using namespace tao::dispute;

int runChallenge(const std::vector<std::string>& args) {
    auto valued = kChainOptions;
    valued.insert({"job", "model", "provider-api", "fault-log", "dispute-op", "poll-ms", "scan"});
    valued.insert(kCheckerOptions.begin(), kCheckerOptions.end());
    CommandLine cl(args, valued, withRuntime({"check-only", "devnet-time"}, kChainFlags));
    const auto jobId = static_cast<std::uint64_t>(cl.integer("job", 0, 1, 1LL << 53));
    if (!cl.has("job")) throw UsageError("--job ID is required");
    AssessOptions assess;
    const auto scan = cl.valueOr("scan", "auto");
    if (scan == "output")
        assess.scanOps = false;
    else if (scan == "ops")
        assess.outputFirst = false;
    else if (scan != "auto")
        throw UsageError("--scan must be auto, output or ops, not '" + scan + "'");
    auto checker =
        makeChecker(graph::loadModel(cl.value("model")), cl, bundledProfileFor(cl.value("model")));
    ChainSession session(cl, "challenger");
    auto api = session.providerApi(cl.value("provider-api"));
    api.faultLog = cl.valueOr("fault-log", "");
    auto a = assessJob(*session.coordinator, jobId, *checker, api, assess);
    if (a.output) std::printf("output      %s\n", describe(*a.output).c_str());
    std::printf("fetched     %llu of %llu trace bytes in %llu requests\n",
                static_cast<unsigned long long>(a.bytesFetched),
                static_cast<unsigned long long>(a.fullTraceBytes),
                static_cast<unsigned long long>(a.requests));
    if (a.fault) std::printf("provider    FAULTY: %s\n", a.fault->reason.c_str());
    if (a.firstBad) std::printf("first bad   %s\n", describe(*a.firstBad).c_str());
    if (!a.wrong() && !cl.has("dispute-op")) {
        std::printf("verdict     %s; nothing to challenge\n",
                    a.opsScanned ? "every op passes" : "the output is within its threshold");
        return kOk;
    }
    if (cl.has("check-only"))
        return (a.firstBad && a.firstBad->verdict == verify::Verdict::Fail) || a.fault ? kFail
                                                                                       : kSuspect;
    session.confirmBond();
    auto log = [](const std::string& s) { std::printf("bisect      %s\n", s.c_str()); };
    ChallengerAgent agent =
        cl.has("dispute-op")
            ? ChallengerAgent(*session.account,
                              static_cast<std::uint32_t>(cl.integer("dispute-op", 0, 0, 1 << 30)))
            : ChallengerAgent(*session.account, partChooser(a, *checker, log));
    agent.challenge(jobId);
    PlayOptions play;
    play.advanceTime = cl.has("devnet-time");
    play.pollInterval = std::chrono::milliseconds(cl.integer("poll-ms", 1000, 10, 600000));
    playUntilClosed(*session.coordinator, jobId, {&agent}, play);
    if (a.source)
        std::printf("fetched     %llu of %llu trace bytes in all\n",
                    static_cast<unsigned long long>(a.source->bytesFetched()),
                    static_cast<unsigned long long>(a.fullTraceBytes));
    auto job = session.coordinator->job(jobId);
    std::printf("result      job %llu %s\n", static_cast<unsigned long long>(jobId),
                jobStatusName(job.status).c_str());
    return job.status == JobStatus::Rejected ? kOk : kFail;
}

} // namespace tao::cli
