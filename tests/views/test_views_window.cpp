// The main window as a new user meets it: every control reachable in a laptop-sized
// window, exports that stand on their own, an altered tensor pinned to its operator,
// nothing left over from the previous model, numbers said in words, and the command line
// answering without a display.
#include "core/dispute/evidence_bundle.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/trace/safetensors.hpp"
#include "core/trace/trace_bundle.hpp"
#include "support/altered_trace.hpp"
#include "test_views.hpp"
#include "views/about_dialog.hpp"
#include "views/app_settings.hpp"
#include "views/audit_session.hpp"
#include "views/calibration_view.hpp"
#include "views/engine_jobs.hpp"
#include "views/engine_worker.hpp"
#include "views/evidence_dialog.hpp"
#include "views/graph_panel.hpp"
#include "views/graph_scene.hpp"
#include "views/graph_view.hpp"
#include "views/inspector_dock.hpp"
#include "views/legend_widget.hpp"
#include "views/main_window.hpp"
#include "views/minimap_view.hpp"
#include "views/node_item.hpp"
#include "views/operator_table_model.hpp"
#include "views/replay_panel.hpp"
#include "views/tensor_heatmap.hpp"
#include "views/theme.hpp"

#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QProcess>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QtTest>
#include <filesystem>
#include <fstream>

using namespace tao;
using namespace tao::views;

namespace {

// Opens model, trace and profile and waits until the trace is verified and laid out.
void openAndVerify(MainWindow& window, const DemoFiles& demo, const std::filesystem::path& trace) {
    QSignalSpy verified(window.replayPanel(), &ReplayPanel::verifyFinished);
    bool opened = false;
    window.openPaths({QString::fromStdString(demo.model.string()),
                      QString::fromStdString(trace.string()),
                      QString::fromStdString(demo.profile.string())},
                     [&] { opened = true; });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->hasVerdicts() && !window.replayPanel()->running() &&
                                 !window.graphPanel()->layoutPending(),
                             120000);
    QCOMPARE(verified.count(), 1); // once, against the profile: not first against bounds alone
}

// Every item of the legend lies inside the widget (nothing cut off).
bool legendFits(const LegendWidget* legend) {
    for (const auto& r : legend->itemRects(legend->width()))
        if (r.right() >= legend->width() || r.bottom() >= legend->height()) return false;
    return true;
}

// Pixels of `image` in rows [top, bottom) that differ from its top-left (canvas) colour.
int inkBetween(const QImage& image, int top, int bottom) {
    const QRgb canvas = image.pixel(0, 0);
    int ink = 0;
    for (int y = std::max(0, top); y < std::min(image.height(), bottom); ++y)
        for (int x = 0; x < image.width(); ++x)
            ink += image.pixel(x, y) != canvas;
    return ink;
}

} // namespace

