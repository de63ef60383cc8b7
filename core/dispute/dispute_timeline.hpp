#pragma once
// A job's disputes as a timeline of moves, rebuilt from the coordinator's events and the
// receipts of the transactions that emitted them: who moved, what it cost, the interval the
// game narrowed to and the deadline it set. Nothing is kept but a receipt cache, so an
// auditor who restarts, or who watches a dispute opened by someone else, sees the same
// timeline as the one who played it.
#include "core/dispute/coordinator.hpp"

#include <map>

namespace tao::dispute {

struct TimelineEntry {
    std::uint64_t gameId = 0;
    std::string event; // the coordinator event, e.g. "CutsRevealed"
    std::uint16_t round = 0;
    // The interval [lo, hi) the game stands on after this move, when the move sets one.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> interval;
    std::vector<std::uint32_t> cuts; // ops whose states were revealed as cuts
    chain::Address from;             // the transaction's sender
    commit::Hash32 txHash;
    std::uint64_t gasUsed = 0; // of the whole transaction
    std::uint64_t blockNumber = 0;
    std::optional<std::uint64_t> deadline; // the next deadline this move set (chain time, s)
    std::string summary;                   // one line for people
};

struct BallotVote {
    chain::Address member;
    bool accept = false;
    VoteReason reason = VoteReason::WithinThreshold;
    std::uint16_t seats = 0;
};

// What an account was paid (credited) or lost (slashed) when the game ended or a seat was
// settled; `what` says for what.
struct Payout {
    chain::Address account;
    chain::Uint256 credited;
    chain::Uint256 slashed;
    std::string what;
};

struct GameTimeline {
    std::uint64_t gameId = 0;
    chain::Address challenger;
    GameInfo game;     // now
    BallotInfo ballot; // now
    std::vector<TimelineEntry> moves;
    std::optional<std::uint32_t> revealedOp; // the one op the game narrowed to
    std::vector<BallotVote> votes;
    std::vector<Payout> payouts;
    std::optional<chain::Address> winner;
};

class TimelineReader {
public:
    explicit TimelineReader(Coordinator& coordinator)
        : coordinator_(coordinator) {}
    // Every game of the job, in opening order. Throws chain errors when the node cannot be
    // read, std::invalid_argument for a malformed event.
    std::vector<GameTimeline> read(std::uint64_t jobId, std::uint64_t fromBlock = 0);

private:
    const chain::Receipt& receipt(const commit::Hash32& tx);

    Coordinator& coordinator_;
    std::map<commit::Hash32, chain::Receipt> receipts_; // mined receipts never change
};

} // namespace tao::dispute
