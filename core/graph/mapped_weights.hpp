#pragma once
// A TorchScript archive whose stored tensors are read in place from a private mapping of
// the file instead of copies in the heap. torch::jit::load copies every weight into the
// heap, so a verifier held the whole model resident from start to end although it reads
// each weight for one operator (issue 19's memory goal: the model plus twice the largest
// live set). Mapped, a weight's pages come from the page cache when an operator reads them
// and can be dropped again after it (release); the kernel keeps the file cached.
//
// The mapping is private and writable: a write to a weight (a model that updates its
// buffers in forward, an adversary editing weights) gets its own copy of the page and
// never reaches the file. The file must not be rewritten in place while a model mapped
// from it is in use; replacing it by rename is safe. A read of a truncated file's lost
// pages stops the process with a message naming the file (mapping_guard.hpp); a rewrite
// that keeps the size is told by Loaded::fileUnchanged.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <torch/script.h>

namespace tao::graph {

class MappedWeights {
public:
    struct Loaded {
        torch::jit::Module module;
        std::size_t mappedBytes = 0; // the archive's bytes backing tensors
        // False once the file has been written since it was opened for the load (its size,
        // modification or status-change time differ), or when it can no longer be
        // examined: released pages may then have been read again with other bytes than
        // the ones loaded. A writer can set the modification time back but not the
        // status-change time; a change of status alone (chmod) also counts, but not the
        // loss of a link (the file replaced by rename, or deleted). Writes within one tick
        // of the kernel's file clock of the open are not told apart.
        std::function<bool()> fileUnchanged;
    };

    // Loads the archive with each stored tensor record of at least 64 KiB backed by the
    // mapping, which lives as long as a tensor uses it. Returns nullopt where that cannot
    // be done faithfully (the file cannot be mapped, or a record did not end up as exactly
    // one tensor storage, as with a compressed record); the caller then loads it the
    // ordinary way. Throws what torch::jit::load throws for an unreadable archive.
    static std::optional<Loaded> load(const std::filesystem::path& path,
                                      torch::jit::ExtraFilesMap& extra);

    // Drops the resident pages that [begin, begin + bytes), a range of `t`'s storage,
    // touches and that lie wholly inside the storage, where they still hold the file's
    // contents: they leave this process's resident set, and the next read maps them again
    // from the page cache. Pages written since (copies of their own) and swapped-out pages
    // are kept; a write racing the call is not, so no other thread may write the range
    // meanwhile. Does nothing unless `t`'s storage is backed by a mapping and holds the
    // range: safe to call on any tensor.
    static void releaseBytes(const at::Tensor& t, const void* begin, std::size_t bytes);
    // releaseBytes over the whole of `t`'s storage.
    static void release(const at::Tensor& t);
    // Whether `t`'s storage is backed by a mapping.
    static bool isMapped(const at::Tensor& t);
    // Copies the `bytes` bytes at `begin`, a range of `t`'s storage, to `out` straight from
    // the archive (pread), without touching the mapping: no page of it is faulted in, so
    // none needs giving back. A first touch of a mapped page cost about 1 us on the virtual
    // machines measured, more than twice a copy of its bytes. Returns false, `out` then in an
    // unspecified state, where `t` is not mapped, the range is not inside its storage, a
    // page of it holds data the file does not (written since, or swapped out), or the
    // file did not give all the bytes: the caller then reads the range from memory.
    // Returning true, it has also given back the range's resident pages as releaseBytes
    // would (pages read by earlier work), from the same look at the page table.
    static bool readBytes(const at::Tensor& t, const void* begin, std::size_t bytes, void* out);

    class Mapping;
};

} // namespace tao::graph
