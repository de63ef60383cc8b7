#include "views/dispute_dock.hpp"

#include "core/chain/keystore.hpp"
#include "core/commit/bisection.hpp"
#include "core/dispute/challenge_grounds.hpp"
#include "core/dispute/dispute_timeline.hpp"
#include "core/dispute/job_board.hpp"
#include "core/dispute/op_checker.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/audit_session.hpp"
#include "views/chain_text.hpp"
#include "views/challenge_dialog.hpp"
#include "views/demo_files.hpp"
#include "views/dispute_client.hpp"
#include "views/job_list_model.hpp"
#include "views/timeline_model.hpp"

#include <QCheckBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace tao::views {

using namespace tao::dispute;

namespace {
QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* t = new QTableView(parent);
    t->setModel(model);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    return t;
}

QLabel* makeLabel(QWidget* parent) {
    auto* l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

// Whose move it is, for people.
QString waitingFor(const GameTimeline& g, bool mine) {
    switch (g.game.phase) {
    case Phase::ProviderBisect:
        return QObject::tr("the provider must reveal its cuts");
    case Phase::ChallengerSelect:
        return mine ? QObject::tr("you must select a part")
                    : QObject::tr("the challenger must select a part");
    case Phase::ProviderReveal:
        return QObject::tr("the provider must reveal op %1").arg(g.game.lo);
    case Phase::Voting:
        return QObject::tr("the committee is voting on op %1")
            .arg(g.revealedOp.value_or(g.game.lo));
    default:
        return {};
    }
}
} // namespace

DisputeDock::DisputeDock(AuditSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , client_(new DisputeClient(this))
    , jobModel_(new JobListModel(client_, this))
    , timelineModel_(new TimelineModel(client_, this)) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    status_ = makeLabel(this);
    status_->setText(tr("Not connected. Start the demo network, or use Tools → Connect."));
    startDemo_ = new QPushButton(tr("Start demo network"), this);
    startDemo_->setObjectName(QStringLiteral("startDemoNetwork"));
    top->addWidget(status_, 1);
    top->addWidget(startDemo_);
    layout->addLayout(top);
    jobs_ = makeTable(jobModel_, this);
    jobs_->setObjectName(QStringLiteral("jobsView"));
    jobs_->horizontalHeader()->setStretchLastSection(false);
    jobs_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    jobs_->setMinimumHeight(jobs_->verticalHeader()->defaultSectionSize() * 3 +
                            jobs_->horizontalHeader()->sizeHint().height() + 4);
    layout->addWidget(jobs_, 1);
    auto* actions = new QHBoxLayout;
    open_ = new QPushButton(tr("Open job"), this);
    open_->setObjectName(QStringLiteral("openJob"));
    challenge_ = new QPushButton(tr("Challenge…"), this);
    challenge_->setObjectName(QStringLiteral("challengeJob"));
    stepByStep_ = new QCheckBox(tr("Step by step"), this);
    stepByStep_->setToolTip(tr("Show each selection and wait for your confirmation"));
    actions->addWidget(open_);
    actions->addWidget(challenge_);
    actions->addStretch();
    actions->addWidget(stepByStep_);
    layout->addLayout(actions);
    game_ = makeLabel(this);
    game_->setObjectName(QStringLiteral("gameLabel"));
    layout->addWidget(game_);
    parts_ = makeLabel(this);
    parts_->setObjectName(QStringLiteral("partsLabel"));
    layout->addWidget(parts_);
    timeline_ = makeTable(timelineModel_, this);
    timeline_->setObjectName(QStringLiteral("timelineView"));
    timeline_->horizontalHeader()->setStretchLastSection(false);
    timeline_->horizontalHeader()->setSectionResizeMode(TimelineModel::Move, QHeaderView::Stretch);
    layout->addWidget(timeline_, 4);
    connect(timelineModel_, &QAbstractItemModel::rowsInserted, timeline_,
            &QTableView::scrollToBottom); // the latest move in view as the game runs
    auto* step = new QHBoxLayout;
    pending_ = makeLabel(this);
    send_ = new QPushButton(tr("Send selection"), this);
    send_->setObjectName(QStringLiteral("sendSelection"));
    step->addWidget(pending_, 1);
    step->addWidget(send_);
    layout->addLayout(step);
    outcome_ = makeLabel(this);
    outcome_->setObjectName(QStringLiteral("outcomeLabel"));
    layout->addWidget(outcome_);
    error_ = makeLabel(this);
    error_->setStyleSheet(QStringLiteral("color: #b3261e;"));
    error_->hide();
    layout->addWidget(error_);

    connect(startDemo_, &QPushButton::clicked, this, [this] {
        startDemoNetwork(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                         QStringLiteral("/demo-network"));
    });
    connect(open_, &QPushButton::clicked, this, &DisputeDock::openSelectedJob);
    connect(challenge_, &QPushButton::clicked, this, &DisputeDock::challengeSelectedJob);
    connect(send_, &QPushButton::clicked, client_, &DisputeClient::sendPendingMove);
    connect(stepByStep_, &QCheckBox::toggled, this,
            [this](bool on) { client_->setAutomatic(!on); });
    connect(jobs_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (auto id = selectedJob()) client_->follow(id);
        updateButtons();
        showGame();
    });
    connect(client_, &DisputeClient::jobsChanged, this, [this] {
        if (!selectedJob() && client_->followed())
            selectJob(*client_->followed()); // the selection returns after a reset
        if (client_->isConnected())
            status_->setText(tr("%1 · chain %2 · coordinator %3 · account %4 · balance %5")
                                 .arg(client_->target().label)
                                 .arg(client_->target().chainId)
                                 .arg(shortHex(client_->target().coordinator.toStdString()),
                                      shortHex(client_->account().toStdString()),
                                      client_->balance()));
        updateButtons();
    });
    connect(client_, &DisputeClient::timelineChanged, this, &DisputeDock::showGame);
    connect(client_, &DisputeClient::pendingMoveChanged, this, [this](const QString& move) {
        pending_->setText(move.isEmpty() ? QString() : tr("Next: %1").arg(move));
        updateButtons();
    });
    connect(client_, &DisputeClient::moveSent, this, [this](const QString& move) {
        error_->hide();
        pending_->setText(tr("Sent: %1").arg(move));
    });
    connect(client_, &DisputeClient::failed, this, &DisputeDock::showError);
    auto* tick = new QTimer(this);
    tick->setInterval(1000);
    connect(tick, &QTimer::timeout, this, &DisputeDock::showGame);
    tick->start();
    updateButtons();
}

