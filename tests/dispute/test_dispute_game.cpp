// Whole disputes on a real anvil devnet with the real coordinator, a provider data API and
// fashion_cnn / tiny_lm traces: honest jobs finalize, every adversarial provider loses at the
// op it tampered, a silent provider loses by timeout, a wrong challenger loses, a provider's
// own challenger cannot shield a tampered job, an honest provider answers and wins every game,
// an RPC outage mid-game is survived without double moves, and bad input gives clear errors.
#include "core/chain/keystore.hpp"
#include "core/commit/tensor_hash.hpp"
#include "core/dispute/challenge_grounds.hpp"
#include "core/dispute/dispute_timeline.hpp"
#include "core/dispute/job_board.hpp"
#include "core/dispute/remote_judging.hpp"
#include "core/graph/op_info.hpp"
#include "core/provider/adversary.hpp"
#include "core/provider/data_server.hpp"
#include "dispute/dispute_world.hpp"
#include "support/error_message.hpp"
#include "support/tools.hpp"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <map>
#include <set>

using namespace tao;
using namespace tao::dispute;
using tao::test::DisputeWorld;

using tao::test::messageOf;

namespace {
struct Played {
    std::uint64_t jobId = 0;
    JobInfo job;
    Assessment assessment;
    provider::AdversaryReport report;
    std::vector<MoveRecord> moves;
    std::optional<std::uint32_t> leafOp;
    std::uint64_t bytesFetched = 0; // by the challenger, assessment and game together
    std::vector<CoordinatorEvent> events;
};

// A provider selling an output other than its honest trace's: posted on a trace whose output
// leaf is honest, or with the output leaf rewritten to match (and the root rebuilt).
struct OutputForgery {
    std::optional<commit::Hash32> posted;
    bool inTrace = false;
};

struct Game {
    DisputeWorld& world;
    QTemporaryDir dir;
    std::shared_ptr<graph::Model> honestModel;
    std::unique_ptr<OpChecker> checker;
    provider::JobStore store;
    std::unique_ptr<provider::DataServer> server;
    trace::Manifest manifest;
    provider::AdversaryReport report;
    std::uint64_t jobId = 0;

    Game(DisputeWorld& w, const QString& model, provider::AdversaryOptions adv,
         provider::DataServerOptions serverOptions = {}, OutputForgery forgery = {})
        : world(w) {
        auto path = test::demoModel(model).toStdString();
        honestModel = graph::loadModel(path);
        CheckOptions check;
        check.profile = std::make_shared<numerics::Profile>(numerics::Profile::load(
            (test::sourceDir() + "/resources/profiles/" + model + ".json").toStdString()));
        checker = std::make_unique<OpChecker>(honestModel, check);
        auto adversaryModel = graph::loadModel(path); // weight modes alter it in place
        runtime::CaptureOptions capture;
        capture.seed = 1;
        capture.out = (dir.path() + "/job.taotrace").toStdString();
        manifest = provider::adversarialCapture(adversaryModel, capture, adv, &report);
        if (forgery.inTrace) {
            manifest.outputHash = *forgery.posted;
            manifest.root = manifest.merkleTree().root();
            std::ofstream(capture.out / "manifest.json", std::ios::trunc) << manifest.toJson();
        }
        jobId = world.postJob(manifest, forgery.posted);
        store.add(jobId, capture.out);
        server = std::make_unique<provider::DataServer>(store, serverOptions);
    }

    RemoteTraceOptions api() const {
        RemoteTraceOptions o;
        o.url = server->url();
        return o;
    }

