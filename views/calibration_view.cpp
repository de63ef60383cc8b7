#include "views/calibration_view.hpp"

#include "core/numerics/calibration_profile.hpp"
#include "views/audit_session.hpp"

#include <QChart>
#include <QFileInfo>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QScatterSeries>
#include <QSet>
#include <QToolTip>
#include <QValueAxis>
#include <array>
#include <cmath>

namespace tao::views {

namespace {

// Where a profile was measured, as its sources say (host and device), else its file name.
QString profileLabel(const numerics::Profile& profile, const QString& path) {
    QStringList parts;
    for (const auto& s : profile.sources) {
        QString part = QString::fromStdString(s.host);
        if (!s.device.empty())
            part += (part.isEmpty() ? QString() : QStringLiteral(" ")) +
                    QStringLiteral("(%1)").arg(QString::fromStdString(s.device));
        if (!part.isEmpty() && !parts.contains(part)) parts << part;
    }
    if (parts.size() > 2) parts = parts.mid(0, 2) << QStringLiteral("…");
    return parts.isEmpty() ? QFileInfo(path).fileName() : parts.join(QStringLiteral(" + "));
}

QString number(double v) {
    return std::isnan(v) ? QStringLiteral("NaN") : QString::number(v, 'g', 3);
}

QScatterSeries* scatter(const QString& name, QScatterSeries::MarkerShape shape, double size,
                        const QColor& colour, bool hollow) {
    auto* s = new QScatterSeries;
    s->setName(name);
    s->setMarkerShape(shape);
    s->setMarkerSize(size);
    if (hollow) {
        s->setBrush(Qt::NoBrush);
        s->setPen(QPen(colour, 1.5));
    } else {
        s->setColor(colour);
        s->setBorderColor(Qt::transparent);
    }
    return s;
}

} // namespace

CalibrationView::CalibrationView(AuditSession* session, QWidget* parent)
    : QChartView(new QChart, parent)
    , session_(session) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(150); // the window must fit a 768-px screen
    connect(session_, &AuditSession::profileChanged, this, &CalibrationView::rebuild);
    connect(session_, &AuditSession::comparisonProfilesChanged, this, &CalibrationView::rebuild);
    connect(session_, &AuditSession::modelChanged, this, &CalibrationView::rebuild);
    connect(session_, &AuditSession::coloursChanged, this, &CalibrationView::rebuild);
    connect(session_, &AuditSession::selectionChanged, this, &CalibrationView::showSelection);
    rebuild();
}

void CalibrationView::setDark(bool dark) {
    dark_ = dark;
    rebuild();
}

int CalibrationView::xTickInterval(std::size_t opCount) {
    // 1, 2, 5, 10, 20, 50, …: the smallest giving at most a dozen labels.
    constexpr std::size_t kMaxLabels = 12;
    for (std::size_t decade = 1;; decade *= 10)
        for (std::size_t m : {1, 2, 5})
            if (opCount <= kMaxLabels * m * decade) return static_cast<int>(m * decade);
}

QString CalibrationView::pointText(std::uint32_t op) const {
    if (op >= session_->ops().size()) return {};
    const auto& info = session_->ops()[op];
    QStringList lines;
    lines << tr("#%1 %2").arg(op).arg(QString::fromStdString(info.kind));
    if (!info.scope.empty()) lines << tr("scope: %1").arg(QString::fromStdString(info.scope));
    const auto threshold = [op](const numerics::Profile& p) {
        const auto t = op < p.ops.size() ? p.threshold(op) : std::nullopt;
        return t ? number(*t) : tr("not calibrated");
    };
    if (const auto& p = session_->profile())
        lines << tr("threshold / bound: %1 (%2)")
                     .arg(threshold(*p), profileLabel(*p, session_->profilePath()));
    for (const auto& c : session_->comparisonProfiles())
        lines << tr("threshold / bound: %1 (%2)")
                     .arg(threshold(*c.profile), profileLabel(*c.profile, c.path));
    if (const auto* v = session_->verdict(op)) {
        lines << tr("error / bound: %1").arg(number(v->error));
        const auto name = verify::verdictName(v->verdict);
        QString verdict = QString::fromUtf8(name.data(), qsizetype(name.size()));
        if (!v->reason.empty())
            verdict += QStringLiteral(" — ") + QString::fromStdString(v->reason);
        lines << tr("verdict: %1").arg(verdict);
    } else {
        lines << tr("not verified");
    }
    return lines.join('\n');
}

