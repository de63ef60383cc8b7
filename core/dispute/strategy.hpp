#pragma once
// The pure decision logic of the dispute: given what the chain says about a job and one of
// its games (a snapshot read through views), what should a provider, challenger or committee
// member do next? Every challenger plays its own game, so an agent decides per game.
// No I/O here, so every branch is unit-tested without a chain; the agents read a fresh
// snapshot before each move, which is what makes them resumable and idempotent.
#include "core/dispute/coordinator_types.hpp"

#include <optional>

namespace tao::dispute {

enum class Role { Provider, Challenger, Committee };
std::string roleName(Role r);

// The job and one of its games (gameId 0: a job no one has challenged).
struct ChainSnapshot {
    std::uint64_t jobId = 0;
    JobInfo job;
    std::uint64_t gameId = 0;
    GameInfo game;
    BallotInfo ballot;             // the game's committee ballot
    chain::Address challenger;     // the game's challenger
    std::uint64_t now = 0;         // latest block timestamp
    std::uint64_t blockNumber = 0; // latest block number (panels are seeded by blocks)
    SeatInfo mySeat;               // my seats on the ballot
    // Panel members whose seats are still unsettled once the game has ended (read then only).
    std::vector<chain::Address> unsettled;
};

enum class Action {
    None,
    Finalize,
    Bisect,
    Select,
    RevealLeaf,
    DrawPanel,
    CommitVote,
    RevealVote,
    ResolveVote,
    SettleSeat,
    Timeout,
    CloseMoot
};
std::string actionName(Action a);

struct Decision {
    Action action = Action::None;
    bool finished = false; // nothing will ever be due again for this role on this game and job
    std::string why;       // for logs
    chain::Address seat;   // SettleSeat: whose seats
};

Decision decide(Role role, const chain::Address& me, const ChainSnapshot& s);

// The next time (block timestamp) at which something may become due in this game without
// anyone moving (a window or deadline passing); empty when none.
std::optional<std::uint64_t> nextDeadline(const ChainSnapshot& s);
// The block after which the game's next panel can be drawn, for as long as it is not drawn:
// in the past once the draw is due, when a party or a member draws it at its next look.
// A watcher that read the chain just before that block was mined has not seen the draw
// due yet, so "nothing ahead" must not be concluded while a draw is pending.
std::optional<std::uint64_t> nextDrawBlock(const ChainSnapshot& s);

} // namespace tao::dispute