DisputeDock::~DisputeDock() {
    if (demoProcess_) {
        demoProcess_->terminate(); // the devnet and its agents stop with it
        if (!demoProcess_->waitForFinished(5000)) demoProcess_->kill();
    }
}

QString DisputeDock::statusText() const {
    return status_->text();
}
QString DisputeDock::gameText() const {
    return game_->text();
}
QString DisputeDock::outcomeText() const {
    return outcome_->text();
}
QString DisputeDock::errorText() const {
    return error_->isHidden() ? QString() : error_->text(); // shown, even if the dock is not
}
QString DisputeDock::partsText() const {
    return parts_->text();
}
QString DisputeDock::pendingText() const {
    return pending_->text();
}

quint64 DisputeDock::selectedJob() const {
    const auto rows = jobs_->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : jobModel_->jobAt(rows.first().row());
}

void DisputeDock::selectJob(quint64 jobId) {
    const int row = jobModel_->rowOf(jobId);
    if (row >= 0) jobs_->selectRow(row);
}

void DisputeDock::updateButtons() {
    const bool connected = client_->isConnected();
    startDemo_->setEnabled(!demoProcess_);
    open_->setEnabled(connected && selectedJob());
    challenge_->setEnabled(connected && selectedJob());
    send_->setEnabled(!client_->pendingMove().isEmpty());
}

void DisputeDock::showError(const QString& what, const QString& message) {
    error_->setText(tr("%1 failed: %2").arg(what, message));
    error_->show();
}

void DisputeDock::connectTo(const NetworkTarget& target,
                            std::shared_ptr<const chain::PrivateKey> key) {
    error_->hide();
    status_->setText(tr("Connecting to %1…").arg(target.label));
    client_->connectTo(target, std::move(key));
}

