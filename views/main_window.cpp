#include "views/main_window.hpp"

#include "core/dispute/evidence_bundle.hpp"
#include "core/dispute/trace_source.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/runtime/replay.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/about_dialog.hpp"
#include "views/app_settings.hpp"
#include "views/audit_report.hpp"
#include "views/audit_session.hpp"
#include "views/bookmark_model.hpp"
#include "views/calibration_view.hpp"
#include "views/connect_dialog.hpp"
#include "views/demo_files.hpp"
#include "views/dispute_client.hpp"
#include "views/dispute_dock.hpp"
#include "views/engine_jobs.hpp"
#include "views/engine_worker.hpp"
#include "views/evidence_dialog.hpp"
#include "views/graph_panel.hpp"
#include "views/inspector_dock.hpp"
#include "views/operator_table_model.hpp"
#include "views/replay_panel.hpp"
#include "views/scope_tree_model.hpp"
#include "views/session_file.hpp"
#include "views/settings_dialog.hpp"
#include "views/start_page.hpp"
#include "views/theme.hpp"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace tao::views {

MainWindow::MainWindow(AppSettings* settings, QWidget* parent)
    : QMainWindow(parent)
    , settings_(settings)
    , session_(new AuditSession(this))
    , engine_(new EngineWorker(this)) {
    setAcceptDrops(true);
    resize(1500, 950);
    setDockNestingEnabled(true);

    centre_ = new QStackedWidget(this);
    start_ = new StartPage(centre_);
    graph_ = new GraphPanel(session_, centre_);
    centre_->addWidget(start_);
    centre_->addWidget(graph_);
    setCentralWidget(centre_);

    inspector_ = new InspectorDock(session_, engine_, this);
    addDockWidget(Qt::RightDockWidgetArea, inspector_);
    connect(inspector_, &InspectorDock::jumpRequested, graph_,
            [this](int op) { graph_->revealOp(static_cast<std::uint32_t>(op)); });

    // Operators: a sortable, filterable table.
    auto* opModel = new OperatorTableModel(session_, this);
    opProxy_ = new QSortFilterProxyModel(this);
    opProxy_->setSourceModel(opModel);
    opProxy_->setSortRole(OperatorTableModel::SortRole);
    opProxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    opProxy_->setFilterKeyColumn(-1);
    opTable_ = new QTableView;
    opTable_->setModel(opProxy_);
    opTable_->setSortingEnabled(true);
    opTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    opTable_->setSelectionMode(QAbstractItemView::SingleSelection);
    opTable_->verticalHeader()->hide();
    opTable_->horizontalHeader()->setStretchLastSection(true);
    opTable_->verticalHeader()->setDefaultSectionSize(22);
    auto* filter = new QLineEdit;
    filter->setPlaceholderText(tr("Filter operators"));
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, opProxy_,
            &QSortFilterProxyModel::setFilterFixedString);
    auto* opsPage = new QWidget;
    auto* opsLayout = new QVBoxLayout(opsPage);
    opsLayout->setContentsMargins(4, 4, 4, 4);
    opsLayout->addWidget(filter);
    opsLayout->addWidget(opTable_);
    auto* opsDock = opsDock_ = new QDockWidget(tr("Operators"), this);
    opsDock->setObjectName(QStringLiteral("operators"));
    opsDock->setWidget(opsPage);
    addDockWidget(Qt::LeftDockWidgetArea, opsDock);
    connect(opTable_, &QTableView::activated, this, [this](const QModelIndex& index) {
        graph_->revealOp(index.data(OperatorTableModel::OpRole).toUInt());
    });
    connect(opTable_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        session_->selectOp(index.data(OperatorTableModel::OpRole).toInt());
    });
    // The table follows the one selection (Worst, search, a graph click), like every view.
    connect(session_, &AuditSession::selectionChanged, opTable_, [this](int op) {
        if (op < 0) {
            opTable_->clearSelection();
            return;
        }
        // Source rows are operators in order.
        const auto row = opProxy_->mapFromSource(opProxy_->sourceModel()->index(op, 0));
        if (!row.isValid()) { // filtered out
            opTable_->clearSelection();
            return;
        }
        if (opTable_->currentIndex().row() == row.row()) return;
        opTable_->selectRow(row.row());
        opTable_->scrollTo(row);
    });

    auto* scopeModel = new ScopeTreeModel(session_, this);
    scopeTree_ = new QTreeView;
    scopeTree_->setModel(scopeModel);
    scopeTree_->header()->setStretchLastSection(true);
    auto* scopeDock = new QDockWidget(tr("Module scopes"), this);
    scopeDock->setObjectName(QStringLiteral("scopes"));
    scopeDock->setWidget(scopeTree_);
    addDockWidget(Qt::LeftDockWidgetArea, scopeDock);
    tabifyDockWidget(opsDock, scopeDock);
    opsDock->raise();
    connect(scopeTree_, &QTreeView::activated, this, [this](const QModelIndex& index) {
        const int op = index.data(ScopeTreeModel::OpRole).toInt();
        const int group = index.data(ScopeTreeModel::GroupRole).toInt();
        if (op >= 0) graph_->revealOp(static_cast<std::uint32_t>(op));
        if (group > 0) graph_->setGroupExpanded(group, true);
    });

    auto* bookmarkList = new QListView;
    bookmarkList->setModel(new BookmarkModel(session_, this));
    auto* bookmarkDock = new QDockWidget(tr("Bookmarks"), this);
    bookmarkDock->setObjectName(QStringLiteral("bookmarks"));
    bookmarkDock->setWidget(bookmarkList);
    addDockWidget(Qt::LeftDockWidgetArea, bookmarkDock);
    connect(bookmarkList, &QListView::activated, this, [this](const QModelIndex& index) {
        graph_->revealOp(index.data(BookmarkModel::OpRole).toUInt());
    });

    replay_ = new ReplayPanel(session_, engine_, settings_);
    auto* replayDock = new QDockWidget(tr("Verify and replay"), this);
    replayDock->setObjectName(QStringLiteral("replay"));
    // Scrolls rather than holding the window taller than a laptop screen.
    auto* replayScroll = new QScrollArea;
    replayScroll->setWidget(replay_);
    replayScroll->setWidgetResizable(true);
    replayScroll->setFrameShape(QFrame::NoFrame);
    replayDock->setWidget(replayScroll);
    addDockWidget(Qt::RightDockWidgetArea, replayDock);
    splitDockWidget(inspector_, replayDock, Qt::Vertical);
    connect(graph_, &GraphPanel::replayRequested, replay_, [this](std::uint32_t op) {
        replay_->startReplay(ReplayPanel::Scope::SingleOp, int(op));
    });
    connect(graph_, &GraphPanel::evidenceRequested, this, [this](std::uint32_t op) {
        auto p = QFileDialog::getSaveFileName(this, tr("Export evidence of operator #%1").arg(op),
                                              QStringLiteral("op%1.taoevidence").arg(op),
                                              tr("TAO evidence (*.taoevidence)"));
        if (p.isEmpty()) return;
        if (!p.endsWith(QLatin1String(".taoevidence"))) p += QStringLiteral(".taoevidence");
        exportEvidence(op, p);
    });
    connect(replay_, &ReplayPanel::failed, this,
            [this](const QString& m) { showError(tr("Verification or replay failed"), m); });

    calibration_ = new CalibrationView(session_);
    calibrationDock_ = new QDockWidget(tr("Calibration"), this);
    calibrationDock_->setObjectName(QStringLiteral("calibration"));
    calibrationDock_->setWidget(calibration_);
    addDockWidget(Qt::BottomDockWidgetArea, calibrationDock_);
    calibrationDock_->hide();

    disputes_ = new DisputeDock(session_);
    disputesDock_ = new QDockWidget(tr("Disputes"), this);
    disputesDock_->setObjectName(QStringLiteral("disputes"));
    disputesDock_->setWidget(disputes_);
    addDockWidget(Qt::BottomDockWidgetArea, disputesDock_);
    tabifyDockWidget(calibrationDock_, disputesDock_);
    disputesDock_->hide();
    // A job fetched from its provider, every tensor checked, is verified like any trace.
    connect(disputes_, &DisputeDock::traceFetched, this,
            [this](const QString& path) { openTrace(path); });

    busy_ = new QProgressBar(this);
    busy_->setMaximumWidth(220);
    busy_->setVisible(false);
    busyLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(busyLabel_);
    statusBar()->addPermanentWidget(busy_);
    connect(engine_, &EngineWorker::jobStarted, this, [this](const QString& tag) {
        if (tag == QLatin1String("inspect")) return;
        busy_->setVisible(true);
        busy_->setRange(0, 0);
        busyLabel_->setText(tag);
    });
    connect(engine_, &EngineWorker::jobProgress, this,
            [this](const QString& tag, qint64 d, qint64 t) {
                if (tag == QLatin1String("inspect")) return;
                busy_->setRange(0, int(t));
                busy_->setValue(int(d));
            });
    auto idle = [this](const QString&) {
        if (!engine_->busy()) {
            busy_->setVisible(false);
            busyLabel_->clear();
        }
    };
    connect(engine_, &EngineWorker::jobFinished, this, idle);
    connect(engine_, &EngineWorker::jobCancelled, this, idle);
    connect(engine_, &EngineWorker::jobFailed, this,
            [this, idle](const QString& tag, const QString& m) {
                idle(tag);
                if (tag == QLatin1String("inspect"))
                    statusBar()->showMessage(tr("Inspector: %1").arg(m), 8000);
            });
    connect(graph_, &GraphPanel::statusMessage, this,
            [this](const QString& m) { statusBar()->showMessage(m, 6000); });

    connect(start_, &StartPage::demoRequested, this, [this] { runDemo(); });
    connect(start_, &StartPage::openModelRequested, this, [this] {
        const auto path =
            QFileDialog::getOpenFileName(this, tr("Open model"), {}, tr("TorchScript (*.pt)"));
        if (!path.isEmpty()) openModel(path);
    });
    connect(start_, &StartPage::openTraceRequested, this, [this] {
        const auto path =
            QFileDialog::getExistingDirectory(this, tr("Open trace (.taotrace folder)"));
        if (!path.isEmpty()) openTrace(path);
    });
    connect(start_, &StartPage::recentFileRequested, this, &MainWindow::openPath);
    connect(session_, &AuditSession::modelChanged, this, [this] {
        centre_->setCurrentWidget(session_->hasModel() ? static_cast<QWidget*>(graph_) : start_);
        refreshTitle();
        statusBar()->clearMessage(); // e.g. the previous model's worst operator
    });
    connect(session_, &AuditSession::traceChanged, this, &MainWindow::refreshTitle);
    // Verdicts on screen are those of the profile in force: a new profile, or a new percentile
    // for it, verifies the open trace again.
    connect(session_, &AuditSession::profileChanged, this, [this] {
        if (session_->trace() && session_->trace()->hasOpTensors()) replay_->startVerify();
    });

    fitDocks();
    buildMenus();
    start_->setRecentFiles(settings_->recentFiles());
    setDark(settings_->darkTheme());
    refreshTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::fitDocks() {
    // The inspector's charts need room for log-axis labels and legends, the graph needs room
    // for its toolbar: side docks take a share of the window, within limits, so a window
    // that grows again gives them their room back.
    if (!inspector_ || !opsDock_) return; // a resize before the docks exist
    const int w = width();
    resizeDocks({inspector_, opsDock_},
                {std::clamp(w * 36 / 100, 340, 560), std::clamp(w * 20 / 100, 200, 300)},
                Qt::Horizontal);
    // Tall enough for the calibration chart's log labels, short enough to leave the graph room.
    if (calibrationDock_ && calibrationDock_->isVisible() && !calibrationDock_->isFloating())
        resizeDocks({calibrationDock_}, {std::clamp(height() * 30 / 100, 170, 300)}, Qt::Vertical);
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    fitDocks();
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &model…"), QKeySequence::Open, this, [this] {
        const auto p =
            QFileDialog::getOpenFileName(this, tr("Open model"), {}, tr("TorchScript (*.pt)"));
        if (!p.isEmpty()) openModel(p);
    });
    file->addAction(tr("Open &trace…"), QKeySequence(Qt::CTRL | Qt::Key_T), this, [this] {
        const auto p = QFileDialog::getExistingDirectory(this, tr("Open trace (.taotrace folder)"));
        if (!p.isEmpty()) openTrace(p);
    });
    file->addAction(tr("Open &profile…"), QKeySequence(Qt::CTRL | Qt::Key_P), this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, tr("Open threshold profile"), {},
                                                    tr("Profile (*.json)"));
        if (!p.isEmpty()) openProfile(p);
    });
    file->addAction(tr("Add &comparison profile…"), this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, tr("Add comparison profile"), {},
                                                    tr("Profile (*.json)"));
        if (!p.isEmpty()) addComparisonProfile(p);
    });
    file->addAction(tr("Clear comparison profiles"), session_,
                    &AuditSession::clearComparisonProfiles);
    file->addAction(tr("Open &session…"), this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, tr("Open session"), {},
                                                    tr("TAO session (*.taosession)"));
        if (!p.isEmpty()) openSession(p);
    });
    file->addAction(tr("&Save session…"), QKeySequence::Save, this, [this] {
        auto p = QFileDialog::getSaveFileName(this, tr("Save session"), sessionPath_,
                                              tr("TAO session (*.taosession)"));
        if (p.isEmpty()) return;
        if (!p.endsWith(QLatin1String(".taosession"))) p += QStringLiteral(".taosession");
        QString error;
        if (saveSession(p, &error))
            statusBar()->showMessage(tr("Session saved to %1").arg(p), 6000);
        else
            showError(tr("Could not save the session"), error);
    });
    recentMenu_ = file->addMenu(tr("Recent files"));
    connect(recentMenu_, &QMenu::aboutToShow, this, [this] {
        recentMenu_->clear();
        for (const auto& p : settings_->recentFiles())
            recentMenu_->addAction(p, this, [this, p] { openPath(p); });
    });
    file->addAction(tr("Run &demo"), this, [this] { runDemo(); });
    file->addSeparator();
    auto exportAs = [this](const QString& format, const QString& filter) {
        const auto p = QFileDialog::getSaveFileName(this, tr("Export graph"), {}, filter);
        if (p.isEmpty()) return;
        QString error, written;
        const bool ok = format == QLatin1String("svg") ? graph_->exportSvg(p, &error, &written)
                                                       : graph_->exportPng(p, &error, &written);
        if (ok)
            statusBar()->showMessage(tr("Graph exported to %1").arg(written), 6000);
        else
            showError(tr("Export failed"), error);
    };
    file->addAction(tr("Export &report (HTML or PDF)…"), this, [this] {
        const auto p = QFileDialog::getSaveFileName(this, tr("Export report"), {},
                                                    tr("HTML (*.html);;PDF (*.pdf)"));
        if (p.isEmpty()) return;
        QString error, written;
        if (exportReport(p, &error, &written))
            statusBar()->showMessage(tr("Report written to %1").arg(written), 6000);
        else
            showError(tr("Could not write the report"), error);
    });
    file->addAction(tr("Compare &with trace…"), this, [this] {
        const auto p =
            QFileDialog::getExistingDirectory(this, tr("Compare with trace (.taotrace folder)"));
        if (!p.isEmpty()) compareWithTrace(p);
    });
    file->addAction(tr("Check &evidence…"), this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, tr("Check evidence"), {},
                                                    tr("TAO evidence (*.taoevidence)"));
        if (!p.isEmpty()) checkEvidence(p);
    });
    file->addAction(tr("Export graph as &SVG…"), this,
                    [exportAs] { exportAs(QStringLiteral("svg"), tr("SVG (*.svg)")); });
    file->addAction(tr("Export graph as P&NG…"), this,
                    [exportAs] { exportAs(QStringLiteral("png"), tr("PNG (*.png)")); });
    file->addSeparator();
    file->addAction(tr("&Close"), this, [this] { session_->close(); });
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto* view = menuBar()->addMenu(tr("&View"));
    for (auto* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    auto* dark = view->addAction(tr("&Dark theme"));
    dark->setCheckable(true);
    dark->setChecked(settings_->darkTheme());
    connect(dark, &QAction::toggled, this, [this](bool on) {
        settings_->setDarkTheme(on);
        setDark(on);
    });
    auto* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Verify"), QKeySequence(Qt::Key_F5), replay_, &ReplayPanel::startVerify);
    tools->addAction(tr("&Connect to a network…"), this, [this] { openConnect(); });
    tools->addAction(tr("Start &demo network"), this, [this] { startDemoNetwork(); });
    tools->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About TAO Auditor"), this, [this] {
        AboutDialog about(*session_, this);
        about.exec();
    });
}

