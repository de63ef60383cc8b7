#include "views/node_item.hpp"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace tao::views {

NodeItem::NodeItem(int visibleIndex, bool group, std::uint32_t id, QSizeF size)
    : visibleIndex_(visibleIndex)
    , group_(group)
    , id_(id)
    , size_(size) {
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(false);
    setCursor(group ? Qt::PointingHandCursor : Qt::ArrowCursor);
    setZValue(group ? 2 : 3);
}

void NodeItem::setLabels(const QString& title, const QString& subtitle) {
    title_ = title;
    subtitle_ = subtitle;
    update();
}

void NodeItem::setStyle(const QColor& fill, layout::NodeMarker marker) {
    if (fill == fill_ && marker == marker_) return;
    fill_ = fill;
    marker_ = marker;
    update();
}

void NodeItem::setHighlighted(bool on) {
    if (on == highlighted_) return;
    highlighted_ = on;
    update();
}

void NodeItem::setBookmarked(bool on) {
    if (on == bookmarked_) return;
    bookmarked_ = on;
    update();
}

void NodeItem::setInDispute(bool on) {
    if (on == inDispute_) return;
    inDispute_ = on;
    update();
}

void NodeItem::setDark(bool on) {
    dark_ = on;
    update();
}

QRectF NodeItem::boundingRect() const {
    // Room for the selection / highlight rings outside the box.
    return QRectF(-size_.width() / 2 - 5, -size_.height() / 2 - 5, size_.width() + 10,
                  size_.height() + 10);
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QRectF box(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height());
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const qreal radius = group_ ? 9 : 5;
    painter->setRenderHint(QPainter::Antialiasing, lod > 0.3);

    if (inDispute_) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(160, 90, 220, 150));
        painter->drawRoundedRect(box.adjusted(-5, -5, 5, 5), radius + 4, radius + 4);
    }
    if (group_) {
        // A second box behind the first reads as "a stack of operators".
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill_.darker(135));
        painter->drawRoundedRect(box.translated(4, 4), radius, radius);
    }
    const QColor border = dark_ ? QColor(20, 22, 26) : QColor(50, 58, 70);
    painter->setPen(QPen(border, group_ ? 2 : 1));
    painter->setBrush(fill_);
    painter->drawRoundedRect(box, radius, radius);

    if (highlighted_) {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(QColor(30, 144, 255), 3));
        painter->drawRoundedRect(box.adjusted(-3, -3, 3, 3), radius + 2, radius + 2);
    }
    if (isSelected()) {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(dark_ ? Qt::white : Qt::black, 2.5, Qt::DashLine));
        painter->drawRoundedRect(box.adjusted(-4.5, -4.5, 4.5, 4.5), radius + 3, radius + 3);
    }
    if (lod < 0.35) return; // text is unreadable at this zoom and costs most of the paint

    const bool lightFill = fill_.lightness() > 110;
    painter->setPen(lightFill ? QColor(17, 17, 17) : QColor(245, 245, 245));
    QFont font = painter->font();
    font.setPointSizeF(8.5);
    font.setBold(true);
    painter->setFont(font);
    const QRectF text = box.adjusted(8, 3, -22, -3);
    painter->drawText(text, Qt::AlignLeft | Qt::AlignTop,
                      painter->fontMetrics().elidedText(title_, Qt::ElideRight, int(text.width())));
    font.setBold(false);
    font.setPointSizeF(7.5);
    painter->setFont(font);
    painter->drawText(
        text, Qt::AlignLeft | Qt::AlignBottom,
        painter->fontMetrics().elidedText(subtitle_, Qt::ElideMiddle, int(text.width() + 14)));

    // Markers for what colour alone would hide.
    const QRectF badge(box.right() - 19, box.top() + 4, 15, 15);
    if (marker_ == layout::NodeMarker::BeyondSoundBound) {
        painter->setBrush(QColor(255, 255, 255));
        painter->setPen(QPen(QColor(140, 0, 0), 1.5));
        painter->drawEllipse(badge);
        painter->drawLine(badge.center() + QPointF(-3.5, -3.5), badge.center() + QPointF(3.5, 3.5));
        painter->drawLine(badge.center() + QPointF(-3.5, 3.5), badge.center() + QPointF(3.5, -3.5));
    } else if (marker_ == layout::NodeMarker::BeyondThreshold) {
        painter->setBrush(QColor(255, 255, 255));
        painter->setPen(QPen(QColor(150, 90, 0), 1.2));
        painter->drawEllipse(badge);
        painter->drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
    } else if (marker_ == layout::NodeMarker::NoBound) {
        painter->setBrush(QColor(255, 255, 255));
        painter->setPen(QPen(QColor(90, 90, 90), 1.2));
        painter->drawEllipse(badge);
        painter->drawText(badge, Qt::AlignCenter, QStringLiteral("?"));
    }
    if (bookmarked_) {
        QPolygonF flag;
        const QPointF tl = box.topLeft() + QPointF(box.width() - 34, 0);
        flag << tl << tl + QPointF(9, 0) << tl + QPointF(9, 12) << tl + QPointF(4.5, 8)
             << tl + QPointF(0, 12);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(30, 144, 255));
        painter->drawPolygon(flag);
    }
}

} // namespace tao::views
