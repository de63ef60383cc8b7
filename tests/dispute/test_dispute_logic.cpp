// The pure parts of the dispute driver: cut arithmetic (checked against the contract's rule),
// the per-role decisions, calldata and event decoding. No chain, no model.
#include "core/chain/abi_codec.hpp"
#include "core/commit/bisection.hpp"
#include "core/dispute/coordinator.hpp"
#include "core/dispute/coordinator_abi.hpp"
#include "core/dispute/coordinator_events.hpp"
#include "core/dispute/strategy.hpp"
#include "core/dispute/tensor_wire.hpp"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

using namespace tao;
using namespace tao::dispute;

namespace {
chain::Address addr(std::uint8_t b) {
    chain::Address a;
    a.bytes.fill(b);
    return a;
}

// Job 1 with its game 1 (challenger addr(2)) in `phase`.
ChainSnapshot disputed(Phase phase, std::uint64_t now, std::uint64_t deadline) {
    ChainSnapshot s;
    s.jobId = 1;
    s.job.status = JobStatus::Disputed;
    s.job.provider = addr(1);
    s.gameId = 1;
    s.challenger = addr(2);
    s.game = {0, 100, deadline, phase, 0, 0, Outcome::None, 1};
    s.now = now;
    return s;
}
} // namespace

class TestDisputeLogic : public QObject {
    Q_OBJECT
private slots:
    void cutsFollowTheContractRule() {
        // [0, 10) at k = 4: boundaries 0, 2, 5, 7, 10 -> cut leaves 1, 4, 6.
        QCOMPARE(commit::cutIndices(0, 10, 4), (std::vector<std::uint32_t>{1, 4, 6}));
        QCOMPARE(commit::selectedInterval(0, 10, 4, 2),
                 (std::pair<std::uint32_t, std::uint32_t>{5, 7}));
        QCOMPARE(commit::cutIndices(3, 5, 8), (std::vector<std::uint32_t>{3}));
        QVERIFY_EXCEPTION_THROWN(commit::selectedInterval(0, 10, 4, 4), std::invalid_argument);
    }

    void playingTowardsAnOpEndsAtIt() {
        for (unsigned k : {2u, 3u, 4u, 8u, 16u})
            for (std::uint32_t n : {1u, 2u, 7u, 100u, 416u})
                for (std::uint32_t bad : {0u, n / 3, n - 1}) {
                    std::uint32_t lo = 0, hi = n;
                    unsigned rounds = 0;
                    while (hi - lo > 1) {
                        auto j = commit::partContaining(lo, hi, k, bad);
                        std::tie(lo, hi) = commit::selectedInterval(lo, hi, k, j);
                        QVERIFY(lo <= bad && bad < hi);
                        ++rounds;
                    }
                    QCOMPARE(lo, bad);
                    QCOMPARE(rounds, commit::roundsFor(n, k, bad));
                    QVERIFY(rounds <= std::ceil(std::log(double(n)) / std::log(double(k))) + 1e-9);
                }
    }

