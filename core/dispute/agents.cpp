#include "core/dispute/agents.hpp"

#include "core/commit/bisection.hpp"
#include "core/dispute/op_checker.hpp"

#include <thread>

namespace tao::dispute {

ChainSnapshot readSnapshot(Coordinator& c, std::uint64_t jobId, const chain::Address& me) {
    ChainSnapshot s;
    s.job = c.job(jobId);
    s.now = c.now();
    if (s.job.status == JobStatus::Disputed || s.job.status >= JobStatus::Accepted) {
        s.game = c.game(jobId);
        s.challenger = c.challengerOf(jobId);
        if (s.game.phase == Phase::Voting || s.game.phase == Phase::Resolved) {
            s.tally = c.tally(jobId);
            s.myVoteMark = c.voteMark(jobId, me);
            if (s.tally.deadline > 0)
                s.eligible = c.isEligible(me, s.tally.deadline - c.config().voteWindow);
        }
    }
    return s;
}

Decision Agent::pending(std::uint64_t jobId) {
    auto& c = account_.coordinator();
    return decide(role_, account_.address(), readSnapshot(c, jobId, account_.address()));
}

std::optional<MoveRecord> Agent::step(std::uint64_t jobId) {
    auto& c = account_.coordinator();
    auto s = readSnapshot(c, jobId, account_.address());
    auto d = decide(role_, account_.address(), s);
    if (d.action == Action::None) return std::nullopt;
    try {
        return execute(d, s, jobId);
    } catch (const chain::TransactionRevertedError&) {
        // Another party (or our own earlier attempt) moved first: the state moved on.
        auto s2 = readSnapshot(c, jobId, account_.address());
        auto d2 = decide(role_, account_.address(), s2);
        if (d2.action != d.action || s2.game.round != s.game.round ||
            s2.game.phase != s.game.phase || s2.job.status != s.job.status ||
            s2.myVoteMark != s.myVoteMark)
            return std::nullopt;
        throw;
    }
}

MoveRecord Agent::common(const Decision& d, std::uint64_t jobId) {
    switch (d.action) {
    case Action::Finalize:
        return account_.finalize(jobId);
    case Action::Timeout:
        return account_.timeout(jobId);
    case Action::ResolveVote:
        return account_.resolveVote(jobId);
    default:
        throw std::logic_error(roleName(role_) + " cannot make move " + actionName(d.action));
    }
}

ProviderAgent::ProviderAgent(CoordinatorAccount& account, trace::Manifest manifest)
    : Agent(account, Role::Provider)
    , manifest_(std::move(manifest))
    , tree_(manifest_.merkleTree())
    , game_(manifest_.gameTree(account.coordinator().config().arity))
    , commitment_(commit::traceCommitment(tree_.root(), game_.root())) {}

MoveRecord ProviderAgent::execute(const Decision& d, const ChainSnapshot& s, std::uint64_t jobId) {
    if (s.job.commitment !=
        account_.coordinator().jobCommitment(jobId, account_.address(), commitment_))
        throw std::runtime_error("provider: job " + std::to_string(jobId) +
                                 " commits to another trace than this provider's");
    const auto k = account_.coordinator().config().arity;
    if (d.action == Action::Bisect) {
        std::vector<commit::LeafData> cuts;
        for (auto i : commit::cutIndices(s.game.lo, s.game.hi, k))
            cuts.push_back(manifest_.ops.at(i).leafData());
        // The parent's children: the previous round's reveal, or the commitment's two roots.
        const auto parent = game_.parentOf(s.game.lo, s.game.hi);
        const auto parentChildren = parent ? game_.children(parent->first, parent->second)
                                           : std::vector{tree_.root(), game_.root()};
        return account_.bisect(jobId, cuts, game_.children(s.game.lo, s.game.hi), parentChildren);
    }
    if (d.action == Action::RevealLeaf) {
        const auto& rec = manifest_.ops.at(s.game.lo);
        std::vector<commit::LeafData> inputs;
        std::vector<std::vector<commit::Hash32>> proofs;
        for (auto i : inputOpsOf(rec)) {
            if (inputs.size() == 16) break; // the contract's MAX_INPUTS
            inputs.push_back(manifest_.ops.at(i).leafData());
            proofs.push_back(tree_.prove(i).siblings);
        }
        return account_.revealLeaf(jobId, rec.leafData(), tree_.prove(s.game.lo).siblings, inputs,
                                   proofs, tree_.root(), game_.root());
    }
    return common(d, jobId);
}

ChallengerAgent::ChallengerAgent(CoordinatorAccount& account, PartChooser chooser)
    : Agent(account, Role::Challenger)
    , chooser_(std::move(chooser)) {}

ChallengerAgent::ChallengerAgent(CoordinatorAccount& account, std::uint32_t disputedOp)
    : ChallengerAgent(account, towards(disputedOp)) {
    disputedOp_ = disputedOp;
}

ChallengerAgent::PartChooser ChallengerAgent::towards(std::uint32_t op) {
    return [op](std::uint32_t lo, std::uint32_t hi, unsigned k) {
        return commit::partContaining(lo, hi, k, op);
    };
}

std::optional<MoveRecord> ChallengerAgent::challenge(std::uint64_t jobId) {
    auto& c = account_.coordinator();
    auto job = c.job(jobId);
    if (job.status != JobStatus::Submitted) {
        if (c.challengerOf(jobId) == account_.address()) return std::nullopt; // already ours
        throw std::runtime_error("job " + std::to_string(jobId) + " cannot be challenged: it is " +
                                 jobStatusName(job.status));
    }
    if (disputedOp_ && *disputedOp_ >= job.opCount)
        throw std::invalid_argument("disputed op " + std::to_string(*disputedOp_) +
                                    " is outside the job's " + std::to_string(job.opCount) +
                                    " ops");
    return account_.challenge(jobId);
}

MoveRecord ChallengerAgent::execute(const Decision& d, const ChainSnapshot& s,
                                    std::uint64_t jobId) {
    if (d.action == Action::Select) {
        const auto k = account_.coordinator().config().arity;
        const auto part = chooser_(s.game.lo, s.game.hi, k);
        if (part >= commit::bisectionParts(s.game.lo, s.game.hi, k))
            throw std::logic_error("challenger chose part " + std::to_string(part) + " of [" +
                                   std::to_string(s.game.lo) + ", " + std::to_string(s.game.hi) +
                                   ")");
        return account_.select(jobId, part);
    }
    return common(d, jobId);
}

CommitteeAgent::CommitteeAgent(CoordinatorAccount& account, Judge judge)
    : Agent(account, Role::Committee)
    , judge_(std::move(judge)) {}

std::optional<MoveRecord> CommitteeAgent::ensureMember() {
    if (account_.coordinator().isMember(account_.address())) return std::nullopt;
    return account_.joinCommittee();
}

MoveRecord CommitteeAgent::execute(const Decision& d, const ChainSnapshot& s, std::uint64_t jobId) {
    if (d.action == Action::Vote) {
        auto [accept, reason] = judge_(jobId, s.job, s.game.lo);
        return account_.vote(jobId, accept, reason);
    }
    return common(d, jobId);
}

std::vector<MoveRecord> playUntilClosed(Coordinator& coordinator, std::uint64_t jobId,
                                        const std::vector<Agent*>& agents, PlayOptions options) {
    std::vector<MoveRecord> moves;
    for (std::size_t stepNo = 0; stepNo < options.maxSteps; ++stepNo) {
        bool moved = false;
        for (auto* a : agents)
            if (auto m = a->step(jobId)) {
                moves.push_back(std::move(*m));
                moved = true;
            }
        auto s = readSnapshot(coordinator, jobId, chain::Address{});
        if (decide(Role::Committee, chain::Address{}, s).finished) return moves;
        if (moved) continue;
        auto next = nextDeadline(s);
        if (!next)
            throw std::runtime_error(
                "job " + std::to_string(jobId) + ": no move is due and no deadline is ahead (" +
                jobStatusName(s.job.status) + ", " + phaseName(s.game.phase) + ")");
        if (options.advanceTime) {
            if (*next > s.now) coordinator.client().increaseTime(*next - s.now);
            coordinator.client().mine(1);
        } else {
            std::this_thread::sleep_for(options.pollInterval);
        }
    }
    throw std::runtime_error("job " + std::to_string(jobId) + ": no end after " +
                             std::to_string(options.maxSteps) + " steps");
}

} // namespace tao::dispute