void DisputeDock::startDemoNetwork(const QString& dir) {
    const QString tao = taoExecutable();
    if (tao.isEmpty()) {
        showError(tr("Starting the demo network"),
                  tr("the command-line tool `tao` was not found; build it with scripts/build"));
        return;
    }
    demoProcess_ = new QProcess(this);
    demoOutput_.clear();
    status_->setText(tr("Starting a local devnet with a cheating provider…"));
    connect(demoProcess_, &QProcess::readyReadStandardOutput, this, [this] {
        demoOutput_ += QString::fromUtf8(demoProcess_->readAllStandardOutput());
        if (!demo_.isEmpty()) return;
        for (const auto& line : demoOutput_.split('\n')) {
            const auto doc = QJsonDocument::fromJson(line.toUtf8());
            if (!doc.isObject() || !doc.object().contains(QStringLiteral("rpcUrl"))) continue;
            demo_ = doc.object();
            NetworkTarget target;
            target.label = tr("Local devnet (demo)");
            target.rpcUrl = demo_[QStringLiteral("rpcUrl")].toString();
            target.chainId = quint64(demo_[QStringLiteral("chainId")].toInteger());
            target.coordinator = demo_[QStringLiteral("coordinator")].toString();
            target.providerApi = demo_[QStringLiteral("providerApi")].toString();
            const auto keystore = demo_[QStringLiteral("auditorKeystore")].toString().toStdString();
            const auto passphrase =
                demo_[QStringLiteral("auditorPassphrase")].toString().toStdString();
            // Unlocked off the GUI thread; a devnet key, whose passphrase the network gave.
            auto* watcher = new QFutureWatcher<std::shared_ptr<const chain::PrivateKey>>(this);
            connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, target] {
                watcher->deleteLater();
                try {
                    connectTo(target, watcher->result());
                    emit demoNetworkReady(demo_);
                } catch (const std::exception& e) {
                    showError(tr("Unlocking the demo account"), QString::fromStdString(e.what()));
                }
            });
            watcher->setFuture(QtConcurrent::run([keystore, passphrase] {
                return std::make_shared<const chain::PrivateKey>(
                    chain::unlockKeystoreFile(keystore, passphrase));
            }));
            break;
        }
    });
    connect(demoProcess_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        const auto err = QString::fromUtf8(demoProcess_->readAllStandardError()).trimmed();
        showError(tr("The demo network"),
                  tr("it stopped (exit code %1): %2").arg(code).arg(err.right(600)));
        demoProcess_->deleteLater();
        demoProcess_ = nullptr;
        updateButtons();
    });
    demoProcess_->start(tao, {QStringLiteral("demo-network"), QStringLiteral("--out"), dir});
    updateButtons();
}

void DisputeDock::openSelectedJob() {
    const auto job = selectedJob();
    if (!job) return;
    const auto dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                     QStringLiteral("/jobs/%1").arg(client_->target().chainId);
    QDir().mkpath(dir);
    status_->setText(tr("Fetching job %1 from its provider and checking every tensor…").arg(job));
    client_->fetchJob(job, dir, [this](const QString& path) { emit traceFetched(path); });
}

QString DisputeDock::motive(std::uint32_t* op) const {
    std::optional<std::uint32_t> first;
    for (auto o : session_->suspiciousOps())
        if (!first || o < *first) first = o;
    if (!first) return {};
    *op = *first;
    const auto* v = session_->verdict(*first);
    return tr("op #%1 %2 is %3: error %4 against a threshold of %5")
        .arg(*first)
        .arg(QString::fromStdString(v->kind),
             QString::fromStdString(std::string(verify::verdictName(v->verdict))))
        .arg(v->error, 0, 'g', 3)
        .arg(v->empiricalThreshold, 0, 'g', 3);
}

void DisputeDock::challengeSelectedJob() {
    const auto job = selectedJob();
    if (!job) return;
    std::uint32_t op = 0;
    const auto why = motive(&op);
    if (why.isEmpty() || !session_->trace() || !session_->model()) {
        showError(tr("Challenging job %1").arg(job),
                  tr("open the job first: no operator of the open trace is beyond its "
                     "threshold, so there is nothing to dispute"));
        return;
    }
    // What the verdicts behind the motive rest on, checked against the job on chain.
    auto grounds = std::make_shared<dispute::ChallengeGrounds>();
    grounds->trace = session_->trace()->manifest();
    grounds->graphRoot = dispute::graphRootOf(*session_->model());
    client_->quoteChallenge(
        job, grounds, [this, job, op, why, grounds](const ChallengeQuote& quote) {
            auto* dialog = new ChallengeDialog(quote, why, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, dialog, job, op, grounds] {
                stepByStep_->setChecked(!dialog->automatic());
                client_->challenge(job, op, dialog->automatic(), grounds);
            });
            emit dialogShown(dialog);
            dialog->open();
        });
}

