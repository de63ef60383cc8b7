#include "views/minimap_view.hpp"

#include "views/graph_view.hpp"

#include <QMouseEvent>

namespace tao::views {

MinimapView::MinimapView(GraphView* main, QWidget* parent)
    : QGraphicsView(main->scene(), parent)
    , main_(main) {
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHints(QPainter::Antialiasing);
    setFrameShape(QFrame::Box);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Overview: click or drag to move the view (M hides it)"));
    // See-through, so the nodes of the main view under it stay visible.
    setBackgroundBrush(QColor(128, 128, 128, 40));
    setStyleSheet(QStringLiteral("QGraphicsView { background: transparent; }"));
    viewport()->setAutoFillBackground(false);
    connect(main, &GraphView::viewportMoved, viewport(), qOverload<>(&QWidget::update));
}

void MinimapView::refit() {
    if (scene()) fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    viewport()->update();
}

void MinimapView::drawForeground(QPainter* painter, const QRectF&) {
    const QRectF visible = main_->mapToScene(main_->viewport()->rect()).boundingRect();
    painter->setPen(QPen(QColor(30, 144, 255), 0));
    painter->setBrush(QColor(30, 144, 255, 40));
    painter->drawRect(visible);
}

void MinimapView::mousePressEvent(QMouseEvent* event) {
    main_->centerOn(mapToScene(event->pos()));
    viewport()->update();
}

void MinimapView::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) mousePressEvent(event);
}

void MinimapView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    refit();
}

} // namespace tao::views
