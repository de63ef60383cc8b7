#pragma once
// The screenshot tour's driver: steps run one after another once the window has settled, a
// step acts through the window's own controls (clicks as the window system delivers them),
// and every saved image must differ from the earlier ones.
#include "views/main_window.hpp"

#include <QObject>
#include <QPoint>
#include <deque>
#include <functional>
#include <vector>

class QTabWidget;
class QImage;

namespace tao::tour {

// A left click as the window system delivers it.
void click(QWidget* target, QPoint at);
void clickTab(QTabWidget* tabs, int index);

// Runs steps one after another, each once the window has settled (no layout pending, the
// engine idle); a step returns an error text to stop the tour.
class Tour : public QObject {
public:
    Tour(views::MainWindow* window, QString dir);

    void add(std::function<QString()> step) { steps_.push_back(std::move(step)); }
    // A step that waits (polling) until `ready`, failing with "<what> within N s" after
    // `timeoutMs`.
    void addWait(std::function<bool()> ready, const QString& what, int timeoutMs);
    void start() { next(); }

    // Saves the widget; an image identical to an earlier one means the step before it had
    // no visible effect.
    QString save(QWidget* widget, const QString& name);

private:
    void next();

    views::MainWindow* w_;
    QString dir_;
    std::deque<std::function<QString()>> steps_;
    std::vector<std::pair<QString, QImage>> taken_;
};

} // namespace tao::tour
