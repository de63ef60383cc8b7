#include "views/demo_files.hpp"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <stdexcept>

namespace tao::views {

QString taoExecutable() {
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/tao");
    if (QFileInfo(beside).isExecutable()) return beside;
    const QString built = QStringLiteral(TAO_BINARY_DIR "/bin/tao");
    if (QFileInfo(built).isExecutable()) return built;
    return QStandardPaths::findExecutable(QStringLiteral("tao"));
}

DemoFiles prepareDemoFiles(const QString& dir) {
    const QString tao = taoExecutable();
    if (tao.isEmpty())
        throw std::runtime_error("the command-line tool `tao` was not found beside tao-auditor "
                                 "or on PATH; build it with scripts/build");
    QProcess p;
    p.start(tao, {QStringLiteral("demo-files"), QStringLiteral("--out"), dir});
    // Capturing and calibrating the small CNN takes seconds; a stuck tool must not hang us.
    if (!p.waitForFinished(10 * 60 * 1000)) {
        p.kill();
        throw std::runtime_error("`tao demo-files` did not finish within 10 minutes");
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        throw std::runtime_error(
            "`tao demo-files` failed: " +
            QString::fromUtf8(p.readAllStandardError()).trimmed().toStdString());
    const auto answer = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const auto path = [&answer](const char* key) {
        const auto v = answer.value(QLatin1String(key));
        if (!v.isString())
            throw std::runtime_error(std::string("`tao demo-files` answered without \"") + key +
                                     "\"");
        return std::filesystem::path(v.toString().toStdString());
    };
    DemoFiles files;
    files.model = path("model");
    files.honestTrace = path("honestTrace");
    files.tamperedTrace = path("tamperedTrace");
    files.profile = path("profile");
    files.tamperedOp =
        static_cast<std::uint32_t>(answer.value(QStringLiteral("tamperedOp")).toInt());
    files.tamperDescription =
        answer.value(QStringLiteral("tamperDescription")).toString().toStdString();
    return files;
}

} // namespace tao::views