void MainWindow::openSettings() {
    SettingsDialog dialog(settings_, session_, this);
    if (dialog.exec() == QDialog::Accepted) setDark(settings_->darkTheme());
}

void MainWindow::setDark(bool dark) {
    if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
        applyTheme(*app, dark);
    graph_->setDark(dark);
    inspector_->setDark(dark);
    calibration_->setDark(dark);
}

void MainWindow::showError(const QString& what, const QString& message) {
    statusBar()->showMessage(what + QStringLiteral(": ") + message, 10000);
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) return; // tests: no modal
    QMessageBox box(QMessageBox::Warning, what, what, QMessageBox::Ok, this);
    box.setInformativeText(message);
    box.exec();
}

void MainWindow::rememberFile(const QString& path) {
    settings_->addRecentFile(path);
    start_->setRecentFiles(settings_->recentFiles());
}

void MainWindow::refreshTitle() {
    QString title = QStringLiteral("TAO Auditor");
    if (session_->hasModel()) title += QStringLiteral(" — ") + session_->modelName();
    if (!session_->tracePath().isEmpty())
        title += QStringLiteral(" — ") + QFileInfo(session_->tracePath()).fileName();
    setWindowTitle(title);
}

void MainWindow::reportFailureOf(const QString& tag, const QString& what) {
    // Listens until that job ends: a failure of another job (an inspection, say) must not
    // use up this one's error dialog.
    auto failed = std::make_shared<QMetaObject::Connection>();
    auto ended = std::make_shared<QMetaObject::Connection>();
    auto cancelled = std::make_shared<QMetaObject::Connection>();
    auto forget = [failed, ended, cancelled] {
        disconnect(*failed);
        disconnect(*ended);
        disconnect(*cancelled);
    };
    *failed = connect(engine_, &EngineWorker::jobFailed, this,
                      [this, tag, what, forget](const QString& t, const QString& m) {
                          if (t != tag) return;
                          forget();
                          showError(what, m);
                      });
    *ended = connect(engine_, &EngineWorker::jobFinished, this, [tag, forget](const QString& t) {
        if (t == tag) forget();
    });
    *cancelled =
        connect(engine_, &EngineWorker::jobCancelled, this, [tag, forget](const QString& t) {
            if (t == tag) forget();
        });
}

