#include "core/dispute/dispute_timeline.hpp"

#include <stdexcept>

namespace tao::dispute {

namespace {
std::uint64_t number(const nlohmann::json& v, const char* what) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_string()) return chain::Uint256::fromDecimal(v.get<std::string>(), what).toU64();
    throw std::invalid_argument(std::string("event field ") + what + " is not a number");
}

chain::Uint256 amount(const nlohmann::json& v, const char* what) {
    if (v.is_number_unsigned()) return chain::Uint256(v.get<std::uint64_t>());
    if (v.is_string()) return chain::Uint256::fromDecimal(v.get<std::string>(), what);
    throw std::invalid_argument(std::string("event field ") + what + " is not an amount");
}

std::string interval(std::uint32_t lo, std::uint32_t hi) {
    return "[" + std::to_string(lo) + ", " + std::to_string(hi) + ")";
}

std::string shortAddress(const chain::Address& a) {
    return chain::shortHex(a.hex());
}

// Fills the entry's interval, cuts, deadline and summary from the event's fields.
void describe(const CoordinatorEvent& e, TimelineEntry& t, GameTimeline& g) {
    const auto& f = e.fields;
    auto setInterval = [&] {
        t.interval = {static_cast<std::uint32_t>(number(f.at("lo"), "lo")),
                      static_cast<std::uint32_t>(number(f.at("hi"), "hi"))};
    };
    if (f.contains("round")) t.round = static_cast<std::uint16_t>(number(f["round"], "round"));
    if (f.contains("deadline")) t.deadline = number(f["deadline"], "deadline");
    if (e.name == "DisputeOpened") {
        setInterval();
        g.challenger = chain::Address::fromHex(f.at("challenger").get<std::string>());
        t.summary = "challenge opened on ops " + interval(t.interval->first, t.interval->second);
    } else if (e.name == "CutsRevealed") {
        setInterval();
        for (const auto& c : f.at("cuts"))
            t.cuts.push_back(static_cast<std::uint32_t>(number(c.at(0), "cut op")));
        std::string ops;
        for (auto c : t.cuts)
            ops += (ops.empty() ? "" : ", ") + std::to_string(c);
        t.summary = "provider cut " + interval(t.interval->first, t.interval->second) + " at op" +
                    (t.cuts.size() == 1 ? " " : "s ") + ops;
    } else if (e.name == "SegmentSelected") {
        setInterval();
        t.summary = "challenger selected part " +
                    std::to_string(number(f.at("segment"), "segment")) + ": ops " +
                    interval(t.interval->first, t.interval->second);
    } else if (e.name == "LeafRevealed") {
        const auto op = static_cast<std::uint32_t>(number(f.at("op").at(0), "op"));
        g.revealedOp = op;
        t.interval = {op, op + 1};
        t.summary = "provider revealed op " + std::to_string(op) + " with its " +
                    std::to_string(f.at("inputs").size()) + " input(s)";
    } else if (e.name == "PanelDrawn") {
        t.deadline = number(f.at("revealDeadline"), "revealDeadline");
        std::uint64_t seats = 0;
        for (const auto& s : f.at("seats"))
            seats += number(s, "seats");
        t.summary = "committee panel drawn: " + std::to_string(f.at("members").size()) +
                    " members, " + std::to_string(seats) + " seats";
    } else if (e.name == "VoteCommitted") {
        t.summary = "sealed vote from " +
                    shortAddress(chain::Address::fromHex(f.at("member").get<std::string>()));
    } else if (e.name == "Voted") {
        BallotVote v;
        v.member = chain::Address::fromHex(f.at("member").get<std::string>());
        v.accept = f.at("accept").get<bool>();
        v.reason = static_cast<VoteReason>(number(f.at("reason"), "reason"));
        v.seats = static_cast<std::uint16_t>(number(f.at("seats"), "seats"));
        g.votes.push_back(v);
        t.summary = shortAddress(v.member) + (v.accept ? " accepts" : " rejects") + " (" +
                    voteReasonName(v.reason) + ", " + std::to_string(v.seats) + " seat" +
                    (v.seats == 1 ? ")" : "s)");
    } else if (e.name == "VoteResolved") {
        t.summary =
            "ballot: " + outcomeName(static_cast<Outcome>(number(f.at("outcome"), "outcome"))) +
            " (" + std::to_string(number(f.at("acceptSeats"), "acceptSeats")) + " accept, " +
            std::to_string(number(f.at("rejectSeats"), "rejectSeats")) + " reject seats)";
    } else if (e.name == "DisputeResolved") {
        g.winner = chain::Address::fromHex(f.at("winner").get<std::string>());
        t.summary = outcomeName(static_cast<Outcome>(number(f.at("outcome"), "outcome"))) + ": " +
                    shortAddress(*g.winner) + " wins";
    } else if (e.name == "MoveTimedOut") {
        t.summary = "timed out in " + phaseName(static_cast<Phase>(number(f.at("phase"), "phase")));
    } else if (e.name == "SeatSettled") {
        Payout p;
        p.account = chain::Address::fromHex(f.at("member").get<std::string>());
        p.credited = amount(f.at("reward"), "reward");
        p.slashed = amount(f.at("slashed"), "slashed");
        p.what = "committee seat";
        g.payouts.push_back(p);
        t.summary = "seat of " + shortAddress(p.account) + " settled: +" +
                    chain::etherRounded(p.credited) + ", slashed " + chain::etherRounded(p.slashed);
    } else if (e.name == "MootGameClosed") {
        t.summary = "closed: another game already rejected the job";
    } else if (e.name == "BallotEscalated") {
        t.summary = "too few revealed seats: a larger panel follows";
    } else if (e.name == "DrawDeferred") {
        t.summary = "panel draw deferred to a later block";
    } else {
        t.summary = e.name;
    }
}
} // namespace

