#pragma once
// Locates the Foundry binaries the chain tests compare against and runs them.
#include <QString>
#include <QStringList>

namespace tao::chain::test {

// <source dir>/contracts/node_modules/.bin/<tool>, the source dir taken from the
// TAO_SOURCE_DIR environment variable or compile definition. Empty when missing.
QString foundryTool(const QString& tool);
// Why a tool is missing, for the failure message.
QString missingToolMessage(const QString& tool);

struct ToolResult {
    int exitCode = -1;
    QString out; // stdout, trimmed
    QString err; // stderr, trimmed
};
// Runs the tool with `args` (no shell), waiting up to 30 s.
ToolResult runTool(const QString& program, const QStringList& args);

} // namespace tao::chain::test
