#pragma once
// Whole-file writes that never leave a half-written file behind.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace tao::io {

// Writes `content` to a temporary file next to `path` (created with `mode`), flushes it to
// disk and renames it over `path`. Throws std::runtime_error naming the path and the
// system error; the temporary file is removed on failure.
void writeFileAtomically(const std::filesystem::path& path, std::string_view content,
                         unsigned mode = 0644);

// Reads a whole file; throws std::runtime_error naming the path when it cannot be read.
std::string readWholeFile(const std::filesystem::path& path);

// Builds a directory with `fill(tempDir)` beside `path` and renames it to `path`,
// replacing an existing directory only after `fill` succeeded. The temporary
// directory is removed if `fill` throws.
void writeDirectoryAtomically(const std::filesystem::path& path,
                              const std::function<void(const std::filesystem::path&)>& fill);

} // namespace tao::io
