#pragma once
// The whole graph scaled into a corner, with the main view's visible area drawn on top;
// clicking or dragging in it moves the main view there.
#include <QGraphicsView>

namespace tao::views {

class GraphView;

class MinimapView : public QGraphicsView {
    Q_OBJECT
public:
    MinimapView(GraphView* main, QWidget* parent = nullptr);
    void refit();

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    GraphView* main_;
};

} // namespace tao::views
