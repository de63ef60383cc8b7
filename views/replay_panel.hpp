#pragma once
// Local re-execution on the trace's committed inputs: verify (FP64 reference against the
// bound and profile) or replay (FP32 here vs the committed outputs) of all operators, from
// one operator on, or a single one. Runs on the engine thread in small chunks so the graph
// colours update live; progress bar and cancel.
#include <QWidget>

class QComboBox;
class QSpinBox;
class QPushButton;
class QProgressBar;
class QLabel;

namespace tao::views {

class AuditSession;
class EngineWorker;
class AppSettings;

class ReplayPanel : public QWidget {
    Q_OBJECT
public:
    enum class Scope { All, FromOp, SingleOp };

    ReplayPanel(AuditSession* session, EngineWorker* engine, AppSettings* settings,
                QWidget* parent = nullptr);

    void startReplay(Scope scope, int op = 0);
    void startVerify();
    void cancel();
    bool running() const { return running_; }
    QProgressBar* progressBar() const { return progress_; }
    QString statusText() const;
    static constexpr std::uint32_t kChunk = 8; // ops per engine job: live colours, prompt cancel

signals:
    void replayFinished(int opsReplayed);
    void replayCancelled();
    void verifyFinished();
    void failed(const QString& message);

private:
    void runChunk(std::uint32_t from, std::uint32_t to, std::uint32_t end, quint64 run);
    // "N replayed: K bit-exact, M differ; the largest is #op kind" over [from, end).
    QString replaySummary(std::uint32_t from, std::uint32_t end) const;
    void setRunning(bool on, const QString& what = {});
    void refreshEnabled();

    AuditSession* session_;
    EngineWorker* engine_;
    AppSettings* settings_;
    QComboBox* device_;
    QSpinBox* threads_;
    QComboBox* scope_;
    QSpinBox* op_;
    QPushButton* verifyButton_;
    QPushButton* replayButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* status_;
    bool running_ = false;
    bool verifyAgain_ = false; // startVerify asked while running
    quint64 run_ = 0;
    std::uint32_t start_ = 0;
    int replayed_ = 0;
};

} // namespace tao::views
