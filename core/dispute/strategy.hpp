#pragma once
// The pure decision logic of the dispute: given what the chain says about a job (a snapshot
// read through views), what should a provider, challenger or committee member do next?
// No I/O here, so every branch is unit-tested without a chain; the agents read a fresh
// snapshot before each move, which is what makes them resumable and idempotent.
#include "core/dispute/coordinator_types.hpp"

#include <optional>

namespace tao::dispute {

enum class Role { Provider, Challenger, Committee };
std::string roleName(Role r);

struct ChainSnapshot {
    JobInfo job;
    GameInfo game;
    TallyInfo tally;
    chain::Address challenger;
    std::uint64_t now = 0;       // latest block timestamp
    std::uint8_t myVoteMark = 0; // committee: voteMark(job, me)
    bool eligible = false;       // committee: owes a vote on this ballot
};

enum class Action { None, Finalize, Bisect, Select, RevealLeaf, Vote, ResolveVote, Timeout };
std::string actionName(Action a);

struct Decision {
    Action action = Action::None;
    bool finished = false; // the job is closed: nothing will ever be due again
    std::string why;       // for logs
};

Decision decide(Role role, const chain::Address& me, const ChainSnapshot& s);

// The next time (block timestamp) at which something may become due for `role` without
// anyone else moving (a window or deadline passing); empty when none.
std::optional<std::uint64_t> nextDeadline(const ChainSnapshot& s);

} // namespace tao::dispute
