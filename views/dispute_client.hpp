#pragma once
// The window's link to a coordinator: one account, the job list and the followed job's
// dispute timeline, re-read from the chain every second, and the challenger's side of a
// game played automatically or one confirmed selection at a time. All chain and network work
// runs on its own thread; the window only sees finished reads. Nothing is remembered that
// the chain holds, so a restarted window shows the same jobs and timeline; the op a game was
// opened for is kept in the settings so that the restarted window goes on playing it.
#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

// Forward declared: moc cannot parse the C++20 headers behind them.
namespace tao::chain {
class PrivateKey;
}
namespace tao::dispute {
struct JobRow;
struct GameTimeline;
struct ChallengeGrounds;
} // namespace tao::dispute

namespace tao::views {

class EngineWorker;

struct NetworkTarget {
    QString label; // "Local devnet (demo)", "Sepolia", ...
    QString rpcUrl;
    quint64 chainId = 0;
    QString coordinator; // 0x address
    QString providerApi; // the provider's data API (http(s)://host:port)
    // Events are read from this block on (the coordinator's deployment): public nodes refuse
    // log queries over a whole chain.
    quint64 fromBlock = 0;
};

// What a challenge would lock and cost, read before anything is sent.
struct ChallengeQuote {
    quint64 jobId = 0;
    QString bond;    // "0.001 ETH"
    quint64 gas = 0; // eth_estimateGas
    QString cost;    // gas x suggested max fee, as ether
    QString balance; // the account's
    quint64 challengeSecondsLeft = 0;
    quint64 moveTimeout = 0; // seconds each side has per move
    QString error;           // the decoded revert when the challenge would fail
};

class DisputeClient : public QObject {
    Q_OBJECT
public:
    explicit DisputeClient(QObject* parent = nullptr);
    ~DisputeClient() override;

    // Checks the chain id and the coordinator's code, then reads the jobs. `key` stays in
    // memory only. failed() tells when the node is down, on another chain or has no
    // coordinator at the address.
    void connectTo(const NetworkTarget& target, std::shared_ptr<const chain::PrivateKey> key);
    bool isConnected() const { return connected_; }
    const NetworkTarget& target() const { return target_; }
    QString account() const { return account_; } // 0x address once connected
    unsigned arity() const { return arity_; }    // the coordinator's k, once connected
    QString balance() const { return balance_; }

    // The last read, newest job first, and the chain time it was read at.
    const std::vector<dispute::JobRow>& jobs() const;
    quint64 chainNow() const;
    // Seconds until `deadline` (chain time), counted down between reads; 0 once passed.
    qint64 secondsUntil(quint64 deadline) const;

    // The job whose timeline each refresh reads.
    void follow(quint64 jobId);
    std::optional<quint64> followed() const { return followed_; }
    const std::vector<dispute::GameTimeline>& timeline() const;
    // This account's game on the followed job, if any (an index into timeline()).
    std::optional<std::size_t> myGame() const;

    // Reads the jobs and the followed job's timeline now (also done every second).
    void refresh();
    // Fetches the job's committed manifest, inputs and every op output through the provider
    // API, each checked against the job's commitment on chain, into DIR/job-N.taotrace, then
    // calls `done` with its path on the GUI thread. failed() names the op on a mismatch.
    void fetchJob(quint64 jobId, const QString& dir, std::function<void(QString)> done);
    // The quote's error says why the challenge would not rest on `grounds` (the open trace
    // is not the job's, its model is not registered with the open model's wiring) before
    // anything else.
    void quoteChallenge(quint64 jobId, std::shared_ptr<const dispute::ChallengeGrounds> grounds,
                        std::function<void(const ChallengeQuote&)> done);
    // Opens this account's game on the job and plays the challenger's side towards `op`;
    // fails, sending nothing, where the challenge would not rest on `grounds`.
    void challenge(quint64 jobId, quint32 op, bool automatic,
                   std::shared_ptr<const dispute::ChallengeGrounds> grounds);
    void setAutomatic(bool automatic);
    bool automatic() const { return automatic_; }
    // Step by step: the selection the challenger would send now, for the person to confirm;
    // empty when none is due.
    QString pendingMove() const { return pendingMove_; }
    void sendPendingMove();

signals:
    void connectedChanged(bool connected);
    void jobsChanged();
    void timelineChanged();
    void pendingMoveChanged(const QString& move);
    void moveSent(const QString& summary);
    // `what` failed for `message` (a revert is decoded to the coordinator's error by name).
    void failed(const QString& what, const QString& message);

private:
    struct Chain; // lives on the worker thread
    void submit(const QString& tag, std::function<std::function<void()>(Chain&)> work,
                const QString& what);
    void rememberGame(quint64 jobId, quint32 op) const;
    std::optional<quint32> rememberedGame(quint64 jobId) const;
    QString settingsKey(quint64 jobId) const;

    EngineWorker* worker_;
    std::shared_ptr<Chain> chain_;
    NetworkTarget target_;
    bool connected_ = false;
    bool automatic_ = true;
    QString balance_;
    QString account_; // read on this thread, so the worker's records are never touched here
    unsigned arity_ = 2;
    QString pendingMove_;
    std::optional<quint64> followed_;
    struct Snapshot;
    std::unique_ptr<Snapshot> snapshot_;
};

} // namespace tao::views
