#include "views/engine_worker.hpp"

#include <QMetaObject>

namespace tao::views {

bool JobControl::progress(std::size_t done, std::size_t total) {
    // A core loop may report every operator; the GUI needs a few updates per second.
    const auto now = std::chrono::steady_clock::now();
    if (report_ && (done == total || now - lastReport_ > std::chrono::milliseconds(40))) {
        lastReport_ = now;
        report_(done, total);
    }
    return !cancelled_.load();
}

EngineWorker::EngineWorker(QObject* parent)
    : QObject(parent)
    , thread_([this] { loop(); }) {}

EngineWorker::~EngineWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& job : queue_)
            job.control->cancelled_ = true;
        if (running_) running_->cancelled_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

quint64 EngineWorker::submit(const QString& tag, Work work) {
    std::lock_guard lock(mutex_);
    const quint64 generation = ++generations_[tag];
    Job job{tag, generation, std::move(work), std::make_shared<JobControl>()};
    bool replaced = false;
    for (auto& queued : queue_)
        if (queued.tag == tag) {
            queued = std::move(job);
            replaced = true;
            break;
        }
    if (!replaced) queue_.push_back(std::move(job));
    wake_.notify_one();
    return generation;
}

void EngineWorker::cancel(const QString& tag) {
    std::lock_guard lock(mutex_);
    for (auto it = queue_.begin(); it != queue_.end();)
        it = it->tag == tag ? queue_.erase(it) : it + 1;
    if (running_ && runningTag_ == tag) running_->cancelled_ = true;
    ++generations_[tag]; // whatever is still running under this tag is now stale
    idle_.notify_all();
}

quint64 EngineWorker::generation(const QString& tag) const {
    std::lock_guard lock(mutex_);
    return generations_.value(tag, 0);
}

bool EngineWorker::isCurrent(const QString& tag, quint64 generation) const {
    std::lock_guard lock(mutex_);
    return generations_.value(tag, 0) == generation;
}

bool EngineWorker::busy() const {
    std::lock_guard lock(mutex_);
    return running_ || !queue_.empty();
}

void EngineWorker::waitIdle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return !running_ && queue_.empty(); });
}

void EngineWorker::loop() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            running_ = job.control;
            runningTag_ = job.tag;
        }
        const QString tag = job.tag;
        const quint64 generation = job.generation;
        job.control->report_ = [this, tag](std::size_t done, std::size_t total) {
            QMetaObject::invokeMethod(
                this,
                [this, tag, done, total] {
                    emit jobProgress(tag, static_cast<qint64>(done), static_cast<qint64>(total));
                },
                Qt::QueuedConnection);
        };
        QMetaObject::invokeMethod(
            this, [this, tag] { emit jobStarted(tag); }, Qt::QueuedConnection);

        std::function<void()> onGui;
        QString failure;
        bool cancelled = false;
        try {
            onGui = job.work(*job.control);
        } catch (const std::exception& e) {
            if (job.control->cancelled())
                cancelled = true;
            else
                failure = QString::fromStdString(e.what());
        } catch (...) {
            failure = QStringLiteral("unknown error");
        }
        if (job.control->cancelled()) cancelled = true;

        QMetaObject::invokeMethod(
            this,
            [this, tag, generation, onGui = std::move(onGui), failure, cancelled] {
                if (cancelled) {
                    emit jobCancelled(tag);
                    return;
                }
                if (!failure.isEmpty()) {
                    if (isCurrent(tag, generation)) emit jobFailed(tag, failure);
                    return;
                }
                if (!isCurrent(tag, generation)) return; // a newer request superseded it
                if (onGui) onGui();
                emit jobFinished(tag);
            },
            Qt::QueuedConnection);

        std::lock_guard lock(mutex_);
        running_.reset();
        runningTag_.clear();
        if (queue_.empty()) idle_.notify_all();
    }
}

} // namespace tao::views
