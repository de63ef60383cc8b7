#include "views/dispute_client.hpp"

#include "core/chain/revert_reason.hpp"
#include "core/commit/bisection.hpp"
#include "core/dispute/agents.hpp"
#include "core/dispute/challenge_grounds.hpp"
#include "core/dispute/coordinator_abi.hpp"
#include "core/dispute/dispute_timeline.hpp"
#include "core/dispute/job_board.hpp"
#include "core/dispute/remote_trace.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/chain_text.hpp"
#include "views/engine_worker.hpp"

#include <QElapsedTimer>
#include <QPointer>
#include <QSettings>
#include <QTimer>
#include <map>

namespace tao::views {

using namespace tao::dispute;

struct DisputeClient::Chain {
    std::unique_ptr<chain::EthClient> client;
    std::unique_ptr<Coordinator> coordinator;
    std::unique_ptr<CoordinatorAccount> account;
    std::unique_ptr<TimelineReader> reader;
    std::map<std::uint64_t, std::unique_ptr<ChallengerAgent>> agents; // by job
    std::map<std::uint64_t, std::uint32_t> targets;                   // disputed op by job
    std::uint64_t fromBlock = 0;
};

struct DisputeClient::Snapshot {
    std::vector<JobRow> jobs;
    std::vector<GameTimeline> timeline;
    std::uint64_t now = 0;
    QElapsedTimer readAt;
};

namespace {
// What a person can act on: the coordinator's error by name, the node that does not answer.
QString explain(const std::exception& e, const QString& rpcUrl) {
    if (const auto* r = dynamic_cast<const chain::TransactionRevertedError*>(&e))
        return QObject::tr("The coordinator refused it: %1").arg(QString::fromStdString(r->reason));
    if (const auto* r = dynamic_cast<const chain::RpcError*>(&e); r && !r->data.empty())
        return QObject::tr("The coordinator would refuse it: %1")
            .arg(QString::fromStdString(
                chain::describeRevert(chain::revertDataFromRpc(r->data), abi::customErrors())));
    if (dynamic_cast<const chain::RpcTransportError*>(&e))
        return QObject::tr("The node at %1 does not answer (%2). Check that it is running and "
                           "the URL is right.")
            .arg(rpcUrl, QString::fromStdString(e.what()));
    if (dynamic_cast<const chain::InsufficientFundsError*>(&e))
        return QObject::tr("%1. Fund the account, then try again.")
            .arg(QString::fromStdString(e.what()));
    return QString::fromStdString(e.what());
}

RemoteTraceOptions apiFor(Coordinator& c, std::uint64_t jobId, const JobInfo& job,
                          const std::string& url) {
    RemoteTraceOptions o;
    o.url = url;
    return jobTraceOptions(o, c, jobId, job);
}
} // namespace

DisputeClient::DisputeClient(QObject* parent)
    : QObject(parent)
    , worker_(new EngineWorker(this))
    , chain_(std::make_shared<Chain>())
    , snapshot_(std::make_unique<Snapshot>()) {
    auto* timer = new QTimer(this);
    timer->setInterval(1000);
    connect(timer, &QTimer::timeout, this, [this] {
        if (connected_) refresh();
    });
    timer->start();
}

DisputeClient::~DisputeClient() {
    worker_->waitIdle();
}

const std::vector<JobRow>& DisputeClient::jobs() const {
    return snapshot_->jobs;
}
const std::vector<GameTimeline>& DisputeClient::timeline() const {
    return snapshot_->timeline;
}
quint64 DisputeClient::chainNow() const {
    return snapshot_->now;
}

qint64 DisputeClient::secondsUntil(quint64 deadline) const {
    const auto elapsed = snapshot_->readAt.isValid() ? snapshot_->readAt.elapsed() / 1000 : 0;
    return std::max<qint64>(0, qint64(deadline) - qint64(snapshot_->now) - elapsed);
}

std::optional<std::size_t> DisputeClient::myGame() const {
    if (account_.isEmpty()) return std::nullopt;
    for (std::size_t i = 0; i < snapshot_->timeline.size(); ++i)
        if (QString::fromStdString(snapshot_->timeline[i].challenger.hex())
                .compare(account_, Qt::CaseInsensitive) == 0)
            return i;
    return std::nullopt;
}

void DisputeClient::submit(const QString& tag, std::function<std::function<void()>(Chain&)> work,
                           const QString& what) {
    const auto url = target_.rpcUrl;
    worker_->submit(tag,
                    [chain = chain_, work, what, url,
                     self = QPointer<DisputeClient>(this)](JobControl&) -> std::function<void()> {
                        try {
                            return work(*chain);
                        } catch (const std::exception& e) {
                            const auto message = explain(e, url);
                            return [self, what, message] {
                                if (self) emit self->failed(what, message);
                            };
                        }
                    });
}

void DisputeClient::connectTo(const NetworkTarget& target,
                              std::shared_ptr<const chain::PrivateKey> key) {
    target_ = target;
    connected_ = false;
    submit(
        "connect",
        [this, target, key](Chain& c) -> std::function<void()> {
            auto client =
                std::make_unique<chain::EthClient>(target.rpcUrl.toStdString(), windowRpcOptions());
            const auto id = client->chainId();
            if (id != target.chainId)
                throw chain::WrongChainError("the node at " + target.rpcUrl.toStdString() +
                                             " is on chain " + std::to_string(id) + ", not " +
                                             std::to_string(target.chainId) +
                                             ": choose the network it serves");
            c.agents.clear();
            c.targets.clear();
            c.account.reset();
            c.reader.reset();
            c.coordinator = std::make_unique<Coordinator>(
                *client, chain::Address::fromHex(target.coordinator.toStdString(), "coordinator"));
            c.client = std::move(client);
            c.account =
                std::make_unique<CoordinatorAccount>(*c.coordinator, *key, "challenger", id);
            c.reader = std::make_unique<TimelineReader>(*c.coordinator);
            c.fromBlock = target.fromBlock;
            const auto account = QString::fromStdString(c.account->address().hex());
            const auto arity = c.coordinator->config().arity;
            return [this, account, arity] {
                account_ = account;
                arity_ = arity;
                connected_ = true;
                emit connectedChanged(true);
                refresh();
            };
        },
        tr("Connecting to %1").arg(target.label));
}

void DisputeClient::follow(quint64 jobId) {
    followed_ = jobId;
    refresh();
}

void DisputeClient::refresh() {
    if (!connected_) return;
    const auto followed = followed_;
    const bool automatic = automatic_;
    const auto remembered = followed ? rememberedGame(*followed) : std::nullopt;
    submit(
        "refresh",
        [this, followed, automatic, remembered](Chain& c) -> std::function<void()> {
            auto snap = std::make_shared<Snapshot>();
            QString pending, sent;
            if (followed) {
                const auto jobId = *followed;
                if (!c.targets.count(jobId) && remembered) c.targets[jobId] = *remembered;
                if (c.targets.count(jobId) && !c.agents.count(jobId))
                    c.agents[jobId] =
                        std::make_unique<ChallengerAgent>(*c.account, c.targets[jobId]);
                if (auto it = c.agents.find(jobId); it != c.agents.end()) {
                    const auto d = it->second->pending(jobId);
                    if (d.action == Action::Select && !automatic) {
                        const auto g = c.coordinator->gameOf(jobId, c.account->address());
                        const auto game = c.coordinator->game(g);
                        const auto k = c.coordinator->config().arity;
                        const auto part =
                            commit::partContaining(game.lo, game.hi, k, c.targets[jobId]);
                        const auto [lo, hi] = commit::selectedInterval(game.lo, game.hi, k, part);
                        pending = tr("Select part %1 of [%2, %3): ops [%4, %5), which holds op %6")
                                      .arg(part)
                                      .arg(game.lo)
                                      .arg(game.hi)
                                      .arg(lo)
                                      .arg(hi)
                                      .arg(c.targets[jobId]);
                    } else if (d.action != Action::None) {
                        if (auto m = it->second->step(jobId))
                            sent = QString::fromStdString(m->move + " " + m->detail);
                    }
                }
                snap->timeline = c.reader->read(jobId, c.fromBlock);
            }
            snap->jobs = readJobBoard(*c.coordinator, c.fromBlock);
            snap->now = c.coordinator->now();
            const auto balance = etherForPeople(c.client->balance(c.account->address()));
            return [this, snap, pending, sent, balance] {
                snap->readAt.start();
                snapshot_->jobs = std::move(snap->jobs);
                snapshot_->timeline = std::move(snap->timeline);
                snapshot_->now = snap->now;
                snapshot_->readAt = snap->readAt;
                balance_ = balance;
                if (pending != pendingMove_) {
                    pendingMove_ = pending;
                    emit pendingMoveChanged(pending);
                }
                if (!sent.isEmpty()) emit moveSent(sent);
                emit jobsChanged();
                emit timelineChanged();
            };
        },
        tr("Reading the chain"));
}

void DisputeClient::fetchJob(quint64 jobId, const QString& dir, std::function<void(QString)> done) {
    const auto url = target_.providerApi.toStdString();
    const auto out =
        std::filesystem::path(dir.toStdString()) / ("job-" + std::to_string(jobId) + ".taotrace");
    submit(
        "fetch",
        [jobId, url, out, done](Chain& c) -> std::function<void()> {
            const auto job = c.coordinator->job(jobId);
            if (!hasResult(job.status))
                throw std::runtime_error("job " + std::to_string(jobId) + " has no result (" +
                                         jobStatusName(job.status) + ")");
            RemoteTraceSource source(apiFor(*c.coordinator, jobId, job, url));
            const auto& m = source.manifest();
            std::vector<std::pair<std::string, trace::HostTensor>> inputs = source.graphInputs();
            std::vector<std::vector<trace::HostTensor>> outputs;
            for (std::uint32_t op = 0; op < m.ops.size(); ++op)
                outputs.push_back(source.opOutputs(op)); // each checked against its record
            std::vector<trace::TensorView> inViews, opViews;
            for (const auto& [name, t] : inputs)
                inViews.push_back({name, t.dtype, t.shape, t.data});
            for (std::uint32_t op = 0; op < outputs.size(); ++op)
                for (std::size_t j = 0; j < outputs[op].size(); ++j)
                    if (outputs[op][j].dtype != commit::DType::None)
                        opViews.push_back({trace::opTensorName(op, j), outputs[op][j].dtype,
                                           outputs[op][j].shape, outputs[op][j].data});
            auto full = m; // the provider serves a light manifest: its tensors are now here
            full.light = false;
            trace::writeTraceBundle(out, full, inViews, opViews);
            const auto path = QString::fromStdString(out.string());
            return [done, path] { done(path); };
        },
        tr("Fetching job %1 from the provider").arg(jobId));
}

void DisputeClient::quoteChallenge(quint64 jobId,
                                   std::shared_ptr<const dispute::ChallengeGrounds> grounds,
                                   std::function<void(const ChallengeQuote&)> done) {
    submit(
        "quote",
        [jobId, grounds, done](Chain& c) -> std::function<void()> {
            ChallengeQuote q;
            q.jobId = jobId;
            const auto config = c.coordinator->config();
            q.bond = QString::fromStdString(chain::etherText(config.challengerBond));
            q.moveTimeout = config.moveTimeout;
            q.challengeSecondsLeft =
                challengeSecondsLeft(c.coordinator->job(jobId), c.coordinator->now());
            const auto me = c.account->address();
            q.balance = etherForPeople(c.client->balance(me));
            chain::CallRequest call;
            call.from = me;
            call.to = c.coordinator->address();
            call.value = config.challengerBond;
            call.data = abi::challenge(jobId);
            try {
                q.gas = c.client->estimateGas(call);
                const auto fees = c.client->suggestFees();
                q.cost = etherForPeople(chain::Uint256(q.gas) * fees.maxFeePerGas);
            } catch (const std::exception& e) {
                q.error = explain(e, QString());
            }
            // Before a revert: a challenge that would go through can still rest on nothing.
            if (const auto problem = challengeGroundsProblem(*c.coordinator, jobId, *grounds))
                q.error = QString::fromStdString(*problem);
            return [done, q] { done(q); };
        },
        tr("Estimating the challenge of job %1").arg(jobId));
}

void DisputeClient::challenge(quint64 jobId, quint32 op, bool automatic,
                              std::shared_ptr<const dispute::ChallengeGrounds> grounds) {
    automatic_ = automatic;
    rememberGame(jobId, op);
    followed_ = jobId;
    submit(
        "move",
        [this, jobId, op, grounds](Chain& c) -> std::function<void()> {
            // Checked again: the open trace may have changed since the quote.
            if (const auto problem = challengeGroundsProblem(*c.coordinator, jobId, *grounds))
                throw std::runtime_error(*problem);
            c.targets[jobId] = op;
            c.agents[jobId] = std::make_unique<ChallengerAgent>(*c.account, op);
            auto m = c.agents[jobId]->challenge(jobId);
            const auto text = m ? QString::fromStdString("challenge " + m->detail)
                                : tr("already challenged by this account");
            return [this, text] {
                emit moveSent(text);
                refresh();
            };
        },
        tr("Challenging job %1").arg(jobId));
}

void DisputeClient::setAutomatic(bool automatic) {
    automatic_ = automatic;
    refresh();
}

void DisputeClient::sendPendingMove() {
    if (!followed_ || pendingMove_.isEmpty()) return;
    const auto jobId = *followed_;
    pendingMove_.clear();
    emit pendingMoveChanged(QString());
    submit(
        "move",
        [this, jobId](Chain& c) -> std::function<void()> {
            auto it = c.agents.find(jobId);
            if (it == c.agents.end()) return [] {};
            auto m = it->second->step(jobId);
            const auto text = m ? QString::fromStdString(m->move + " " + m->detail) : QString();
            return [this, text] {
                if (!text.isEmpty()) emit moveSent(text);
                refresh();
            };
        },
        tr("Sending the selection"));
}

QString DisputeClient::settingsKey(quint64 jobId) const {
    return QStringLiteral("disputes/%1/%2/%3/%4")
        .arg(target_.chainId)
        .arg(target_.coordinator.toLower(), account().toLower())
        .arg(jobId);
}

void DisputeClient::rememberGame(quint64 jobId, quint32 op) const {
    QSettings().setValue(settingsKey(jobId), op);
}

std::optional<quint32> DisputeClient::rememberedGame(quint64 jobId) const {
    const auto v = QSettings().value(settingsKey(jobId));
    if (!v.isValid()) return std::nullopt;
    return v.toUInt();
}

} // namespace tao::views
