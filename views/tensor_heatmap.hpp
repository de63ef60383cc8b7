#pragma once
// A 2-D slice of an operator's output, its FP64 reference or their difference as a
// heatmap; tensors of higher rank get one index spin box per leading dimension. A colour
// scale under the slice says what the colours stand for, and hovering a cell shows its
// index and value.
#include "views/engine_jobs.hpp"

#include <QImage>
#include <QWidget>

class QComboBox;
class QSpinBox;
class QLabel;
class QHBoxLayout;

namespace tao::views {

class HeatmapCanvas;

class TensorHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit TensorHeatmap(QWidget* parent = nullptr);
    void setTensors(const TensorGrid& output, const TensorGrid& reference,
                    const TensorGrid& difference);
    void clear(const QString& message);
    // The slice on screen (rows x columns), for tests.
    QSize sliceSize() const { return image_.size(); }
    int sliceControls() const { return static_cast<int>(indexBoxes_.size()); }
    void setLeadingIndex(int dimension, int value);
    // The caption under the slice (shape, range, what the colours mean), rich text.
    QString caption() const;
    // What the view says in place of a slice (empty while one is shown).
    QString message() const { return image_.isNull() ? message_ : QString(); }
    // Where the slice is drawn at the widget's current size (empty when none is shown).
    QRectF sliceRect() const;
    // The tooltip for the cell under `pos` (widget coordinates): its full index and value,
    // e.g. "[0, 1, 2] = 0.5"; empty outside the slice.
    QString valueAt(QPointF pos) const;
    // The labels of the colour scale, low end first ("−s", "0", "+s" for a difference).
    QStringList scaleLabels() const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    void rebuildControls();
    void render();
    const TensorGrid& current() const;
    bool showsDifference() const; // which_ is on "Difference": the diverging scale
    QRectF drawingArea() const;
    void paintScale(QPainter& p, const QRectF& slice) const;

    TensorGrid output_, reference_, difference_;
    QComboBox* which_;
    QHBoxLayout* indexRow_;
    std::vector<QSpinBox*> indexBoxes_;
    QLabel* info_;
    QImage image_;
    QString message_;
    // The slice on screen: where it starts in current().values, and its value range.
    std::int64_t sliceOffset_ = 0;
    double lo_ = 0, hi_ = 0, absMax_ = 0;
};

} // namespace tao::views
