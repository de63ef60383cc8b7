#include "views/legend_widget.hpp"

#include "core/layout/utilisation_colour.hpp"

#include <QLinearGradient>
#include <QPainter>

namespace tao::views {

LegendWidget::LegendWidget(QWidget* parent)
    : QWidget(parent) {
    setCaption(tr("error / empirical threshold"));
}

void LegendWidget::setCaption(const QString& caption) {
    caption_ = caption;
    update();
}

QSize LegendWidget::sizeHint() const {
    return {560, 26};
}

void LegendWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    p.setFont(font);
    const auto fg = palette().color(QPalette::WindowText);
    int x = 4;
    const int h = height();
    p.setPen(fg);
    const QString lead = caption_ + QStringLiteral(":  0");
    p.drawText(QRect(x, 0, p.fontMetrics().horizontalAdvance(lead) + 4, h), Qt::AlignVCenter, lead);
    x += p.fontMetrics().horizontalAdvance(lead) + 6;

    // Gradient bar: 0 .. 1 on the first half, 1 .. red on the second (log scale).
    const int barWidth = 160;
    QLinearGradient gradient(x, 0, x + barWidth, 0);
    const auto stops = layout::legendStops();
    for (const auto& [u, c] : stops) {
        const double t =
            u <= 1 ? 0.5 * u : 0.5 + 0.5 * std::log(u) / std::log(layout::kRedUtilisation);
        gradient.setColorAt(t, QColor(c.r, c.g, c.b));
    }
    const QRect bar(x, h / 2 - 6, barWidth, 12);
    p.setPen(QPen(fg, 0.5));
    p.setBrush(gradient);
    p.drawRoundedRect(bar, 3, 3);
    p.drawLine(bar.center().x(), bar.top() - 2, bar.center().x(), bar.bottom() + 2);
    x += barWidth + 6;
    const QString tail = QStringLiteral("1 … ≥%1").arg(layout::kRedUtilisation);
    p.drawText(QRect(x, 0, 200, h), Qt::AlignVCenter, tail);
    x += p.fontMetrics().horizontalAdvance(tail) + 16;

    auto swatch = [&](const QColor& fill, const QString& glyph, const QString& text) {
        const QRect box(x, h / 2 - 7, 14, 14);
        p.setPen(QPen(fg, 0.8));
        p.setBrush(fill);
        p.drawEllipse(box);
        p.drawText(box, Qt::AlignCenter, glyph);
        x += 18;
        p.drawText(QRect(x, 0, 400, h), Qt::AlignVCenter, text);
        x += p.fontMetrics().horizontalAdvance(text) + 14;
    };
    swatch(QColor(240, 170, 30), QStringLiteral("!"), tr("beyond threshold"));
    swatch(QColor(214, 48, 49), QStringLiteral("✕"), tr("beyond sound bound"));
    swatch(QColor(200, 180, 130), QStringLiteral("?"), tr("no bound"));
    const auto grey = layout::uncheckedColour();
    swatch(QColor(grey.r, grey.g, grey.b), QString(), tr("not checked"));
}

} // namespace tao::views