    Played play(bool providerAnswers = true, std::optional<std::uint32_t> forcedDispute = {},
                AssessOptions assess = {}) {
        Played p;
        p.jobId = jobId;
        p.report = report;
        p.assessment = assessJob(*world.coordinator, jobId, *checker, api(), assess);
        ProviderAgent providerAgent(*world.provider, manifest);
        std::vector<std::unique_ptr<CommitteeAgent>> committee;
        std::vector<Agent*> agents;
        if (providerAnswers) agents.push_back(&providerAgent);
        for (auto& m : world.members) {
            committee.push_back(std::make_unique<CommitteeAgent>(
                *m, remoteJudge(*checker, *world.coordinator, api())));
            agents.push_back(committee.back().get());
        }
        std::unique_ptr<ChallengerAgent> challenger;
        if (forcedDispute)
            challenger = std::make_unique<ChallengerAgent>(*world.challenger, *forcedDispute);
        else if (p.assessment.wrong())
            challenger = std::make_unique<ChallengerAgent>(*world.challenger,
                                                           partChooser(p.assessment, *checker));
        if (challenger) {
            challenger->challenge(jobId);
            agents.push_back(challenger.get());
        }
        p.moves = playUntilClosed(*world.coordinator, jobId, agents);
        p.job = world.coordinator->job(jobId);
        p.events = world.coordinator->events(0, jobId);
        if (p.assessment.source) p.bytesFetched = p.assessment.source->bytesFetched();
        for (const auto& e : p.events)
            if (e.name == "LeafRevealed") p.leafOp = e.fields["op"][0].get<std::uint32_t>();
        return p;
    }
};

// Seats revealed for (accept) or against the provider's result, over all ballots.
int votedSeats(const std::vector<CoordinatorEvent>& events, bool accept) {
    int seats = 0;
    for (const auto& e : events)
        if (e.name == "Voted" && e.fields["accept"].get<bool>() == accept)
            seats += e.fields["seats"].get<int>();
    return seats;
}

int countEvents(const std::vector<CoordinatorEvent>& events, const std::string& name) {
    return static_cast<int>(
        std::count_if(events.begin(), events.end(), [&](const auto& e) { return e.name == name; }));
}

} // namespace

class TestDisputeGame : public QObject {
    Q_OBJECT
    std::unique_ptr<DisputeWorld> world_;

private slots:
    void initTestCase() {
        if (test::foundryTool("anvil").isEmpty())
            QSKIP(qPrintable(test::missingToolMessage("anvil")));
        if (test::demoModel("fashion_cnn").isEmpty()) QSKIP("fashion_cnn demo model missing");
        world_ = std::make_unique<DisputeWorld>();
    }

    void honestJobFinalizes() {
        Game g(*world_, "fashion_cnn", {});
        auto p = g.play();
        QVERIFY2(!p.assessment.firstBad,
                 p.assessment.firstBad ? describe(*p.assessment.firstBad).c_str() : "");
        QCOMPARE(p.job.status, JobStatus::Accepted);
        QCOMPARE(countEvents(p.events, "DisputeOpened"), 0);
        QCOMPARE(p.moves.size(), std::size_t(1));
        QCOMPARE(p.moves[0].move, std::string("finalize"));
    }