QString DisputeDock::describeParts(std::uint32_t lo, std::uint32_t hi) const {
    if (!session_->hasVerdicts()) return tr("Open the job to check each part yourself.");
    const auto k = client_->arity();
    const auto n = std::uint32_t(session_->ops().size());
    QStringList parts;
    for (std::uint32_t j = 0; j < commit::bisectionParts(lo, hi, k); ++j) {
        const auto [a, b] = commit::selectedInterval(lo, hi, k, j);
        std::optional<std::uint32_t> bad;
        for (auto op = a; op < b && op < n && !bad; ++op)
            if (const auto* v = session_->verdict(op); v && v->verdict != verify::Verdict::Pass)
                bad = op;
        const auto range = QStringLiteral("[%1, %2)").arg(a).arg(b);
        if (bad)
            parts << tr("part %1 %2: op %3 is %4")
                         .arg(j)
                         .arg(range)
                         .arg(*bad)
                         .arg(QString::fromStdString(
                             std::string(verify::verdictName(session_->verdict(*bad)->verdict))));
        else
            parts << tr("part %1 %2: all pass").arg(j).arg(range);
    }
    return tr("Your check: %1").arg(parts.join(QStringLiteral(" · ")));
}

void DisputeDock::showGame() {
    const auto& games = client_->timeline();
    if (!client_->followed() || games.empty()) {
        game_->setText(client_->followed() ? tr("No dispute on job %1.").arg(*client_->followed())
                                           : QString());
        outcome_->clear();
        return;
    }
    const auto mine = client_->myGame();
    const auto& g = games[mine.value_or(games.size() - 1)];
    const auto& game = g.game;
    if (game.open()) {
        const auto deadline = game.phase == Phase::Voting && g.ballot.revealDeadline
                                  ? g.ballot.revealDeadline
                                  : game.deadline;
        game_->setText(tr("Game %1 · round %2 · ops [%3, %4) · %5 within %6")
                           .arg(g.gameId)
                           .arg(game.round)
                           .arg(game.lo)
                           .arg(game.hi)
                           .arg(waitingFor(g, bool(mine)))
                           .arg(countdownText(client_->secondsUntil(deadline))));
        session_->setDisputeInterval(
            std::make_pair(std::uint32_t(game.lo), std::uint32_t(std::max(game.hi, game.lo + 1))));
        parts_->setText(game.phase == Phase::ChallengerSelect ? describeParts(game.lo, game.hi)
                                                              : QString());
        outcome_->clear();
        return;
    }
    game_->setText(tr("Game %1 is over.").arg(g.gameId));
    parts_->clear();
    if (g.revealedOp)
        session_->setDisputeInterval(std::make_pair(*g.revealedOp, *g.revealedOp + 1));
    QString text;
    if (game.outcome == Outcome::ChallengerWon)
        text = tr("Challenger won: the committee rejected op %1, and the job is rejected.")
                   .arg(g.revealedOp ? QString::number(*g.revealedOp) : tr("?"));
    else if (game.outcome == Outcome::ProviderWon)
        text = tr("Provider won: the result stands.");
    else
        text = tr("Closed without a verdict (another game decided the job).");
    int accept = 0, reject = 0;
    QStringList reasons;
    for (const auto& v : g.votes) {
        (v.accept ? accept : reject) += v.seats;
        reasons << QString::fromStdString(voteReasonName(v.reason));
    }
    reasons.removeDuplicates();
    if (!g.votes.empty())
        text += tr("\nVotes: %1 seats reject, %2 accept (%3).")
                    .arg(reject)
                    .arg(accept)
                    .arg(reasons.join(QStringLiteral(", ")));
    QStringList pays;
    const JobRow* job = nullptr;
    for (const auto& r : client_->jobs())
        if (r.jobId == *client_->followed()) job = &r;
    for (const auto& p : g.payouts) {
        QString who = shortHex(p.account.hex());
        if (client_->account().compare(QString::fromStdString(p.account.hex()),
                                       Qt::CaseInsensitive) == 0)
            who = tr("you");
        else if (p.account == chain::Address())
            who = tr("burnt");
        else if (job && p.account == job->job.provider)
            who = tr("provider");
        else if (job && p.account == job->job.client)
            who = tr("client");
        else if (p.what == "committee seat")
            who = tr("member %1").arg(who);
        QString line = tr("%1 +%2").arg(who, etherForPeople(p.credited));
        if (p.slashed != chain::Uint256())
            line += tr(" (slashed %1)").arg(etherForPeople(p.slashed));
        pays << line;
    }
    if (!pays.isEmpty()) text += tr("\nPayouts: %1.").arg(pays.join(QStringLiteral("; ")));
    outcome_->setText(text);
}

} // namespace tao::views