// Defect 4: at the default size and at 1280×720 every toolbar control is on screen (no
// overflow), the legend is whole, the window's minimum fits a 768-px screen, docks get
// their room back when the window grows again, and the minimap hides while the whole
// graph is in view.
void TestViews::everyControlFitsDefaultAndLaptopWindows() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    window.show();
    openAndVerify(window, demo(), demo().honestTrace);
    auto* graph = window.graphPanel();
    QString minima;
    for (auto* dock : window.findChildren<QDockWidget*>())
        if (dock->isVisible())
            minima += QStringLiteral(" %1 %2×%3")
                          .arg(dock->objectName())
                          .arg(dock->minimumSizeHint().width())
                          .arg(dock->minimumSizeHint().height());
    for (const QSize size : {QSize(1500, 950), QSize(1280, 720)}) {
        window.resize(size);
        QTRY_VERIFY2(window.size() == size, qPrintable(minima));
        QTRY_VERIFY2(
            graph->toolbarFits(),
            qPrintable(
                QStringLiteral("toolbar overflows at %1×%2").arg(size.width()).arg(size.height())));
        QTRY_VERIFY2(
            legendFits(graph->legend()),
            qPrintable(QStringLiteral("legend cut off at width %1").arg(graph->legend()->width())));
        // The toolbar's own overflow button never has to be used.
        auto* extension =
            graph->toolbar()->findChild<QWidget*>(QStringLiteral("qt_toolbar_ext_button"));
        QVERIFY(!extension || !extension->isVisible());
    }
    const QSize minimum = window.minimumSizeHint();
    QVERIFY2(
        minimum.width() <= 1024 && minimum.height() <= 700,
        qPrintable(QStringLiteral("minimum %1×%2").arg(minimum.width()).arg(minimum.height())));
    window.resize(1024, 700);
    QTRY_VERIFY2(window.size() == QSize(1024, 700), qPrintable(minima));
    window.resize(1500, 950);
    QTRY_VERIFY2(window.inspector()->width() >= 500,
                 qPrintable(QString::number(window.inspector()->width())));
    // A small graph fits: no overview over its nodes. Zoomed in, the overview helps.
    graph->view()->fitAll();
    QTRY_VERIFY(!graph->minimap()->isVisible());
    graph->view()->zoomBy(6);
    QTRY_VERIFY(graph->minimap()->isVisible());
    window.activateWindow(); // shortcuts reach the active window only
    QVERIFY(QTest::qWaitForWindowActive(&window));
    graph->view()->setFocus();
    QTest::keyClick(graph->view(), Qt::Key_M); // the overview's switch
    QTRY_VERIFY(!graph->overviewAction()->isChecked());
    QTRY_VERIFY(!graph->minimap()->isVisible());
    graph->overviewAction()->trigger();
    QTRY_VERIFY(graph->minimap()->isVisible());
    // Nodes under the overview show through it.
    QCOMPARE(graph->minimap()->backgroundBrush().color().alpha() < 128, true);
}

// Defect 9: an export gets its extension, carries what the colours mean (header and legend)
// and not the on-screen selection, and a dark theme gives a dark canvas and toolbar icons
// that stand out from it.
void TestViews::exportCarriesLegendAndNoSelection() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), demo().tamperedTrace);
    auto* graph = window.graphPanel();
    QString error, written;
    QVERIFY2(graph->exportPng(dir.filePath(QStringLiteral("plain")), &error, &written),
             qPrintable(error));
    QCOMPARE(written, dir.filePath(QStringLiteral("plain.png")));
    window.session()->selectOp(int(demo().tamperedOp));
    QVERIFY(!graph->scene()->selectedItems().isEmpty());
    QVERIFY(graph->exportPng(dir.filePath(QStringLiteral("selected.png")), &error, &written));
    QCOMPARE(written, dir.filePath(QStringLiteral("selected.png")));
    const QImage plain(dir.filePath(QStringLiteral("plain.png")));
    const QImage selected(dir.filePath(QStringLiteral("selected.png")));
    QVERIFY(!plain.isNull());
    QVERIFY2(plain == selected, "the selection highlight is in the export");
    QVERIFY(!graph->scene()->selectedItems().isEmpty()); // and still on screen
    // Header (model, what colours mean) above the graph, the legend below it.
    QVERIFY(inkBetween(plain, 0, 46) > 200);
    QVERIFY(inkBetween(plain, plain.height() - 30, plain.height()) > 200);
    QVERIFY(graph->exportSvg(dir.filePath(QStringLiteral("graph")), &error, &written));
    QCOMPARE(written, dir.filePath(QStringLiteral("graph.svg")));
    QFile svg(written);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(svg.readAll());
    for (const QString& needed :
         {QStringLiteral("<svg"), QStringLiteral("beyond sound bound"),
          QStringLiteral("fashion_cnn"),
          QFileInfo(QString::fromStdString(demo().profile.string())).fileName()})
        QVERIFY2(text.contains(needed), qPrintable(needed));

    window.setDark(true);
    QVERIFY(graph->exportPng(dir.filePath(QStringLiteral("dark.png")), &error, &written));
    const QImage dark(written);
    QVERIFY(qGray(dark.pixel(0, 0)) < 60);
    QVERIFY(qGray(graph->scene()->backgroundBrush().color().rgb()) < 60);
    // The standard arrows are near-black: on the dark theme they are lightened.
    for (auto which : {QStyle::SP_ArrowUp, QStyle::SP_ArrowDown, QStyle::SP_TitleBarMaxButton}) {
        const QImage icon = themedIcon(window.style(), which, true).pixmap(18).toImage();
        int brightest = 0;
        for (int y = 0; y < icon.height(); ++y)
            for (int x = 0; x < icon.width(); ++x)
                if (qAlpha(icon.pixel(x, y)) > 128)
                    brightest = std::max(brightest, qGray(icon.pixel(x, y)));
        QVERIFY2(brightest > 150, qPrintable(QString::number(brightest)));
    }
    window.setDark(false);
}

