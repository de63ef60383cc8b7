#pragma once
// The graph explorer: the session's operators drawn a level at a time, grouped by module
// scope and coloured by the session's values. Layout runs on a pool thread (one at a
// time, cancellable, stale layouts dropped); recolouring only restyles items.
#include "core/layout/op_hierarchy.hpp"

#include <QElapsedTimer>
#include <QWidget>
#include <atomic>
#include <functional>
#include <memory>

class QLineEdit;
class QLabel;
class QToolBar;
class QAction;
class QComboBox;
class QPainter;
class QImage;
class QMenu;

namespace tao::views {

class AuditSession;
class GraphScene;
class GraphView;
class MinimapView;
class LegendWidget;
class NodeItem;

class GraphPanel : public QWidget {
    Q_OBJECT
public:
    explicit GraphPanel(AuditSession* session, QWidget* parent = nullptr);
    ~GraphPanel() override;

    GraphScene* scene() const { return scene_; }
    GraphView* view() const { return view_; }
    const std::vector<bool>& expanded() const { return expanded_; }
    bool layoutPending() const { return layoutPending_; }
    // True when every toolbar control is on screen (none pushed into an overflow).
    bool toolbarFits() const;
    QToolBar* toolbar() const { return toolbar_; }
    MinimapView* minimap() const { return minimap_; }
    QAction* overviewAction() const { return overviewAction_; }
    LegendWidget* legend() const { return legend_; }

    void setGroupExpanded(int group, bool expanded);
    void toggleGroup(int group);
    void expandAll();
    void collapseAll();
    // Expands the ancestors of `op` as needed, selects it and centres the view on it.
    void revealOp(std::uint32_t op);

    // Search by name, kind or scope (case-insensitive); returns the matching ops.
    std::vector<std::uint32_t> search(const QString& text);
    void nextMatch();
    const std::vector<std::uint32_t>& matches() const { return matches_; }
    // The right-click menu of an operator: replay it, bookmark, copy its reference or output
    // hash, go to a producer or consumer.
    std::unique_ptr<QMenu> nodeMenu(std::uint32_t op);
    void jumpToWorst();
    void jumpToNextSuspect();
    void toggleBookmarkOnSelection();
    void focusSearch();
    void setDark(bool dark);

    // Write the visible graph as on screen, with a header (model, trace, what the colours
    // measure, profile) and the legend, without selection or search marks, on the theme's
    // canvas. ".svg" / ".png" is added when `path` lacks it; the file is written atomically.
    // False with `error` set when there is nothing to export or the file cannot be written.
    bool exportSvg(const QString& path, QString* error, QString* written = nullptr);
    // The PNG export's picture (null when nothing is drawn).
    QImage renderImage();
    bool exportPng(const QString& path, QString* error, QString* written = nullptr);

    // Milliseconds of the last layout (pool thread) and of the last recolour (GUI thread).
    double lastLayoutMs() const { return lastLayoutMs_; }
    double lastApplyMs() const { return lastApplyMs_; }
    double lastRecolourMs() const { return lastRecolourMs_; }

signals:
    void layoutFinished();
    void statusMessage(const QString& text);
    void replayRequested(std::uint32_t op);   // from the node menu
    void evidenceRequested(std::uint32_t op); // from the node menu

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void onModelChanged();
    void fitToolbar();
    void placeMinimap();
    void relayout(std::function<void()> after = {});
    void recolour();
    std::vector<QString> tooltips() const;
    QString tooltipForOp(std::uint32_t op) const;
    void onNodeClicked(NodeItem* node);
    void onNavigate(int key);
    void updateSelectionMarks();
    QSize exportSize(QRectF* source, double* scale) const;
    void paintExport(QPainter& painter, const QSize& size, const QRectF& source, double scale);
    bool exportImage(const QString& path, const char* format, QString* error, QString* written);

    AuditSession* session_;
    GraphScene* scene_;
    GraphView* view_;
    QToolBar* toolbar_;
    MinimapView* minimap_;
    LegendWidget* legend_;
    QLineEdit* searchField_;
    QLabel* matchLabel_;
    QLabel* emptyLabel_;
    QComboBox* colourSource_;
    QAction* bookmarkAction_;
    QAction* overviewAction_;
    std::vector<bool> expanded_;
    std::vector<std::uint32_t> matches_;
    std::size_t matchCursor_ = 0;
    std::size_t suspectCursor_ = 0;
    bool layoutPending_ = false;
    quint64 layoutGeneration_ = 0;
    std::shared_ptr<std::atomic<bool>> layoutCancel_;
    double lastLayoutMs_ = 0, lastApplyMs_ = 0, lastRecolourMs_ = 0;
    bool dark_ = false;
};

} // namespace tao::views