void MainWindow::openPath(const QString& path) {
    openPaths({path});
}

namespace {
enum class FileKind { Session, Model, Trace, Profile };

FileKind kindOf(const QString& path) {
    if (path.endsWith(QLatin1String(".taosession"))) return FileKind::Session;
    if (QFileInfo(path).isDir() || path.endsWith(QLatin1String(".taotrace")) ||
        path.endsWith(QLatin1String(".taotrace/")))
        return FileKind::Trace;
    if (path.endsWith(QLatin1String(".json"))) return FileKind::Profile;
    return FileKind::Model;
}
} // namespace

void MainWindow::openPaths(const QStringList& paths, std::function<void()> then) {
    QStringList ordered;
    // Profiles before traces: a trace is then verified once, against the profile in force,
    // rather than first against the bounds alone and again when the profile lands.
    for (auto kind : {FileKind::Session, FileKind::Model, FileKind::Profile, FileKind::Trace})
        for (const auto& p : paths)
            if (kindOf(p) == kind) ordered << p;
    // Each open starts when the previous one has landed (a failed one ends the chain with
    // its error dialog).
    auto step = std::make_shared<std::function<void(int)>>();
    *step = [this, ordered, then, step](int i) {
        if (i == ordered.size()) {
            if (then) then();
            return;
        }
        auto next = [step, i] { (*step)(i + 1); };
        switch (kindOf(ordered[i])) {
        case FileKind::Session:
            openSession(ordered[i], next);
            break;
        case FileKind::Model:
            openModel(ordered[i], next);
            break;
        case FileKind::Trace:
            openTrace(ordered[i], next);
            break;
        case FileKind::Profile:
            openProfile(ordered[i], next);
            break;
        }
    };
    (*step)(0);
}

