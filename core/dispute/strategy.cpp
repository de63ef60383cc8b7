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
    static const char* names[] = {"none", "finalize",    "bisect",  "select",       "revealLeaf",
                                  "vote", "resolveVote", "timeout", "closeMootGame"};
    return names[static_cast<int>(a)];
}

namespace {
Decision wait(std::string why) {
    return {Action::None, false, std::move(why)};
}
Decision act(Action a, std::string why) {
    return {a, false, std::move(why)};
}

bool providerTurn(Phase p) {
    return p == Phase::ProviderBisect || p == Phase::ProviderReveal;
}
} // namespace

Decision decide(Role role, const chain::Address& me, const ChainSnapshot& s) {
    const auto& job = s.job;
    switch (job.status) {
    case JobStatus::None:
        return wait("job does not exist (yet)");
    case JobStatus::Requested:
        return wait("waiting for a result");
    case JobStatus::Accepted:
    case JobStatus::Cancelled:
        return {Action::None, true, "job closed: " + jobStatusName(job.status)};
    case JobStatus::Rejected:
        // Another game rejected the job: a game still open is moot. Its challenger closes it
        // to get its bond back; nobody else is owed anything there.
        if (s.gameId != 0 && s.game.open() && role == Role::Challenger && me == s.challenger)
            return act(Action::CloseMoot, "job rejected by another game: game " +
                                              std::to_string(s.gameId) + " is moot");
        return {Action::None, true, "job closed: Rejected"};
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
    if (g.phase == Phase::Voting) {
        if (s.now > s.tally.deadline) return act(Action::ResolveVote, "vote window over");
        if (role == Role::Committee && !isProvider && !isChallenger && s.eligible &&
            s.myVoteMark == 0)
            return act(Action::Vote, "ballot open on op " + std::to_string(g.lo));
        return wait("committee voting");
    }
    return wait("no game");
}

std::optional<std::uint64_t> nextDeadline(const ChainSnapshot& s) {
    if (s.job.status == JobStatus::Submitted) return s.job.challengeDeadline + 1;
    if (s.job.status != JobStatus::Disputed || s.gameId == 0 || !s.game.open()) return std::nullopt;
    if (s.game.phase == Phase::Voting) return s.tally.deadline + 1;
    return s.game.deadline + 1;
}

} // namespace tao::dispute
