// The dispute panel against a live demo network (`tao demo-network`: a real anvil devnet, the
// coordinator, a provider that tampered with job 2 and a committee of three, all playing in
// real time), driven as a person would: job list from the chain's events, the job opened from
// the provider's API and verified, the challenge confirmed, one selection confirmed by hand,
// the interval narrowing on the graph, the countdown running, a restarted panel rebuilding the
// same timeline from the chain, the verdict and payouts shown, and a challenge the
// coordinator refuses shown with its error decoded.
#include "core/chain/keystore.hpp"
#include "core/dispute/dispute_timeline.hpp"
#include "core/dispute/job_board.hpp"
#include "test_views.hpp"
#include "views/app_settings.hpp"
#include "views/audit_session.hpp"
#include "views/challenge_dialog.hpp"
#include "views/dispute_client.hpp"
#include "views/dispute_dock.hpp"
#include "views/graph_panel.hpp"
#include "views/graph_scene.hpp"
#include "views/job_list_model.hpp"
#include "views/main_window.hpp"
#include "views/node_item.hpp"
#include "views/timeline_model.hpp"

#include <QCheckBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QtTest>

using namespace tao;
using namespace tao::views;

namespace {
void clickRow(QTableView* view, int row) {
    const auto rect = view->visualRect(view->model()->index(row, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

int rowWith(QAbstractItemModel* model, int column, const QString& text) {
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, column).data().toString() == text) return r;
    return -1;
}
} // namespace

void TestViews::disputeIsWonWithTheMouse() {
    QElapsedTimer elapsed;
    elapsed.start();
    QTemporaryDir dir;
    qputenv("XDG_DATA_HOME", dir.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CACHE_HOME", dir.path().toUtf8());
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    window.resize(1400, 900);
    window.show();
    auto* dock = window.disputeDock();
    auto* client = dock->client();
    auto* session = window.session();
    bool ready = false;
    window.startDemoNetwork([&] { ready = true; });
    QTRY_VERIFY_WITH_TIMEOUT(ready, 240000); // the devnet is up, model and profile open
    qInfo("dispute: network up after %.1f s", elapsed.elapsed() / 1000.0);
    QVERIFY(window.disputesDockWidget()->isVisible());
    const auto demo = dock->demoNetwork();
    const auto tamperedJob = quint64(demo[QStringLiteral("tamperedJob")].toInteger());
    const auto tamperedOp = std::uint32_t(demo[QStringLiteral("tamperedOp")].toInteger());
    QTRY_VERIFY_WITH_TIMEOUT(client->isConnected() && dock->jobsView()->model()->rowCount() == 2,
                             60000);
    QVERIFY2(dock->statusText().contains(QStringLiteral("chain 31337")),
             qPrintable(dock->statusText()));

    qInfo("dispute: connected after %.1f s", elapsed.elapsed() / 1000.0);
    // The list shows both jobs from their events, newest first, their windows counting down.
    auto* jobs = dock->jobsView()->model();
    const int row = rowWith(jobs, JobListModel::Job, QString::number(tamperedJob));
    QCOMPARE(row, 0);
    QCOMPARE(jobs->index(row, JobListModel::Status).data().toString(), QStringLiteral("Submitted"));
    QVERIFY(jobs->index(row, JobListModel::Window).data().toString().contains(':'));

    // Open the tampered job: fetched from the provider, checked, verified, the op fails.
    clickRow(dock->jobsView(), row);
    QCOMPARE(dock->selectedJob(), tamperedJob);
    QVERIFY(dock->openButton()->isEnabled());
    QTest::mouseClick(dock->openButton(), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(session->hasVerdicts() && session->verdict(tamperedOp) &&
                                  session->verdict(tamperedOp)->verdict == verify::Verdict::Fail,
                              qPrintable(dock->errorText() + " / " +
                                         window.statusBar()->currentMessage() + " / " +
                                         session->tracePath()),
                              120000);
    QVERIFY(session->tracePath().contains(QStringLiteral("job-%1.taotrace").arg(tamperedJob)));
    QVERIFY2(dock->gameText().contains(QStringLiteral("No dispute")), qPrintable(dock->gameText()));

    qInfo("dispute: job opened and verified after %.1f s", elapsed.elapsed() / 1000.0);
    ChallengeDialog* dialog = nullptr;
    auto grab =
        connect(dock, &DisputeDock::dialogShown, this, [&](ChallengeDialog* d) { dialog = d; });
    // The other job cannot be challenged on the open job's verdicts: the open trace is not
    // the one it committed, and the confirmation says so and sends nothing.
    const auto honestJob = quint64(demo[QStringLiteral("honestJob")].toInteger());
    clickRow(dock->jobsView(), rowWith(jobs, JobListModel::Job, QString::number(honestJob)));
    QCOMPARE(dock->selectedJob(), honestJob);
    QTest::mouseClick(dock->challengeButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog && dialog->isVisible(), 30000);
    QVERIFY2(dialog->errorText().contains(
                 QStringLiteral("is not the one job %1 committed").arg(honestJob)),
             qPrintable(dialog->errorText()));
    QVERIFY(!dialog->challengeButton()->isEnabled());
    dialog->reject();
    dialog = nullptr;
    clickRow(dock->jobsView(), rowWith(jobs, JobListModel::Job, QString::number(tamperedJob)));
    QCOMPARE(dock->selectedJob(), tamperedJob);

    // Challenge: the confirmation shows what it costs and why; play step by step.
    QTest::mouseClick(dock->challengeButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog && dialog->isVisible(), 30000);
    QVERIFY2(dialog->summaryText().contains(QStringLiteral("0.001 ETH")),
             qPrintable(dialog->summaryText()));
    QVERIFY(dialog->errorText().isEmpty());
    QVERIFY(dialog->challengeButton()->isEnabled());
    QTest::mouseClick(dialog->stepByStepButton(), Qt::LeftButton);
    QTest::mouseClick(dialog->challengeButton(), Qt::LeftButton);
    dialog = nullptr;

    qInfo("dispute: challenge confirmed after %.1f s", elapsed.elapsed() / 1000.0);
    // The provider cuts; the first selection waits for the person, the interval on the graph.
    QTRY_VERIFY_WITH_TIMEOUT(dock->sendButton()->isEnabled(), 60000);
    QVERIFY2(dock->pendingText().contains(QStringLiteral("which holds op %1").arg(tamperedOp)),
             qPrintable(dock->pendingText()));
    // The auditor's own check of each part agrees: the part holding the op fails, the other passes.
    QVERIFY2(dock->partsText().contains(QStringLiteral("op %1 is FAIL").arg(tamperedOp)) &&
                 dock->partsText().contains(QStringLiteral("all pass")),
             qPrintable(dock->partsText()));
    const auto n = std::uint32_t(session->ops().size());
    // The whole trace at first: every op, and the output leaf after them.
    QVERIFY(session->disputeInterval() && session->disputeInterval()->first == 0 &&
            session->disputeInterval()->second >= n);
    QTRY_VERIFY_WITH_TIMEOUT(!window.graphPanel()->layoutPending(), 20000);
    auto* tamperedNode = window.graphPanel()->scene()->nodeForOp(tamperedOp);
    QVERIFY(tamperedNode && tamperedNode->inDispute());
    // The countdown runs.
    const auto before = dock->gameText();
    QVERIFY2(before.contains(QStringLiteral("you must select")), qPrintable(before));
    QTRY_VERIFY_WITH_TIMEOUT(dock->gameText() != before, 5000);
    auto* timeline = dock->timelineView()->model();
    QVERIFY(rowWith(timeline, TimelineModel::By, tr("provider")) >= 0);
    const int movesBefore = timeline->rowCount();

    qInfo("dispute: first selection pending after %.1f s", elapsed.elapsed() / 1000.0);
    // A restarted panel (same account, same chain) rebuilds the same timeline from the chain.
    {
        AuditSession otherSession;
        DisputeDock restarted(&otherSession);
        restarted.stepByStepBox()->setChecked(true); // only watch: never send a selection
        const auto key = std::make_shared<const chain::PrivateKey>(chain::unlockKeystoreFile(
            demo[QStringLiteral("auditorKeystore")].toString().toStdString(),
            demo[QStringLiteral("auditorPassphrase")].toString().toStdString()));
        restarted.connectTo(client->target(), key);
        QTRY_VERIFY_WITH_TIMEOUT(restarted.jobsView()->model()->rowCount() == 2, 30000);
        restarted.selectJob(tamperedJob);
        QTRY_COMPARE_WITH_TIMEOUT(restarted.timelineView()->model()->rowCount(), movesBefore,
                                  30000);
        for (int r = 0; r < movesBefore; ++r)
            QCOMPARE(restarted.timelineView()->model()->index(r, TimelineModel::Move).data(),
                     timeline->index(r, TimelineModel::Move).data());
        QTRY_VERIFY_WITH_TIMEOUT(restarted.pendingText() == dock->pendingText(), 30000);
    }

    qInfo("dispute: restarted panel agrees after %.1f s", elapsed.elapsed() / 1000.0);
    // Confirm the first selection by hand: the interval narrows to the half holding the op.
    QTest::mouseClick(dock->sendButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        session->disputeInterval() &&
            session->disputeInterval()->second - session->disputeInterval()->first < n,
        60000);
    QVERIFY(session->disputeInterval()->first <= tamperedOp &&
            tamperedOp < session->disputeInterval()->second);
    QVERIFY(timeline->rowCount() > movesBefore);

    qInfo("dispute: first selection sent after %.1f s", elapsed.elapsed() / 1000.0);
    // Then automatically to the end: the committee rejects the op, the challenger is paid.
    QTest::mouseClick(dock->stepByStepBox(), Qt::LeftButton);
    QVERIFY(client->automatic());
    QTRY_VERIFY_WITH_TIMEOUT(dock->outcomeText().contains(QStringLiteral("Challenger won")),
                             180000);
    QVERIFY2(
        dock->outcomeText().contains(QStringLiteral("committee rejected op %1").arg(tamperedOp)),
        qPrintable(dock->outcomeText()));
    QVERIFY2(dock->outcomeText().contains(QStringLiteral("seats reject")),
             qPrintable(dock->outcomeText() + "\n" + dock->demoLog()));
    QVERIFY2(dock->outcomeText().contains(QStringLiteral("you +")),
             qPrintable(dock->outcomeText()));
    QCOMPARE(session->disputeInterval(),
             std::make_optional(std::make_pair(tamperedOp, tamperedOp + 1)));
    const int tamperedRow = rowWith(jobs, JobListModel::Job, QString::number(tamperedJob));
    QTRY_COMPARE_WITH_TIMEOUT(jobs->index(tamperedRow, JobListModel::Status).data().toString(),
                              QStringLiteral("Rejected"), 30000);
    QVERIFY(rowWith(timeline, TimelineModel::By, tr("you (challenger)")) >= 0);

    qInfo("dispute: game won after %.1f s", elapsed.elapsed() / 1000.0);
    // A second challenge of the closed job: the coordinator's refusal, decoded, and no send.
    QTest::mouseClick(dock->challengeButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog && dialog->isVisible(), 30000);
    QVERIFY2(dialog->errorText().contains(QStringLiteral("The coordinator would refuse it")) &&
                 !dialog->errorText().contains(QStringLiteral("custom error 0x")),
             qPrintable(dialog->errorText()));
    QVERIFY(!dialog->challengeButton()->isEnabled());
    dialog->reject();
    disconnect(grab);
}