// Defect 5: one altered tensor in the bundle does not turn the whole graph grey. Its
// operator FAILs with the integrity reason and a marker, the others keep their verdicts,
// and the inspector shows the reason instead of a heatmap.
void TestViews::alteredTensorIsPinnedOnScreen() {
    QTemporaryDir dir;
    const std::filesystem::path trace =
        dir.filePath(QStringLiteral("altered.taotrace")).toStdString();
    std::filesystem::copy(demo().honestTrace, trace, std::filesystem::copy_options::recursive);
    const std::uint32_t target = 2;
    test::alterOpOutput(trace, target);
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), trace);
    auto* session = window.session();
    const auto* bad = session->verdict(target);
    QVERIFY(bad);
    QCOMPARE(bad->verdict, verify::Verdict::Fail);
    QVERIFY2(QString::fromStdString(bad->reason).contains(QStringLiteral("committed hash")),
             bad->reason.c_str());
    QCOMPARE(session->worstOp(), std::optional<std::uint32_t>(target));
    int judged = 0;
    for (std::uint32_t op = 0; op < session->ops().size(); ++op)
        if (const auto* v = session->verdict(op); v && v->verdict == verify::Verdict::Pass)
            ++judged;
    QVERIFY2(judged >= int(session->ops().size()) / 2, qPrintable(QString::number(judged)));
    QCOMPARE(window.graphPanel()->scene()->nodeForOp(target)->marker(),
             layout::NodeMarker::BeyondSoundBound);
    session->selectOp(int(target));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.inspector()->tensorView()->message().contains(QStringLiteral("committed hash")),
        60000);
    QVERIFY(window.inspector()->summaryText().contains(QStringLiteral("integrity")));
}

// Defect 7: after a replay and another model, nothing of the first one is on screen: the
// legend and colour switch are back to verdicts, the inspector is empty, verify's progress
// bar had reached its end; File → Close leaves empty charts, not stray axes.
void TestViews::noStateOfTheLastModelSurvives() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), demo().tamperedTrace);
    auto* progress = window.replayPanel()->progressBar();
    QCOMPARE(progress->value(), progress->maximum());
    QSignalSpy replayed(window.replayPanel(), &ReplayPanel::replayFinished);
    window.replayPanel()->startReplay(ReplayPanel::Scope::SingleOp, int(demo().tamperedOp));
    QTRY_COMPARE_WITH_TIMEOUT(replayed.count(), 1, 60000);
    auto* graph = window.graphPanel();
    QVERIFY(graph->legend()->caption().contains(QStringLiteral("local replay")));
    auto* colour = graph->findChild<QComboBox*>();
    QVERIFY(colour);
    QCOMPARE(colour->currentIndex(), 1);
    window.session()->selectOp(3);

    bool other = false;
    window.openModel(TAO_SOURCE_DIR "/resources/models/tiny_lm.pt", [&] { other = true; });
    QTRY_VERIFY_WITH_TIMEOUT(other && !graph->layoutPending(), 60000);
    QVERIFY2(!graph->legend()->caption().contains(QStringLiteral("local replay")),
             qPrintable(graph->legend()->caption()));
    QCOMPARE(colour->currentIndex(), 0);
    QCOMPARE(window.session()->colourSource(), ColourSource::Verdicts);
    QCOMPARE(window.inspector()->shownOp(), -1);
    QCOMPARE(window.calibrationView()->errorPoints(), 0);

    window.session()->close();
    QCOMPARE(window.calibrationView()->thresholdPoints(), 0);
    QVERIFY2(window.calibrationView()->chart()->axes().isEmpty(), "an empty chart shows axes");
    QVERIFY(window.windowTitle() == QStringLiteral("TAO Auditor"));
}

