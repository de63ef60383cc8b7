#pragma once
// Disputes: the coordinator's jobs, a job opened from its provider and checked against its
// commitment, the one-click challenge, and the game as it runs: every move in a timeline,
// the interval on the graph, the countdown to the next deadline, the committee's votes and
// the payouts. "Start demo network" runs `tao demo-network` (a local devnet where a provider
// cheated) and connects to it with its throw-away devnet account.
#include <QJsonObject>
#include <QWidget>
#include <memory>

class QLabel;
class QPushButton;
class QCheckBox;
class QTableView;
class QProcess;

namespace tao::chain {
class PrivateKey;
}

namespace tao::views {

class AuditSession;
class DisputeClient;
class JobListModel;
class TimelineModel;
class ChallengeDialog;
struct NetworkTarget;

class DisputeDock : public QWidget {
    Q_OBJECT
public:
    DisputeDock(AuditSession* session, QWidget* parent = nullptr);
    ~DisputeDock() override;

    DisputeClient* client() const { return client_; }
    // Starts `tao demo-network` in `dir` and connects to it once it is up.
    void startDemoNetwork(const QString& dir);
    // Connects with an account unlocked elsewhere (Tools → Connect).
    void connectTo(const NetworkTarget& target, std::shared_ptr<const chain::PrivateKey> key);
    // The description the demo network printed (empty before it is up).
    const QJsonObject& demoNetwork() const { return demo_; }
    // What the demo network printed: its description, then the provider's and the
    // committee's moves.
    const QString& demoLog() const { return demoOutput_; }

    // The selected job, 0 for none; selecting one follows it.
    quint64 selectedJob() const;
    void selectJob(quint64 jobId);
    // Fetches the selected job (emits traceFetched with the checked local copy).
    void openSelectedJob();
    // Quotes a challenge of the selected job against the session's first operator that is
    // not PASS, and shows the confirmation (dialogShown is emitted before it is shown).
    void challengeSelectedJob();

    // What the panel shows, for tests and tours.
    QTableView* jobsView() const { return jobs_; }
    QTableView* timelineView() const { return timeline_; }
    QPushButton* startDemoButton() const { return startDemo_; }
    QPushButton* openButton() const { return open_; }
    QPushButton* challengeButton() const { return challenge_; }
    QPushButton* sendButton() const { return send_; }
    QCheckBox* stepByStepBox() const { return stepByStep_; }
    QString statusText() const;
    QString gameText() const;    // phase, interval and countdown of the game shown
    QString outcomeText() const; // verdict, votes and payouts once decided
    QString errorText() const;   // the last failure, with what to do
    QString pendingText() const; // the selection awaiting confirmation
    // This auditor's own check of each part of the interval the game stands on (from the
    // verdicts of the opened trace), while the challenger has to select.
    QString partsText() const;

signals:
    void demoNetworkReady(const QJsonObject& description);
    void traceFetched(const QString& path);
    void dialogShown(ChallengeDialog* dialog);

private:
    void showGame();
    void showError(const QString& what, const QString& message);
    void updateButtons();
    QString motive(std::uint32_t* op) const;
    QString describeParts(std::uint32_t lo, std::uint32_t hi) const;

    AuditSession* session_;
    DisputeClient* client_;
    JobListModel* jobModel_;
    TimelineModel* timelineModel_;
    QLabel* status_;
    QPushButton* startDemo_;
    QTableView* jobs_;
    QPushButton* open_;
    QPushButton* challenge_;
    QCheckBox* stepByStep_;
    QLabel* game_;
    QLabel* parts_;
    QTableView* timeline_;
    QLabel* pending_;
    QPushButton* send_;
    QLabel* outcome_;
    QLabel* error_;
    QProcess* demoProcess_ = nullptr;
    QString demoOutput_;
    QJsonObject demo_;
};

} // namespace tao::views
