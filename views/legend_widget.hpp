#pragma once
// The colour scale of the graph (utilisation gradient) and its markers, with a caption
// saying what the colours currently measure.
#include <QWidget>

namespace tao::views {

class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);
    void setCaption(const QString& caption);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString caption_;
};

} // namespace tao::views
