#pragma once
// What the window shows with nothing open: the demo, open buttons and recent files.
#include <QWidget>

class QListWidget;

namespace tao::views {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);
    void setRecentFiles(const QStringList& files);

signals:
    void demoRequested();
    void openModelRequested();
    void openTraceRequested();
    void recentFileRequested(const QString& path);

private:
    QListWidget* recent_;
};

} // namespace tao::views
