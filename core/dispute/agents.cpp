#include "core/dispute/agents.hpp"

#include "core/commit/bisection.hpp"
#include "core/dispute/op_checker.hpp"

#include <thread>

namespace tao::dispute {

ChainSnapshot readSnapshot(Coordinator& c, std::uint64_t jobId, std::uint64_t gameId,
                           const chain::Address& me) {
    ChainSnapshot s;
    s.jobId = jobId;
    s.job = c.job(jobId);
    s.now = c.now();
    s.gameId = gameId;
    if (gameId == 0) return s;
    s.game = c.game(gameId);
    s.challenger = c.gameChallenger(gameId);
    if (s.game.phase == Phase::Voting || s.game.phase == Phase::Resolved) {
        s.ballot = c.ballot(gameId);
        s.blockNumber = c.blockNumber();
        if (!me.isZero()) s.mySeat = c.seat(gameId, me);
        if (s.game.phase == Phase::Resolved && s.ballot.round > 0)
            for (const auto& m : c.panel(gameId))
                if (c.seat(gameId, m).state != SeatState::Settled) s.unsettled.push_back(m);
    }
    return s;
}

std::vector<ChainSnapshot> readSnapshots(Coordinator& c, std::uint64_t jobId,
                                         const chain::Address& me) {
    std::vector<ChainSnapshot> out;
    for (auto gameId : c.jobGames(jobId))
        out.push_back(readSnapshot(c, jobId, gameId, me));
    if (out.empty()) out.push_back(readSnapshot(c, jobId, 0, me));
    return out;
}

Decision Agent::pending(std::uint64_t jobId) {
    auto& c = account_.coordinator();
    std::optional<Decision> first;
    bool finished = true;
    for (const auto& s : readSnapshots(c, jobId, account_.address())) {
        auto d = decide(role_, account_.address(), s);
        if (d.action != Action::None) return d;
        finished = finished && d.finished;
        if (!first) first = d;
    }
    first->finished = finished;
    return *first;
}

std::optional<MoveRecord> Agent::step(std::uint64_t jobId) {
    auto& c = account_.coordinator();
    for (const auto& s : readSnapshots(c, jobId, account_.address())) {
        auto d = decide(role_, account_.address(), s);
        if (d.action == Action::None) continue;
        try {
            return execute(d, s);
        } catch (const Abstention&) {
            continue; // no verdict on this game now; the next step tries again
        } catch (const chain::TransactionRevertedError&) {
            // Another party (or our own earlier attempt) moved first: the state moved on.
            auto s2 = readSnapshot(c, jobId, s.gameId, account_.address());
            auto d2 = decide(role_, account_.address(), s2);
            if (d2.action != d.action || d2.seat != d.seat || s2.game.round != s.game.round ||
                s2.game.phase != s.game.phase || s2.job.status != s.job.status ||
                s2.mySeat.state != s.mySeat.state || s2.ballot.round != s.ballot.round ||
                s2.ballot.drawBlock != s.ballot.drawBlock)
                return std::nullopt;
            throw;
        }
    }
    return std::nullopt;
}

MoveRecord Agent::common(const Decision& d, const ChainSnapshot& s) {
    switch (d.action) {
    case Action::Finalize:
        return account_.finalize(s.jobId);
    case Action::Timeout:
        return account_.timeout(s.gameId);
    case Action::DrawPanel:
        return account_.drawPanel(s.gameId);
    case Action::ResolveVote:
        return account_.resolveVote(s.gameId);
    case Action::SettleSeat:
        return account_.settleSeat(s.gameId, d.seat);
    case Action::CloseMoot:
        return account_.closeMootGame(s.gameId);
    default:
        throw std::logic_error(roleName(role_) + " cannot make move " + actionName(d.action));
    }
}

ProviderAgent::ProviderAgent(CoordinatorAccount& account, trace::Manifest manifest)
    : Agent(account, Role::Provider)
    , manifest_(std::move(manifest))
    , tree_(manifest_.merkleTree())
    , game_(manifest_.gameTree(account.coordinator().config().arity))
    , graph_(manifest_.graphTree())
    , commitment_(commit::traceCommitment(tree_.root(), game_.root())) {}

MoveRecord ProviderAgent::execute(const Decision& d, const ChainSnapshot& s) {
    if (s.job.commitment !=
        account_.coordinator().jobCommitment(s.jobId, account_.address(), commitment_))
        throw std::runtime_error("provider: job " + std::to_string(s.jobId) +
                                 " commits to another trace than this provider's");
    const auto k = account_.coordinator().config().arity;
    // The parent's children: the previous round's reveal, or the commitment's two roots.
    const auto parentChildren = [&] {
        const auto parent = game_.parentOf(s.game.lo, s.game.hi);
        return parent ? game_.children(parent->first, parent->second)
                      : std::vector{tree_.root(), game_.root()};
    };
    if (d.action == Action::Bisect) {
        std::vector<commit::LeafData> cuts;
        for (auto i : commit::cutIndices(s.game.lo, s.game.hi, k))
            cuts.push_back(manifest_.leafData(i));
        return account_.bisect(s.gameId, cuts, game_.children(s.game.lo, s.game.hi),
                               parentChildren());
    }
    if (d.action == Action::RevealLeaf) {
        const auto lo = s.game.lo;
        if (lo + 1 == manifest_.leafCount() && s.job.outputHash != manifest_.outputHash)
            throw Abstention("provider: job " + std::to_string(s.jobId) + " posts output " +
                             s.job.outputHash.hex() + ", not this trace's " +
                             manifest_.outputHash.hex() +
                             ": the output leaf cannot be revealed, game " +
                             std::to_string(s.gameId) + " is lost by timeout");
        std::vector<commit::LeafData> inputs;
        std::vector<std::vector<commit::Hash32>> proofs;
        for (auto i : manifest_.leafInputs(lo)) {
            inputs.push_back(manifest_.leafData(i));
            proofs.push_back(tree_.prove(i).siblings);
        }
        if (inputs.size() > kMaxRevealInputs)
            throw std::runtime_error("provider: op " + std::to_string(lo) + " reads " +
                                     std::to_string(inputs.size()) +
                                     " leaves, more than the coordinator's limit of " +
                                     std::to_string(kMaxRevealInputs) + "; it cannot be revealed");
        // The op's trace siblings, then its graph siblings (the model's registered wiring).
        auto opProof = tree_.prove(lo).siblings;
        const auto graphProof = graph_.prove(lo).siblings;
        opProof.insert(opProof.end(), graphProof.begin(), graphProof.end());
        // parentChildren also ties the op to the game's own leaf (node(lo, lo + 1) = leaf(lo)).
        return account_.revealLeaf(s.gameId, manifest_.leafData(lo), opProof, inputs, proofs,
                                   tree_.root(), game_.root(), parentChildren());
    }
    return common(d, s);
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
    if (c.gameOf(jobId, account_.address()) != 0) return std::nullopt; // already ours
    auto job = c.job(jobId);
    // Other games on the job (a provider's own second account among them) do not stop ours.
    if (job.status != JobStatus::Submitted && job.status != JobStatus::Disputed)
        throw std::runtime_error("job " + std::to_string(jobId) + " cannot be challenged: it is " +
                                 jobStatusName(job.status));
    if (disputedOp_ && *disputedOp_ >= job.opCount)
        throw std::invalid_argument("disputed op " + std::to_string(*disputedOp_) +
                                    " is outside the job's " + std::to_string(job.opCount) +
                                    " ops");
    return account_.challenge(jobId);
}

MoveRecord ChallengerAgent::execute(const Decision& d, const ChainSnapshot& s) {
    if (d.action == Action::Select) {
        const auto k = account_.coordinator().config().arity;
        const auto part = chooser_(s.game.lo, s.game.hi, k);
        if (part >= commit::bisectionParts(s.game.lo, s.game.hi, k))
            throw std::logic_error("challenger chose part " + std::to_string(part) + " of [" +
                                   std::to_string(s.game.lo) + ", " + std::to_string(s.game.hi) +
                                   ")");
        return account_.select(s.gameId, part);
    }
    return common(d, s);
}

CommitteeAgent::CommitteeAgent(CoordinatorAccount& account, Judge judge,
                               std::function<void(const std::string&)> log)
    : Agent(account, Role::Committee)
    , judge_(std::move(judge))
    , log_(std::move(log)) {}

std::optional<MoveRecord> CommitteeAgent::ensureMember() {
    if (account_.coordinator().isMember(account_.address())) return std::nullopt;
    return account_.joinCommittee();
}

MoveRecord CommitteeAgent::execute(const Decision& d, const ChainSnapshot& s) {
    if (d.action == Action::CommitVote) {
        try {
            auto [accept, reason] = judge_(s.jobId, s.job, s.game.lo);
            return account_.commitVote(s.gameId, accept, reason);
        } catch (const Abstention& e) {
            if (log_) log_("game " + std::to_string(s.gameId) + ": " + e.what());
            throw;
        }
    }
    if (d.action == Action::RevealVote) return account_.revealVote(s.gameId);
    return common(d, s);
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
        if (moved) continue;
        // A bystander's view of every game: is the job closed, and what comes due next?
        auto snapshots = readSnapshots(coordinator, jobId, chain::Address{});
        if (decide(Role::Committee, chain::Address{}, snapshots.front()).finished) return moves;
        std::optional<std::uint64_t> next;
        std::optional<std::uint64_t> drawBlock;
        for (const auto& s : snapshots) {
            if (auto t = nextDeadline(s); t && (!next || *t < *next)) next = t;
            if (auto b = nextDrawBlock(s); b && (!drawBlock || *b < *drawBlock)) drawBlock = b;
        }
        const auto& s = snapshots.front();
        if (drawBlock) {
            // A panel waits for its seed block (blocks, not time, must pass), or for a party
            // or a member to draw it now that the block is mined: the agents above may have
            // read the chain just before it was.
            if (options.advanceTime) {
                const auto head = coordinator.blockNumber();
                coordinator.client().mine(*drawBlock > head ? *drawBlock - head : 1);
            } else {
                std::this_thread::sleep_for(options.pollInterval);
            }
            continue;
        }
        if (!next)
            throw std::runtime_error("job " + std::to_string(jobId) +
                                     ": no move is due and no deadline is ahead (" +
                                     jobStatusName(s.job.status) + ", " +
                                     std::to_string(snapshots.size()) + " game(s))");
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
