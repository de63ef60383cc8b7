#include "test_views.hpp"

#include "core/layout/op_hierarchy.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/verify/verdict.hpp"
#include "views/app_settings.hpp"
#include "views/audit_session.hpp"
#include "views/bookmark_model.hpp"
#include "views/calibration_view.hpp"
#include "views/demo_files.hpp"
#include "views/engine_jobs.hpp"
#include "views/engine_worker.hpp"
#include "views/graph_panel.hpp"
#include "views/graph_scene.hpp"
#include "views/histogram_chart.hpp"
#include "views/inspector_dock.hpp"
#include "views/main_window.hpp"
#include "views/node_item.hpp"
#include "views/operator_table_model.hpp"
#include "views/replay_panel.hpp"
#include "views/scope_tree_model.hpp"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace tao;
using namespace tao::views;

// A report with one failing, one suspect op and the rest passing at growing utilisation.
verify::VerifyReport reportFor(const std::vector<graph::OpInfo>& ops, std::uint32_t failOp,
                               std::uint32_t suspectOp) {
    verify::VerifyReport r;
    for (const auto& op : ops) {
        verify::OpVerdict v;
        v.op = op.index;
        v.kind = op.kind;
        v.scope = op.scope;
        v.verdict = verify::Verdict::Pass;
        v.empiricalThreshold = 1e-3;
        v.empiricalUtilisation = 0.5 * op.index / ops.size();
        v.error = v.empiricalUtilisation * v.empiricalThreshold;
        if (op.index == failOp)
            v.verdict = verify::Verdict::Fail, v.soundUtilisation = 50,
            v.empiricalUtilisation = 1e4;
        if (op.index == suspectOp) v.verdict = verify::Verdict::Suspect, v.empiricalUtilisation = 2;
        r.ops.push_back(v);
    }
    return r;
}

void TestViews::hierarchyGroupsScopesAndSplitsWideLevels() {
    const auto ops = syntheticOps(10000, 1);
    layout::OpHierarchy h(ops);
    QCOMPARE(h.opCount(), std::size_t(10000));
    for (const auto& g : h.groups())
        QVERIFY(g.children.size() <= layout::kMaxChildren);
    const auto collapsed = h.visibleGraph(h.defaultExpansion());
    QVERIFY(collapsed.items.size() <= layout::kMaxChildren);
    for (std::uint32_t op = 0; op < 10000; ++op)
        QVERIFY(collapsed.itemOfOp[op] >= 0);
    // A flat model with no scopes is split into ranges too.
    auto flat = ops;
    for (auto& op : flat)
        op.scope.clear();
    layout::OpHierarchy f(flat);
    QVERIFY(f.visibleGraph(f.defaultExpansion()).items.size() <= layout::kMaxChildren);
    QVERIFY(f.groups()[1].range);
}

