#pragma once
// The whole model at a glance: per operator, the empirical threshold of the loaded profile
// and the trace's error, both in units of the sound bound (so the bound is the line at 1),
// on a log axis. Shows how much headroom calibration leaves below the bound.
#include <QChartView>

namespace tao::views {

class AuditSession;

class CalibrationView : public QChartView {
    Q_OBJECT
public:
    explicit CalibrationView(AuditSession* session, QWidget* parent = nullptr);
    void rebuild();
    int thresholdPoints() const { return thresholdPoints_; }
    int errorPoints() const { return errorPoints_; }
    void setDark(bool dark);

private:
    AuditSession* session_;
    int thresholdPoints_ = 0;
    int errorPoints_ = 0;
    bool dark_ = false;
};

} // namespace tao::views