const chain::Receipt& TimelineReader::receipt(const commit::Hash32& tx) {
    auto it = receipts_.find(tx);
    if (it != receipts_.end()) return it->second;
    auto r = coordinator_.client().transactionReceipt(tx);
    if (!r) throw chain::ChainError("no receipt for logged transaction " + tx.hex());
    return receipts_.emplace(tx, std::move(*r)).first->second;
}

std::vector<GameTimeline> TimelineReader::read(std::uint64_t jobId, std::uint64_t fromBlock) {
    std::vector<GameTimeline> games;
    for (auto id : coordinator_.jobGames(jobId)) {
        GameTimeline g;
        g.gameId = id;
        g.game = coordinator_.game(id);
        g.ballot = coordinator_.ballot(id);
        games.push_back(std::move(g));
    }
    auto gameOf = [&](std::uint64_t id) -> GameTimeline* {
        for (auto& g : games)
            if (g.gameId == id) return &g;
        return nullptr;
    };
    for (const auto& e : coordinator_.events(fromBlock, jobId)) {
        GameTimeline* g = e.gameId ? gameOf(*e.gameId) : nullptr;
        if (!g) continue; // the job's own events (requested, submitted, closed)
        TimelineEntry t;
        t.gameId = g->gameId;
        t.event = e.name;
        t.txHash = e.transactionHash;
        t.blockNumber = e.blockNumber;
        const auto& r = receipt(e.transactionHash);
        t.from = r.from;
        t.gasUsed = r.gasUsed;
        describe(e, t, *g);
        if (e.name == "DisputeResolved") {
            // The bonds and fee move in the same transaction, as Credited events.
            std::vector<chain::Log> ours;
            for (const auto& l : r.logs)
                if (l.address == coordinator_.address()) ours.push_back(l);
            for (const auto& c : decodeCoordinatorEvents(ours))
                if (c.name == "Credited")
                    g->payouts.push_back(
                        {chain::Address::fromHex(c.fields.at("account").get<std::string>()),
                         amount(c.fields.at("amount"), "amount"),
                         {},
                         "game settlement"});
        }
        g->moves.push_back(std::move(t));
    }
    return games;
}

} // namespace tao::dispute