// Defect 8: infinite utilisations, thresholds above the bound, replay differences and
// non-finite tensor cells are explained, not printed as "inf" or left unlabelled.
void TestViews::numbersAreSaidInWords() {
    AuditSession session;
    EngineWorker engine;
    InspectorDock inspector(&session, &engine);
    session.setOperators(syntheticOps(6, 3), QStringLiteral("synthetic"));
    verify::VerifyReport report;
    for (std::uint32_t op = 0; op < 6; ++op) {
        verify::OpVerdict v;
        v.op = op;
        v.kind = session.ops()[op].kind;
        v.verdict = verify::Verdict::Pass;
        v.empiricalThreshold = 0.5;
        report.ops.push_back(v);
    }
    auto& exact = report.ops[1]; // an exact operator that differs
    exact.verdict = verify::Verdict::Fail;
    exact.error = exact.soundUtilisation = exact.empiricalUtilisation =
        std::numeric_limits<double>::infinity();
    exact.empiricalThreshold = 0;
    exact.reason = "beyond the sound bound";
    auto& loose = report.ops[2]; // a threshold above the sound bound
    loose.empiricalThreshold = 3;
    loose.error = 0.2;
    loose.empiricalUtilisation = 0.2 / 3;
    loose.soundUtilisation = 0.2;
    session.setReport(report, QStringLiteral("test"));
    session.selectOp(1);
    QString text = inspector.summaryText();
    QVERIFY2(!text.contains(QStringLiteral("inf")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("∞ (a difference where none is allowed)")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("bit-exact")), qPrintable(text));
    session.selectOp(2);
    text = inspector.summaryText();
    QVERIFY2(text.contains(QStringLiteral("Above the sound bound")), qPrintable(text));

    TensorHeatmap heatmap;
    TensorGrid grid;
    grid.shape = {2, 3};
    grid.values = {1, 2, -std::numeric_limits<float>::infinity(), 4, 5, 6};
    heatmap.setTensors(grid, grid, grid);
    QVERIFY2(heatmap.caption().contains(QStringLiteral("NaN or ±∞")),
             qPrintable(heatmap.caption()));
    grid.values[2] = 3;
    heatmap.setTensors(grid, grid, grid);
    QVERIFY(!heatmap.caption().contains(QStringLiteral("±∞")));

    // A replay names the operator that differed, not only how many were bit-exact.
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), demo().tamperedTrace);
    QSignalSpy replayed(window.replayPanel(), &ReplayPanel::replayFinished);
    window.replayPanel()->startReplay(ReplayPanel::Scope::All);
    QTRY_COMPARE_WITH_TIMEOUT(replayed.count(), 1, 120000);
    const QString summary = window.replayPanel()->statusText();
    QVERIFY2(summary.contains(QStringLiteral("largest difference is #%1").arg(demo().tamperedOp)),
             qPrintable(summary));
}

// "Also build": `tao-auditor --help` and `--version` answer with no display at all, a plain
// start with no display says what to do instead of aborting, and Help → About names the
// versions and the model id in use.
// The tensor heatmap: hovering a cell names its full index and value; a slice of a few rows
// of many columns fills the view with tall cells instead of a strip of square ones; the
// colour scale is labelled with the slice's range, and for a difference symmetrically about
// zero.
void TestViews::heatmapNamesTheCellUnderThePointer() {
    TensorHeatmap heatmap;
    TensorGrid wide, difference;
    wide.shape = difference.shape = {2, 8, 128};
    for (int i = 0; i < 2 * 8 * 128; ++i) {
        wide.values.push_back(float(i % 97) - 40.25f);
        difference.values.push_back(i % 2 ? 0.5f : -0.25f);
    }
    heatmap.resize(520, 380);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    heatmap.setTensors(wide, wide, difference);
    heatmap.setLeadingIndex(0, 1);
    const QRectF slice = heatmap.sliceRect();
    const double cellWidth = slice.width() / 128, cellHeight = slice.height() / 8;
    QVERIFY2(cellHeight > 3 * cellWidth,
             qPrintable(QStringLiteral("cells %1 x %2 px").arg(cellWidth).arg(cellHeight)));
    const QPointF cell(slice.left() + 5.5 * cellWidth, slice.top() + 2.5 * cellHeight);
    QCOMPARE(heatmap.valueAt(cell), QStringLiteral("[1, 2, 5] = -16.25")); // element 1285
    QVERIFY(heatmap.valueAt(slice.bottomRight() + QPointF(4, 4)).isEmpty());
    QCOMPARE(heatmap.scaleLabels(),
             (QStringList{QStringLiteral("-40.25"), QStringLiteral("55.75")}));
    heatmap.findChild<QComboBox*>()->setCurrentIndex(2);
    QCOMPARE(heatmap.scaleLabels(),
             (QStringList{QStringLiteral("−0.5"), QStringLiteral("0"), QStringLiteral("+0.5")}));
    QCOMPARE(heatmap.valueAt(cell), QStringLiteral("[1, 2, 5] = 0.5"));
}

