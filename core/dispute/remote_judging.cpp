#include "core/dispute/remote_judging.hpp"

#include "core/commit/bisection.hpp"
#include "core/commit/graph_commitment.hpp"
#include "core/dispute/challenge_grounds.hpp"

namespace tao::dispute {

namespace {
// The posted result must be the trace's own: the output leaf's hash is the job's outputHash
// (the contract refuses to reveal it otherwise, so the output leaf is where this job loses).
std::optional<OpCheck> postedOutputMismatch(const JobInfo& job, const trace::Manifest& m) {
    if (m.hasOutputLeaf() && m.outputHash == job.outputHash) return std::nullopt;
    OpCheck c;
    c.op = static_cast<std::uint32_t>(m.ops.size()); // where the output leaf is (or belongs)
    c.kind = commit::kOutputLeafKind;
    c.verdict = verify::Verdict::Fail;
    c.reason = m.hasOutputLeaf() ? "the job posts output " + job.outputHash.hex() +
                                       " but the trace's output leaf holds " + m.outputHash.hex()
                                 : "the trace (format version " + std::to_string(m.version) +
                                       ") has no output leaf to back the posted output";
    return c;
}
// The registry's graph decides which leaves a revealed op opens; judging a game on a model
// registered with another graph than the checker's would judge different wiring.
void requireRegisteredGraph(Coordinator& coordinator, const JobInfo& job, OpChecker& checker) {
    if (const auto problem = registrationProblem(coordinator, job.modelId, checker.graphRoot()))
        throw std::runtime_error(*problem);
}
} // namespace

std::optional<std::uint32_t> Assessment::disputedOp() const {
    if (firstBad) return firstBad->op;
    if (fault) return fault->op.value_or(0);
    return std::nullopt;
}

Assessment assessJob(Coordinator& coordinator, std::uint64_t jobId, OpChecker& checker,
                     const RemoteTraceOptions& api, const AssessOptions& assess) {
    auto job = coordinator.job(jobId);
    if (job.status == JobStatus::None)
        throw std::runtime_error("job " + std::to_string(jobId) + " does not exist on chain");
    const auto options = jobTraceOptions(api, coordinator, jobId, job);
    requireRegisteredGraph(coordinator, job, checker);
    Assessment a;
    auto& source = a.source;
    try {
        source = std::make_shared<RemoteTraceSource>(options);
        a.fullTraceBytes = fullTraceBytes(source->manifest());
        const auto n = static_cast<std::uint32_t>(source->manifest().ops.size());
        a.firstBad = postedOutputMismatch(job, source->manifest());
        if (!a.firstBad && assess.outputFirst && n == checker.opCount())
            a.output = checker.checkSegment(0, checker.leafCount(), *source);
        if (!a.wrong() && (assess.scanOps || !a.output)) {
            a.firstBad = checker.firstNonPass(*source);
            a.opsScanned = true;
        }
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

ChallengerAgent::PartChooser partChooser(const Assessment& a, OpChecker& checker,
                                         std::function<void(const std::string&)> log) {
    if (auto op = a.disputedOp()) return ChallengerAgent::towards(*op);
    if (!a.source) throw std::logic_error("partChooser: the assessment holds no trace source");
    return [source = a.source, &checker, log](std::uint32_t lo, std::uint32_t hi, unsigned k) {
        const auto parts = commit::bisectionParts(lo, hi, k);
        std::uint32_t worst = 0;
        double worstUse = -1;
        source->clearWithheld();
        try {
            for (std::uint32_t j = 0; j < parts; ++j) {
                const auto [a, b] = commit::selectedInterval(lo, hi, k, j);
                const auto c = checker.checkSegment(a, b, *source);
                if (log) log(describe(c));
                if (c.beyond) return j;
                if (c.utilisation > worstUse) worstUse = c.utilisation, worst = j;
            }
            if (auto bad = checker.firstNonPass(*source, lo, hi)) {
                if (log) log("no part beyond its segment threshold; " + describe(*bad));
                return commit::partContaining(lo, hi, k, bad->op);
            }
        } catch (const ProviderFaultError& e) {
            // Data that does not match its leaf cannot be replayed; steer to that leaf, where
            // the committee will not get the committed tensor either.
            const auto op = source->faults().back().op.value_or(lo);
            if (log) log(std::string("provider fault: ") + e.what());
            if (op >= lo && op < hi) return commit::partContaining(lo, hi, k, op);
            throw;
        } catch (const std::runtime_error& e) {
            // The provider stopped serving what this move needs. The move is still due before
            // the deadline, so steer to the withheld op (the inputs: the interval's start); the
            // committee will not get that data either, and a ballot without revealed seats
            // rejects the result. Leaving the game would hand the provider a timeout win.
            const auto withheld = source->lastWithheld();
            if (!withheld) throw;
            const auto op =
                withheld->op && *withheld->op >= lo && *withheld->op < hi ? *withheld->op : lo;
            if (log)
                log(std::string("provider withholds data (") + e.what() +
                    "); selecting the part holding op " + std::to_string(op));
            return commit::partContaining(lo, hi, k, op);
        }
        if (log)
            log("nothing wrong found in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                "); selecting the part nearest its threshold");
        return worst;
    };
}

CommitteeAgent::Judge remoteJudge(OpChecker& checker, Coordinator& coordinator,
                                  RemoteTraceOptions api,
                                  std::function<void(const std::string&)> log) {
    return [&checker, &coordinator, api, log](std::uint64_t jobId, const JobInfo& job,
                                              std::uint32_t op) {
        const auto options = jobTraceOptions(api, coordinator, jobId, job);
        try {
            requireRegisteredGraph(coordinator, job, checker);
        } catch (const std::runtime_error& e) {
            throw Abstention(std::string("cannot judge: ") + e.what());
        }
        try {
            RemoteTraceSource source(options);
            auto mismatch = op + 1 == checker.leafCount()
                                ? postedOutputMismatch(job, source.manifest())
                                : std::nullopt;
            auto c = mismatch ? *mismatch : checker.check(op, source);
            if (log) log(describe(c));
            return voteFor(c);
        } catch (const ProviderFaultError& e) {
            if (log) log(e.what());
            return std::pair{false, VoteReason::BeyondBound};
        } catch (const std::runtime_error& e) {
            // Unreachable data may be this member's own failure as much as the provider's:
            // no verdict against either party. The agent retries on its next step and
            // abstains if the commit window closes first.
            throw Abstention(std::string("data unavailable, no vote yet: ") + e.what());
        }
    };
}

} // namespace tao::dispute