void CalibrationView::watchPoints(QScatterSeries* series) {
    connect(series, &QScatterSeries::hovered, this, [this](const QPointF& point, bool on) {
        if (on)
            QToolTip::showText(QCursor::pos(), pointText(std::uint32_t(qRound(point.x()))), this);
        else
            QToolTip::hideText();
    });
}

// A click anywhere in the plot selects the operator under it: with thousands of ops a
// marker is a pixel wide, too small to hit.
void CalibrationView::mouseReleaseEvent(QMouseEvent* event) {
    QChartView::mouseReleaseEvent(event);
    auto* c = chart();
    if (event->button() != Qt::LeftButton || c->series().isEmpty()) return;
    const QPointF at = c->mapFromScene(mapToScene(event->position().toPoint()));
    if (!c->plotArea().contains(at)) return;
    const auto op = qRound(c->mapToValue(at, c->series().front()).x());
    if (op >= 0 && op < static_cast<int>(session_->ops().size())) session_->selectOp(op);
}

void CalibrationView::showSelection(int op) {
    if (!selection_) return;
    const auto& ops = session_->ops();
    if (op < 0 || op >= static_cast<int>(ops.size())) {
        selection_->clear();
        selection_->setName(tr("selected operator: none"));
    } else {
        selection_->replace({QPointF(op, yMin_), QPointF(op, yMax_)});
        selection_->setName(tr("selected operator #%1").arg(op));
    }
    for (auto* marker : chart()->legend()->markers(selection_))
        marker->setVisible(selection_->count() > 0);
}

