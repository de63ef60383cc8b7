#include "core/dispute/challenge_grounds.hpp"

#include "core/dispute/coordinator.hpp"

namespace tao::dispute {

std::optional<std::string> registrationProblem(Coordinator& coordinator,
                                               const commit::Hash32& modelId,
                                               const commit::Hash32& graphRoot) {
    const auto registered = coordinator.registeredGraph(modelId);
    if (!registered) return "model " + modelId.hex() + " is not registered on chain";
    if (*registered != graphRoot)
        return "model " + modelId.hex() + " is registered with graph " + registered->hex() +
               ", but the local model's graph is " + graphRoot.hex() +
               ": the registration does not describe this model";
    return std::nullopt;
}

std::optional<std::string> challengeGroundsProblem(Coordinator& coordinator, std::uint64_t jobId,
                                                   const ChallengeGrounds& grounds) {
    const auto& trace = grounds.trace;
    const auto job = coordinator.job(jobId);
    const auto id = "job " + std::to_string(jobId);
    if (job.status == JobStatus::None) return id + " does not exist on chain";
    if (!hasResult(job.status))
        return id + " has no result to challenge (" + jobStatusName(job.status) + ")";
    if (trace.modelId != job.modelId)
        return "the open trace ran model " + trace.modelId.hex() + ", but " + id +
               " is for model " + job.modelId.hex() + ": open the job's own trace first";
    if (trace.ops.empty() ||
        coordinator.jobCommitment(jobId, job.provider,
                                  trace.commitment(coordinator.config().arity)) != job.commitment)
        return "the open trace (root " + trace.root.hex() + ") is not the one " + id +
               " committed: open the job's own trace first";
    return registrationProblem(coordinator, job.modelId, grounds.graphRoot);
}

} // namespace tao::dispute