void MainWindow::openModel(const QString& path, std::function<void()> then) {
    // A trace or profile opened before any model belongs to the model opened next: they
    // are reopened against it rather than dropped.
    QStringList waiting;
    if (!session_->model()) {
        if (session_->profile()) waiting << session_->profilePath();
        if (session_->trace()) waiting << session_->tracePath();
    }
    engine_->submit(QStringLiteral("open model"), [this, path, then, waiting](JobControl&) {
        auto model = loadModelFile(path.toStdString());
        return [this, model, path, then, waiting] {
            session_->setModel(model, path);
            rememberFile(path);
            if (waiting.isEmpty()) {
                if (then) then();
            } else {
                openPaths(waiting, then);
            }
        };
    });
    reportFailureOf(QStringLiteral("open model"), tr("Could not open model %1").arg(path));
}

void MainWindow::openTrace(const QString& path, std::function<void()> then) {
    auto model = session_->model();
    engine_->submit(QStringLiteral("open trace"), [this, path, model, then](JobControl&) {
        auto bundle = openTraceFile(path.toStdString(), model);
        return [this, bundle, path, model, then] {
            if (model != session_->model()) { // the model changed meanwhile: check against it
                openTrace(path, then);
                return;
            }
            session_->setTrace(bundle, path);
            rememberFile(path);
            if (!model) {
                statusBar()->showMessage(tr("Trace opened; open its model to see the graph"), 8000);
            } else if (bundle->hasOpTensors()) {
                replay_->startVerify();
            }
            if (then) then();
        };
    });
    reportFailureOf(QStringLiteral("open trace"), tr("Could not open trace %1").arg(path));
}