    void decisionsPerRole() {
        const auto provider = addr(1), challenger = addr(2), member = addr(3);
        auto s = disputed(Phase::ProviderBisect, 100, 130);
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::Bisect);
        QCOMPARE(decide(Role::Challenger, challenger, s).action, Action::None);
        s.now = 131; // provider missed it
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::None);
        QCOMPARE(decide(Role::Challenger, challenger, s).action, Action::Timeout);

        s = disputed(Phase::ChallengerSelect, 100, 130);
        QCOMPARE(decide(Role::Challenger, challenger, s).action, Action::Select);
        QCOMPARE(decide(Role::Challenger, member, s).action, Action::None); // not its game
        s.now = 200;
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::Timeout);

        s = disputed(Phase::ProviderReveal, 100, 130);
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::RevealLeaf);

        // The ballot: drawn once its seed block is mined, by the parties or a member.
        s = disputed(Phase::Voting, 100, 130);
        s.ballot.drawBlock = 40;
        s.blockNumber = 40;
        QCOMPARE(decide(Role::Committee, member, s).action, Action::None);
        QCOMPARE(*nextDrawBlock(s), 41u);
        QVERIFY(!nextDeadline(s)); // blocks, not time, must pass
        s.blockNumber = 41;
        QCOMPARE(decide(Role::Committee, member, s).action, Action::DrawPanel);
        QCOMPARE(decide(Role::Challenger, challenger, s).action, Action::DrawPanel);
        QCOMPARE(decide(Role::Challenger, addr(9), s).action, Action::None); // not its game
        // Still pending: someone who read the chain at block 40 has a draw to make, so a
        // bystander must keep waiting for it rather than conclude that nothing is ahead.
        QCOMPARE(*nextDrawBlock(s), 41u);
        QVERIFY(!nextDeadline(s));
        // Drawn: seated members seal a vote, then open it; others wait.
        s.ballot = {};
        s.ballot.round = 1;
        s.ballot.commitDeadline = 150;
        s.ballot.revealDeadline = 200;
        QVERIFY(!nextDrawBlock(s));
        QCOMPARE(decide(Role::Committee, member, s).action, Action::None); // no seat
        s.mySeat = {2, 1, SeatState::Drawn};
        QCOMPARE(decide(Role::Committee, member, s).action, Action::CommitVote);
        QCOMPARE(*nextDeadline(s), 151u);
        s.mySeat.state = SeatState::Committed;
        QCOMPARE(decide(Role::Committee, member, s).action, Action::None); // never twice
        s.now = 151;
        QCOMPARE(decide(Role::Committee, member, s).action, Action::RevealVote);
        QCOMPARE(*nextDeadline(s), 201u);
        s.mySeat.round = 0; // seats of an earlier panel: that panel's windows are over
        QCOMPARE(decide(Role::Committee, member, s).action, Action::None);
        s.now = 201;
        QCOMPARE(decide(Role::Committee, member, s).action, Action::ResolveVote);
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::ResolveVote);
        // Ended: a member settles its own seats, the winner collects the others' slashes.
        s.game.phase = Phase::Resolved;
        s.game.outcome = Outcome::ChallengerWon;
        s.unsettled = {addr(5), member};
        auto d = decide(Role::Committee, member, s);
        QCOMPARE(d.action, Action::SettleSeat);
        QVERIFY(d.seat == member);
        d = decide(Role::Challenger, challenger, s);
        QCOMPARE(d.action, Action::SettleSeat);
        QVERIFY(d.seat == addr(5));
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::None); // the loser
        QCOMPARE(decide(Role::Committee, addr(6), s).action, Action::None);
        QCOMPARE(*nextDeadline(disputed(Phase::ChallengerSelect, 1, 9)), 10u);
    }

    // Every challenger plays its own game: a game's moves are due only to its own challenger,
    // a game that is over waits on the others, and once another game rejected the job a game
    // still open is its challenger's to close (refund) and nobody else's concern.
    void multiGameDecisions() {
        const auto provider = addr(1), challenger = addr(2), other = addr(4);
        auto s = disputed(Phase::ChallengerSelect, 100, 130);
        QCOMPARE(decide(Role::Challenger, other, s).action, Action::None); // another's game
        s.now = 131;
        QCOMPARE(decide(Role::Challenger, other, s).action, Action::None);

        s = disputed(Phase::Resolved, 100, 130);
        s.game.outcome = Outcome::ProviderWon;
        for (auto role : {Role::Provider, Role::Challenger, Role::Committee}) {
            auto d = decide(role, role == Role::Provider ? provider : challenger, s);
            QCOMPARE(d.action, Action::None);
            QVERIFY(!d.finished); // the job still has other games open
        }
        QVERIFY(!nextDeadline(s));

        s = disputed(Phase::ChallengerSelect, 100, 130);
        s.job.status = JobStatus::Rejected; // another game rejected the job
        QCOMPARE(decide(Role::Challenger, challenger, s).action, Action::CloseMoot);
        QCOMPARE(decide(Role::Challenger, other, s).action, Action::None);
        QVERIFY(decide(Role::Provider, provider, s).finished);
        QVERIFY(decide(Role::Committee, addr(3), s).finished);
        s.game.phase = Phase::Resolved;
        s.game.outcome = Outcome::Moot;
        QVERIFY(decide(Role::Challenger, challenger, s).finished);

        // The provider won every game inside the window: back to Submitted, then finalize.
        s = disputed(Phase::Resolved, 100, 130);
        s.job.status = JobStatus::Submitted;
        s.job.challengeDeadline = 120;
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::None);
        QCOMPARE(*nextDeadline(s), 121u);
        s.now = 121;
        QCOMPARE(decide(Role::Provider, provider, s).action, Action::Finalize);
    }

    void optimisticPath() {
        ChainSnapshot s;
        s.job.status = JobStatus::Submitted;
        s.job.provider = addr(1);
        s.job.challengeDeadline = 50;
        s.now = 50;
        QCOMPARE(decide(Role::Provider, addr(1), s).action, Action::None);
        s.now = 51;
        QCOMPARE(decide(Role::Provider, addr(1), s).action, Action::Finalize);
        QCOMPARE(decide(Role::Provider, addr(9), s).action, Action::None);
        s.job.status = JobStatus::Accepted;
        QVERIFY(decide(Role::Challenger, addr(2), s).finished);
    }

    void calldataMatchesSignatures() {
        auto data =
            abi::bisect(7, {{3, commit::keccak256("aten::relu"), commit::Hash32{}}},
                        {commit::keccak256("x"), commit::keccak256("y")},
                        {commit::keccak256("p"), commit::keccak256("q"), commit::keccak256("r")});
        auto sel = chain::functionSelector(
            "bisect(uint256,(uint32,bytes32,bytes32)[],bytes32[],bytes32[])");
        QVERIFY(std::equal(sel.begin(), sel.end(), data.begin()));
        auto args = chain::abiDecode(
            chain::AbiType::parseList("uint256,(uint32,bytes32,bytes32)[],bytes32[],bytes32[]"),
            commit::ByteSpan(data).subspan(4));
        QCOMPARE(args[0].asUint().toU64(), 7u);
        QCOMPARE(abi::leafFrom(args[1].asList().at(0)).index, 3u);
        QCOMPARE(args[2].asList().size(), std::size_t(2));
        QCOMPARE(args[3].asList().size(), std::size_t(3));
        // Every error the built contract can revert with has a readable name on this side.
        std::ifstream artifact(defaultCoordinatorArtifact());
        QVERIFY2(artifact, "contracts/out missing: run scripts/build");
        std::set<std::string> built;
        const auto parsed = nlohmann::json::parse(artifact);
        for (const auto& item : parsed.at("abi")) {
            if (item.at("type") != "error") continue;
            std::string sig = item.at("name").get<std::string>() + "(";
            for (const auto& in : item.at("inputs"))
                sig += (sig.back() == '(' ? "" : ",") + in.at("type").get<std::string>();
            built.insert(sig + ")");
        }
        const std::set<std::string> known(abi::customErrors().begin(), abi::customErrors().end());
        std::string diff;
        for (const auto& e : built)
            if (!known.count(e)) diff += " missing " + e;
        for (const auto& e : known)
            if (!built.count(e)) diff += " unknown " + e;
        QVERIFY2(diff.empty(), diff.c_str());
        auto close = abi::closeMootGame(9);
        auto closeSel = chain::functionSelector("closeMootGame(uint256)");
        QVERIFY(std::equal(closeSel.begin(), closeSel.end(), close.begin()));
    }

    // getGame's tuple: interval, deadline, phase, round, selected part, outcome, job.
    void gameDecodes() {
        auto data = chain::abiEncode(
            chain::AbiType::parseList("(uint32,uint32,uint40,uint8,uint16,uint8,uint8,uint64)"),
            {chain::AbiValue(chain::AbiValue::List{
                chain::Uint256(5), chain::Uint256(9), chain::Uint256(1234), chain::Uint256(5),
                chain::Uint256(3), chain::Uint256(2), chain::Uint256(3), chain::Uint256(77)})});
        auto g = abi::decodeGame(data);
        QCOMPARE(g.lo, 5u);
        QCOMPARE(g.hi, 9u);
        QCOMPARE(g.deadline, 1234u);
        QCOMPARE(g.phase, Phase::Resolved);
        QCOMPARE(g.round, std::uint16_t(3));
        QCOMPARE(g.selected, std::uint8_t(2));
        QCOMPARE(g.outcome, Outcome::Moot);
        QCOMPARE(g.jobId, 77u);
        QVERIFY(!g.open());
    }

    // What a member seals: the same hash as the contract's voteHash (checked against the
    // contract on a chain in dispute_game), here against its definition with one known vector.
    void voteHashIsAbiEncodeOfTheVote() {
        chain::Address m = addr(0xab);
        const auto salt = commit::keccak256("salt");
        const auto h = abi::voteHash(7, m, false, VoteReason::BeyondBound, salt);
        commit::Bytes enc(5 * 32, 0);
        enc[31] = 7;
        std::copy(m.bytes.begin(), m.bytes.end(), enc.begin() + 32 + 12);
        enc[3 * 32 + 31] = 2;
        std::copy(salt.bytes.begin(), salt.bytes.end(), enc.begin() + 4 * 32);
        QCOMPARE(h, commit::keccak256(enc));
        QVERIFY(h != abi::voteHash(7, m, true, VoteReason::BeyondThreshold, salt));
    }

    void eventsDecode() {
        auto sig = chain::EventSignature::parse(coordinatorEventDeclarations()[7]); // CutsRevealed
        QCOMPARE(sig.name, std::string("CutsRevealed"));
        chain::Log log;
        log.topics = {sig.topic(), commit::Hash32{}};
        log.topics[1].bytes[31] = 5;
        auto leaf = abi::leafValue({4, commit::keccak256("k"), commit::keccak256("o")});
        log.data = chain::abiEncode(
            chain::AbiType::parseList(
                "uint16,uint32,uint32,(uint32,bytes32,bytes32)[],bytes32[],uint40"),
            {chain::Uint256(1), chain::Uint256(0), chain::Uint256(10),
             chain::AbiValue(chain::AbiValue::List{leaf}),
             chain::AbiValue(chain::AbiValue::List{chain::AbiValue(commit::keccak256("c0")),
                                                   chain::AbiValue(commit::keccak256("c1"))}),
             chain::Uint256(99)});
        auto e = decodeCoordinatorEvent(log);
        QVERIFY(e);
        QCOMPARE(*e->gameId, 5u); // game-scoped: keyed by the game
        QVERIFY(!e->jobId);
        QCOMPARE(e->fields["cuts"][0][0].get<int>(), 4);
        QCOMPARE(e->fields["children"].size(), std::size_t(2));
        QCOMPARE(e->fields["deadline"].get<int>(), 99);
        // DisputeOpened carries both ids (and the challenger) as topics.
        auto opened = chain::EventSignature::parse(coordinatorEventDeclarations()[6]);
        QCOMPARE(opened.name, std::string("DisputeOpened"));
        chain::Log o;
        o.topics = {opened.topic(), commit::Hash32{}, commit::Hash32{}, commit::Hash32{}};
        o.topics[1].bytes[31] = 3;
        o.topics[2].bytes[31] = 8;
        o.topics[3].bytes[31] = 0xcc;
        o.data = chain::abiEncode(
            chain::AbiType::parseList("uint32,uint32,uint8,uint40"),
            {chain::Uint256(0), chain::Uint256(10), chain::Uint256(1), chain::Uint256(60)});
        auto oe = decodeCoordinatorEvent(o);
        QVERIFY(oe);
        QCOMPARE(*oe->jobId, 3u);
        QCOMPARE(*oe->gameId, 8u);
        chain::Log other;
        other.topics = {commit::keccak256("Unrelated()")};
        QVERIFY(!decodeCoordinatorEvent(other));
    }

    void safetensorsRoundTrip() {
        trace::HostTensor t;
        t.shape = {2, 2};
        t.data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        auto bytes = encodeSafetensors({{"op.3.0", t}});
        auto back = decodeSafetensors(bytes, "test");
        QCOMPARE(back.at("op.3.0").hash(), t.hash());
        bytes[8] = '!'; // the header's opening brace
        QVERIFY_EXCEPTION_THROWN(decodeSafetensors(bytes, "test"), std::runtime_error);
        QVERIFY_EXCEPTION_THROWN(decodeSafetensors("abc", "test"), std::runtime_error);
    }
};

QTEST_GUILESS_MAIN(TestDisputeLogic)
#include "test_dispute_logic.moc"