    void adversaryLoses_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<double>("factor");
        QTest::addColumn<bool>("outputFirst"); // off: the challenger scans op by op
        const QList<std::pair<QString, QString>> rows = {
            {"fashion_cnn", "weight-swap"}, {"fashion_cnn", "int8"},
            {"fashion_cnn", "fp16-op"},     {"fashion_cnn", "skip-op"},
            {"fashion_cnn", "perturb-op"},  {"fashion_cnn", "bound-aware"},
            {"tiny_lm", "tanh-gelu"},       {"tiny_lm", "int8"},
            {"tiny_lm", "perturb-op"}};
        for (const auto& [model, mode] : rows)
            QTest::newRow(qPrintable(model + "/" + mode)) << model << mode << 1.01 << true;
        QTest::newRow("fashion_cnn/perturb-op 1e-5, op scan") << "fashion_cnn"
                                                              << "perturb-op" << 1.00001 << false;
        QTest::newRow("tiny_lm/bound-aware, op scan") << "tiny_lm"
                                                      << "bound-aware" << 1.01 << false;
    }
    void adversaryLoses() {
        QFETCH(QString, model);
        QFETCH(QString, mode);
        QFETCH(double, factor);
        QFETCH(bool, outputFirst);
        if (test::demoModel(model).isEmpty()) QSKIP("demo model missing");
        provider::AdversaryOptions adv;
        adv.mode = provider::parseAdversaryMode(mode.toStdString());
        adv.factor = factor;
        Game g(*world_, model, adv);
        QVERIFY(g.report.firstAffected.has_value());
        AssessOptions assess;
        assess.outputFirst = outputFirst;
        auto p = g.play(true, {}, assess);
        QVERIFY2(p.assessment.wrong(), "the challenger found nothing wrong");
        QCOMPARE(p.assessment.opsScanned, !outputFirst);
        if (!outputFirst) {
            QVERIFY(p.assessment.firstBad);
            QCOMPARE(p.assessment.firstBad->op, *g.report.firstAffected);
            if (adv.mode == provider::AdversaryMode::BoundAware)
                QCOMPARE(p.assessment.firstBad->verdict, verify::Verdict::Suspect);
        } else {
            // Found by its output alone: bisected by segment replays from cut states, so the
            // challenger fetched only part of the trace.
            QVERIFY(p.assessment.output && p.assessment.output->beyond);
            QVERIFY(!p.assessment.firstBad);
            QVERIFY2(p.bytesFetched < p.assessment.fullTraceBytes * 3 / 4,
                     qPrintable(QString("fetched %1 of %2 bytes")
                                    .arg(p.bytesFetched)
                                    .arg(p.assessment.fullTraceBytes)));
        }
        qInfo("%s: output %s; challenger fetched %llu of %llu trace bytes", qPrintable(mode),
              p.assessment.output ? describe(*p.assessment.output).c_str() : "not checked",
              static_cast<unsigned long long>(p.bytesFetched),
              static_cast<unsigned long long>(p.assessment.fullTraceBytes));
        QCOMPARE(p.job.status, JobStatus::Rejected);
        QVERIFY(p.leafOp.has_value());
        QCOMPARE(*p.leafOp, *g.report.firstAffected);
        // Every seat of the panel (3, drawn by stake) revealed a reject.
        QCOMPARE(votedSeats(p.events, false), 3);
        QCOMPARE(votedSeats(p.events, true), 0);
        QVERIFY(p.bytesFetched <= p.assessment.fullTraceBytes + 100'000);
    }

    void silentProviderLosesByTimeout() {
        provider::AdversaryOptions adv;
        adv.mode = provider::AdversaryMode::PerturbOp;
        Game g(*world_, "fashion_cnn", adv);
        auto p = g.play(/*providerAnswers=*/false);
        QCOMPARE(p.job.status, JobStatus::Rejected);
        QCOMPARE(countEvents(p.events, "MoveTimedOut"), 1);
        QVERIFY(!p.leafOp);
    }

    // Issue 14, finding 3: the result is bound to the trace. An honest trace posted with
    // another output: the challenger disputes the output leaf, which the provider cannot
    // reveal (OutputMismatch), so it loses by timeout.
    void outputNotTheTracesLoses() {
        const auto sold = commit::keccak256(std::string_view("an output the trace never made"));
        Game g(*world_, "fashion_cnn", {}, {}, {sold, false});
        auto p = g.play();
        QVERIFY(p.assessment.firstBad.has_value());
        QCOMPARE(p.assessment.firstBad->op, g.manifest.leafCount() - 1);
        QVERIFY2(p.assessment.firstBad->reason.find("posts output") != std::string::npos,
                 p.assessment.firstBad->reason.c_str());
        QCOMPARE(p.job.status, JobStatus::Rejected);
        QVERIFY(!p.leafOp);
        QCOMPARE(countEvents(p.events, "MoveTimedOut"), 1);
    }

    // The same output written into the trace's output leaf too (root rebuilt): the leaf
    // reveals, and the committee finds its hash is not the model's outputs in the trace.
    void forgedOutputLeafIsVotedDown() {
        const auto sold = commit::keccak256(std::string_view("an output the trace never made"));
        Game g(*world_, "fashion_cnn", {}, {}, {sold, true});
        auto p = g.play();
        QVERIFY2(p.assessment.wrong(), "the challenger sees the forged output leaf");
        QCOMPARE(p.job.status, JobStatus::Rejected);
        QVERIFY(p.leafOp.has_value());
        QCOMPARE(*p.leafOp, g.manifest.leafCount() - 1);
        QVERIFY(votedSeats(p.events, false) > 0);
        QCOMPARE(votedSeats(p.events, true), 0);
    }

    // An honest trace's output leaf, disputed anyway: the committee accepts it.
    void honestOutputLeafIsAccepted() {
        Game g(*world_, "fashion_cnn", {});
        auto p = g.play(true, g.manifest.leafCount() - 1);
        QCOMPARE(p.job.status, JobStatus::Accepted);
        QVERIFY(p.leafOp.has_value());
        QCOMPARE(*p.leafOp, g.manifest.leafCount() - 1);
        QCOMPARE(votedSeats(p.events, false), 0);
    }

    // The registry's graph is the model's, computed from the model itself as the challenger
    // and committee do, and the model's outputs read from an honest trace hash to its output.
    void registeredGraphIsTheModels() {
        for (const auto* model : {"fashion_cnn", "tiny_lm"}) {
            Game g(*world_, model, {});
            QCOMPARE(g.checker->graphRoot(), g.manifest.graphTree().root());
            QCOMPARE(*world_->coordinator->registeredGraph(g.manifest.modelId),
                     g.checker->graphRoot());
            QCOMPARE(commit::outputsHash(trace::referencedHashes(g.manifest, g.manifest.outputs)),
                     g.manifest.outputHash);
        }
    }

    // A challenge rests on the job's own trace and on a model registered with the wiring it
    // was judged with; anything else is named before a bond is staked.
    void challengeGroundsAreTheJobsOwn() {
        Game a(*world_, "fashion_cnn", {});
        provider::AdversaryOptions tampered; // another trace of the same model
        tampered.mode = provider::parseAdversaryMode("perturb-op");
        Game b(*world_, "fashion_cnn", tampered);
        QVERIFY(b.manifest.root != a.manifest.root);
        auto& coordinator = *world_->coordinator;
        ChallengeGrounds grounds{a.manifest, graphRootOf(*a.honestModel)};
        const auto none = challengeGroundsProblem(coordinator, a.jobId, grounds);
        QVERIFY2(!none, none ? none->c_str() : "");

        const auto other = challengeGroundsProblem(coordinator, b.jobId, grounds);
        QVERIFY(other);
        QVERIFY2(other->find("is not the one job " + std::to_string(b.jobId) + " committed") !=
                     std::string::npos,
                 other->c_str());

        auto tiny = grounds;
        tiny.trace.modelId = commit::sha256(std::vector<std::uint8_t>{1, 2, 3});
        const auto model = challengeGroundsProblem(coordinator, a.jobId, tiny);
        QVERIFY(model && model->find("the open trace ran model") != std::string::npos);

        auto rewired = grounds;
        rewired.graphRoot = commit::sha256(std::vector<std::uint8_t>{4, 5, 6});
        const auto wiring = challengeGroundsProblem(coordinator, a.jobId, rewired);
        QVERIFY2(wiring &&
                     wiring->find("registration does not describe this model") != std::string::npos,
                 wiring ? wiring->c_str() : "");

        const auto unregistered =
            registrationProblem(coordinator, tiny.trace.modelId, grounds.graphRoot);
        QVERIFY(unregistered &&
                unregistered->find("is not registered on chain") != std::string::npos);
        const auto missing = challengeGroundsProblem(coordinator, 1u << 30, grounds);
        QVERIFY(missing && missing->find("does not exist on chain") != std::string::npos);
    }

    void wrongChallengerLoses() {
        Game g(*world_, "fashion_cnn", {});
        const auto n = static_cast<std::uint32_t>(g.manifest.ops.size());
        auto p = g.play(true, n / 2); // disputes an op that is fine
        QCOMPARE(p.job.status, JobStatus::Accepted);
        QVERIFY(p.leafOp.has_value());
        QCOMPARE(*p.leafOp, n / 2);
        for (const auto& e : p.events)
            if (e.name == "Voted") QCOMPARE(e.fields["accept"].get<bool>(), true);
    }

    void mismatchingTensorRecordsProviderFaulty() {
        provider::DataServerOptions so;
        so.corruptOp = 2;
        Game g(*world_, "fashion_cnn", {}, so);
        auto faultLog = (g.dir.path() + "/faults.jsonl").toStdString();
        auto api = g.api();
        api.faultLog = faultLog;
        auto a = assessJob(*world_->coordinator, g.jobId, *g.checker, api);
        QVERIFY(a.fault.has_value());
        QCOMPARE(a.fault->op.value_or(999), 2u);
        QVERIFY(
            QString::fromStdString(a.fault->reason).contains("does not match its committed hash"));
        std::ifstream in(faultLog);
        std::string line;
        QVERIFY(std::getline(in, line));
        QVERIFY(line.find("\"op\":2") != std::string::npos);
        auto p = g.play(); // disputes op 2; the committee sees the same mismatch
        QCOMPARE(p.job.status, JobStatus::Rejected);
    }

    void badInputGivesClearErrors() {
        const auto& keys = world_->devnet->devKeys();
        auto wrongChain = messageOf<chain::WrongChainError>(
            [&] { CoordinatorAccount a(*world_->coordinator, keys[1], "provider", 1); });
        QVERIFY2(wrongChain.contains("31337") && wrongChain.contains("1"), qPrintable(wrongChain));

        CoordinatorAccount broke(*world_->coordinator, chain::PrivateKey::generate(), "challenger",
                                 chain::kDevnetChainId);
        Game g(*world_, "fashion_cnn", {});
        // The node or the sender refuses before anything is sent; either way the reason is named.
        auto unfunded = messageOf<chain::ChainError>([&] { broke.challenge(g.jobId); });
        QVERIFY2(unfunded.contains("funds", Qt::CaseInsensitive), qPrintable(unfunded));
        QCOMPARE(world_->coordinator->job(g.jobId).status, JobStatus::Submitted);

        auto ks = chain::encryptKeystore(keys[1], "right horse", chain::KdfParams::light());
        auto wrongPass =
            messageOf<chain::KeystoreError>([&] { chain::decryptKeystore(ks, "wrong"); });
        QVERIFY2(wrongPass.contains("passphrase"), qPrintable(wrongPass));
        QVERIFY(!wrongPass.contains("wrong\"") && !wrongPass.contains("right horse"));

        auto malformed = messageOf<std::invalid_argument>(
            [&] { chain::Address::fromHex("0x12345", "coordinator address"); });
        QVERIFY2(malformed.contains("coordinator address"), qPrintable(malformed));
        auto noCode = messageOf<chain::ChainError>(
            [&] { Coordinator c(*world_->client, world_->devnet->devAddress(7)); });
        QVERIFY2(noCode.contains("no contract code"), qPrintable(noCode));

        // A move in a game that is not the caller's is refused with the contract's error by name.
        auto outOfTurn = messageOf<chain::TransactionRevertedError>(
            [&] { world_->challenger->select(1'000'000, 0); });
        QVERIFY2(outOfTurn.contains("NotChallenger") || outOfTurn.contains("WrongTurn"),
                 qPrintable(outOfTurn));
    }

    // The job list and the dispute timeline an auditor sees are rebuilt from the chain alone:
    // every move is there with its sender, gas and narrowing interval, the votes and the
    // payouts are read back, and a second reader (an auditor after a restart) sees the same.
    void timelineAndJobBoardFollowTheChain() {
        provider::AdversaryOptions adv;
        adv.mode = provider::AdversaryMode::PerturbOp;
        Game g(*world_, "fashion_cnn", adv);
        auto p = g.play();
        QCOMPARE(p.job.status, JobStatus::Rejected);
        auto& c = *world_->coordinator;
        const auto board = readJobBoard(c);
        auto row = std::find_if(board.begin(), board.end(),
                                [&](const JobRow& r) { return r.jobId == g.jobId; });
        QVERIFY(row != board.end());
        QCOMPARE(row->job.status, JobStatus::Rejected);
        QCOMPARE(row->games.size(), std::size_t(1));
        QCOMPARE(row->openGames, std::size_t(0));
        QVERIFY(std::is_sorted(board.begin(), board.end(),
                               [](const JobRow& a, const JobRow& b) { return a.jobId > b.jobId; }));
        QCOMPARE(challengeSecondsLeft(row->job, c.now()), std::uint64_t(0));

        TimelineReader reader(c);
        const auto games = reader.read(g.jobId);
        QCOMPARE(games.size(), std::size_t(1));
        const auto& t = games[0];
        QCOMPARE(t.challenger, world_->challenger->address());
        QVERIFY(!t.moves.empty());
        QCOMPARE(t.moves.front().event, std::string("DisputeOpened"));
        QCOMPARE(t.moves.front().from, world_->challenger->address());
        const auto n = static_cast<std::uint32_t>(g.manifest.leafCount());
        QCOMPARE(*t.moves.front().interval, std::make_pair(std::uint32_t(0), n));
        std::map<commit::Hash32, std::uint64_t> gasOf;
        for (const auto& m : p.moves)
            gasOf[m.txHash] = m.gasUsed;
        auto width = n;
        int cuts = 0, selections = 0;
        for (const auto& m : t.moves) {
            QVERIFY(m.gasUsed > 0);
            if (m.event != "DisputeOpened") { // opened before the played moves
                QVERIFY2(gasOf.count(m.txHash), m.summary.c_str());
                QCOMPARE(m.gasUsed, gasOf[m.txHash]);
            }
            QVERIFY(!m.summary.empty());
            if (m.event == "CutsRevealed") {
                ++cuts;
                QCOMPARE(m.from, world_->provider->address());
                QVERIFY(!m.cuts.empty());
                for (auto op : m.cuts)
                    QVERIFY(op >= m.interval->first && op < m.interval->second);
            }
            if (m.event == "SegmentSelected") {
                ++selections;
                QCOMPARE(m.from, world_->challenger->address());
                const auto w = m.interval->second - m.interval->first;
                QVERIFY2(w < width, m.summary.c_str()); // the game narrows with every choice
                width = w;
                QVERIFY(m.interval->first <= *g.report.firstAffected &&
                        *g.report.firstAffected < m.interval->second);
            }
        }
        QVERIFY(cuts > 0 && selections == cuts);
        QVERIFY(t.revealedOp.has_value());
        QCOMPARE(*t.revealedOp, *g.report.firstAffected);
        int rejectSeats = 0;
        for (const auto& v : t.votes)
            if (!v.accept) rejectSeats += v.seats;
        QCOMPARE(rejectSeats, 3);
        QVERIFY(t.winner.has_value());
        QCOMPARE(*t.winner, world_->challenger->address());
        QCOMPARE(t.game.outcome, Outcome::ChallengerWon);
        bool challengerPaid = false;
        for (const auto& pay : t.payouts)
            if (pay.account == world_->challenger->address() &&
                !(pay.credited < world_->config.challengerBond))
                challengerPaid = true;
        QVERIFY2(challengerPaid, "the challenger's bond and reward were not credited");

        TimelineReader restarted(c);
        const auto again = restarted.read(g.jobId);
        QCOMPARE(again.size(), games.size());
        QCOMPARE(again[0].moves.size(), t.moves.size());
        for (std::size_t i = 0; i < t.moves.size(); ++i)
            QCOMPARE(again[0].moves[i].summary, t.moves[i].summary);
    }

    // The provider's second account challenges first and never selects; it used to hold the
    // job's only game and win it for the provider by timeout. The honest challenger opens its
    // own game anyway, the provider daemon answers both, and the tampered job is rejected.
    void providersOwnChallengerCannotShieldTheJob() {
        provider::AdversaryOptions adv;
        adv.mode = provider::AdversaryMode::PerturbOp;
        Game g(*world_, "fashion_cnn", adv);
        auto& c = *world_->coordinator;
        const auto sybilGame = world_->second->challenge(g.jobId).gameId;
        auto p = g.play();
        QCOMPARE(p.job.status, JobStatus::Rejected);
        const auto honestGame = c.gameOf(g.jobId, world_->challenger->address());
        QVERIFY(honestGame != 0 && honestGame != sybilGame);
        QCOMPARE(c.game(honestGame).outcome, Outcome::ChallengerWon);
        const auto sybil = c.game(sybilGame).outcome;
        QVERIFY2(sybil == Outcome::ProviderWon || sybil == Outcome::Moot,
                 outcomeName(sybil).c_str());
        QCOMPARE(countEvents(p.events, "DisputeOpened"), 2);
        QVERIFY(p.leafOp.has_value());
        QCOMPARE(*p.leafOp, *g.report.firstAffected);
        QCOMPARE(c.openGames(g.jobId), sybil == Outcome::Moot ? 1u : 0u);
    }

    // Two challengers dispute an honest result at different ops: the provider daemon answers
    // both games, the committee votes on both ballots, and the job is accepted.
    void honestProviderWinsEveryGame() {
        Game g(*world_, "fashion_cnn", {});
        const auto n = static_cast<std::uint32_t>(g.manifest.ops.size());
        ChallengerAgent other(*world_->second, n / 3);
        other.challenge(g.jobId);
        QVERIFY(!other.challenge(g.jobId)); // one game per account: nothing sent again
        auto& c = *world_->coordinator;
        // The second challenger plays its own game alongside the first one's.
        ProviderAgent providerAgent(*world_->provider, g.manifest);
        std::vector<std::unique_ptr<CommitteeAgent>> committee;
        std::vector<Agent*> agents{&providerAgent, &other};
        for (auto& m : world_->members) {
            committee.push_back(
                std::make_unique<CommitteeAgent>(*m, remoteJudge(*g.checker, c, g.api())));
            agents.push_back(committee.back().get());
        }
        ChallengerAgent first(*world_->challenger, n / 2);
        first.challenge(g.jobId);
        agents.push_back(&first);
        playUntilClosed(c, g.jobId, agents);
        QCOMPARE(c.job(g.jobId).status, JobStatus::Accepted);
        const auto games = c.jobGames(g.jobId);
        QCOMPARE(games.size(), std::size_t(2));
        for (auto id : games)
            QCOMPARE(c.game(id).outcome, Outcome::ProviderWon);
        auto events = c.events(0, g.jobId);
        QCOMPARE(countEvents(events, "LeafRevealed"), 2);
        QCOMPARE(votedSeats(events, true), 6); // both panels, every seat accepting
    }

    // A member that cannot reach the provider's data seals nothing: it abstains (its seats are
    // then settled as absent) instead of voting against either party for its own network
    // failure, and the other seats decide. The first member asked to judge is the one whose
    // network is down, so the blind member always holds seats.
    // Issue 15: a provider that stops serving its data mid-game. The challenger cannot replay
    // the parts, yet still moves before each deadline, steering to the withheld data; the
    // panel cannot fetch it either and abstains, and a ballot without revealed seats rejects
    // the result. Before, the challenger's process ended and the provider won by timeout.
    void challengerOutlastsAWithholdingProvider() {
        // Its own devnet: every member is slashed as absent here, which would leave the shared
        // committee without stake for the games after this one.
        DisputeWorld world;
        provider::AdversaryOptions adv;
        adv.mode = provider::AdversaryMode::PerturbOp;
        Game g(world, "fashion_cnn", adv);
        auto& c = *world.coordinator;
        AssessOptions outputOnly;
        outputOnly.scanOps = false; // the parts are replayed during the game, not before
        auto a = assessJob(c, g.jobId, *g.checker, g.api(), outputOnly);
        QVERIFY(a.wrong());
        QVERIFY(!a.disputedOp());
        g.server->stop(); // the provider stops answering; it keeps moving on chain
        std::vector<std::string> log;
        ProviderAgent providerAgent(*world.provider, g.manifest);
        ChallengerAgent challenger(
            *world.challenger,
            partChooser(a, *g.checker, [&](const std::string& s) { log.push_back(s); }));
        challenger.challenge(g.jobId);
        std::vector<Agent*> agents{&providerAgent, &challenger};
        std::vector<std::unique_ptr<CommitteeAgent>> committee;
        for (auto& m : world.members) {
            committee.push_back(
                std::make_unique<CommitteeAgent>(*m, remoteJudge(*g.checker, c, g.api())));
            agents.push_back(committee.back().get());
        }
        playUntilClosed(c, g.jobId, agents);
        QCOMPARE(c.job(g.jobId).status, JobStatus::Rejected);
        const bool steered = std::any_of(log.begin(), log.end(), [](const std::string& s) {
            return s.find("provider withholds data") != std::string::npos;
        });
        QVERIFY2(steered, log.empty() ? "no log" : log.back().c_str());
        const auto events = c.events(0, g.jobId);
        QCOMPARE(countEvents(events, "LeafRevealed"), 1); // the game ran to its leaf
        QCOMPARE(votedSeats(events, true) + votedSeats(events, false), 0);
    }

    void memberWithoutDataAbstains() {
        provider::AdversaryOptions adv;
        adv.mode = provider::AdversaryMode::PerturbOp;
        Game g(*world_, "fashion_cnn", adv);
        auto& c = *world_->coordinator;
        auto a = assessJob(c, g.jobId, *g.checker, g.api());
        QVERIFY(a.wrong());
        ProviderAgent providerAgent(*world_->provider, g.manifest);
        ChallengerAgent challenger(*world_->challenger, partChooser(a, *g.checker));
        challenger.challenge(g.jobId);
        std::vector<Agent*> agents{&providerAgent, &challenger};
        RemoteTraceOptions dead = g.api();
        dead.url = "http://127.0.0.1:1"; // nothing listens there
        auto deadJudge = remoteJudge(*g.checker, c, dead);
        auto liveJudge = remoteJudge(*g.checker, c, g.api());
        std::optional<chain::Address> blind;
        std::vector<std::string> abstentions;
        std::vector<std::unique_ptr<CommitteeAgent>> committee;
        for (auto& m : world_->members) {
            const auto me = m->address();
            committee.push_back(std::make_unique<CommitteeAgent>(
                *m,
                [&, me](std::uint64_t jobId, const JobInfo& job, std::uint32_t op) {
                    if (!blind) blind = me;
                    return *blind == me ? deadJudge(jobId, job, op) : liveJudge(jobId, job, op);
                },
                [&](const std::string& why) { abstentions.push_back(why); }));
            agents.push_back(committee.back().get());
        }
        std::map<std::string, std::pair<chain::Uint256, chain::Uint256>> before; // stake, balance
        for (auto& m : world_->members)
            before[m->address().hex()] = {c.stakeOf(m->address()), c.balanceOf(m->address())};
        playUntilClosed(c, g.jobId, agents);
        QCOMPARE(c.job(g.jobId).status, JobStatus::Rejected);
        QVERIFY(blind.has_value());
        QVERIFY(!abstentions.empty());
        QVERIFY2(QString::fromStdString(abstentions.front()).contains("data unavailable"),
                 abstentions.front().c_str());
        const auto gameId = c.gameOf(g.jobId, world_->challenger->address());
        const auto seat = c.seat(gameId, *blind);
        QVERIFY(seat.count > 0);
        QCOMPARE(seat.state, SeatState::Settled);
        for (const auto& e : c.events(0, g.jobId)) {
            if (e.name != "Voted" && e.name != "VoteCommitted") continue;
            QVERIFY2(e.fields["member"].get<std::string>() != blind->hex(),
                     "the blind member voted");
        }
        // Its seats were settled as absent: slashBps of memberStake per seat, nothing paid to it.
        const auto& [stake0, balance0] = before.at(blind->hex());
        const auto cut = c.config().memberStake * chain::Uint256(c.config().slashBps) / 10'000 *
                         chain::Uint256(seat.count);
        QCOMPARE(c.stakeOf(*blind).toDecimal(), (stake0 - cut).toDecimal());
        QCOMPARE(c.balanceOf(*blind).toDecimal(), balance0.toDecimal());
    }

    void outageMidGameResumesWithoutDoubleMoves();

    void cleanupTestCase() { world_.reset(); }
};