void MainWindow::openProfile(const QString& path, std::function<void()> then) {
    auto model = session_->model();
    engine_->submit(QStringLiteral("open profile"), [this, path, model, then](JobControl&) {
        auto profile = openProfileFile(path.toStdString(), model);
        return [this, profile, path, then] {
            session_->setProfile(profile, path);
            rememberFile(path);
            calibrationDock_->show();
            fitDocks();
            if (then) then();
        };
    });
    reportFailureOf(QStringLiteral("open profile"), tr("Could not open profile %1").arg(path));
}

void MainWindow::addComparisonProfile(const QString& path, std::function<void()> then) {
    // One tag per file: profiles added in a row must not replace each other in the queue.
    const QString tag = QStringLiteral("add comparison profile ") + path;
    auto model = session_->model();
    engine_->submit(tag, [this, path, model, then](JobControl&) {
        auto profile = openProfileFile(path.toStdString(), model);
        return [this, profile, path, model, then] {
            if (session_->model() != model) return; // another model came in meanwhile
            session_->addComparisonProfile(profile, path);
            calibrationDock_->show();
            if (then) then();
        };
    });
    reportFailureOf(tag, tr("Could not open comparison profile %1").arg(path));
}

void MainWindow::exportEvidence(std::uint32_t op, const QString& path,
                                std::function<void(const dispute::EvidenceSummary&)> then) {
    auto model = session_->model();
    auto bundle = session_->trace();
    std::shared_ptr<const numerics::Profile> profile = session_->profile();
    if (!model || !bundle || !bundle->hasOpTensors() || !profile) {
        showError(tr("Could not export evidence"),
                  tr("Evidence needs a model, a trace with its tensors and a threshold profile."));
        return;
    }
    const QString tag = QStringLiteral("export evidence ") + path;
    engine_->submit(tag, [this, model, bundle, profile, op, path, then](JobControl&) {
        dispute::BundleTraceSource source(bundle);
        const auto summary = dispute::writeEvidence(path.toStdString(), model, profile, op, source);
        return [this, summary, path, then] {
            statusBar()->showMessage(
                tr("Evidence of #%1 (%2) written to %3")
                    .arg(summary.op)
                    .arg(QString::fromUtf8(verify::verdictName(summary.verdict).data()), path),
                8000);
            if (then) then(summary);
        };
    });
    reportFailureOf(tag, tr("Could not export evidence of operator #%1").arg(op));
}

