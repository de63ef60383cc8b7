#pragma once
// The whole model at a glance: per operator, the empirical threshold of the loaded profile
// (and of any comparison profiles, e.g. other machines) and the trace's error, both in units
// of the sound bound (so the bound is the line at 1), on a log axis. Shows how much headroom
// calibration leaves below the bound and where hardware disagrees. Hovering a point explains
// it; clicking selects the operator, and the session's selection is marked.
#include <QChartView>
#include <cstdint>

class QLineSeries;
class QScatterSeries;

namespace tao::views {

class AuditSession;

class CalibrationView : public QChartView {
    Q_OBJECT
public:
    explicit CalibrationView(AuditSession* session, QWidget* parent = nullptr);
    void rebuild();
    int thresholdPoints() const { return thresholdPoints_; }
    int errorPoints() const { return errorPoints_; }
    // Errors that are inf or NaN, drawn clamped at the top of the axis.
    int beyondRangePoints() const { return beyondRangePoints_; }
    // One threshold series per comparison profile, in the session's order.
    const QList<QScatterSeries*>& comparisonSeries() const { return comparisons_; }
    // The vertical line at the selected operator (no points when none is selected).
    QLineSeries* selectionMarker() const { return selection_; }
    // What hovering operator `op` shows.
    QString pointText(std::uint32_t op) const;
    // Spacing of the operator axis labels: a whole number of ops, so labels sit on ops.
    static int xTickInterval(std::size_t opCount);
    void setDark(bool dark);

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void showSelection(int op);
    void watchPoints(QScatterSeries* series);

    AuditSession* session_;
    QList<QScatterSeries*> comparisons_;
    QLineSeries* selection_ = nullptr;
    double yMin_ = 1e-6, yMax_ = 10;
    int thresholdPoints_ = 0;
    int errorPoints_ = 0;
    int beyondRangePoints_ = 0;
    bool dark_ = false;
};

} // namespace tao::views
