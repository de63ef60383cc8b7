#include "views/theme.hpp"

#include <QApplication>
#include <QImage>
#include <QPalette>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>

namespace tao::views {

void applyTheme(QApplication& app, bool dark) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    if (dark) {
        p.setColor(QPalette::Window, QColor(37, 40, 45));
        p.setColor(QPalette::WindowText, QColor(225, 228, 232));
        p.setColor(QPalette::Base, QColor(28, 30, 34));
        p.setColor(QPalette::AlternateBase, QColor(44, 47, 53));
        p.setColor(QPalette::Text, QColor(225, 228, 232));
        p.setColor(QPalette::Button, QColor(48, 52, 58));
        p.setColor(QPalette::ButtonText, QColor(225, 228, 232));
        p.setColor(QPalette::Highlight, QColor(30, 120, 220));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::ToolTipBase, QColor(50, 54, 60));
        p.setColor(QPalette::ToolTipText, QColor(235, 235, 235));
        p.setColor(QPalette::PlaceholderText, QColor(140, 145, 150));
        p.setColor(QPalette::Link, QColor(100, 170, 255));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    } else {
        p = app.style()->standardPalette();
        p.setColor(QPalette::Window, QColor(245, 246, 248));
        p.setColor(QPalette::Highlight, QColor(30, 120, 220));
    }
    app.setPalette(p);
}

QIcon themedIcon(const QStyle* style, QStyle::StandardPixmap which, bool dark) {
    const QIcon base = style->standardIcon(which);
    if (!dark) return base;
    QIcon out;
    for (int side : {16, 18, 24, 32}) {
        QImage image = base.pixmap(side).toImage().convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < image.height(); ++y) {
            auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = QColor::fromRgba(line[x]);
                if (c.alpha() == 0 || c.hsvSaturation() > 60 || c.value() > 140) continue;
                line[x] =
                    QColor::fromHsv(c.hsvHue(), c.hsvSaturation(), 255 - c.value() / 2, c.alpha())
                        .rgba();
            }
        }
        out.addPixmap(QPixmap::fromImage(image));
    }
    return out;
}

QColor verdictColour(verify::Verdict v) {
    switch (v) {
    case verify::Verdict::Fail:
        return QColor(0xd6, 0x30, 0x31);
    case verify::Verdict::Suspect:
        return QColor(0xe6, 0x95, 0x00);
    case verify::Verdict::NoBound:
        return QColor(0xa0, 0x88, 0x50);
    case verify::Verdict::Pass:
        return QColor(0x2e, 0xa4, 0x4f);
    default:
        return QColor(0x88, 0x88, 0x88);
    }
}

} // namespace tao::views
