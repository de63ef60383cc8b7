#pragma once
// Histograms on a log10 x axis (Qt Charts), drawn as steps normalised to fractions so
// several can be compared, with vertical marker lines (thresholds, bounds).
#include "views/log_binned_histogram.hpp"

#include <QChartView>
#include <QColor>

namespace tao::views {

class HistogramChart : public QChartView {
    Q_OBJECT
public:
    explicit HistogramChart(const QString& title, const QString& xTitle, QWidget* parent = nullptr);

    void clearAll(const QString& message = {});
    void addHistogram(const QString& name, const LogBinnedHistogram& histogram,
                      const QColor& colour);
    void addMarker(const QString& name, double x, const QColor& colour,
                   Qt::PenStyle style = Qt::DashLine);
    // Fixes the axes to the data and markers added so far.
    void finish();
    int seriesCount() const;
    QStringList markerNames() const { return markerNames_; }
    void setDark(bool dark);

private:
    double minX_ = 0, maxX_ = 0;
    QStringList markerNames_;
    std::vector<std::pair<QString, std::pair<double, QColor>>> markers_;
    std::vector<std::tuple<QString, std::vector<QPointF>, QColor>> steps_;
    QString title_, xTitle_;
    bool dark_ = false;
};

} // namespace tao::views
