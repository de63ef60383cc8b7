#pragma once
// Zoom (wheel, keys), pan (drag), fit; clicks and keys are turned into requests the graph
// panel carries out against the session.
#include <QGraphicsView>

namespace tao::views {

class NodeItem;

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);

    void zoomBy(double factor);
    void fitAll();
    void centreOnItem(const QGraphicsItem* item, bool zoomIn);
    double zoom() const;

signals:
    void nodeClicked(NodeItem* node);
    void nodeDoubleClicked(NodeItem* node);
    void frameDoubleClicked(QPointF scenePos);
    void backgroundClicked();
    void navigate(int key); // arrow keys, Enter, Space: interpreted by the panel
    void viewportMoved();
    void nodeMenuRequested(NodeItem* node, QPoint globalPos); // right click on a node

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QPoint pressPos_;
};

} // namespace tao::views
