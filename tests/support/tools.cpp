#include "support/tools.hpp"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <fstream>
#include <unistd.h>

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

QString testModel(const QString& name, QString* error) {
    static QTemporaryDir dir;
    static QString failure;
    static bool made = false;
    if (!made) {
        made = true;
        auto r = runTool(debianPython(),
                         {sourceDir() + "/tests/models/make_test_models.py", dir.path()}, 180000);
        if (r.exitCode != 0) failure = "make_test_models.py failed: " + r.err;
    }
    QString path = dir.filePath(name + ".pt");
    if (QFileInfo::exists(path)) return path;
    if (error)
        *error = failure.isEmpty() ? name + " was not traced (see make_test_models.py)" : failure;
    return {};
}

QString missingToolMessage(const QString& tool) {
    return QString("Foundry '%1' not found under %2/contracts/node_modules/.bin; run scripts/setup")
        .arg(tool, sourceDir());
}

ToolResult runTool(const QString& program, const QStringList& args, int timeoutMs) {
    QProcess p;
    p.start(program, args);
    ToolResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = program + ": timed out or failed to start: " + p.errorString();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    r.err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    return r;
}

QString runProgram(const QString& program, const QStringList& args, QString* error, int timeoutMs) {
    auto r = runTool(program, args, timeoutMs);
    if (r.exitCode != 0) {
        if (error)
            *error = program + " " + args.join(' ').left(200) + ": exit " +
                     QString::number(r.exitCode) + ": " + r.err;
        return {};
    }
    return r.out;
}

double residentMiB() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / double(1 << 20);
}

} // namespace tao::test
