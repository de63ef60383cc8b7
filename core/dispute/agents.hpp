#pragma once
// The three roles as agents that make at most one move per step, each decided from a fresh
// chain snapshot of the job and each of its games (strategy.hpp): the provider answers every
// open game on its job, a challenger plays its own game, a committee member votes on every
// ballot it holds seats on (a sealed commit, then the reveal), and each settles its seats.
// Nothing is remembered between steps, so an agent restarted after a crash or an RPC outage
// resumes from chain state, and a move that already landed is never sent again: the snapshot
// shows it, and a move that reverts because the state moved on meanwhile is treated as
// already made.
#include "core/dispute/coordinator.hpp"
#include "core/dispute/strategy.hpp"
#include "core/trace/manifest.hpp"

#include <functional>

namespace tao::dispute {

// The job and one of its games as `me` sees them (gameId 0: the job alone).
ChainSnapshot readSnapshot(Coordinator& coordinator, std::uint64_t jobId, std::uint64_t gameId,
                           const chain::Address& me);
// One snapshot per game of the job, in opening order; one with gameId 0 when it has none.
std::vector<ChainSnapshot> readSnapshots(Coordinator& coordinator, std::uint64_t jobId,
                                         const chain::Address& me);

class Agent {
public:
    explicit Agent(CoordinatorAccount& account, Role role)
        : account_(account)
        , role_(role) {}
    virtual ~Agent() = default;
    Role role() const { return role_; }
    CoordinatorAccount& account() { return account_; }
    // Sends the first move due now in any game of the job, if any. Throws chain errors (node
    // unreachable, revert for a reason other than the state having moved on).
    std::optional<MoveRecord> step(std::uint64_t jobId);
    // The decision this agent would take now, without sending anything: the first move due in
    // any game, else a wait that is finished when nothing will be due in any of them.
    Decision pending(std::uint64_t jobId);

protected:
    virtual MoveRecord execute(const Decision& d, const ChainSnapshot& s) = 0;
    // finalize, timeout, drawPanel, resolveVote, settleSeat, closeMootGame
    MoveRecord common(const Decision& d, const ChainSnapshot& s);

    CoordinatorAccount& account_;
    Role role_;
};

// Answers bisection and leaf moves from the provider's committed manifest.
class ProviderAgent : public Agent {
public:
    ProviderAgent(CoordinatorAccount& account, trace::Manifest manifest);
    const trace::Manifest& manifest() const { return manifest_; }

protected:
    MoveRecord execute(const Decision& d, const ChainSnapshot& s) override;

private:
    trace::Manifest manifest_;
    commit::MerkleTree tree_;
    commit::GameTree game_;     // for the coordinator's arity
    commit::MerkleTree graph_;  // the trace's wiring: the model's graph commitment
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
    // Opens this account's own game on the job, whatever games others hold, unless it already
    // has one (idempotent). Throws the revert (e.g. ChallengeWindowClosed) otherwise.
    std::optional<MoveRecord> challenge(std::uint64_t jobId);

protected:
    MoveRecord execute(const Decision& d, const ChainSnapshot& s) override;

private:
    PartChooser chooser_;
    std::optional<std::uint32_t> disputedOp_;
};

// Thrown by an agent that has no move now. A committee judge without a verdict (e.g. the data
// could not be fetched) sends nothing for that ballot on this step and tries again on the next,
// so a member that cannot judge abstains (and its seats are settled as absent) rather than vote
// against a party for its own failure. A provider whose posted output is not its trace's has
// no reveal for the output leaf: it sends nothing and loses that game by timeout.
struct Abstention : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Votes on the revealed leaves of panels it is drawn on with the verdict of `judge`
// (accept?, reason): sealed in the commit window, opened in the reveal window.
class CommitteeAgent : public Agent {
public:
    // `log` hears why a step abstained.
    using Judge = std::function<std::pair<bool, VoteReason>(std::uint64_t jobId, const JobInfo& job,
                                                            std::uint32_t op)>;
    CommitteeAgent(CoordinatorAccount& account, Judge judge,
                   std::function<void(const std::string&)> log = {});
    // Joins the committee unless already a member.
    std::optional<MoveRecord> ensureMember();

protected:
    MoveRecord execute(const Decision& d, const ChainSnapshot& s) override;

private:
    Judge judge_;
    std::function<void(const std::string&)> log_;
};

struct PlayOptions {
    // Devnet: jump the chain clock to the next deadline instead of waiting (evm_increaseTime).
    bool advanceTime = true;
    std::chrono::milliseconds pollInterval{500}; // when not advancing time
    std::size_t maxSteps = 10'000;
};

// Steps every agent until the job is closed and none of them has a move left (e.g. closing its
// moot game); returns the moves in order. Throws std::runtime_error when nothing can happen
// any more before the job is closed (no move due and no deadline ahead).
std::vector<MoveRecord> playUntilClosed(Coordinator& coordinator, std::uint64_t jobId,
                                        const std::vector<Agent*>& agents,
                                        PlayOptions options = {});

} // namespace tao::dispute
