#pragma once
// The auditor's main window: start page or graph in the centre, inspector, operator list,
// scope tree, bookmarks, replay and calibration as docks; menus, recent files,
// drag-and-drop. Owns the session, the engine worker and the settings; wires panels to
// the session only.
#include <QMainWindow>
#include <functional>

class QStackedWidget;
class QProgressBar;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTreeView;

namespace tao::dispute {
struct EvidenceSummary;
}

namespace tao::views {

class AuditSession;
class EngineWorker;
class AppSettings;
class GraphPanel;
class InspectorDock;
class ReplayPanel;
class CalibrationView;
class StartPage;
class EvidenceDialog;
class ConnectDialog;
class DisputeDock;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(AppSettings* settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    AuditSession* session() const { return session_; }
    EngineWorker* engine() const { return engine_; }
    GraphPanel* graphPanel() const { return graph_; }
    InspectorDock* inspector() const { return inspector_; }
    ReplayPanel* replayPanel() const { return replay_; }
    CalibrationView* calibrationView() const { return calibration_; }
    QDockWidget* calibrationDock() const { return calibrationDock_; }
    QTableView* operatorTable() const { return opTable_; }
    DisputeDock* disputeDock() const { return disputes_; }
    QDockWidget* disputesDockWidget() const { return disputesDock_; }

    // Opens by kind: .pt model, .taotrace folder, .json profile, .taosession audit. Errors
    // become dialogs.
    void openPath(const QString& path);
    // Opens several files given in any order (command line, drag and drop): the model
    // first, then profiles, then traces, each after the previous one is in, so a trace
    // is always opened against its model and verified once. `then` runs after the last.
    void openPaths(const QStringList& paths, std::function<void()> then = {});
    void openModel(const QString& path, std::function<void()> then = {});
    void openTrace(const QString& path, std::function<void()> then = {});
    void openProfile(const QString& path, std::function<void()> then = {});
    // A saved audit (.taosession): its files, then its bookmarks, percentile and selection.
    // A file whose identity changed since is opened and reported; errors become dialogs.
    void openSession(const QString& path, std::function<void()> then = {});
    // Writes what is open now as a session file; false with `error` when nothing is open or
    // it cannot be written.
    bool saveSession(const QString& path, QString* error);
    // The audit report (views/audit_report.hpp): PDF for a ".pdf" path, else HTML. False with
    // `error` when nothing is open or it cannot be written; `written` is the path written.
    bool exportReport(const QString& path, QString* error, QString* written = nullptr);
    // A profile of another machine or configuration, drawn in the calibration view next to
    // the one in force; it never changes verdicts.
    void addComparisonProfile(const QString& path, std::function<void()> then = {});
    // Evidence of operator `op`'s verdict (core/dispute/evidence_bundle.hpp) against the
    // profile in force, written on the engine thread; needs a trace with tensors and a
    // profile. `then(summary)` runs once written; errors become dialogs.
    void exportEvidence(std::uint32_t op, const QString& path,
                        std::function<void(const dispute::EvidenceSummary&)> then = {});
    // Checks an evidence file against the open model on the engine thread and shows the
    // result (EvidenceDialog); `then` sees the dialog before it is shown.
    void checkEvidence(const QString& path, std::function<void(EvidenceDialog*)> then = {});
    // Compares the open trace with another trace of the model on the same inputs (another
    // provider, or a local capture), operator by operator, on the engine thread: the
    // differences colour the graph and fill the operator table's Difference column. Traces
    // of another model or other inputs are refused with "do not match".
    void compareWithTrace(const QString& path, std::function<void()> then = {});
    // The bundled demo, built on the engine thread; `then` runs once it is verified.
    void runDemo(std::function<void()> then = {});
    // Tools → Start demo network: a local devnet where a provider cheated (DisputeDock),
    // with the demo model and profile opened once it is up; `then` runs after that.
    void startDemoNetwork(std::function<void()> then = {});
    void setDark(bool dark);
    // Tools → Connect: the network and the account disputes use (views/connect_dialog.hpp),
    // shown non-modally; the same dialog each time.
    ConnectDialog* openConnect();
    // Tools → Settings, a modal dialog (a changed percentile verifies the open trace again,
    // as any change of the session's profile does).
    void openSettings();

signals:
    void demoReady();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void buildMenus();
    void fitDocks();
    void showError(const QString& what, const QString& message);
    // Shows `what` with the reason when the engine job tagged `tag` fails.
    void reportFailureOf(const QString& tag, const QString& what);
    void rememberFile(const QString& path);
    void refreshTitle();

    AppSettings* settings_;
    AuditSession* session_;
    EngineWorker* engine_;
    QStackedWidget* centre_;
    StartPage* start_;
    GraphPanel* graph_;
    InspectorDock* inspector_ = nullptr;
    ReplayPanel* replay_;
    CalibrationView* calibration_;
    QDockWidget* opsDock_ = nullptr;
    QDockWidget* calibrationDock_ = nullptr;
    QTableView* opTable_;
    QTreeView* scopeTree_;
    QSortFilterProxyModel* opProxy_;
    QProgressBar* busy_;
    QLabel* busyLabel_;
    QMenu* recentMenu_ = nullptr;
    QString sessionPath_; // the session file last opened or saved
    ConnectDialog* connect_ = nullptr;
    DisputeDock* disputes_ = nullptr;
    QDockWidget* disputesDock_ = nullptr;
};

} // namespace tao::views
