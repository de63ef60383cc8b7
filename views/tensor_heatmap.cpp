#include "views/tensor_heatmap.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QSpinBox>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

namespace tao::views {
namespace {

// Sequential map for values (dark blue -> yellow), diverging for differences.
QRgb sequential(double t) {
    t = std::clamp(t, 0.0, 1.0);
    const int r = int(255 * std::clamp(1.6 * t - 0.3, 0.0, 1.0));
    const int g = int(255 * std::clamp(1.2 * t, 0.0, 1.0) * 0.9);
    const int b = int(255 * std::clamp(0.7 - 0.8 * t + 0.3, 0.0, 1.0));
    return qRgb(r, g, b);
}

QRgb diverging(double t) { // -1 blue, 0 white, 1 red
    t = std::clamp(t, -1.0, 1.0);
    if (t < 0) return qRgb(int(255 * (1 + t)), int(255 * (1 + t * 0.6)), 255);
    return qRgb(255, int(255 * (1 - t * 0.8)), int(255 * (1 - t)));
}

// Cells may be this many times taller than wide (or wider than tall), so that a slice of a
// few rows of many columns fills the view instead of a strip of square cells.
constexpr double kMaxCellAspect = 8;
constexpr int kScaleHeight = 10, kScaleGap = 6, kScaleLabels = 16;

} // namespace

TensorHeatmap::TensorHeatmap(QWidget* parent)
    : QWidget(parent)
    , which_(new QComboBox(this))
    , indexRow_(new QHBoxLayout)
    , info_(new QLabel(this)) {
    which_->addItems(
        {tr("Committed output"), tr("FP64 reference"), tr("Difference (output − reference)")});
    auto* top = new QHBoxLayout;
    top->addWidget(which_);
    top->addLayout(indexRow_);
    top->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addStretch(1);
    layout->addWidget(info_);
    setMouseTracking(true);
    info_->setWordWrap(true);
    info_->setTextFormat(Qt::RichText);
    connect(which_, &QComboBox::currentIndexChanged, this, [this] { render(); });
    setMinimumHeight(150);
    clear(tr("Select an operator"));
}

void TensorHeatmap::clear(const QString& message) {
    output_ = reference_ = difference_ = {};
    message_ = message;
    rebuildControls();
    image_ = {};
    info_->clear();
    update();
}

void TensorHeatmap::setTensors(const TensorGrid& output, const TensorGrid& reference,
                               const TensorGrid& difference) {
    output_ = output;
    reference_ = reference;
    difference_ = difference;
    message_.clear();
    rebuildControls();
    render();
}

bool TensorHeatmap::showsDifference() const {
    return which_->currentIndex() == 2;
}

const TensorGrid& TensorHeatmap::current() const {
    switch (which_->currentIndex()) {
    case 1:
        return reference_;
    case 2:
        return difference_;
    default:
        return output_;
    }
}

void TensorHeatmap::rebuildControls() {
    for (auto* box : indexBoxes_)
        box->deleteLater();
    indexBoxes_.clear();
    const auto& shape = output_.shape;
    if (shape.size() <= 2) return;
    for (std::size_t d = 0; d + 2 < shape.size(); ++d) {
        auto* box = new QSpinBox(this);
        box->setRange(0, static_cast<int>(std::max<std::int64_t>(0, shape[d] - 1)));
        box->setPrefix(tr("dim %1: ").arg(d));
        box->setToolTip(tr("Index along dimension %1 (size %2)").arg(d).arg(shape[d]));
        connect(box, &QSpinBox::valueChanged, this, [this] { render(); });
        indexRow_->addWidget(box);
        indexBoxes_.push_back(box);
    }
}

void TensorHeatmap::setLeadingIndex(int dimension, int value) {
    if (dimension >= 0 && dimension < static_cast<int>(indexBoxes_.size()))
        indexBoxes_[dimension]->setValue(value);
}

void TensorHeatmap::render() {
    const auto& t = current();
    image_ = {};
    if (t.shape.empty() && t.values.empty()) {
        info_->setText(which_->currentIndex() == 0 ? QString()
                                                   : tr("Not available for this operator."));
        update();
        return;
    }
    const auto& shape = t.shape;
    const std::int64_t cols = shape.empty() ? 1 : shape.back();
    const std::int64_t rows = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
    std::int64_t offset = 0, stride = rows * cols;
    for (std::size_t d = shape.size() >= 2 ? shape.size() - 2 : 0; d-- > 0;) {
        const int idx = d < indexBoxes_.size() ? indexBoxes_[d]->value() : 0;
        offset += idx * stride;
        stride *= shape[d];
    }
    if (offset + rows * cols > static_cast<std::int64_t>(t.values.size())) {
        info_->setText(tr("This slice lies beyond the first %1 elements kept for display.")
                           .arg(t.values.size()));
        update();
        return;
    }
    const float* data = t.values.data() + offset;
    double lo = INFINITY, hi = -INFINITY, absMax = 0;
    std::int64_t nonFinite = 0;
    for (std::int64_t i = 0; i < rows * cols; ++i) {
        if (!std::isfinite(data[i])) {
            ++nonFinite;
            continue;
        }
        lo = std::min<double>(lo, data[i]);
        hi = std::max<double>(hi, data[i]);
        absMax = std::max<double>(absMax, std::abs(data[i]));
    }
    const bool diff = showsDifference();
    sliceOffset_ = offset;
    lo_ = lo;
    hi_ = hi;
    absMax_ = absMax;
    image_ = QImage(int(cols), int(rows), QImage::Format_RGB32);
    for (std::int64_t r = 0; r < rows; ++r) {
        auto* line = reinterpret_cast<QRgb*>(image_.scanLine(int(r)));
        for (std::int64_t c = 0; c < cols; ++c) {
            const double v = data[r * cols + c];
            if (!std::isfinite(v))
                line[c] = qRgb(255, 0, 255);
            else if (diff)
                line[c] = diverging(absMax > 0 ? v / absMax : 0);
            else
                line[c] = sequential(hi > lo ? (v - lo) / (hi - lo) : 0.5);
        }
    }
    QStringList dims;
    for (auto d : shape)
        dims << QString::number(d);
    info_->setText(
        tr("[%1]&nbsp; slice %2 × %3&nbsp;&nbsp; min %4&nbsp;&nbsp; max %5%6%7")
            .arg(dims.join(QStringLiteral(", ")))
            .arg(rows)
            .arg(cols)
            .arg(lo, 0, 'g', 4)
            .arg(hi, 0, 'g', 4)
            .arg(diff ? tr("&nbsp;&nbsp; (blue −, red +, scale ±%1)").arg(absMax, 0, 'g', 3)
                      : QString())
            .arg(t.truncated ? tr("&nbsp;&nbsp; (first elements only)") : QString()) +
        // Masked attention scores are -inf by design: say what the magenta cells are.
        (nonFinite > 0 ? tr("<br><span style='color:#ff00ff'>■</span> %n cell(s) NaN or ±∞ "
                            "(e.g. masked attention scores)",
                            nullptr, int(nonFinite))
                       : QString()));
    update();
}

QString TensorHeatmap::caption() const {
    return info_->text();
}

QRectF TensorHeatmap::drawingArea() const {
    // Between the controls above and the caption below, less the colour scale's room.
    const double top = which_->geometry().bottom() + 8;
    const double bottom = info_->geometry().top() - 8 - (kScaleGap + kScaleHeight + kScaleLabels);
    return QRectF(8, top, std::max(0, width() - 16), std::max(0.0, bottom - top));
}

QRectF TensorHeatmap::sliceRect() const {
    if (image_.isNull()) return {};
    const QRectF area = drawingArea();
    QSizeF target = QSizeF(image_.size()).scaled(area.size(), Qt::KeepAspectRatio);
    target.setHeight(std::min(area.height(), target.height() * kMaxCellAspect));
    target.setWidth(std::min(area.width(), target.width() * kMaxCellAspect));
    // Thin slices stay visible.
    if (target.height() < 24) target.setHeight(std::min(area.height(), 24.0));
    return QRectF(area.left() + (area.width() - target.width()) / 2, area.top(), target.width(),
                  target.height());
}

QString TensorHeatmap::valueAt(QPointF pos) const {
    const QRectF slice = sliceRect();
    if (slice.isEmpty() || !slice.contains(pos)) return {};
    const int cols = image_.width(), rows = image_.height();
    const int c = std::min(cols - 1, int((pos.x() - slice.left()) * cols / slice.width()));
    const int r = std::min(rows - 1, int((pos.y() - slice.top()) * rows / slice.height()));
    const auto& t = current();
    QStringList index;
    for (auto* box : indexBoxes_)
        index << QString::number(box->value());
    if (t.shape.size() >= 2) index << QString::number(r);
    if (!t.shape.empty()) index << QString::number(c);
    const float v = t.values[static_cast<std::size_t>(sliceOffset_ + std::int64_t(r) * cols + c)];
    return QStringLiteral("[%1] = %2").arg(index.join(QStringLiteral(", "))).arg(v, 0, 'g', 7);
}

QStringList TensorHeatmap::scaleLabels() const {
    if (image_.isNull()) return {};
    if (showsDifference())
        return {QStringLiteral("−%1").arg(absMax_, 0, 'g', 3), QStringLiteral("0"),
                QStringLiteral("+%1").arg(absMax_, 0, 'g', 3)};
    return {QString::number(lo_, 'g', 4), QString::number(hi_, 'g', 4)};
}

void TensorHeatmap::mouseMoveEvent(QMouseEvent* event) {
    const QString text = valueAt(event->position());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
    QWidget::mouseMoveEvent(event);
}

void TensorHeatmap::paintScale(QPainter& p, const QRectF& slice) const {
    const QRectF bar(slice.left(), slice.bottom() + kScaleGap, slice.width(), kScaleHeight);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 16; ++i) {
        const double t = i / 16.0;
        gradient.setColorAt(t, QColor(showsDifference() ? diverging(2 * t - 1) : sequential(t)));
    }
    p.fillRect(bar, gradient);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(bar);
    p.setPen(palette().color(QPalette::WindowText));
    const QStringList labels = scaleLabels();
    const QRectF text(bar.left(), bar.bottom() + 1, bar.width(), kScaleLabels);
    p.drawText(text, Qt::AlignLeft | Qt::AlignTop, labels.front());
    p.drawText(text, Qt::AlignRight | Qt::AlignTop, labels.back());
    if (labels.size() == 3) p.drawText(text, Qt::AlignHCenter | Qt::AlignTop, labels[1]);
}

void TensorHeatmap::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (image_.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(drawingArea(), Qt::AlignCenter | Qt::TextWordWrap, message_);
        return;
    }
    const QRectF dest = sliceRect();
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(dest, image_);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(dest);
    paintScale(p, dest);
}

} // namespace tao::views
