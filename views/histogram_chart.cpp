#include "views/histogram_chart.hpp"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <cmath>

namespace tao::views {
namespace {
constexpr double kMinFraction = 1e-7; // bottom of the y axis (log scale cannot show 0)
}

HistogramChart::HistogramChart(const QString& title, const QString& xTitle, QWidget* parent)
    : QChartView(new QChart, parent)
    , title_(title)
    , xTitle_(xTitle) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(150);
    chart()->setTitle(title);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    clearAll();
}

void HistogramChart::clearAll(const QString& message) {
    chart()->removeAllSeries();
    for (auto* axis : chart()->axes())
        chart()->removeAxis(axis);
    steps_.clear();
    markers_.clear();
    markerNames_.clear();
    minX_ = maxX_ = 0;
    chart()->setTitle(message.isEmpty() ? title_ : title_ + QStringLiteral(" — ") + message);
}

void HistogramChart::addHistogram(const QString& name, const LogBinnedHistogram& h,
                                  const QColor& colour) {
    if (h.total == 0) return;
    std::vector<QPointF> points;
    const double total = static_cast<double>(h.total);
    for (const auto& [bin, n] : h.counts) {
        const double lo = bin < 0 ? h.lowerEdge(0) / 10 : h.lowerEdge(bin);
        const double hi = bin < 0 ? h.lowerEdge(0) : h.upperEdge(bin);
        const double f = std::max(kMinFraction, n / total);
        points.emplace_back(lo, kMinFraction);
        points.emplace_back(lo, f);
        points.emplace_back(hi, f);
        points.emplace_back(hi, kMinFraction);
        minX_ = minX_ == 0 ? lo : std::min(minX_, lo);
        maxX_ = std::max(maxX_, hi);
    }
    QString label = name;
    if (h.zeros > 0) label += tr(" (%1% exact zeros)").arg(100.0 * h.zeros / total, 0, 'g', 3);
    steps_.emplace_back(label, std::move(points), colour);
}

void HistogramChart::addMarker(const QString& name, double x, const QColor& colour, Qt::PenStyle) {
    if (!(x > 0) || !std::isfinite(x)) return;
    markers_.push_back({name, {x, colour}});
    markerNames_ << name;
    minX_ = minX_ == 0 ? x / 10 : std::min(minX_, x / 3);
    maxX_ = std::max(maxX_, x * 3);
}

int HistogramChart::seriesCount() const {
    return static_cast<int>(chart()->series().size());
}

void HistogramChart::finish() {
    auto* x = new QLogValueAxis;
    x->setBase(10);
    x->setLabelFormat(QStringLiteral("%.0e"));
    x->setTitleText(xTitle_);
    // A docked chart is often short: labels every second decade (1e-07 … 1e-01) stay
    // readable where one per decade would be elided to "…".
    auto* y = new QLogValueAxis;
    y->setBase(100);
    y->setLabelFormat(QStringLiteral("%.0e"));
    y->setTitleText(tr("fraction"));
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    if (minX_ <= 0) minX_ = 1e-12, maxX_ = 10;
    x->setRange(std::pow(10, std::floor(std::log10(minX_))),
                std::pow(10, std::ceil(std::log10(maxX_))));
    y->setRange(kMinFraction, 10);
    for (const auto& [name, points, colour] : steps_) {
        auto* s = new QLineSeries;
        s->setName(name);
        for (const auto& p : points)
            s->append(p);
        s->setPen(QPen(colour, 1.8));
        chart()->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    for (const auto& [name, m] : markers_) {
        auto* s = new QLineSeries;
        s->setName(name);
        s->append(m.first, kMinFraction);
        s->append(m.first, 1.5);
        s->setPen(QPen(m.second, 2, Qt::DashLine));
        chart()->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    setDark(dark_);
}

void HistogramChart::setDark(bool dark) {
    dark_ = dark;
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    // The theme resets series pens; put ours back.
    const auto series = chart()->series();
    int k = 0;
    for (auto* s : series) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (!line) continue;
        if (k < static_cast<int>(steps_.size()))
            line->setPen(QPen(std::get<2>(steps_[k]), 1.8));
        else if (k - steps_.size() < markers_.size())
            line->setPen(QPen(markers_[k - steps_.size()].second.second, 2, Qt::DashLine));
        ++k;
    }
}

} // namespace tao::views
