#pragma once
// The one thread that owns the LibTorch engine (models, interpreters, replays). Work is
// queued under a tag; a newer request with the same tag replaces a queued older one, so
// rapid clicking only runs the latest. Each job returns a continuation that runs on the
// GUI thread through a queued invocation, and only if no newer job with the same tag was
// submitted since (its generation is still current): stale results are dropped.
#include <QHash>
#include <QObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace tao::views {

class JobControl {
public:
    bool cancelled() const { return cancelled_.load(); }
    // Reports progress (throttled); returns false once the job was cancelled, which is
    // what core's progress callbacks expect.
    bool progress(std::size_t done, std::size_t total);

private:
    friend class EngineWorker;
    std::atomic<bool> cancelled_{false};
    std::function<void(std::size_t, std::size_t)> report_;
    std::chrono::steady_clock::time_point lastReport_{};
};

class EngineWorker : public QObject {
    Q_OBJECT
public:
    // Runs on the engine thread; returns what to do with the result on the GUI thread.
    using Work = std::function<std::function<void()>(JobControl&)>;

    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Queues work under `tag`, replacing a queued job with the same tag. Returns the job's
    // generation for that tag.
    quint64 submit(const QString& tag, Work work);
    // Cancels the queued and the running job with this tag (the running one stops at its
    // next progress poll).
    void cancel(const QString& tag);
    quint64 generation(const QString& tag) const;
    bool busy() const;
    // Blocks until the queue is empty and nothing runs (tests, benchmarks, shutdown).
    void waitIdle();

signals:
    void jobStarted(const QString& tag);
    void jobProgress(const QString& tag, qint64 done, qint64 total);
    void jobFinished(const QString& tag);
    void jobCancelled(const QString& tag);
    void jobFailed(const QString& tag, const QString& message);

private:
    struct Job {
        QString tag;
        quint64 generation = 0;
        Work work;
        std::shared_ptr<JobControl> control;
    };
    void loop();
    bool isCurrent(const QString& tag, quint64 generation) const;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<Job> queue_;
    std::shared_ptr<JobControl> running_;
    QString runningTag_;
    QHash<QString, quint64> generations_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace tao::views