void TestViews::helpAndAboutNeedNoDisplay() {
    const QString app = QStringLiteral(TAO_BINARY_DIR "/bin/tao-auditor");
    QVERIFY2(QFileInfo(app).isExecutable(), qPrintable(app));
    auto env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    auto run = [&](const QStringList& args) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(app, args);
        if (!p.waitForFinished(60000)) p.kill();
        return std::make_tuple(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                               QString::fromUtf8(p.readAllStandardError()));
    };
    {
        const auto [code, out, err] = run({QStringLiteral("--help")});
        QCOMPARE(code, 0);
        QVERIFY2(out.contains(QStringLiteral("--demo")) &&
                     out.contains(QStringLiteral("tao --help")),
                 qPrintable(out + err));
    }
    {
        const auto [code, out, err] = run({QStringLiteral("--version")});
        QCOMPARE(code, 0);
        QVERIFY2(out.contains(QStringLiteral("0.1.0")), qPrintable(out + err));
    }
    {
        const auto [code, out, err] = run({});
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("no display")) &&
                     err.contains(QStringLiteral("tao demo")),
                 qPrintable(err));
    }
    AuditSession session;
    QVERIFY(aboutText(session).contains(QString::fromLatin1(qVersion())));
    QVERIFY(aboutText(session).contains(QStringLiteral("none open")));
    auto model = loadModelFile(demo().model);
    session.setModel(model, QString::fromStdString(demo().model.string()));
    const QString about = aboutText(session);
    QVERIFY2(about.contains(QString::fromStdString(modelIdHex(*model))), qPrintable(about));
    QVERIFY2(about.contains(QStringLiteral("LibTorch")) &&
                 about.contains(QString::fromStdString(libtorchVersion())),
             qPrintable(about));
}

// "Also build": a node's right-click menu replays that operator, copies its committed output
// hash and jumps to its producers and consumers.
void TestViews::nodeMenuActsOnItsOperator() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), demo().tamperedTrace);
    auto* session = window.session();
    const auto* h = session->hierarchy();
    std::uint32_t op = 0;
    while (op < h->opCount() && (h->producers()[op].empty() || h->consumers()[op].empty()))
        ++op;
    QVERIFY(op < h->opCount());
    auto menu = window.graphPanel()->nodeMenu(op);
    auto find = [&](QMenu* m, const QString& prefix) -> QAction* {
        for (auto* a : m->actions())
            if (a->text().startsWith(prefix)) return a;
        return nullptr;
    };
    auto* copy = find(menu.get(), QStringLiteral("Copy output hash"));
    QVERIFY(copy && copy->isEnabled());
    copy->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(),
             QString::fromStdString(session->trace()->manifest().ops[op].outputHash.hex()));
    auto* producers = find(menu.get(), QStringLiteral("Go to producer"));
    QVERIFY(producers && producers->menu() && !producers->menu()->actions().isEmpty());
    producers->menu()->actions().first()->trigger();
    QCOMPARE(session->selectedOp(), int(h->producers()[op].front()));
    auto* consumers = find(menu.get(), QStringLiteral("Go to consumer"));
    QVERIFY(consumers && consumers->menu());
    consumers->menu()->actions().first()->trigger();
    QCOMPARE(session->selectedOp(), int(h->consumers()[op].front()));
    QSignalSpy replayed(window.replayPanel(), &ReplayPanel::replayFinished);
    auto* replay = find(menu.get(), QStringLiteral("Replay this operator"));
    QVERIFY(replay && replay->isEnabled());
    replay->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(replayed.count(), 1, 60000);
    QCOMPARE(replayed.first().at(0).toInt(), 1);
    QVERIFY(session->replayResult(op).has_value());
}

