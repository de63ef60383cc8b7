#pragma once
// The bundled demo's files. The tampered trace is a provider-side artefact, so the views
// do not make it: they ask the command-line tool (`tao demo-files`), which reuses files
// already made in the folder.
#include <QString>
#include <cstdint>
#include <filesystem>
#include <string>

namespace tao::views {

struct DemoFiles {
    std::filesystem::path model;
    std::filesystem::path honestTrace;
    std::filesystem::path tamperedTrace;
    std::filesystem::path profile;
    std::uint32_t tamperedOp = 0;
    std::string tamperDescription;
};

// The `tao` executable: beside this program, else in the build it was configured with,
// else on PATH; empty when there is none.
QString taoExecutable();

// Runs `tao demo-files --out DIR` (blocking; call it off the GUI thread) and reads its
// answer. Throws std::runtime_error with the tool's own message when it fails.
DemoFiles prepareDemoFiles(const QString& dir);

} // namespace tao::views
