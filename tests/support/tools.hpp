#pragma once
// Shared test helpers: locating the repository, the Foundry binaries and the
// demo models, and running an external program to compare against.
#include <QString>
#include <QStringList>

namespace tao::test {

// Repository root (TAO_SOURCE_DIR from the environment, else the compile-time path).
QString sourceDir();
// Path of a Foundry binary (anvil, cast, forge) installed by scripts/setup under
// contracts/node_modules; empty when it is missing.
QString foundryTool(const QString& name);
// Why a Foundry tool is missing, for a failure message.
QString missingToolMessage(const QString& tool);

struct ToolResult {
    int exitCode = -1; // -1 when it did not start, crashed or timed out
    QString out;       // stdout, trimmed
    QString err;       // stderr, trimmed (or why it did not run)
};
// Runs a program (no shell) and collects its output.
ToolResult runTool(const QString& program, const QStringList& args, int timeoutMs = 60000);

// Path of a demo model: resources/models/<name>.pt (committed) or
// resources/models/generated/<name>.pt (made by scripts/setup); empty when missing.
QString demoModel(const QString& name);
// Path of a model written for the tests (tests/models/make_test_models.py: "views",
// "transformer_encoder", "mha"), traced once per test process with Debian's
// python3-torch into a temporary folder. Empty, with the reason in *error, when
// it could not be made.
QString testModel(const QString& name, QString* error);
// Debian's python3, the one that sees python3-torch.
inline QString debianPython() {
    return "/usr/bin/python3";
}

// This process's resident set now, in MiB (/proc/self/statm; 0 where it cannot be read).
double residentMiB();

// Runs a program and returns its trimmed stdout; on a non-zero exit or timeout
// returns an empty string and puts the reason into *error.
QString runProgram(const QString& program, const QStringList& args, QString* error,
                   int timeoutMs = 60000);

} // namespace tao::test