// Stops the node in the middle of a game, checks the agents fail with a clear transport
// error, brings a node back with the dumped state, and finishes the game with fresh agents
// (a restarted driver that remembers nothing).
void TestDisputeGame::outageMidGameResumesWithoutDoubleMoves() {
    auto world = std::make_unique<DisputeWorld>();
    provider::AdversaryOptions adv;
    adv.mode = provider::AdversaryMode::PerturbOp;
    adv.op = 5;
    Game g(*world, "fashion_cnn", adv);
    auto a = assessJob(*world->coordinator, g.jobId, *g.checker, g.api());
    QVERIFY(a.wrong());
    ChallengerAgent challenger(*world->challenger, partChooser(a, *g.checker));
    challenger.challenge(g.jobId);
    ProviderAgent provider(*world->provider, g.manifest);
    QVERIFY(provider.step(g.jobId));   // bisect
    QVERIFY(challenger.step(g.jobId)); // select
    auto state = world->client->rpc().call("anvil_dumpState");
    world->devnet->stop();
    auto down = messageOf<chain::ChainError>([&] { provider.step(g.jobId); });
    QVERIFY2(down.contains("127.0.0.1"), qPrintable(down));

    // The node comes back (on a new port) with the chain state; the driver restarts.
    chain::Devnet revived;
    revived.client().rpc().call("anvil_loadState", {state});
    chain::EthClient client(revived.rpcUrl());
    Coordinator coordinator(client, world->coordinator->address());
    const auto& keys = revived.devKeys();
    CoordinatorAccount prov(coordinator, keys[1], "provider", chain::kDevnetChainId);
    CoordinatorAccount chal(coordinator, keys[2], "challenger", chain::kDevnetChainId);
    ProviderAgent provider2(prov, g.manifest);
    ChallengerAgent challenger2(chal, partChooser(a, *g.checker));
    QVERIFY(!challenger2.step(g.jobId)); // its select already landed: nothing to resend
    std::vector<std::unique_ptr<CoordinatorAccount>> memberAccounts;
    std::vector<std::unique_ptr<CommitteeAgent>> members;
    std::vector<Agent*> agents{&provider2, &challenger2};
    for (int i = 3; i < 6; ++i) {
        memberAccounts.push_back(std::make_unique<CoordinatorAccount>(
            coordinator, keys[i], "committee", chain::kDevnetChainId));
        members.push_back(std::make_unique<CommitteeAgent>(
            *memberAccounts.back(), remoteJudge(*g.checker, coordinator, g.api())));
        agents.push_back(members.back().get());
    }
    playUntilClosed(coordinator, g.jobId, agents);
    QCOMPARE(coordinator.job(g.jobId).status, JobStatus::Rejected);
    auto events = coordinator.events(0, g.jobId);
    std::set<int> rounds;
    for (const auto& e : events)
        if (e.name == "CutsRevealed")
            QVERIFY2(rounds.insert(e.fields["round"].get<int>()).second,
                     "a round was answered twice");
    QCOMPARE(countEvents(events, "LeafRevealed"), 1);
}

QTEST_GUILESS_MAIN(TestDisputeGame)
#include "test_dispute_game.moc"
