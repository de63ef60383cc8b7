#include "app/gui/tour.hpp"

#include "views/engine_worker.hpp"
#include "views/graph_panel.hpp"
#include "views/replay_panel.hpp"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QMouseEvent>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <memory>

namespace tao::tour {

void click(QWidget* target, QPoint at) {
    const QPointF local(at), global(target->mapToGlobal(at));
    QMouseEvent press(QEvent::MouseButtonPress, local, global, Qt::LeftButton, Qt::LeftButton,
                      Qt::NoModifier);
    QApplication::sendEvent(target, &press);
    QMouseEvent release(QEvent::MouseButtonRelease, local, global, Qt::LeftButton, Qt::NoButton,
                        Qt::NoModifier);
    QApplication::sendEvent(target, &release);
}

void clickTab(QTabWidget* tabs, int index) {
    auto* bar = tabs->tabBar();
    click(bar, bar->tabRect(index).center());
}

Tour::Tour(views::MainWindow* window, QString dir)
    : QObject(window)
    , w_(window)
    , dir_(std::move(dir)) {}

void Tour::addWait(std::function<bool()> ready, const QString& what, int timeoutMs) {
    auto clock = std::make_shared<QElapsedTimer>();
    // Re-queued at the front until ready, so the steps after it wait too.
    auto self = std::make_shared<std::function<QString()>>();
    *self = [this, ready, what, timeoutMs, clock, self]() -> QString {
        if (!clock->isValid()) clock->start();
        if (ready()) return {};
        if (clock->elapsed() > timeoutMs)
            return QStringLiteral("%1 within %2 s").arg(what).arg(timeoutMs / 1000);
        steps_.push_front(*self);
        return {};
    };
    add(*self);
}

QString Tour::save(QWidget* widget, const QString& name) {
    const QImage image = widget->grab().toImage();
    for (const auto& [earlier, img] : taken_)
        if (img == image) return name + " is identical to " + earlier;
    taken_.emplace_back(name, image);
    const QString path = QDir(dir_).filePath(name);
    if (!image.save(path)) return "could not write " + path;
    qInfo("saved %s", qPrintable(path));
    return {};
}

void Tour::next() {
    auto* timer = new QTimer(this);
    timer->setInterval(100);
    connect(timer, &QTimer::timeout, this, [this, timer] {
        if (w_->graphPanel()->layoutPending() || w_->engine()->busy() ||
            w_->replayPanel()->running())
            return;
        timer->deleteLater();
        QTimer::singleShot(400, this, [this] {
            if (steps_.empty()) return QCoreApplication::exit(0);
            const auto step = std::move(steps_.front());
            steps_.pop_front();
            if (const QString error = step(); !error.isEmpty()) {
                qCritical("screenshots: %s", qPrintable(error));
                return QCoreApplication::exit(1);
            }
            next();
        });
    });
    timer->start();
}

} // namespace tao::tour
