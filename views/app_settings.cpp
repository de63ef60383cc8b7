#include "views/app_settings.hpp"

#include <QThread>

namespace tao::views {

AppSettings::AppSettings()
    : settings_(std::make_unique<QSettings>(QStringLiteral("TAO"), QStringLiteral("tao-auditor"))) {
}

AppSettings::AppSettings(const QString& iniFile)
    : settings_(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)) {}

int AppSettings::threads() const {
    return std::max(1, settings_
                           ->value(QStringLiteral("replay/threads"),
                                   std::max(1, QThread::idealThreadCount() / 2))
                           .toInt());
}
void AppSettings::setThreads(int n) {
    settings_->setValue(QStringLiteral("replay/threads"), std::max(1, n));
}

QString AppSettings::device() const {
    return settings_->value(QStringLiteral("replay/device"), QStringLiteral("cpu")).toString();
}
void AppSettings::setDevice(const QString& d) {
    settings_->setValue(QStringLiteral("replay/device"), d);
}

bool AppSettings::darkTheme() const {
    return settings_->value(QStringLiteral("ui/dark"), false).toBool();
}
void AppSettings::setDarkTheme(bool dark) {
    settings_->setValue(QStringLiteral("ui/dark"), dark);
}

QStringList AppSettings::recentFiles() const {
    return settings_->value(QStringLiteral("files/recent")).toStringList();
}

void AppSettings::addRecentFile(const QString& path) {
    auto list = recentFiles();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecent)
        list.removeLast();
    settings_->setValue(QStringLiteral("files/recent"), list);
}

void AppSettings::sync() {
    settings_->sync();
}

} // namespace tao::views