void MainWindow::startDemoNetwork(std::function<void()> then) {
    disputesDock_->show();
    disputesDock_->raise();
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(disputes_, &DisputeDock::demoNetworkReady, this,
                    [this, once, then](const QJsonObject& d) {
                        disconnect(*once);
                        const auto model = d[QStringLiteral("model")].toString();
                        const auto profile = d[QStringLiteral("profile")].toString();
                        auto withProfile = [this, profile, then] {
                            if (session_->profilePath() == profile) {
                                if (then) then();
                                return;
                            }
                            openProfile(profile, then);
                        };
                        if (session_->modelPath() == model)
                            withProfile();
                        else
                            openModel(model, withProfile);
                    });
    disputes_->startDemoNetwork(
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
        QStringLiteral("/demo-network"));
}

ConnectDialog* MainWindow::openConnect() {
    // One dialog for the window's lifetime: an unlocked account stays unlocked (in memory).
    if (!connect_) {
        connect_ = new ConnectDialog(this);
        connect(connect_, &ConnectDialog::useForDisputes, this,
                [this](const NetworkTarget& target, std::shared_ptr<const chain::PrivateKey> key) {
                    disputesDock_->show();
                    disputesDock_->raise();
                    disputes_->connectTo(target, std::move(key));
                });
    }
    connect_->show();
    connect_->raise();
    return connect_;
}

