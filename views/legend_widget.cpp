#include "views/legend_widget.hpp"

#include "core/layout/utilisation_colour.hpp"

#include <QLinearGradient>
#include <QPainter>
#include <cmath>

namespace tao::views {
namespace {

constexpr int kRowHeight = 24;
constexpr int kGap = 14; // between items
constexpr int kBarWidth = 160;

struct Marker {
    QColor fill;
    QString glyph;
    const char* text;
};

std::vector<Marker> markers() {
    const auto grey = layout::uncheckedColour();
    return {
        {QColor(240, 170, 30), QStringLiteral("!"),
         QT_TRANSLATE_NOOP("LegendWidget", "beyond threshold")},
        {QColor(214, 48, 49), QStringLiteral("✕"),
         QT_TRANSLATE_NOOP("LegendWidget", "beyond sound bound")},
        {QColor(200, 180, 130), QStringLiteral("?"), QT_TRANSLATE_NOOP("LegendWidget", "no bound")},
        {QColor(grey.r, grey.g, grey.b), QString(),
         QT_TRANSLATE_NOOP("LegendWidget", "not checked")}};
}

} // namespace

LegendWidget::LegendWidget(QWidget* parent)
    : QWidget(parent) {
    setCaption(tr("error / empirical threshold"));
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void LegendWidget::setCaption(const QString& caption) {
    caption_ = caption;
    updateGeometry();
    update();
}

QFont LegendWidget::legendFont() const {
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    return f;
}

std::vector<int> LegendWidget::itemWidths() const {
    const QFontMetrics fm(legendFont());
    const QString lead = caption_ + QStringLiteral(":  0");
    const QString tail = QStringLiteral("1 … ≥%1").arg(layout::kRedUtilisation);
    std::vector<int> widths{fm.horizontalAdvance(lead) + 10 + kBarWidth + 6 +
                            fm.horizontalAdvance(tail)};
    for (const auto& m : markers())
        widths.push_back(18 + fm.horizontalAdvance(tr(m.text)));
    return widths;
}

std::vector<QRect> LegendWidget::itemRects(int width) const {
    std::vector<QRect> rects;
    int x = 4, y = 0;
    for (int w : itemWidths()) {
        if (x > 4 && x + w > width - 4) { // next row
            x = 4;
            y += kRowHeight;
        }
        rects.emplace_back(x, y, std::min(w, width - 8), kRowHeight);
        x += w + kGap;
    }
    return rects;
}

int LegendWidget::heightForWidth(int width) const {
    const auto rects = itemRects(width);
    return rects.empty() ? kRowHeight : rects.back().bottom() + 1 + 2;
}

QSize LegendWidget::sizeHint() const {
    int total = 0;
    for (int w : itemWidths())
        total += w + kGap;
    return {total, kRowHeight};
}

QSize LegendWidget::minimumSizeHint() const {
    return {200, kRowHeight};
}

void LegendWidget::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const int rows = static_cast<int>(heightForWidth(width()) / kRowHeight);
    if (rows != rows_) {
        rows_ = rows;
        setMinimumHeight(heightForWidth(width()));
        updateGeometry();
    }
}

void LegendWidget::paintItem(QPainter& p, std::size_t item, const QRect& box,
                             const QColor& fg) const {
    const int mid = box.center().y();
    p.setPen(fg);
    if (item == 0) {
        // Gradient bar: 0 .. 1 on the first half, 1 .. red on the second (log scale).
        const QString lead = caption_ + QStringLiteral(":  0");
        const QString tail = QStringLiteral("1 … ≥%1").arg(layout::kRedUtilisation);
        const int leadWidth =
            std::min(p.fontMetrics().horizontalAdvance(lead) + 4,
                     box.width() - kBarWidth - 12 - p.fontMetrics().horizontalAdvance(tail));
        p.drawText(QRect(box.left(), box.top(), leadWidth, box.height()), Qt::AlignVCenter,
                   p.fontMetrics().elidedText(lead, Qt::ElideMiddle, leadWidth));
        int x = box.left() + leadWidth + 6;
        QLinearGradient gradient(x, 0, x + kBarWidth, 0);
        for (const auto& [u, c] : layout::legendStops()) {
            const double t =
                u <= 1 ? 0.5 * u : 0.5 + 0.5 * std::log(u) / std::log(layout::kRedUtilisation);
            gradient.setColorAt(t, QColor(c.r, c.g, c.b));
        }
        const QRect bar(x, mid - 6, kBarWidth, 12);
        p.setPen(QPen(fg, 0.5));
        p.setBrush(gradient);
        p.drawRoundedRect(bar, 3, 3);
        p.drawLine(bar.center().x(), bar.top() - 2, bar.center().x(), bar.bottom() + 2);
        x += kBarWidth + 6;
        p.drawText(QRect(x, box.top(), box.right() - x + 1, box.height()), Qt::AlignVCenter, tail);
        return;
    }
    const auto m = markers()[item - 1];
    const QRect swatch(box.left(), mid - 7, 14, 14);
    p.setPen(QPen(fg, 0.8));
    p.setBrush(m.fill);
    p.drawEllipse(swatch);
    p.drawText(swatch, Qt::AlignCenter, m.glyph);
    p.drawText(QRect(box.left() + 18, box.top(), box.width() - 18, box.height()), Qt::AlignVCenter,
               tr(m.text));
}

void LegendWidget::paintInto(QPainter& painter, const QRect& area, const QColor& fg) const {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setFont(legendFont());
    const auto rects = itemRects(area.width());
    for (std::size_t i = 0; i < rects.size(); ++i)
        paintItem(painter, i, rects[i].translated(area.topLeft()), fg);
    painter.restore();
}

void LegendWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    paintInto(p, rect(), palette().color(QPalette::WindowText));
}

} // namespace tao::views
