#pragma once
// The drawn graph: node boxes, edges and expanded-group frames placed from a layout
// result. Recolouring and highlighting change item styles only; positions change only
// through setGraph (a new layout).
#include "core/layout/op_hierarchy.hpp"
#include "core/verify/verdict.hpp"

#include <QGraphicsScene>
#include <vector>

namespace tao::views {

class NodeItem;

class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(QObject* parent = nullptr);

    void setGraph(const layout::OpHierarchy& hierarchy, layout::VisibleGraph visible,
                  const layout::LayoutResult& layout, const std::vector<graph::OpInfo>& ops);
    void clearGraph();
    // Fill colours and markers from per-op values, tooltips from `tooltips` (per visible
    // item; may be empty). No layout.
    void recolour(const layout::OpHierarchy& hierarchy, const std::vector<graph::OpInfo>& ops,
                  const std::vector<const verify::OpVerdict*>& byOp,
                  const std::vector<QString>& tooltips = {});
    void setHighlightedOps(const std::vector<std::uint32_t>& ops);
    void setBookmarkedOps(const QList<int>& ops);
    // Marks the nodes showing any op in [lo, hi) (empty: none).
    void setDisputeInterval(std::optional<std::pair<std::uint32_t, std::uint32_t>> interval);
    void setDark(bool dark);

    const layout::VisibleGraph& visible() const { return visible_; }
    const std::vector<NodeItem*>& nodes() const { return nodes_; }
    // The node showing an operator (itself or a collapsed group around it).
    NodeItem* nodeForOp(std::uint32_t op) const;
    // The expanded group whose frame holds `point`, innermost first; -1 for none.
    int clusterGroupAt(const QPointF& point) const;

private:
    layout::VisibleGraph visible_;
    std::vector<NodeItem*> nodes_;
    std::vector<QGraphicsItem*> clusterFrames_;
    std::vector<QRectF> clusterRects_;
    bool dark_ = false;
};

} // namespace tao::views