// Defect 6: the operator table follows the one selection, whether it comes from Worst, a
// search or a click on a node in the graph.
void TestViews::operatorTableFollowsTheSelection() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    window.show();
    openAndVerify(window, demo(), demo().tamperedTrace);
    auto* table = window.operatorTable();
    auto tableOp = [table] {
        const auto rows = table->selectionModel()->selectedRows();
        return rows.isEmpty() ? -1 : rows.front().data(OperatorTableModel::OpRole).toInt();
    };
    auto* graph = window.graphPanel();
    graph->jumpToWorst();
    QCOMPARE(tableOp(), int(demo().tamperedOp));
    graph->search(QStringLiteral("#4"));
    graph->nextMatch();
    QCOMPARE(tableOp(), 4);
    // A real click on another operator's node.
    auto* node = graph->scene()->nodeForOp(2);
    QVERIFY(node);
    graph->view()->centerOn(node);
    QTest::mouseClick(graph->view()->viewport(), Qt::LeftButton, {},
                      graph->view()->mapFromScene(node->sceneBoundingRect().center()));
    QCOMPARE(window.session()->selectedOp(), 2);
    QCOMPARE(tableOp(), 2);
    window.session()->selectOp(-1);
    QCOMPARE(tableOp(), -1);
}

// "Also build": File → Save session writes the files with their identities, the bookmarks,
// the percentile in force and the selection; opening it (command line, drag and drop, recent
// files) restores them. A file changed since is reported, and a broken session file gives
// a message naming it instead of half an audit.
void TestViews::sessionFileSavesAndReopensTheAudit() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    const QString saved = dir.filePath(QStringLiteral("audit.taosession"));
    {
        MainWindow window(&settings);
        openAndVerify(window, demo(), demo().tamperedTrace);
        auto* s = window.session();
        s->toggleBookmark(2);
        s->toggleBookmark(5);
        s->setPercentileOverride(0.999);
        s->selectOp(4);
        QString error;
        QVERIFY2(window.saveSession(saved, &error), qPrintable(error));
    }
    QFile json(saved);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QByteArray text = json.readAll();
    QVERIFY(text.contains("\"format\": \"tao-session\""));
    QVERIFY(!text.contains(dir.path().toUtf8())); // relative paths
    {
        MainWindow window(&settings);
        bool opened = false;
        window.openPaths({saved}, [&] { opened = true; });
        QTRY_VERIFY_WITH_TIMEOUT(opened, 120000);
        auto* s = window.session();
        QCOMPARE(s->modelPath(), QString::fromStdString(demo().model.string()));
        QCOMPARE(s->tracePath(), QString::fromStdString(demo().tamperedTrace.string()));
        QCOMPARE(s->profilePath(), QString::fromStdString(demo().profile.string()));
        QCOMPARE(s->bookmarks(), (QList<int>{2, 5}));
        QCOMPARE(s->percentileOverride(), std::optional<double>(0.999));
        QCOMPARE(s->selectedOp(), 4);
        QVERIFY(window.statusBar()->currentMessage().isEmpty() ||
                !window.statusBar()->currentMessage().contains(QStringLiteral("changed")));
    }
    // A trace whose root is not the one recorded is reported.
    QString edited = QString::fromUtf8(text);
    const auto rootAt =
        edited.indexOf(QStringLiteral("\"identity\""), edited.indexOf(QStringLiteral("\"trace\"")));
    QVERIFY(rootAt > 0);
    const auto valueAt = edited.indexOf(QLatin1Char('"'), rootAt + 11) + 1;
    edited.replace(valueAt, 64, QString(64, QLatin1Char('0')));
    const QString changed = dir.filePath(QStringLiteral("changed.taosession"));
    {
        QFile out(changed);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(edited.toUtf8());
    }
    {
        MainWindow window(&settings);
        bool opened = false;
        window.openPaths({changed}, [&] { opened = true; });
        QTRY_VERIFY_WITH_TIMEOUT(opened, 120000);
        QVERIFY2(
            window.statusBar()->currentMessage().contains(QStringLiteral("the session recorded")),
            qPrintable(window.statusBar()->currentMessage()));
    }
    const QString broken = dir.filePath(QStringLiteral("broken.taosession"));
    {
        QFile out(broken);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("{ not json");
    }
    MainWindow window(&settings);
    window.openPaths({broken});
    QTRY_VERIFY(window.statusBar()->currentMessage().contains(broken));
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("not JSON")));
    QVERIFY(!window.session()->model());
}

