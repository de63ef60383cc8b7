#include "views/calibration_view.hpp"

#include "core/numerics/calibration_profile.hpp"
#include "views/audit_session.hpp"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <cmath>

namespace tao::views {

CalibrationView::CalibrationView(AuditSession* session, QWidget* parent)
    : QChartView(new QChart, parent)
    , session_(session) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
    connect(session_, &AuditSession::profileChanged, this, &CalibrationView::rebuild);
    connect(session_, &AuditSession::modelChanged, this, &CalibrationView::rebuild);
    connect(session_, &AuditSession::coloursChanged, this, &CalibrationView::rebuild);
    rebuild();
}

void CalibrationView::setDark(bool dark) {
    dark_ = dark;
    rebuild();
}

void CalibrationView::rebuild() {
    auto* c = chart();
    c->removeAllSeries();
    for (auto* axis : c->axes())
        c->removeAxis(axis);
    c->setTheme(dark_ ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    thresholdPoints_ = errorPoints_ = 0;
    const auto& profile = session_->profile();
    const std::size_t n = session_->ops().size();
    c->setTitle(
        profile
            ? tr("Empirical threshold vs sound bound per operator (profile: %1 input(s), p%2 × %3)")
                  .arg(profile->sources.empty() ? 0 : profile->sources.front().inputs)
                  .arg(profile->percentile * 100)
                  .arg(profile->safetyFactor)
            : tr("Thresholds vs sound bound — load a profile to see thresholds"));
    // A log axis cannot show 0: exact results (and anything below a millionth of the
    // bound) sit on the floor.
    constexpr double floor = 1e-6;
    auto* thresholds = new QScatterSeries;
    thresholds->setName(tr("empirical threshold"));
    thresholds->setMarkerSize(7);
    thresholds->setColor(QColor(230, 150, 0));
    thresholds->setBorderColor(Qt::transparent);
    auto* errors = new QScatterSeries;
    errors->setName(tr("this trace's error"));
    errors->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    errors->setMarkerSize(6);
    errors->setColor(QColor(40, 110, 200));
    errors->setBorderColor(Qt::transparent);
    double lo = 1e-3;
    for (std::uint32_t op = 0; op < n; ++op) {
        if (profile && op < profile->ops.size())
            if (auto t = profile->threshold(op); t && std::isfinite(*t)) {
                thresholds->append(op, std::max(floor, *t));
                lo = std::min(lo, std::max(floor, *t));
                ++thresholdPoints_;
            }
        if (const auto* v = session_->verdict(op); v && std::isfinite(v->error)) {
            errors->append(op, std::max(floor, v->error));
            lo = std::min(lo, std::max(floor, v->error));
            ++errorPoints_;
        }
    }
    auto* bound = new QLineSeries;
    bound->setName(tr("sound bound (1)"));
    bound->append(-0.5, 1);
    bound->append(std::max<double>(1, n) - 0.5, 1);
    bound->setPen(QPen(QColor(200, 40, 40), 2, Qt::DashLine));

    auto* x = new QValueAxis;
    x->setTitleText(tr("operator (topological order)"));
    x->setLabelFormat(QStringLiteral("%d"));
    x->setRange(-0.5, std::max<double>(1, n) - 0.5);
    auto* y = new QLogValueAxis;
    y->setTitleText(tr("|y − r| / sound bound"));
    y->setLabelFormat(QStringLiteral("%.0e"));
    double hi = 10;
    for (const auto& p : errors->points())
        hi = std::max(hi, p.y() * 3);
    // At most about six labels, whatever the span: a dock is often short.
    const double loExp = std::floor(std::log10(lo)), hiExp = std::ceil(std::log10(hi));
    const int step = std::max(1, static_cast<int>(std::ceil((hiExp - loExp) / 5)));
    y->setBase(std::pow(10, step));
    y->setRange(std::pow(10, step * std::floor(loExp / step)),
                std::pow(10, step * std::ceil(hiExp / step)));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s :
         {static_cast<QAbstractSeries*>(bound), static_cast<QAbstractSeries*>(thresholds),
          static_cast<QAbstractSeries*>(errors)}) {
        c->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    c->legend()->setAlignment(Qt::AlignBottom);
}

} // namespace tao::views
