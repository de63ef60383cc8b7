#include "views/graph_scene.hpp"

#include "core/layout/graph_export.hpp"
#include "views/node_item.hpp"

#include <QBrush>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPainterPath>
#include <QPen>
#include <cmath>

namespace tao::views {

GraphScene::GraphScene(QObject* parent)
    : QGraphicsScene(parent) {
    // Item positions never move after a layout; the BSP index makes itemAt and painting
    // of the visible part cheap on big levels.
    setItemIndexMethod(BspTreeIndex);
}

void GraphScene::clearGraph() {
    clear();
    nodes_.clear();
    clusterFrames_.clear();
    clusterRects_.clear();
    visible_ = {};
}

void GraphScene::setGraph(const layout::OpHierarchy& hierarchy, layout::VisibleGraph visible,
                          const layout::LayoutResult& result,
                          const std::vector<graph::OpInfo>& ops) {
    clearGraph();
    visible_ = std::move(visible);
    const QColor frameFill = dark_ ? QColor(44, 48, 56) : QColor(240, 243, 247);
    const QColor frameLine = dark_ ? QColor(110, 118, 130) : QColor(150, 160, 175);
    const QColor edgeColour = dark_ ? QColor(140, 150, 165) : QColor(110, 120, 135);

    for (std::size_t c = 0; c < visible_.clusters.size() && c < result.clusters.size(); ++c) {
        const auto& r = result.clusters[c];
        const QRectF rect(r.x, r.y, r.width, r.height);
        auto* frame = addRect(rect, QPen(frameLine, 1, Qt::DashLine), QBrush(frameFill));
        // Nested frames stack by depth so inner ones stay visible.
        frame->setZValue(-10 + hierarchy.groups()[visible_.clusters[c].group].depth * 0.1);
        frame->setToolTip(
            tr("%1 (expanded; double-click the frame to collapse)")
                .arg(QString::fromStdString(hierarchy.groups()[visible_.clusters[c].group].path)));
        auto* label = addSimpleText(QString::fromStdString(visible_.clusters[c].label));
        label->setBrush(dark_ ? QColor(200, 205, 215) : QColor(70, 80, 95));
        QFont font = label->font();
        font.setPointSizeF(8);
        font.setBold(true);
        label->setFont(font);
        label->setPos(rect.left() + 8, rect.top() + 3);
        label->setZValue(frame->zValue() + 0.05);
        clusterFrames_.push_back(frame);
        clusterRects_.push_back(rect);
    }

    const QPen edgePen(edgeColour, 1.2);
    for (std::size_t e = 0; e < result.edges.size(); ++e) {
        const auto& route = result.edges[e];
        if (route.bezier.empty()) continue;
        QPainterPath path(QPointF(route.bezier[0].x, route.bezier[0].y));
        for (std::size_t k = 1; k + 2 < route.bezier.size(); k += 3)
            path.cubicTo(route.bezier[k].x, route.bezier[k].y, route.bezier[k + 1].x,
                         route.bezier[k + 1].y, route.bezier[k + 2].x, route.bezier[k + 2].y);
        if (route.hasArrow) {
            const QPointF tail(route.bezier.back().x, route.bezier.back().y);
            const QPointF tip(route.arrowTip.x, route.arrowTip.y);
            const QPointF d = tip - tail;
            const double len = std::max(1e-6, std::hypot(d.x(), d.y()));
            const QPointF normal(-d.y() / len * 3.5, d.x() / len * 3.5);
            path.moveTo(tail + normal);
            path.lineTo(tip);
            path.lineTo(tail - normal);
            path.closeSubpath();
        }
        auto* item = addPath(path, edgePen);
        item->setZValue(1);
        const auto& edge = visible_.edges[e];
        item->setToolTip(tr("tensor op:%1 (from #%1 %2)")
                             .arg(edge.producerOp)
                             .arg(QString::fromStdString(ops[edge.producerOp].kind)));
    }

    nodes_.reserve(visible_.items.size());
    for (std::size_t i = 0; i < visible_.items.size(); ++i) {
        const auto& item = visible_.items[i];
        const QSizeF size = item.isGroup ? QSizeF(layout::kGroupNodeWidth, layout::kGroupNodeHeight)
                                         : QSizeF(layout::kOpNodeWidth, layout::kOpNodeHeight);
        auto* node = new NodeItem(static_cast<int>(i), item.isGroup, item.id, size);
        node->setPos(result.nodeCentres[i].x, result.nodeCentres[i].y);
        node->setDark(dark_);
        addItem(node);
        nodes_.push_back(node);
    }
    setSceneRect(QRectF(-40, -40, result.width + 80, result.height + 80));
}

void GraphScene::recolour(const layout::OpHierarchy& hierarchy,
                          const std::vector<graph::OpInfo>& ops,
                          const std::vector<const verify::OpVerdict*>& byOp,
                          const std::vector<QString>& tooltips) {
    if (nodes_.empty()) return;
    const auto drawn = layout::describeItems(hierarchy, visible_, ops, byOp);
    for (std::size_t i = 0; i < nodes_.size() && i < drawn.size(); ++i) {
        const auto& d = drawn[i];
        nodes_[i]->setLabels(QString::fromStdString(d.title), QString::fromStdString(d.subtitle));
        nodes_[i]->setStyle(QColor(d.style.fill.r, d.style.fill.g, d.style.fill.b), d.style.marker);
        if (i < tooltips.size()) nodes_[i]->setToolTip(tooltips[i]);
    }
}

void GraphScene::setHighlightedOps(const std::vector<std::uint32_t>& ops) {
    std::vector<bool> on(nodes_.size(), false);
    for (auto op : ops)
        if (auto* n = nodeForOp(op)) on[n->visibleIndex()] = true;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        nodes_[i]->setHighlighted(on[i]);
}

void GraphScene::setBookmarkedOps(const QList<int>& ops) {
    for (auto* n : nodes_)
        n->setBookmarked(false);
    for (int op : ops)
        if (auto* n = nodeForOp(static_cast<std::uint32_t>(op)); n && !n->isGroup())
            n->setBookmarked(true);
}

void GraphScene::setDisputeInterval(
    std::optional<std::pair<std::uint32_t, std::uint32_t>> interval) {
    std::vector<bool> on(nodes_.size(), false);
    if (interval)
        for (auto op = interval->first; op < interval->second; ++op)
            if (auto* n = nodeForOp(op)) on[n->visibleIndex()] = true;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        nodes_[i]->setInDispute(on[i]);
}

void GraphScene::setDark(bool dark) {
    dark_ = dark;
    setBackgroundBrush(dark ? QColor(30, 32, 36) : QColor(252, 252, 253));
    for (auto* n : nodes_)
        n->setDark(dark);
}

NodeItem* GraphScene::nodeForOp(std::uint32_t op) const {
    if (op >= visible_.itemOfOp.size()) return nullptr;
    const int item = visible_.itemOfOp[op];
    return item >= 0 && item < static_cast<int>(nodes_.size()) ? nodes_[item] : nullptr;
}

int GraphScene::clusterGroupAt(const QPointF& point) const {
    int best = -1;
    double bestArea = 0;
    for (std::size_t c = 0; c < clusterRects_.size(); ++c) {
        const auto& r = clusterRects_[c];
        if (!r.contains(point)) continue;
        const double area = r.width() * r.height();
        if (best < 0 || area < bestArea) {
            best = visible_.clusters[c].group;
            bestArea = area;
        }
    }
    return best;
}

} // namespace tao::views
