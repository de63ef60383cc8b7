#pragma once
// The auditor's persistent settings (QSettings): threads, device, theme, recent files (the
// calibration percentile belongs to an audit: AuditSession::setPercentileOverride). Tests pass
// their own QSettings file.
#include <QSettings>
#include <QStringList>
#include <memory>

namespace tao::views {

class AppSettings {
public:
    AppSettings(); // the user's settings (organisation "TAO", application "tao-auditor")
    explicit AppSettings(const QString& iniFile);

    int threads() const;
    void setThreads(int n);
    QString device() const; // "cpu" or "cuda"
    void setDevice(const QString& d);
    bool darkTheme() const;
    void setDarkTheme(bool dark);
    QStringList recentFiles() const;
    void addRecentFile(const QString& path); // most recent first, at most kMaxRecent
    void sync();

    static constexpr int kMaxRecent = 8;

private:
    std::unique_ptr<QSettings> settings_;
};

} // namespace tao::views
