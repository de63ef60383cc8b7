#pragma once
// The three roles as agents that make at most one move per step, each decided from a fresh
// chain snapshot (strategy.hpp). Nothing is remembered between steps, so an agent restarted
// after a crash or an RPC outage resumes from chain state, and a move that already landed is
// never sent again: the snapshot shows it, and a move that reverts because the state moved
// on meanwhile is treated as already made.
#include "core/dispute/coordinator.hpp"
#include "core/dispute/strategy.hpp"
#include "core/trace/manifest.hpp"

#include <functional>

namespace tao::dispute {

ChainSnapshot readSnapshot(Coordinator& coordinator, std::uint64_t jobId, const chain::Address& me);

class Agent {
public:
    explicit Agent(CoordinatorAccount& account, Role role)
        : account_(account)
        , role_(role) {}
    virtual ~Agent() = default;
    Role role() const { return role_; }
    CoordinatorAccount& account() { return account_; }
    // Sends the move due now, if any. Throws chain errors (node unreachable, revert for a
    // reason other than the state having moved on).
    std::optional<MoveRecord> step(std::uint64_t jobId);
    // The decision this agent would take now, without sending anything.
    Decision pending(std::uint64_t jobId);

protected:
    virtual MoveRecord execute(const Decision& d, const ChainSnapshot& s, std::uint64_t jobId) = 0;
    MoveRecord common(const Decision& d, std::uint64_t jobId); // finalize, timeout, resolveVote

    CoordinatorAccount& account_;
    Role role_;
};

// Answers bisection and leaf moves from the provider's committed manifest.
class ProviderAgent : public Agent {
public:
    ProviderAgent(CoordinatorAccount& account, trace::Manifest manifest);
    const trace::Manifest& manifest() const { return manifest_; }

protected:
    MoveRecord execute(const Decision& d, const ChainSnapshot& s, std::uint64_t jobId) override;

private:
    trace::Manifest manifest_;
    commit::MerkleTree tree_;
    commit::GameTree game_;     // for the coordinator's arity
    commit::Hash32 commitment_; // the trace commitment; a job holds it bound to the job
};

// Selects parts with a chooser: the part containing a known bad op, or the first part whose
// segment replay is beyond its threshold (remote_judging.hpp).
class ChallengerAgent : public Agent {
public:
    // (lo, hi, k) -> the part of [lo, hi) to select, in [0, bisectionParts(lo, hi, k)).
    using PartChooser = std::function<std::uint32_t(std::uint32_t, std::uint32_t, unsigned)>;
    ChallengerAgent(CoordinatorAccount& account, PartChooser chooser);
    // Always plays towards `disputedOp`.
    ChallengerAgent(CoordinatorAccount& account, std::uint32_t disputedOp);
    // The chooser that always selects the part containing `op`.
    static PartChooser towards(std::uint32_t op);
    // Challenges the job unless this account already did (idempotent). Throws the revert
    // (e.g. ChallengeWindowClosed) otherwise.
    std::optional<MoveRecord> challenge(std::uint64_t jobId);

protected:
    MoveRecord execute(const Decision& d, const ChainSnapshot& s, std::uint64_t jobId) override;

private:
    PartChooser chooser_;
    std::optional<std::uint32_t> disputedOp_;
};

// Votes on revealed leaves with the verdict of `judge` (accept?, reason).
class CommitteeAgent : public Agent {
public:
    using Judge = std::function<std::pair<bool, VoteReason>(std::uint64_t jobId, const JobInfo& job,
                                                            std::uint32_t op)>;
    CommitteeAgent(CoordinatorAccount& account, Judge judge);
    // Joins the committee unless already a member.
    std::optional<MoveRecord> ensureMember();

protected:
    MoveRecord execute(const Decision& d, const ChainSnapshot& s, std::uint64_t jobId) override;

private:
    Judge judge_;
};

struct PlayOptions {
    // Devnet: jump the chain clock to the next deadline instead of waiting (evm_increaseTime).
    bool advanceTime = true;
    std::chrono::milliseconds pollInterval{500}; // when not advancing time
    std::size_t maxSteps = 10'000;
};

// Steps every agent until the job is closed; returns the moves in order. Throws
// std::runtime_error when nothing can happen any more (no move due and no deadline ahead).
std::vector<MoveRecord> playUntilClosed(Coordinator& coordinator, std::uint64_t jobId,
                                        const std::vector<Agent*>& agents,
                                        PlayOptions options = {});

} // namespace tao::dispute