void TestViews::itemModelsPassTheTester() {
    AuditSession session;
    OperatorTableModel table(&session);
    ScopeTreeModel tree(&session);
    BookmarkModel marks(&session);
    QAbstractItemModelTester t1(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(&marks, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto ops = syntheticOps(300, 2);
    session.setOperators(ops, QStringLiteral("synthetic"));
    QCOMPARE(table.rowCount(), 300);
    QVERIFY(tree.rowCount() > 0);
    session.setReport(reportFor(ops, 120, 40), QStringLiteral("test"));
    QCOMPARE(table.index(120, OperatorTableModel::Verdict).data().toString(),
             QStringLiteral("FAIL"));
    // The tree's top-level group holding op 120 shows FAIL as its worst.
    QModelIndex row = tree.indexOfOp(120);
    while (row.parent().isValid())
        row = row.parent();
    QVERIFY(row.siblingAtColumn(ScopeTreeModel::Worst)
                .data()
                .toString()
                .startsWith(QStringLiteral("FAIL")));
    session.toggleBookmark(7);
    session.toggleBookmark(3);
    QCOMPARE(marks.rowCount(), 2);
    QCOMPARE(marks.index(0).data(BookmarkModel::OpRole).toInt(), 3);
    session.setOperators({}, {});
    QCOMPARE(table.rowCount(), 0);
    QCOMPARE(tree.rowCount(), 0);
}

void TestViews::graphBuildsCollapsesAndExpands() {
    AuditSession session;
    GraphPanel panel(&session);
    panel.resize(1000, 700);
    panel.show();
    QSignalSpy laidOut(&panel, &GraphPanel::layoutFinished);
    const auto ops = syntheticOps(2000, 3);
    session.setOperators(ops, QStringLiteral("synthetic"));
    QTRY_COMPARE_WITH_TIMEOUT(laidOut.count(), 1, 20000);
    const auto collapsedCount = panel.scene()->nodes().size();
    QVERIFY(collapsedCount > 0 && collapsedCount <= layout::kMaxChildren);
    for (auto* n : panel.scene()->nodes())
        QVERIFY(n->isGroup());
    // Expanding the first group shows its children in place of it.
    const int group = int(panel.scene()->nodes().front()->id());
    panel.setGroupExpanded(group, true);
    QTRY_COMPARE_WITH_TIMEOUT(laidOut.count(), 2, 20000);
    QVERIFY(panel.scene()->nodes().size() > collapsedCount);
    QCOMPARE(panel.scene()->visible().itemOfGroup[group], -1);
    panel.setGroupExpanded(group, false);
    QTRY_COMPARE_WITH_TIMEOUT(laidOut.count(), 3, 20000);
    QCOMPARE(panel.scene()->nodes().size(), collapsedCount);
    // Opening a group nested in a collapsed one opens its ancestors: it becomes visible.
    const auto& groups = session.hierarchy()->groups();
    int nested = -1;
    for (std::size_t g = 1; g < groups.size() && nested < 0; ++g)
        if (groups[g].parent > 0) nested = int(g);
    QVERIFY(nested > 0);
    panel.setGroupExpanded(nested, true);
    QTRY_COMPARE_WITH_TIMEOUT(laidOut.count(), 4, 20000);
    for (int p = groups[nested].parent; p > 0; p = groups[p].parent)
        QVERIFY(panel.expanded()[p]);
    QCOMPARE(panel.scene()->visible().itemOfGroup[nested], -1);
    QVERIFY(panel.scene()->nodes().size() > collapsedCount);
}

void TestViews::recolouringFollowsVerdictsWithoutRelayout() {
    AuditSession session;
    GraphPanel panel(&session);
    QSignalSpy laidOut(&panel, &GraphPanel::layoutFinished);
    const auto ops = syntheticOps(40, 4); // small: shown fully expanded
    session.setOperators(ops, QStringLiteral("small"));
    QTRY_COMPARE_WITH_TIMEOUT(laidOut.count(), 1, 20000);
    auto* failNode = panel.scene()->nodeForOp(10);
    QVERIFY(failNode && !failNode->isGroup());
    const QPointF before = failNode->pos();
    QCOMPARE(failNode->marker(), layout::NodeMarker::NotChecked);
    session.setReport(reportFor(ops, 10, 20), QStringLiteral("test"));
    QCOMPARE(failNode->marker(), layout::NodeMarker::BeyondSoundBound);
    QVERIFY(failNode->fill().red() > 200 && failNode->fill().green() < 80);
    auto* passNode = panel.scene()->nodeForOp(0);
    QVERIFY(passNode->fill().green() > passNode->fill().red()); // utilisation 0: green
    auto* suspect = panel.scene()->nodeForOp(20);
    QVERIFY(suspect->fill().red() > suspect->fill().green()); // beyond threshold: amber to red
    // Defect 2: a SUSPECT carries its own marker, a PASS none, so colour is never the only cue.
    QCOMPARE(suspect->marker(), layout::NodeMarker::BeyondThreshold);
    QCOMPARE(passNode->marker(), layout::NodeMarker::None);
    // Without a profile the sound bound is the threshold (bounds-only verify): an honest op
    // at half its bound is still on the PASS side of the scale (green-yellow, not amber).
    auto report = reportFor(ops, 10, 20);
    for (auto& v : report.ops)
        if (v.verdict == verify::Verdict::Pass)
            v.empiricalThreshold = 1, v.empiricalUtilisation = v.soundUtilisation = 0.99;
    session.setReport(report, QStringLiteral("sound bound only, no profile"));
    const QColor honest = panel.scene()->nodeForOp(0)->fill();
    QVERIFY2(honest.green() > 150 && honest.green() >= honest.red() - 40,
             qPrintable(honest.name()));
    QVERIFY(std::abs(honest.red() - 239) + std::abs(honest.green() - 163) > 60); // not SUSPECT's
    QCOMPARE(laidOut.count(), 1);                                                // no new layout
    QCOMPARE(failNode->pos(), before);
}

void TestViews::searchAndJumpToWorst() {
    AuditSession session;
    GraphPanel panel(&session);
    QSignalSpy laidOut(&panel, &GraphPanel::layoutFinished);
    const auto ops = syntheticOps(1200, 5);
    session.setOperators(ops, QStringLiteral("synthetic"));
    QTRY_COMPARE_WITH_TIMEOUT(laidOut.count(), 1, 20000);
    std::size_t softmax = 0;
    for (const auto& op : ops)
        softmax += op.kind == "aten::softmax";
    QCOMPARE(panel.search(QStringLiteral("SOFTMAX")).size(), softmax);
    QCOMPARE(panel.search(QStringLiteral("#77")), std::vector<std::uint32_t>{77});
    QVERIFY(panel.search(QStringLiteral("no such thing")).empty());
    session.setReport(reportFor(ops, 900, 300), QStringLiteral("test"));
    QCOMPARE(session.worstOp().value(), 900u);
    panel.jumpToWorst();
    QCOMPARE(session.selectedOp(), 900);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.layoutPending(), 20000);
    auto* node = panel.scene()->nodeForOp(900);
    QVERIFY(node && !node->isGroup() && node->isSelected()); // its groups were expanded
    panel.jumpToNextSuspect(); // after 900 in topological order comes 300 again (wraps)
    QCOMPARE(session.selectedOp(), 300);
}

void TestViews::engineReplacesQueuedJobsAndDropsStaleResults() {
    EngineWorker engine;
    std::atomic<bool> release{false};
    QList<int> delivered;
    engine.submit(QStringLiteral("block"), [&](JobControl&) {
        while (!release)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return std::function<void()>();
    });
    for (int i = 0; i < 5; ++i)
        engine.submit(QStringLiteral("inspect"), [&delivered, i](JobControl&) {
            return std::function<void()>([&delivered, i] { delivered << i; });
        });
    release = true;
    QSignalSpy finished(&engine, &EngineWorker::jobFinished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 5000);
    QCOMPARE(delivered, QList<int>{4}); // only the latest queued request ran
}

void TestViews::engineReportsProgressAndCancels() {
    EngineWorker engine;
    QSignalSpy progress(&engine, &EngineWorker::jobProgress);
    QSignalSpy cancelled(&engine, &EngineWorker::jobCancelled);
    QSignalSpy finished(&engine, &EngineWorker::jobFinished);
    engine.submit(QStringLiteral("replay"), [](JobControl& control) {
        for (std::size_t i = 0; i < 100000; ++i) {
            if (!control.progress(i, 100000)) throw std::runtime_error("cancelled");
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        return std::function<void()>();
    });
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 5000);
    engine.cancel(QStringLiteral("replay"));
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 5000);
    QCOMPARE(finished.count(), 0);
    const auto last = progress.last();
    QVERIFY(last.at(1).toLongLong() < 100000); // stopped early
}