// "Also build": the report export holds the identities audited, the counts, the graph image
// and the verdict table worst first, as HTML or as PDF.
void TestViews::reportCarriesVerdictsGraphAndIdentities() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), demo().tamperedTrace);
    QString error, written;
    QVERIFY2(window.exportReport(dir.filePath(QStringLiteral("audit")), &error, &written),
             qPrintable(error));
    QCOMPARE(written, dir.filePath(QStringLiteral("audit.html")));
    QFile html(written);
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(html.readAll());
    const auto* s = window.session();
    for (const QString& needed :
         {QString::fromStdString(modelIdHex(*s->model())),
          QString::fromStdString(s->trace()->manifest().root.hex()),
          QString::fromStdString(s->loadedProfile()->hash().hex()),
          QStringLiteral("data:image/png;base64,"), QStringLiteral("1 FAIL")})
        QVERIFY2(text.contains(needed), qPrintable(needed));
    // Worst first: the tampered operator's row is the first of the table.
    const auto firstRow =
        text.indexOf(QStringLiteral("<tr><td>"), text.indexOf(QStringLiteral("worst first")));
    QVERIFY(
        text.mid(firstRow, 40).contains(QStringLiteral("<tr><td>%1</td>").arg(demo().tamperedOp)));
    QCOMPARE(text.count(QStringLiteral("<tr><td>")), int(s->ops().size()));
    QVERIFY(window.exportReport(dir.filePath(QStringLiteral("audit.pdf")), &error, &written));
    QFile pdf(written);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdf.readAll();
    QVERIFY(bytes.startsWith("%PDF"));
    QVERIFY2(bytes.size() > 20000, qPrintable(QString::number(bytes.size()))); // the image is in
}

// Evidence exported from the window (the tampered operator, FAIL, and an honest one, PASS)
// is judged the same by `tao verify-evidence` and by the window's own check, which names
// the verdict in its dialog and can select the operator in the graph.
void TestViews::evidenceAgreesWithTheCommandLine() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), demo().tamperedTrace);
    auto* s = window.session();
    const std::uint32_t tampered = demo().tamperedOp, honest = 0;
    for (const auto op : {tampered, honest}) {
        const auto* v = s->verdict(int(op));
        QVERIFY(v);
        const QString expected = QString::fromUtf8(verify::verdictName(v->verdict).data());
        QCOMPARE(expected, QString(op == tampered ? "FAIL" : "PASS"));
        const QString path = dir.filePath(QStringLiteral("op%1.taoevidence").arg(op));
        std::optional<dispute::EvidenceSummary> written;
        window.exportEvidence(op, path, [&](const dispute::EvidenceSummary& e) { written = e; });
        QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 60000);
        QCOMPARE(written->verdict, v->verdict);
        QVERIFY(window.statusBar()->currentMessage().contains(expected));

        QProcess tao;
        tao.start(taoExecutable(),
                  {QStringLiteral("verify-evidence"), path, QStringLiteral("--model"),
                   QString::fromStdString(demo().model.string()), QStringLiteral("--json")});
        QVERIFY(tao.waitForFinished(120000));
        const auto j = QJsonDocument::fromJson(tao.readAllStandardOutput()).object();
        QVERIFY2(j["holds"].toBool() && j["agrees"].toBool(),
                 qPrintable(QJsonDocument(j).toJson()));
        QCOMPARE(j["verdict"].toString(), expected);
        QCOMPARE(tao.exitCode(), op == tampered ? 2 : 0);

        EvidenceDialog* shown = nullptr;
        window.checkEvidence(path, [&](EvidenceDialog* d) { shown = d; });
        QTRY_VERIFY_WITH_TIMEOUT(shown != nullptr, 60000);
        QVERIFY2(shown->headline().contains(expected), qPrintable(shown->headline()));
        QVERIFY(shown->headline().contains(QStringLiteral("as recorded")));
        s->selectOp(-1);
        emit shown->showOpRequested(op);
        QCOMPARE(s->selectedOp(), int(op));
        shown->close();
    }
}

