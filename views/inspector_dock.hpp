#pragma once
// The operator inspector: summary (kind, scope, shapes, hashes, verdict), the per-element
// error histogram with the empirical threshold and the sound bound, the operator's
// calibration distribution, and a tensor view. Follows the session's selection; the
// element-wise measurement runs on the engine thread.
#include <QDockWidget>

class QLabel;
class QTabWidget;
class QFormLayout;
class QPushButton;

namespace tao::views {

class AuditSession;
class EngineWorker;
class HistogramChart;
class TensorHeatmap;
struct OpDetail;

class InspectorDock : public QDockWidget {
    Q_OBJECT
public:
    InspectorDock(AuditSession* session, EngineWorker* engine, QWidget* parent = nullptr);

    int shownOp() const { return shownOp_; }
    int detailOp() const { return detailOp_; }
    QString summaryText() const;
    HistogramChart* errorChart() const { return errorChart_; }
    HistogramChart* calibrationChart() const { return calibrationChart_; }
    TensorHeatmap* tensorView() const { return tensorView_; }
    QTabWidget* tabs() const { return tabs_; }
    void setDark(bool dark);

signals:
    void detailShown(int op);
    void jumpRequested(int op); // from the producer / consumer links

private:
    void showOp(int op);
    void showDetail(const OpDetail& detail);
    void showCalibration(int op);

    AuditSession* session_;
    EngineWorker* engine_;
    QTabWidget* tabs_;
    QLabel* title_;
    QLabel* summary_;
    QLabel* links_;
    HistogramChart* errorChart_;
    HistogramChart* calibrationChart_;
    TensorHeatmap* tensorView_;
    int shownOp_ = -1;
    int detailOp_ = -1;
};

} // namespace tao::views