void TestViews::settingsRoundTrip() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    {
        AppSettings s(file);
        s.setThreads(3);
        s.setDevice(QStringLiteral("cuda"));
        s.setDarkTheme(true);
        for (int i = 0; i < 12; ++i)
            s.addRecentFile(QStringLiteral("/m/%1.pt").arg(i));
        s.addRecentFile(QStringLiteral("/m/5.pt"));
        s.sync();
    }
    AppSettings s(file);
    QCOMPARE(s.threads(), 3);
    QCOMPARE(s.device(), QStringLiteral("cuda"));
    QVERIFY(s.darkTheme());
    QCOMPARE(s.recentFiles().size(), AppSettings::kMaxRecent);
    QCOMPARE(s.recentFiles().front(), QStringLiteral("/m/5.pt"));
    QCOMPARE(s.recentFiles().count(QStringLiteral("/m/5.pt")), 1);
}

void TestViews::demoVerifiesInspectsAndReplays() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    qputenv("XDG_CACHE_HOME", dir.path().toUtf8());
    MainWindow window(&settings);
    QSignalSpy ready(&window, &MainWindow::demoReady);
    window.runDemo();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 240000);
    auto* session = window.session();
    // The tampered op fails and is the worst; the graph shows it with the FAIL marker.
    const auto worst = session->worstOp();
    QVERIFY(worst.has_value());
    QCOMPARE(session->verdict(*worst)->verdict, verify::Verdict::Fail);
    QCOMPARE(session->ops()[*worst].kind, std::string("aten::linear"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.graphPanel()->layoutPending(), 20000);
    QCOMPARE(window.graphPanel()->scene()->nodeForOp(*worst)->marker(),
             layout::NodeMarker::BeyondSoundBound);
    // Inspector follows the selection and gets the element-wise detail from the engine.
    QSignalSpy detail(window.inspector(), &InspectorDock::detailShown);
    session->selectOp(0);
    QTRY_VERIFY_WITH_TIMEOUT(detail.count() >= 1 && detail.last().at(0).toInt() == 0, 60000);
    QVERIFY(window.inspector()->summaryText().contains(QStringLiteral("#0")));
    QVERIFY(window.inspector()->errorChart()->markerNames().join(' ').contains(
        QStringLiteral("sound bound")));
    QVERIFY(window.calibrationView()->thresholdPoints() > 0);
    // Replay everything: progress, results live, colours switch to the replay overlay.
    QSignalSpy replayed(window.replayPanel(), &ReplayPanel::replayFinished);
    window.replayPanel()->startReplay(ReplayPanel::Scope::All);
    QTRY_COMPARE_WITH_TIMEOUT(replayed.count(), 1, 120000);
    QCOMPARE(replayed.first().at(0).toInt(), int(session->ops().size()));
    QVERIFY(session->replayResult(*worst).has_value());
    QVERIFY(!session->replayResult(*worst)->bitExact); // the tampered output differs
    QCOMPARE(session->colourSource(), ColourSource::LocalReplay);
    // Cancel a replay midway.
    QSignalSpy cancelled(window.replayPanel(), &ReplayPanel::replayCancelled);
    window.replayPanel()->startReplay(ReplayPanel::Scope::All);
    window.replayPanel()->cancel();
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!window.replayPanel()->running());
}

