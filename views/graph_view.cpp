#include "views/graph_view.hpp"

#include "views/node_item.hpp"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QWheelEvent>
#include <cmath>

namespace tao::views {

GraphView::GraphView(QWidget* parent)
    : QGraphicsView(parent) {
    setDragMode(ScrollHandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    // Only what changed is repainted; edges and boxes do not move during recolouring.
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setCacheMode(CacheNone);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
}

double GraphView::zoom() const {
    return transform().m11();
}

void GraphView::zoomBy(double factor) {
    const double next = std::clamp(zoom() * factor, 0.02, 6.0);
    scale(next / zoom(), next / zoom());
    emit viewportMoved();
}

void GraphView::fitAll() {
    if (!scene()) return;
    fitInView(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20), Qt::KeepAspectRatio);
    // Never blow a small graph up beyond its natural size.
    if (zoom() > 1.0) setTransform(QTransform());
    emit viewportMoved();
}

void GraphView::centreOnItem(const QGraphicsItem* item, bool zoomIn) {
    if (!item) return;
    if (zoomIn && zoom() < 0.8) setTransform(QTransform::fromScale(0.9, 0.9));
    centerOn(item);
    emit viewportMoved();
}

void GraphView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ShiftModifier) {
        QGraphicsView::wheelEvent(event); // scroll sideways / vertically as usual
        return;
    }
    zoomBy(std::pow(1.0015, event->angleDelta().y()));
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    pressPos_ = event->pos();
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    QGraphicsView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton) return;
    if ((event->pos() - pressPos_).manhattanLength() > 4) return; // a drag, not a click
    if (auto* node = dynamic_cast<NodeItem*>(itemAt(event->pos())))
        emit nodeClicked(node);
    else
        emit backgroundClicked();
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (auto* node = dynamic_cast<NodeItem*>(itemAt(event->pos())))
        emit nodeDoubleClicked(node);
    else
        emit frameDoubleClicked(mapToScene(event->pos()));
}

void GraphView::contextMenuEvent(QContextMenuEvent* event) {
    if (auto* node = dynamic_cast<NodeItem*>(itemAt(event->pos()))) {
        emit nodeMenuRequested(node, event->globalPos());
        event->accept();
    }
}

void GraphView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25);
        return;
    case Qt::Key_Minus:
        zoomBy(0.8);
        return;
    case Qt::Key_0:
        fitAll();
        return;
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
    case Qt::Key_Backspace:
        emit navigate(event->key());
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void GraphView::scrollContentsBy(int dx, int dy) {
    QGraphicsView::scrollContentsBy(dx, dy);
    emit viewportMoved();
}

void GraphView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    emit viewportMoved();
}

} // namespace tao::views
