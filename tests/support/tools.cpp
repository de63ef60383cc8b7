#include "support/tools.hpp"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

namespace tao::test {

QString sourceDir() {
    QString env = qEnvironmentVariable("TAO_SOURCE_DIR");
    return env.isEmpty() ? QString(TAO_SOURCE_DIR) : env;
}

QString foundryTool(const QString& name) {
    QString path = sourceDir() + "/contracts/node_modules/.bin/" + name;
    return QFileInfo(path).isExecutable() ? path : QString();
}

QString demoModel(const QString& name) {
    for (const char* dir : {"/resources/models/", "/resources/models/generated/"}) {
        QString path = sourceDir() + dir + name + ".pt";
        if (QFileInfo::exists(path)) return path;
    }
    return {};
}

QString runProgram(const QString& program, const QStringList& args, QString* error, int timeoutMs) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        if (error) *error = program + ": did not finish (" + p.errorString() + ")";
        return {};
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = program + " " + args.join(' ').left(200) + ": exit " +
                     QString::number(p.exitCode()) + ": " +
                     QString::fromUtf8(p.readAllStandardError()).trimmed();
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace tao::test