// Model, trace and profile given in any order (command line, drag and drop), or a trace
// opened before its model: every file ends up in the session, none silently dropped.
void TestViews::filesOpenInAnyOrder() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    const auto demo = prepareDemoFiles(dir.filePath(QStringLiteral("demo")));
    const auto model = QString::fromStdString(demo.model.string());
    const auto trace = QString::fromStdString(demo.honestTrace.string());
    const auto profile = QString::fromStdString(demo.profile.string());
    {
        MainWindow window(&settings);
        bool done = false;
        window.openPaths({profile, trace, model}, [&] { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
        auto* s = window.session();
        QVERIFY(s->model() && s->trace() && s->profile());
        QCOMPARE(s->tracePath(), trace);
        QCOMPARE(s->profilePath(), profile);
    }
    {
        MainWindow window(&settings);
        bool traced = false, modelled = false;
        window.openTrace(trace, [&] { traced = true; });
        QTRY_VERIFY_WITH_TIMEOUT(traced, 60000);
        QVERIFY(!window.session()->model());
        window.openModel(model, [&] { modelled = true; });
        QTRY_VERIFY_WITH_TIMEOUT(modelled, 60000);
        QVERIFY(window.session()->model());
        QVERIFY2(window.session()->trace(), "the trace opened first was dropped");
        QCOMPARE(window.session()->tracePath(), trace);
        // Verify ran on it; opening another model leaves nothing of that run on screen.
        auto* progress = window.replayPanel()->findChild<QProgressBar*>();
        auto* op = window.replayPanel()->findChild<QSpinBox*>(QStringLiteral("opIndex"));
        QVERIFY(progress && op);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->hasVerdicts() && !window.engine()->busy(),
                                 60000);
        op->setValue(5);
        window.statusBar()->showMessage(QStringLiteral("Worst operator: #9"));
        bool other = false;
        window.openModel(TAO_SOURCE_DIR "/resources/models/tiny_lm.pt", [&] { other = true; });
        QTRY_VERIFY_WITH_TIMEOUT(other, 60000);
        QCOMPARE(progress->value(), 0);
        QCOMPARE(op->value(), 0);
        QVERIFY(window.statusBar()->currentMessage().isEmpty());
        QVERIFY(!window.session()->trace());
    }
}

