#include "foundry.hpp"

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

namespace tao::chain::test {

namespace {
QString sourceDir() {
    QString env = QProcessEnvironment::systemEnvironment().value("TAO_SOURCE_DIR");
    if (!env.isEmpty()) return env;
    return QStringLiteral(TAO_SOURCE_DIR);
}
} // namespace

QString foundryTool(const QString& tool) {
    QString path = sourceDir() + "/contracts/node_modules/.bin/" + tool;
    QFileInfo info(path);
    return info.isExecutable() ? info.absoluteFilePath() : QString();
}

QString missingToolMessage(const QString& tool) {
    return QString("Foundry '%1' not found under %2/contracts/node_modules/.bin; run the setup "
                   "script (npm ci in contracts/) first")
        .arg(tool, sourceDir());
}

ToolResult runTool(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    ToolResult r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out or failed to start: " + p.errorString();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    r.err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    return r;
}

} // namespace tao::chain::test
