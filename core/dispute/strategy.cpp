#include "core/dispute/strategy.hpp"

namespace tao::dispute {

std::string roleName(Role r) {
    switch (r) {
    case Role::Provider:
        return "provider";
    case Role::Challenger:
        return "challenger";
    case Role::Committee:
        return "committee";
    }
    return "?";
}

std::string actionName(Action a) {
    static const char* names[] = {"none",        "finalize",   "bisect",     "select",
                                  "revealLeaf",  "drawPanel",  "commitVote", "revealVote",
                                  "resolveVote", "settleSeat", "timeout",    "closeMootGame"};
    return names[static_cast<int>(a)];
}

namespace {
Decision wait(std::string why) {
    return {Action::None, false, std::move(why), {}};
}
Decision act(Action a, std::string why) {
    return {a, false, std::move(why), {}};
}

bool providerTurn(Phase p) {
    return p == Phase::ProviderBisect || p == Phase::ProviderReveal;
}
} // namespace

namespace {
// After a game has ended, its seats are settled: a member settles its own (its reward, or
// its slash), and the winning party settles the others' to collect their slashes.
std::optional<Decision> settlement(Role role, const chain::Address& me, const ChainSnapshot& s) {
    if (s.gameId == 0 || s.game.phase != Phase::Resolved || s.unsettled.empty()) return {};
    const auto game = " on game " + std::to_string(s.gameId);
    if (role == Role::Committee) {
        for (const auto& m : s.unsettled)
            if (m == me) return Decision{Action::SettleSeat, false, "settle my seats" + game, me};
        return {};
    }
    const bool won = (s.game.outcome == Outcome::ProviderWon && role == Role::Provider &&
                      me == s.job.provider) ||
                     (s.game.outcome == Outcome::ChallengerWon && role == Role::Challenger &&
                      me == s.challenger);
    if (!won) return {};
    return Decision{Action::SettleSeat, false, "collect slashes" + game, s.unsettled.front()};
}

// The ballot of a game in Voting: draw (anyone who cares), commit and reveal (seated members),
// resolve (anyone, after the reveal window).
Decision ballotTurn(Role role, const chain::Address& me, const ChainSnapshot& s) {
    const auto& b = s.ballot;
    const bool party = me == s.job.provider || me == s.challenger;
    if (!b.drawn()) {
        if (s.blockNumber <= b.drawBlock)
            return wait("panel drawn after block " + std::to_string(b.drawBlock));
        if (party || role == Role::Committee)
            return act(Action::DrawPanel, "seed block " + std::to_string(b.drawBlock) + " mined");
        return wait("panel draw due");
    }
    const bool seatedNow = s.mySeat.count > 0 && s.mySeat.round == b.round;
    if (s.now <= b.commitDeadline) {
        if (role == Role::Committee && seatedNow && s.mySeat.state == SeatState::Drawn)
            return act(Action::CommitVote, std::to_string(s.mySeat.count) + " seat(s) on op " +
                                               std::to_string(s.game.lo));
        return wait("panel committing");
    }
    if (s.now <= b.revealDeadline) {
        if (role == Role::Committee && seatedNow && s.mySeat.state == SeatState::Committed)
            return act(Action::RevealVote, "reveal window open");
        return wait("panel revealing");
    }
    return act(Action::ResolveVote, "reveal window over");
}
} // namespace

Decision decide(Role role, const chain::Address& me, const ChainSnapshot& s) {
    if (auto d = settlement(role, me, s)) return *d;
    const auto& job = s.job;
    switch (job.status) {
    case JobStatus::None:
        return wait("job does not exist (yet)");
    case JobStatus::Requested:
        return wait("waiting for a result");
    case JobStatus::Accepted:
    case JobStatus::Cancelled:
        return {Action::None, true, "job closed: " + jobStatusName(job.status), {}};
    case JobStatus::Rejected:
        // Another game rejected the job: a game still open is moot. Its challenger closes it
        // to get its bond back; nobody else is owed anything there.
        if (s.gameId != 0 && s.game.open() && role == Role::Challenger && me == s.challenger)
            return act(Action::CloseMoot, "job rejected by another game: game " +
                                              std::to_string(s.gameId) + " is moot");
        return {Action::None, true, "job closed: Rejected", {}};
    case JobStatus::Submitted:
        if (s.now <= job.challengeDeadline) return wait("challenge window open");
        // Anyone may finalize; the provider is the one who cares.
        if (role == Role::Provider && me == job.provider)
            return act(Action::Finalize, "challenge window over, no game open, none lost");
        return wait("window over; the provider finalizes");
    case JobStatus::Disputed:
        break;
    }

    const auto& g = s.game;
    if (s.gameId == 0 || !g.open()) return wait("game over; the job waits on its other games");
    const bool late = s.now > g.deadline;
    const bool isProvider = me == job.provider;
    const bool isChallenger = me == s.challenger;
    if (providerTurn(g.phase)) {
        if (role == Role::Provider && isProvider && !late)
            return act(g.phase == Phase::ProviderBisect ? Action::Bisect : Action::RevealLeaf,
                       "provider's turn on [" + std::to_string(g.lo) + ", " + std::to_string(g.hi) +
                           ")");
        if (role == Role::Challenger && isChallenger && late)
            return act(Action::Timeout, "provider missed its deadline");
        return wait("provider's turn");
    }
    if (g.phase == Phase::ChallengerSelect) {
        if (role == Role::Challenger && isChallenger && !late)
            return act(Action::Select, "challenger's turn on [" + std::to_string(g.lo) + ", " +
                                           std::to_string(g.hi) + ")");
        if (role == Role::Provider && isProvider && late)
            return act(Action::Timeout, "challenger missed its deadline");
        return wait("challenger's turn");
    }
    if (g.phase == Phase::Voting) return ballotTurn(role, me, s);
    return wait("no game");
}

std::optional<std::uint64_t> nextDeadline(const ChainSnapshot& s) {
    if (s.job.status == JobStatus::Submitted) return s.job.challengeDeadline + 1;
    if (s.job.status != JobStatus::Disputed || s.gameId == 0 || !s.game.open()) return std::nullopt;
    if (s.game.phase == Phase::Voting) {
        if (!s.ballot.drawn()) return std::nullopt; // waits on blocks, not time
        return (s.now <= s.ballot.commitDeadline ? s.ballot.commitDeadline
                                                 : s.ballot.revealDeadline) +
               1;
    }
    return s.game.deadline + 1;
}

std::optional<std::uint64_t> nextDrawBlock(const ChainSnapshot& s) {
    if (s.job.status != JobStatus::Disputed || s.gameId == 0 || s.game.phase != Phase::Voting ||
        s.ballot.drawn() || s.ballot.drawBlock == 0)
        return std::nullopt;
    return s.ballot.drawBlock + 1;
}

} // namespace tao::dispute