// The tampered trace compared with the honest one (same model, same inputs): identical up to
// the tampered operator, which is selected and shown as the first difference; the table's
// Difference column sorts by it and the legend names the compared trace. A trace of another
// model does not match and says so.
void TestViews::comparedTracesDifferFromTheTamperedOperator() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    openAndVerify(window, demo(), demo().tamperedTrace);
    auto* s = window.session();
    bool done = false;
    window.compareWithTrace(QString::fromStdString(demo().honestTrace.string()),
                            [&] { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
    const auto op = demo().tamperedOp;
    QCOMPARE(s->colourSource(), ColourSource::LocalReplay);
    QCOMPARE(s->selectedOp(), int(op));
    QVERIFY2(window.statusBar()->currentMessage().contains(
                 QStringLiteral("first difference is #%1").arg(op)),
             qPrintable(window.statusBar()->currentMessage()));
    for (std::uint32_t i = 0; i < op; ++i)
        QVERIFY(s->replayResult(i) && s->replayResult(i)->bitExact);
    QVERIFY(s->replayResult(op) && !s->replayResult(op)->bitExact);
    QVERIFY(
        window.graphPanel()->legend()->caption().contains(QStringLiteral("vs fashion_cnn_honest")));
    auto* table = window.operatorTable();
    const int column = OperatorTableModel::Difference;
    QCOMPARE(table->model()->headerData(column, Qt::Horizontal).toString(),
             QStringLiteral("Difference (rel.)"));
    table->sortByColumn(column, Qt::DescendingOrder);
    // Largest difference first: an operator at or after the tampered one.
    const int top = table->model()->index(0, OperatorTableModel::Index).data().toInt();
    QVERIFY2(top >= int(op), qPrintable(QString::number(top)));
    QCOMPARE(table->model()->index(table->model()->rowCount() - 1, column).data().toString(),
             QStringLiteral("identical"));

    // A trace of another model.
    const QString lm = TAO_SOURCE_DIR "/resources/models/tiny_lm.pt";
    const QString lmTrace = dir.filePath(QStringLiteral("lm.taotrace"));
    QProcess tao;
    tao.start(taoExecutable(), {QStringLiteral("capture"), QStringLiteral("--model"), lm,
                                QStringLiteral("--random-input"), QStringLiteral("1"),
                                QStringLiteral("--out"), lmTrace});
    QVERIFY(tao.waitForFinished(120000) && tao.exitCode() == 0);
    window.compareWithTrace(lmTrace);
    QTRY_VERIFY2_WITH_TIMEOUT(
        window.statusBar()->currentMessage().contains(QStringLiteral("do not match")),
        qPrintable(window.statusBar()->currentMessage()), 60000);
}

// A file that cannot be opened is always reported, even when another job failed first (a
// failure of any job used to consume the open's error message).
void TestViews::openErrorsAreNeverLost() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(&settings);
    window.engine()->submit(QStringLiteral("unrelated"), [](JobControl&) -> std::function<void()> {
        throw std::runtime_error("an unrelated failure");
    });
    const QString missing = dir.filePath(QStringLiteral("missing.pt"));
    window.openModel(missing);
    QTRY_VERIFY2(
        window.statusBar()->currentMessage().contains(QStringLiteral("Could not open model")),
        qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.statusBar()->currentMessage().contains(missing));
    QVERIFY(!window.session()->model());
}
