#pragma once
// A file mapped into memory and then truncated by someone else (rewritten in place, as
// torch.jit.save does to an existing path) makes every read of its lost pages raise
// SIGBUS, which would end the process with a crash and no word of why. For the ranges
// registered here the handler instead writes one line naming the file to standard error
// and ends the process with exit status 1. A SIGBUS elsewhere keeps the disposition it
// had before the first registration.
#include <cstddef>
#include <string>

namespace tao::graph {

// What both reports of an archive changed under its mapping say of it after its name (the
// SIGBUS handler's line and Model::requireWeightsUnchanged's error). A plain array: the
// handler may only write it out as it is.
inline constexpr char kArchiveChangedInPlace[] =
    "changed on disk while its weights were read from it (replace such a file by rename, not "
    "in place)";

// Registers [begin, begin + bytes) as the mapping of `path`. Returns the slot to pass to
// unguardMappedFile, or -1 where all slots (16) are taken: the range is then unguarded.
int guardMappedFile(const void* begin, std::size_t bytes, const std::string& path);
// Ends the registration (before the range is unmapped).
void unguardMappedFile(int slot);

} // namespace tao::graph
