#pragma once
// A 2-D slice of an operator's output, its FP64 reference or their difference as a
// heatmap; tensors of higher rank get one index spin box per leading dimension.
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

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void rebuildControls();
    void render();
    const TensorGrid& current() const;

    TensorGrid output_, reference_, difference_;
    QComboBox* which_;
    QHBoxLayout* indexRow_;
    std::vector<QSpinBox*> indexBoxes_;
    QLabel* info_;
    QImage image_;
    QString message_;
};

} // namespace tao::views