void MainWindow::compareWithTrace(const QString& path, std::function<void()> then) {
    auto model = session_->model();
    auto bundle = session_->trace();
    if (!model || !bundle) {
        showError(tr("Could not compare traces"), tr("Open a model and one of its traces first."));
        return;
    }
    const QString tag = QStringLiteral("compare with ") + path;
    engine_->submit(tag, [this, model, bundle, path, then](JobControl& control) {
        const auto other = trace::TraceBundle::open(path.toStdString());
        auto results = runtime::compareTraces(model, *bundle, other,
                                              [&control](std::size_t done, std::size_t total) {
                                                  return control.progress(done, total);
                                              });
        return [this, model, bundle, path, then, results = std::move(results)] {
            if (session_->model() != model || session_->trace() != bundle) return;
            const auto summary = runtime::summarise(results);
            const auto* first = summary.first;
            const QString name = QFileInfo(path).fileName();
            session_->clearReplayResults();
            session_->setDifferenceSource(tr("vs %1").arg(QFileInfo(path).completeBaseName()));
            session_->addReplayResults(results);
            session_->setColourSource(ColourSource::LocalReplay);
            statusBar()->showMessage(
                first ? tr("Compared with %1: %2 of %3 operators identical; the first difference "
                           "is #%4 %5")
                            .arg(name)
                            .arg(summary.identical)
                            .arg(results.size())
                            .arg(first->op)
                            .arg(QString::fromStdString(first->kind))
                      : tr("Compared with %1: all %2 operators identical")
                            .arg(name)
                            .arg(results.size()),
                10000);
            if (first) {
                session_->selectOp(int(first->op));
                graph_->revealOp(first->op);
            }
            if (then) then();
        };
    });
    reportFailureOf(tag, tr("Could not compare with %1").arg(path));
}

void MainWindow::checkEvidence(const QString& path, std::function<void(EvidenceDialog*)> then) {
    auto model = session_->model();
    if (!model) {
        showError(tr("Could not check evidence"),
                  tr("Open the model the evidence is about first: its operator is recomputed."));
        return;
    }
    const QString tag = QStringLiteral("check evidence ") + path;
    engine_->submit(tag, [this, model, path, then](JobControl&) {
        auto check = dispute::checkEvidence(path.toStdString(), model);
        return [this, check, path, then, model] {
            auto* dialog = new EvidenceDialog(path, check, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &EvidenceDialog::showOpRequested, this,
                    [this, model](std::uint32_t op) {
                        if (session_->model() != model) return;
                        session_->selectOp(int(op));
                        graph_->revealOp(op);
                    });
            if (then) then(dialog);
            dialog->show();
        };
    });
    reportFailureOf(tag, tr("The evidence %1 does not hold").arg(QFileInfo(path).fileName()));
}

