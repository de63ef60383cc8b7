#pragma once
// Whether a challenge rests on what the chain holds. A challenger judges a trace with its own
// model, but the game is played over the job's commitment and judged on the wiring its model
// was registered with: a challenge resting on another job's trace, or on a model registered
// with other wiring, stakes a bond on a game the challenger's evidence does not describe.
#include "core/commit/hash.hpp"
#include "core/trace/manifest.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tao::dispute {

class Coordinator;

// Why a game over model `modelId` would be judged on other wiring than `graphRoot` (the
// graph commitment of the challenger's model, graphRootOf in op_checker.hpp): the model is
// not registered, or registered with another graph. nullopt when the registration holds
// `graphRoot`. Throws what the coordinator's calls throw (chain::ChainError).
std::optional<std::string> registrationProblem(Coordinator& coordinator,
                                               const commit::Hash32& modelId,
                                               const commit::Hash32& graphRoot);

// What a challenger's verdicts rest on: the trace it judged and the graph commitment of the
// model it judged the trace with.
struct ChallengeGrounds {
    trace::Manifest trace;
    commit::Hash32 graphRoot;
};

// Why challenging job `jobId` on `grounds` would be unsound: the job has no result, the
// trace is not the one the job committed (its commitment bound to this chain, coordinator,
// job and provider), or the registration problem above. nullopt when the challenge rests
// on the job's own trace and model. Throws what the coordinator's calls throw.
std::optional<std::string> challengeGroundsProblem(Coordinator& coordinator, std::uint64_t jobId,
                                                   const ChallengeGrounds& grounds);

} // namespace tao::dispute
