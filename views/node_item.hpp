#pragma once
// One box of the graph view: an operator, or a collapsed group showing its worst child.
// Painted directly (no child items) so thousands of them stay cheap, with the text dropped
// when zoomed far out.
#include "core/layout/utilisation_colour.hpp"

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace tao::views {

class NodeItem : public QGraphicsItem {
public:
    NodeItem(int visibleIndex, bool group, std::uint32_t id, QSizeF size);

    int visibleIndex() const { return visibleIndex_; }
    bool isGroup() const { return group_; }
    std::uint32_t id() const { return id_; } // op index or group index

    void setLabels(const QString& title, const QString& subtitle);
    void setStyle(const QColor& fill, layout::NodeMarker marker);
    QColor fill() const { return fill_; }
    layout::NodeMarker marker() const { return marker_; }
    void setHighlighted(bool on);
    bool highlighted() const { return highlighted_; }
    void setBookmarked(bool on);
    // Inside the interval a dispute stands on: drawn as a band behind the box.
    void setInDispute(bool on);
    bool inDispute() const { return inDispute_; }
    void setDark(bool on);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    int visibleIndex_;
    bool group_;
    std::uint32_t id_;
    QSizeF size_;
    QString title_, subtitle_;
    QColor fill_{150, 156, 166};
    layout::NodeMarker marker_ = layout::NodeMarker::NotChecked;
    bool highlighted_ = false;
    bool bookmarked_ = false;
    bool inDispute_ = false;
    bool dark_ = false;
};

} // namespace tao::views
