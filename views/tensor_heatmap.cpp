#include "views/tensor_heatmap.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSpinBox>
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
    const bool diff = which_->currentIndex() == 2;
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

void TensorHeatmap::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QRect area = rect().adjusted(8, 40, -8, -40);
    if (image_.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, message_);
        return;
    }
    // Keep cells square-ish; stretch thin slices so they stay visible.
    QSizeF target = QSizeF(image_.size()).scaled(area.size(), Qt::KeepAspectRatio);
    if (target.height() < 24) target.setHeight(std::min<double>(area.height(), 24));
    const QRectF dest(area.left() + (area.width() - target.width()) / 2, area.top(), target.width(),
                      target.height());
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(dest, image_);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(dest);
}

} // namespace tao::views