// Tools → Settings, driven through its controls: a new percentile is in force in every view at
// once (the calibration chart's title, the inspector's threshold marker, the profile the next
// verify reads), the trace is verified again with it, and it stays with this audit: it is not
// written to the settings file, and opening another model drops it.
void TestViews::percentileChangeReachesEveryView() {
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("s.ini"));
    AppSettings settings(ini);
    const auto demo = prepareDemoFiles(dir.filePath(QStringLiteral("demo")));
    MainWindow window(&settings);
    bool opened = false;
    window.openPaths({QString::fromStdString(demo.model.string()),
                      QString::fromStdString(demo.honestTrace.string()),
                      QString::fromStdString(demo.profile.string())},
                     [&] { opened = true; });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 60000);
    auto* session = window.session();
    QTRY_VERIFY_WITH_TIMEOUT(session->hasVerdicts() && !window.replayPanel()->running(), 120000);
    // An operator whose threshold at the percentile about to be typed (50.01) is below its
    // threshold at the profile's own (a log-binned quantile may not move on every op).
    numerics::Profile atNew = *session->loadedProfile();
    atNew.percentile = 0.5001;
    int op = -1;
    for (std::uint32_t i = 0; i < session->ops().size() && op < 0; ++i)
        if (atNew.threshold(i) && *atNew.threshold(i) < *session->profile()->threshold(i))
            op = int(i);
    QVERIFY(op >= 0);
    session->selectOp(op);
    const double before = *session->profile()->threshold(op);

    QSignalSpy verified(window.replayPanel(), &ReplayPanel::verifyFinished);
    bool drove = false;
    QTimer::singleShot(0, &window, [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        auto* own = dialog->findChild<QCheckBox*>(QStringLiteral("profilesOwnPercentile"));
        auto* spin = dialog->findChild<QDoubleSpinBox*>(QStringLiteral("percentile"));
        auto* buttons = dialog->findChild<QDialogButtonBox*>();
        if (!own || !spin || !buttons) return dialog->reject();
        own->setFocus();
        QTest::keyClick(own, Qt::Key_Space); // untick "the profile's own"
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("50"));
        QTest::keyClick(spin, Qt::Key_Up); // one step: a hundredth of a percent
        drove = spin->isEnabled() && !own->isChecked();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    });
    window.openSettings();
    QVERIFY(drove);
    QVERIFY(session->percentileOverride().has_value());
    QVERIFY(qFuzzyCompare(*session->percentileOverride(), 0.5001));
    QVERIFY(qFuzzyCompare(session->profile()->percentile, 0.5001));
    QVERIFY(*session->profile()->threshold(op) < before);
    QVERIFY2(window.calibrationView()->chart()->title().contains(QStringLiteral("p50.01")),
             qPrintable(window.calibrationView()->chart()->title()));
    const QString markers = window.inspector()->calibrationChart()->markerNames().join('|');
    QVERIFY2(markers.contains(QStringLiteral("p50.01")), qPrintable(markers));
    // Verified again, against the threshold now in force.
    QTRY_VERIFY_WITH_TIMEOUT(verified.count() >= 1 && !window.replayPanel()->running(), 120000);
    QVERIFY2(session->reportSource().contains(QStringLiteral("p50.01")),
             qPrintable(session->reportSource()));
    QVERIFY(session->verdict(op));
    QVERIFY(qFuzzyCompare(session->verdict(op)->empiricalThreshold,
                          *session->profile()->threshold(op)));
    // An audit's setting, not the application's.
    settings.sync();
    QVERIFY(!QSettings(ini, QSettings::IniFormat).contains(QStringLiteral("verify/percentile")));
    bool other = false;
    window.openModel(TAO_SOURCE_DIR "/resources/models/tiny_lm.pt", [&] { other = true; });
    QTRY_VERIFY_WITH_TIMEOUT(other, 60000);
    QVERIFY(!session->percentileOverride());
}

const DemoFiles& TestViews::demo() {
    if (!demo_) demo_ = prepareDemoFiles(demoDir_.filePath(QStringLiteral("demo")));
    return *demo_;
}

QTEST_MAIN(TestViews)