bool MainWindow::exportReport(const QString& path, QString* error, QString* written) {
    if (!session_->model()) {
        if (error) *error = tr("nothing is open");
        return false;
    }
    try {
        const QString html =
            auditReportHtml(*session_, QString::fromStdString(modelIdHex(*session_->model())),
                            graph_->renderImage());
        const QString out = writeAuditReport(html, path);
        if (written) *written = out;
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::saveSession(const QString& path, QString* error) {
    if (!session_->model()) {
        if (error) *error = tr("nothing is open");
        return false;
    }
    try {
        saveSessionFile(
            describeSession(*session_, QString::fromStdString(modelIdHex(*session_->model()))),
            path);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    sessionPath_ = path;
    rememberFile(path);
    return true;
}

void MainWindow::openSession(const QString& path, std::function<void()> then) {
    SessionFile file;
    try {
        file = loadSessionFile(path);
    } catch (const std::exception& e) {
        showError(tr("Could not open session %1").arg(path), QString::fromStdString(e.what()));
        return;
    }
    // Files first (each checked against the model as usual), then comparison profiles one
    // by one, then what the audit had in force.
    openPaths(file.paths(), [this, file, path, then] {
        auto restore = [this, file, path, then] {
            if (!session_->model()) return; // the model failed to open: its error is shown
            const auto changed = identityMismatches(
                file, *session_, QString::fromStdString(modelIdHex(*session_->model())));
            if (!changed.isEmpty())
                showError(tr("Files changed since the session was saved"),
                          changed.join(QLatin1Char('\n')));
            session_->setBookmarks(file.bookmarks);
            if (file.percentile) session_->setPercentileOverride(file.percentile);
            session_->selectOp(file.selectedOp);
            sessionPath_ = path;
            rememberFile(path);
            if (then) then();
        };
        auto step = std::make_shared<std::function<void(int)>>();
        *step = [this, file, restore, step](int i) {
            if (i == file.comparisons.size()) return restore();
            addComparisonProfile(file.comparisons[i].path, [step, i] { (*step)(i + 1); });
        };
        (*step)(0);
    });
}

void MainWindow::runDemo(std::function<void()> then) {
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/demo");
    statusBar()->showMessage(
        tr("Preparing the demo: honest capture, tampered capture, calibration…"));
    engine_->submit(QStringLiteral("demo"), [this, dir, then](JobControl&) {
        auto files = std::make_shared<DemoFiles>(prepareDemoFiles(dir));
        auto model = loadModelFile(files->model);
        auto bundle = openTraceFile(files->tamperedTrace, model);
        auto profile = openProfileFile(files->profile, model);
        return [this, files, model, bundle, profile, then] {
            session_->setModel(model, QString::fromStdString(files->model.string()));
            session_->setProfile(profile, QString::fromStdString(files->profile.string()));
            session_->setTrace(bundle, QString::fromStdString(files->tamperedTrace.string()));
            calibrationDock_->show();
            fitDocks();
            statusBar()->showMessage(
                tr("Demo: %1 — verifying…").arg(QString::fromStdString(files->tamperDescription)),
                10000);
            auto connection = std::make_shared<QMetaObject::Connection>();
            *connection =
                connect(replay_, &ReplayPanel::verifyFinished, this, [this, connection, then] {
                    disconnect(*connection);
                    graph_->jumpToWorst();
                    emit demoReady();
                    if (then) then();
                });
            replay_->startVerify();
        };
    });
    reportFailureOf(QStringLiteral("demo"), tr("The demo could not be prepared"));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const auto& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    openPaths(paths);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_->sync();
    QMainWindow::closeEvent(event);
}

} // namespace tao::views
