#include "views/inspector_dock.hpp"

#include "core/numerics/calibration_profile.hpp"
#include "core/trace/trace_bundle.hpp"
#include "views/audit_session.hpp"
#include "views/engine_jobs.hpp"
#include "views/engine_worker.hpp"
#include "views/histogram_chart.hpp"
#include "views/tensor_heatmap.hpp"
#include "views/theme.hpp"

#include <QLabel>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cmath>

namespace tao::views {
namespace {
const QColor kErrorColour(40, 110, 200);
const QColor kCalibrationColour(120, 90, 180);
const QColor kThresholdColour(230, 150, 0);
const QColor kBoundColour(200, 40, 40);

// Utilisations can be infinite (a difference where the bound or threshold is zero, or a
// wrong shape / NaN) or undefined; say so in words instead of printing "inf" or "nan".
QString utilisationText(double u) {
    if (std::isnan(u)) return QObject::tr("undefined");
    if (std::isinf(u)) return QObject::tr("∞ (a difference where none is allowed)");
    return QString::number(u, 'g', 4);
}

QString thresholdText(const verify::OpVerdict& v) {
    if (v.reason.find("no calibration samples") != std::string::npos)
        return QObject::tr("none (the profile has no samples for this operator)");
    QString text = QObject::tr("%1 → utilisation %2")
                       .arg(v.empiricalThreshold, 0, 'g', 4)
                       .arg(utilisationText(v.empiricalUtilisation));
    if (v.empiricalThreshold == 0)
        text += QObject::tr("<br><i>Every calibration run was bit-exact here, so any "
                            "difference is beyond the threshold.</i>");
    else if (v.empiricalThreshold > 1)
        text += QObject::tr("<br><i>Above the sound bound: the calibration's safety factor lifts "
                            "it past the worst case, so the sound bound (1) is the tighter test "
                            "here and no error between them can be SUSPECT.</i>");
    return text;
}

QString soundBoundText(const verify::OpVerdict& v) {
    if (v.unboundedElements > 0)
        return QObject::tr("1 → utilisation %1 on the bounded elements; %2 element(s) have no "
                           "finite bound")
            .arg(utilisationText(v.soundUtilisation))
            .arg(v.unboundedElements);
    return QObject::tr("1 → utilisation %1").arg(utilisationText(v.soundUtilisation));
}

} // namespace

InspectorDock::InspectorDock(AuditSession* session, EngineWorker* engine, QWidget* parent)
    : QDockWidget(tr("Operator inspector"), parent)
    , session_(session)
    , engine_(engine) {
    setObjectName(QStringLiteral("inspector"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(8, 6, 8, 6);
    title_ = new QLabel(body);
    QFont big = title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    title_->setFont(big);
    layout->addWidget(title_);
    tabs_ = new QTabWidget(body);
    layout->addWidget(tabs_, 1);

    auto* summaryPage = new QWidget;
    auto* summaryLayout = new QVBoxLayout(summaryPage);
    summary_ = new QLabel(summaryPage);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    links_ = new QLabel(summaryPage);
    links_->setWordWrap(true);
    connect(links_, &QLabel::linkActivated, this,
            [this](const QString& link) { emit jumpRequested(link.mid(3).toInt()); });
    summaryLayout->addWidget(summary_);
    summaryLayout->addWidget(links_);
    summaryLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(summaryPage);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    tabs_->addTab(scroll, tr("Summary"));

    errorChart_ = new HistogramChart(tr("Error per element"), tr("|y − r| / sound bound"));
    tabs_->addTab(errorChart_, tr("Error"));
    calibrationChart_ = new HistogramChart(tr("Calibration"), tr("|y − r| / sound bound"));
    tabs_->addTab(calibrationChart_, tr("Calibration"));
    tensorView_ = new TensorHeatmap;
    tabs_->addTab(tensorView_, tr("Tensors"));
    setWidget(body);

    connect(session_, &AuditSession::selectionChanged, this, &InspectorDock::showOp);
    // A measurement that fails (e.g. a stored tensor that does not match its commitment)
    // replaces "measuring…" with the reason: nothing from that file is drawn.
    connect(engine_, &EngineWorker::jobFailed, this, [this](const QString& tag, const QString& m) {
        if (tag != QLatin1String("inspect") || shownOp_ < 0) return;
        errorChart_->clearAll(tr("cannot measure: %1").arg(m));
        errorChart_->finish();
        tensorView_->clear(tr("Not shown: %1").arg(m));
    });
    connect(session_, &AuditSession::profileChanged, this, [this] { showCalibration(shownOp_); });
    showOp(-1);
}

QString InspectorDock::summaryText() const {
    return title_->text() + "\n" + summary_->text();
}

void InspectorDock::setDark(bool dark) {
    errorChart_->setDark(dark);
    calibrationChart_->setDark(dark);
}

void InspectorDock::showOp(int op) {
    shownOp_ = op;
    if (op < 0 || op >= static_cast<int>(session_->ops().size())) {
        title_->setText(tr("No operator selected"));
        summary_->setText(tr("Click an operator in the graph, or use Worst / Next suspect."));
        links_->clear();
        errorChart_->clearAll();
        errorChart_->finish();
        calibrationChart_->clearAll();
        calibrationChart_->finish();
        tensorView_->clear(tr("Select an operator"));
        return;
    }
    const auto u = static_cast<std::uint32_t>(op);
    const auto& info = session_->ops()[u];
    title_->setText(QStringLiteral("#%1  %2").arg(op).arg(QString::fromStdString(info.kind)));

    QString html = QStringLiteral("<table cellspacing=4>");
    auto row = [&html](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    row(tr("Scope"), info.scope.empty() ? tr("(top level)")
                                        : QString::fromStdString(info.scope).toHtmlEscaped());
    QStringList inputs;
    for (const auto& ref : info.inputs)
        inputs << QString::fromStdString(ref).toHtmlEscaped();
    row(tr("Inputs"), inputs.join(QStringLiteral("<br>")));
    if (const auto& trace = session_->trace(); trace && u < trace->manifest().ops.size()) {
        const auto& rec = trace->manifest().ops[u];
        QStringList outs;
        for (const auto& t : rec.outputs)
            outs << QStringLiteral("%1%2  <tt>%3…</tt>")
                        .arg(QString::fromUtf8(commit::safetensorsName(t.dtype).data()))
                        .arg(QString::fromStdString(trace::describeShape(t.shape)))
                        .arg(QString::fromStdString(t.hash.hex()).left(18));
        row(tr("Outputs"), outs.join(QStringLiteral("<br>")));
        row(tr("Output hash"),
            QStringLiteral("<tt>%1</tt>").arg(QString::fromStdString(rec.outputHash.hex())));
    }
    if (const auto* v = session_->verdict(u)) {
        const QString name = QString::fromUtf8(verify::verdictName(v->verdict).data());
        const QString colour = verdictColour(v->verdict).name();
        row(tr("Verdict"), QStringLiteral("<b style='color:%1'>%2</b>").arg(colour, name));
        row(tr("Error"), std::isinf(v->error)
                             ? tr("∞ (|y−r|/bound): beyond any bound")
                             : QStringLiteral("%1 (|y−r|/bound)").arg(v->error, 0, 'g', 4));
        row(tr("Empirical threshold"), thresholdText(*v));
        row(tr("Sound bound"), soundBoundText(*v));
        row(tr("Max |y − r|"), QString::number(v->maxAbsError, 'g', 4));
        if (!v->reason.empty()) row(tr("Why"), QString::fromStdString(v->reason).toHtmlEscaped());
    } else {
        row(tr("Verdict"),
            session_->trace() ? tr("not checked yet") : tr("open a trace to verify"));
    }
    if (const auto& r = session_->replayResult(u))
        row(tr("Local replay"), QStringLiteral("max abs %1, max rel %2%3")
                                    .arg(r->maxAbs, 0, 'g', 3)
                                    .arg(r->maxRel, 0, 'g', 3)
                                    .arg(r->bitExact ? tr(", bit-exact") : QString()));
    html += QStringLiteral("</table>");
    summary_->setText(html);

    QStringList producers, consumers;
    if (const auto* h = session_->hierarchy()) {
        for (auto p : h->producers()[u])
            producers << QStringLiteral("<a href='op:%1'>#%1</a>").arg(p);
        for (auto c : h->consumers()[u])
            consumers << QStringLiteral("<a href='op:%1'>#%1</a>").arg(c);
    }
    links_->setText(
        tr("<b>Producers:</b> %1<br><b>Consumers:</b> %2")
            .arg(producers.isEmpty() ? tr("none (model inputs)") : producers.join(' '))
            .arg(consumers.isEmpty() ? tr("none (a model output)") : consumers.join(' ')));

    showCalibration(op);
    if (!session_->trace() || !session_->model()) {
        errorChart_->clearAll(tr("open a trace"));
        errorChart_->finish();
        tensorView_->clear(tr("Open a trace to see tensors"));
        return;
    }
    errorChart_->clearAll(tr("measuring…"));
    tensorView_->clear(tr("Measuring…"));
    auto model = session_->model();
    auto bundle = session_->trace();
    auto profile = session_->profile();
    engine_->submit(QStringLiteral("inspect"), [this, model, bundle, profile, u](JobControl&) {
        auto detail = std::make_shared<OpDetail>(inspectOp(model, *bundle, profile.get(), u));
        return [this, detail] { showDetail(*detail); };
    });
}

void InspectorDock::showDetail(const OpDetail& detail) {
    if (static_cast<int>(detail.op) != shownOp_) return;
    detailOp_ = static_cast<int>(detail.op);
    errorChart_->clearAll(detail.status == "no-bound"
                              ? tr("no sound bound: %1").arg(QString::fromStdString(detail.note))
                              : QString());
    errorChart_->addHistogram(tr("committed output"), detail.elementErrors, kErrorColour);
    if (const auto* v = session_->verdict(detail.op);
        v && v->empiricalThreshold > 0 && v->reason.find("no profile") == std::string::npos)
        errorChart_->addMarker(tr("empirical threshold %1").arg(v->empiricalThreshold, 0, 'g', 3),
                               v->empiricalThreshold, kThresholdColour);
    errorChart_->addMarker(tr("sound bound (1)"), 1.0, kBoundColour);
    errorChart_->finish();
    tensorView_->setTensors(detail.output, detail.reference, detail.difference);
    emit detailShown(detailOp_);
}

void InspectorDock::showCalibration(int op) {
    calibrationChart_->clearAll();
    const auto& profile = session_->profile();
    if (!profile || op < 0 || op >= static_cast<int>(profile->ops.size())) {
        calibrationChart_->clearAll(profile ? QString() : tr("no profile loaded"));
        calibrationChart_->finish();
        return;
    }
    const auto& p = profile->ops[op];
    calibrationChart_->addHistogram(tr("honest runs, per element"),
                                    LogBinnedHistogram::from(p.elements), kCalibrationColour);
    calibrationChart_->addHistogram(tr("honest runs, per-run max"),
                                    LogBinnedHistogram::from(p.runs), kErrorColour);
    if (auto t = profile->threshold(op))
        calibrationChart_->addMarker(tr("threshold (p%1 × %2) = %3")
                                         .arg(profile->percentile * 100)
                                         .arg(profile->safetyFactor)
                                         .arg(*t, 0, 'g', 3),
                                     *t, kThresholdColour);
    calibrationChart_->addMarker(tr("sound bound (1)"), 1.0, kBoundColour);
    calibrationChart_->finish();
}

} // namespace tao::views
