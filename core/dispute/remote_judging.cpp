#include "core/dispute/remote_judging.hpp"

namespace tao::dispute {

std::optional<std::uint32_t> Assessment::disputedOp() const {
    if (firstBad) return firstBad->op;
    if (fault) return fault->op.value_or(0);
    return std::nullopt;
}

Assessment assessJob(Coordinator& coordinator, std::uint64_t jobId, OpChecker& checker,
                     const RemoteTraceOptions& api) {
    auto job = coordinator.job(jobId);
    if (job.status == JobStatus::None)
        throw std::runtime_error("job " + std::to_string(jobId) + " does not exist on chain");
    auto options = api;
    options.jobId = jobId;
    options.traceRoot = job.traceRoot;
    options.inputHash = job.inputHash;
    Assessment a;
    std::unique_ptr<RemoteTraceSource> source;
    try {
        source = std::make_unique<RemoteTraceSource>(options);
        a.fullTraceBytes = fullTraceBytes(source->manifest());
        a.firstBad = checker.firstNonPass(*source);
    } catch (const ProviderFaultError&) {
        if (!source) {
            a.fault = ProviderFault{jobId, options.url, std::nullopt, "manifest"};
            return a;
        }
        a.fault = source->faults().back();
    }
    a.bytesFetched = source->bytesFetched();
    a.requests = source->requests();
    return a;
}

CommitteeAgent::Judge remoteJudge(OpChecker& checker, RemoteTraceOptions api,
                                  std::function<void(const std::string&)> log) {
    return [&checker, api, log](std::uint64_t jobId, const JobInfo& job, std::uint32_t op) {
        auto options = api;
        options.jobId = jobId;
        options.traceRoot = job.traceRoot;
        options.inputHash = job.inputHash;
        try {
            RemoteTraceSource source(options);
            auto c = checker.check(op, source);
            if (log) log(describe(c));
            return voteFor(c);
        } catch (const ProviderFaultError& e) {
            if (log) log(e.what());
            return std::pair{false, VoteReason::BeyondBound};
        } catch (const std::runtime_error& e) {
            if (log) log(std::string("data unavailable: ") + e.what());
            return std::pair{false, VoteReason::BeyondThreshold};
        }
    };
}

} // namespace tao::dispute