void CalibrationView::rebuild() {
    auto* c = chart();
    c->removeAllSeries();
    comparisons_.clear();
    selection_ = nullptr;
    for (auto* axis : c->axes())
        c->removeAxis(axis);
    c->setTheme(dark_ ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    thresholdPoints_ = errorPoints_ = beyondRangePoints_ = 0;
    const auto& profile = session_->profile();
    const std::size_t n = session_->ops().size();
    if (n == 0) { // nothing open: no axes of nothing
        c->setTitle(tr("Thresholds vs sound bound — open a model and a profile"));
        return;
    }
    c->setTitle(
        profile
            ? tr("Empirical threshold vs sound bound per operator (profile: %1 input(s), p%2 × %3)")
                  .arg(profile->sources.empty() ? 0 : profile->sources.front().inputs)
                  .arg(profile->percentile * 100)
                  .arg(profile->safetyFactor)
            : tr("Thresholds vs sound bound — load a profile to see thresholds"));
    // Legend names must tell series apart: two profiles from the same kind of machine get
    // their file names added.
    QSet<QString> names;
    const auto unique = [&names](QString name, const QString& path) {
        if (names.contains(name)) name += QStringLiteral(" — ") + QFileInfo(path).fileName();
        for (int k = 2; names.contains(name); ++k)
            name = name.section(QStringLiteral(" #"), 0, 0) + QStringLiteral(" #%1").arg(k);
        names.insert(name);
        return name;
    };
    // A log axis cannot show 0: exact results (and anything below a millionth of the
    // bound) sit on the floor.
    constexpr double floor = 1e-6;
    double lo = 1e-3, hi = 10;
    const auto fill = [&](QScatterSeries* series, const numerics::Profile& p) {
        int count = 0;
        for (std::uint32_t op = 0; op < n && op < p.ops.size(); ++op)
            if (auto t = p.threshold(op); t && std::isfinite(*t)) {
                const double y = std::max(floor, *t);
                series->append(op, y);
                lo = std::min(lo, y);
                hi = std::max(hi, y * 3);
                ++count;
            }
        return count;
    };
    auto* thresholds =
        scatter({}, QScatterSeries::MarkerShapeCircle, 7, QColor(230, 150, 0), false);
    if (profile) {
        thresholds->setName(unique(
            tr("threshold in force: %1").arg(profileLabel(*profile, session_->profilePath())),
            session_->profilePath()));
        thresholdPoints_ = fill(thresholds, *profile);
    } else {
        thresholds->setName(tr("threshold in force: no profile"));
    }
    // Hollow shapes, so a comparison threshold equal to the one in force leaves both visible.
    static const std::array<std::pair<QColor, QScatterSeries::MarkerShape>, 4> looks{{
        {QColor(0, 150, 136), QScatterSeries::MarkerShapePentagon},
        {QColor(150, 70, 200), QScatterSeries::MarkerShapeStar},
        {QColor(90, 160, 40), QScatterSeries::MarkerShapeRotatedRectangle},
        {QColor(200, 60, 150), QScatterSeries::MarkerShapeCircle},
    }};
    for (const auto& cmp : session_->comparisonProfiles()) {
        const auto& [colour, shape] = looks[comparisons_.size() % looks.size()];
        auto* s =
            scatter(unique(tr("threshold: %1").arg(profileLabel(*cmp.profile, cmp.path)), cmp.path),
                    shape, 9, colour, true);
        fill(s, *cmp.profile);
        comparisons_ << s;
    }
    auto* errors = scatter(tr("this trace's error"), QScatterSeries::MarkerShapeRectangle, 6,
                           QColor(40, 110, 200), false);
    QList<std::uint32_t> beyond;
    for (std::uint32_t op = 0; op < n; ++op)
        if (const auto* v = session_->verdict(op)) {
            if (!std::isfinite(v->error)) {
                beyond << op;
                continue;
            }
            const double y = std::max(floor, v->error);
            errors->append(op, y);
            lo = std::min(lo, y);
            hi = std::max(hi, y * 3);
            ++errorPoints_;
        }
    // At most about six labels, whatever the span: a dock is often short.
    const double loExp = std::floor(std::log10(lo)), hiExp = std::ceil(std::log10(hi));
    const int step = std::max(1, static_cast<int>(std::ceil((hiExp - loExp) / 5)));
    yMin_ = std::pow(10, step * std::floor(loExp / step));
    yMax_ = std::pow(10, step * std::ceil(hiExp / step));
    // An infinite error (an exact op that is not exact, an overflow) has no place on the
    // axis; it is pinned just below the top, where it cannot be missed, and counted.
    beyondRangePoints_ = static_cast<int>(beyond.size());
    auto* overflow =
        scatter(tr("error beyond range (inf/NaN): %n op(s)", nullptr, int(beyond.size())),
                QScatterSeries::MarkerShapeTriangle, 12, QColor(210, 30, 30), false);
    const double top = yMax_ / std::pow(yMax_ / yMin_, 0.03);
    for (auto op : beyond)
        overflow->append(op, top);

    auto* bound = new QLineSeries;
    bound->setName(tr("sound bound (error = bound)"));
    bound->append(-0.5, 1);
    bound->append(std::max<double>(1, n) - 0.5, 1);
    bound->setPen(QPen(QColor(200, 40, 40), 2, Qt::DashLine));
    selection_ = new QLineSeries;
    selection_->setPen(QPen(dark_ ? QColor(230, 230, 230, 170) : QColor(40, 40, 40, 150), 2));

    // Small fonts and margins: the chart usually lives in a dock about 300 px high.
    QFont small = font();
    if (small.pointSizeF() > 0) small.setPointSizeF(std::max(6.0, small.pointSizeF() - 1));
    QFont titleFont = small;
    titleFont.setBold(true);
    c->setTitleFont(titleFont);
    c->setMargins(QMargins(4, 2, 4, 2));
    auto* x = new QValueAxis;
    x->setTitleText(tr("operator (topological order)"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    x->setRange(-0.5, std::max<double>(1, n) - 0.5);
    // Ticks anchored at op 0 and a whole number of ops apart, so each label sits on its op.
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(xTickInterval(n));
    auto* y = new QLogValueAxis;
    y->setTitleText(tr("error / sound bound"));
    y->setLabelFormat(QStringLiteral("%.0e"));
    y->setBase(std::pow(10, step));
    // A hair below the lowest decade, or rounding in the log axis drops that label.
    y->setRange(yMin_ * 0.999, yMax_);
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(x), static_cast<QAbstractAxis*>(y)}) {
        axis->setLabelsFont(small);
        axis->setTitleFont(small);
    }
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    QList<QAbstractSeries*> all{bound, selection_, thresholds};
    for (auto* s : comparisons_)
        all << s;
    all << errors << overflow;
    for (auto* s : all) {
        c->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
        if (auto* points = qobject_cast<QScatterSeries*>(s)) watchPoints(points);
    }
    for (auto* marker : c->legend()->markers(overflow))
        marker->setVisible(!beyond.isEmpty());
    c->legend()->setFont(small);
    c->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    c->legend()->setAlignment(Qt::AlignRight);
    showSelection(session_->selectedOp());
}

} // namespace tao::views
