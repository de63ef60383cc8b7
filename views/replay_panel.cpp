#include "views/replay_panel.hpp"

#include "core/numerics/calibration_profile.hpp"
#include "core/runtime/runtime_settings.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/app_settings.hpp"
#include "views/audit_session.hpp"
#include "views/engine_jobs.hpp"
#include "views/engine_worker.hpp"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QThread>
#include <QTimer>
#include <cmath>
#include <optional>

namespace tao::views {

namespace {
const QString kReplayTag = QStringLiteral("replay");
const QString kVerifyTag = QStringLiteral("verify");
} // namespace

ReplayPanel::ReplayPanel(AuditSession* session, EngineWorker* engine, AppSettings* settings,
                         QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , engine_(engine)
    , settings_(settings) {
    device_ = new QComboBox(this);
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    if (runtime::cudaAvailable()) device_->addItem(tr("CUDA"), QStringLiteral("cuda"));
    device_->setCurrentIndex(std::max(0, device_->findData(settings_->device())));
    threads_ = new QSpinBox(this);
    threads_->setRange(1, std::max(1, QThread::idealThreadCount()));
    threads_->setValue(settings_->threads());
    scope_ = new QComboBox(this);
    scope_->addItems({tr("All operators"), tr("From operator…"), tr("Single operator")});
    op_ = new QSpinBox(this);
    op_->setObjectName(QStringLiteral("opIndex"));
    op_->setPrefix(QStringLiteral("#"));
    op_->setEnabled(false);
    connect(scope_, &QComboBox::currentIndexChanged, this,
            [this](int i) { op_->setEnabled(i > 0); });
    connect(session_, &AuditSession::selectionChanged, this, [this](int op) {
        if (op >= 0) op_->setValue(op);
    });

    verifyButton_ =
        new QPushButton(style()->standardIcon(QStyle::SP_DialogApplyButton), tr("Verify"), this);
    verifyButton_->setToolTip(
        tr("Recompute every operator in FP64 and judge it against the sound bound "
           "and the profile's threshold"));
    replayButton_ =
        new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Replay"), this);
    replayButton_->setToolTip(tr("Re-execute operators here in FP32 on their committed inputs and "
                                 "compare with the committed outputs"));
    cancelButton_ =
        new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Cancel"), this);
    progress_ = new QProgressBar(this);
    progress_->setTextVisible(true);
    status_ = new QLabel(this);
    status_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Device"), device_);
    form->addRow(tr("Threads"), threads_);
    auto* scopeRow = new QHBoxLayout;
    scopeRow->addWidget(scope_, 1);
    scopeRow->addWidget(op_);
    form->addRow(tr("Operators"), scopeRow);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(verifyButton_);
    buttons->addWidget(replayButton_);
    buttons->addWidget(cancelButton_);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addStretch(1);

    connect(verifyButton_, &QPushButton::clicked, this, &ReplayPanel::startVerify);
    connect(replayButton_, &QPushButton::clicked, this,
            [this] { startReplay(static_cast<Scope>(scope_->currentIndex()), op_->value()); });
    connect(cancelButton_, &QPushButton::clicked, this, &ReplayPanel::cancel);
    connect(engine_, &EngineWorker::jobProgress, this,
            [this](const QString& tag, qint64 done, qint64 total) {
                if (tag != kVerifyTag || !running_) return;
                progress_->setRange(0, int(total));
                progress_->setValue(int(done));
            });
    connect(engine_, &EngineWorker::jobFailed, this,
            [this](const QString& tag, const QString& message) {
                if ((tag != kVerifyTag && tag != kReplayTag) || !running_) return;
                setRunning(false);
                status_->setText(tr("<b>Failed:</b> %1").arg(message.toHtmlEscaped()));
                emit failed(message);
            });
    connect(engine_, &EngineWorker::jobCancelled, this, [this](const QString& tag) {
        if (tag != kVerifyTag && tag != kReplayTag) return;
        if (running_) {
            setRunning(false);
            status_->setText(tr("Cancelled."));
        }
    });
    connect(session_, &AuditSession::traceChanged, this, [this] {
        if (running_) cancel();
        op_->setMaximum(std::max(0, int(session_->ops().size()) - 1));
        refreshEnabled();
    });
    // Another model: nothing of the previous one's run may show (progress, op index).
    connect(session_, &AuditSession::modelChanged, this, [this] {
        if (running_) cancel();
        progress_->setRange(0, 1);
        progress_->setValue(0);
        op_->setMaximum(std::max(0, int(session_->ops().size()) - 1));
        op_->setValue(0);
        refreshEnabled();
    });
    setRunning(false);
}

void ReplayPanel::refreshEnabled() {
    const bool ready = session_->model() && session_->trace() && session_->trace()->hasOpTensors();
    verifyButton_->setEnabled(ready && !running_);
    replayButton_->setEnabled(ready && !running_);
    cancelButton_->setEnabled(running_);
    if (!running_ && !ready)
        status_->setText(session_->trace() && !session_->trace()->hasOpTensors()
                             ? tr("This is a light trace (hashes only): fetch tensors to replay.")
                         : session_->model() ? tr("Open a trace of this model to verify or replay.")
                                             : tr("Open a model and a trace to verify or replay."));
}

void ReplayPanel::setRunning(bool on, const QString& what) {
    running_ = on;
    if (on) {
        status_->setText(what);
        progress_->setValue(0);
    }
    refreshEnabled();
    if (!on && verifyAgain_) {
        verifyAgain_ = false;
        QTimer::singleShot(0, this, &ReplayPanel::startVerify);
    }
}

void ReplayPanel::startVerify() {
    if (!session_->model() || !session_->trace()) return;
    if (running_) {
        // Asked while a run is going (a threshold changed meanwhile): verify again after it,
        // so the verdicts on screen are never those of a threshold no longer in force.
        verifyAgain_ = true;
        return;
    }
    settings_->setThreads(threads_->value());
    auto model = session_->model();
    auto bundle = session_->trace();
    auto profile = session_->profile();
    const QString source =
        !profile ? tr("sound bound only, no profile")
        : session_->percentileOverride()
            ? tr("profile %1 at p%2")
                  .arg(QFileInfo(session_->profilePath()).fileName())
                  .arg(*session_->percentileOverride() * 100, 0, 'g', 6)
            : tr("profile %1").arg(QFileInfo(session_->profilePath()).fileName());
    setRunning(true, tr("Verifying %1 operators…").arg(session_->ops().size()));
    const int threads = threads_->value();
    engine_->submit(kVerifyTag, [this, model, bundle, profile, source,
                                 threads](JobControl& control) {
        runtime::RuntimeSettings rs;
        rs.threads = threads;
        runtime::applySettings(rs);
        auto report = std::make_shared<verify::VerifyReport>(
            verifyAll(model, *bundle, profile.get(),
                      [&control](std::size_t d, std::size_t t) { return control.progress(d, t); }));
        return [this, report, source] {
            session_->setReport(*report, source);
            progress_->setValue(progress_->maximum()); // progress reports are throttled
            setRunning(false);
            status_->setText(tr("Verified: %1 PASS, %2 SUSPECT, %3 FAIL, %4 NO-BOUND.")
                                 .arg(report->count(verify::Verdict::Pass))
                                 .arg(report->count(verify::Verdict::Suspect))
                                 .arg(report->count(verify::Verdict::Fail))
                                 .arg(report->count(verify::Verdict::NoBound)));
            emit verifyFinished();
        };
    });
}

void ReplayPanel::startReplay(Scope scope, int op) {
    if (running_ || !session_->model() || !session_->trace()) return;
    const auto n = static_cast<std::uint32_t>(session_->ops().size());
    if (n == 0) return;
    const auto first = static_cast<std::uint32_t>(std::clamp(op, 0, int(n) - 1));
    start_ = scope == Scope::All ? 0 : first;
    const std::uint32_t end = scope == Scope::SingleOp ? first + 1 : n;
    settings_->setThreads(threads_->value());
    settings_->setDevice(device_->currentData().toString());
    session_->clearReplayResults();
    session_->setColourSource(ColourSource::LocalReplay);
    replayed_ = 0;
    progress_->setRange(0, int(end - start_));
    setRunning(true, tr("Replaying operators %1–%2 on %3…")
                         .arg(start_)
                         .arg(end - 1)
                         .arg(device_->currentText()));
    runChunk(start_, std::min(end, start_ + kChunk), end, ++run_);
}

void ReplayPanel::runChunk(std::uint32_t from, std::uint32_t to, std::uint32_t end, quint64 run) {
    auto model = session_->model();
    auto bundle = session_->trace();
    const int threads = threads_->value();
    const std::string device = device_->currentData().toString().toStdString();
    engine_->submit(kReplayTag, [=, this](JobControl& control) {
        auto results = std::make_shared<std::vector<runtime::OpComparison>>(
            replayRange(model, *bundle, from, to, threads, device,
                        [&control](std::size_t, std::size_t) { return !control.cancelled(); }));
        return [=, this] {
            if (run != run_ || !running_) return;
            session_->addReplayResults(*results);
            replayed_ += int(results->size());
            progress_->setValue(int(to - start_));
            if (to < end) {
                runChunk(to, std::min(end, to + kChunk), end, run);
                return;
            }
            setRunning(false);
            status_->setText(replaySummary(start_, end));
            emit replayFinished(replayed_);
        };
    });
}

QString ReplayPanel::replaySummary(std::uint32_t from, std::uint32_t end) const {
    int exact = 0, differ = 0;
    std::optional<std::uint32_t> largest;
    double largestRel = -1;
    for (std::uint32_t op = from; op < end; ++op) {
        const auto& r = session_->replayResult(op);
        if (!r) continue;
        if (r->bitExact) {
            ++exact;
            continue;
        }
        ++differ;
        // NaN compares false: a NaN difference is the largest of all.
        if (!largest || !(r->maxRel <= largestRel)) {
            largest = op;
            largestRel = std::isnan(r->maxRel) ? INFINITY : r->maxRel;
        }
    }
    QString text = tr("Replayed %1 operator(s): %2 bit-exact").arg(replayed_).arg(exact);
    if (differ == 0) return text + tr(", none differs.");
    const auto& kind = session_->ops()[*largest].kind;
    return text + tr(", %1 differ; the largest difference is #%2 %3 (max rel. %4).")
                      .arg(differ)
                      .arg(*largest)
                      .arg(QString::fromStdString(kind))
                      .arg(session_->replayResult(*largest)->maxRel, 0, 'g', 3);
}

QString ReplayPanel::statusText() const {
    return status_->text();
}

void ReplayPanel::cancel() {
    if (!running_) return;
    ++run_;
    engine_->cancel(kReplayTag);
    engine_->cancel(kVerifyTag);
    setRunning(false);
    status_->setText(tr("Cancelled."));
    emit replayCancelled();
}

} // namespace tao::views
