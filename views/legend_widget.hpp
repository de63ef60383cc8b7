#pragma once
// The colour scale of the graph (utilisation gradient) and its markers, with a caption
// saying what the colours currently measure. Its items wrap onto more rows when the
// widget is narrow, so nothing is ever cut off; exports draw the same legend.
#include <QWidget>
#include <vector>

namespace tao::views {

class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);
    void setCaption(const QString& caption);
    QString caption() const { return caption_; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    // Where each item (scale, then one per marker) lies when laid out `width` pixels wide.
    std::vector<QRect> itemRects(int width) const;
    // Draws the legend into `area` with `fg` text, as on screen (used by the graph export).
    void paintInto(QPainter& painter, const QRect& area, const QColor& fg) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QFont legendFont() const;
    std::vector<int> itemWidths() const;
    void paintItem(QPainter& p, std::size_t item, const QRect& box, const QColor& fg) const;

    QString caption_;
    int rows_ = 1;
};

} // namespace tao::views
