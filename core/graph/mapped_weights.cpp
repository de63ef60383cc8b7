// How the mapping is put under the tensors: LibTorch reads each tensor record with one
// read of the record's bytes at the record's offset into a fresh storage. The reader
// below leaves those reads undone and notes which storage each was for; after the load,
// each such storage gets the mapped bytes at that offset instead, and its untouched heap
// buffer is freed. A record that does not end up as exactly one storage read this way
// (compressed, say) makes the whole load fall back to the ordinary one: no storage is
// ever left holding bytes that were not read.
#include "core/graph/mapped_weights.hpp"

#include "core/graph/mapping_guard.hpp"

#include <algorithm>
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tao::graph {

namespace {
// The system's page size: the unit of mapping, of pagemap's entries and of giving back.
std::size_t pageSize() {
    static const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

// Smaller records are read into the heap as usual: biases and norms, a few KiB each.
constexpr std::size_t kMinMappedBytes = std::size_t(64) << 10;

struct SkippedRead {
    std::uint64_t offset = 0;
    std::size_t bytes = 0;
};

// Reads the archive with pread, except the reads of tensor records, which it only notes.
class RecordSkippingReader final : public caffe2::serialize::ReadAdapterInterface {
public:
    RecordSkippingReader(int fd, std::size_t size, std::unordered_set<std::uint64_t> offsets,
                         std::shared_ptr<std::unordered_map<const void*, SkippedRead>> skipped)
        : fd_(fd)
        , size_(size)
        , offsets_(std::move(offsets))
        , skipped_(std::move(skipped)) {}

    std::size_t size() const override { return size_; }

    std::size_t read(std::uint64_t pos, void* buf, std::size_t n, const char*) const override {
        if (n >= kMinMappedBytes && offsets_.count(pos)) {
            (*skipped_)[buf] = {pos, n};
            return n;
        }
        std::size_t done = 0;
        while (done < n) {
            const auto got = ::pread(fd_, static_cast<char*>(buf) + done, n - done,
                                     static_cast<off_t>(pos + done));
            if (got <= 0) break;
            done += static_cast<std::size_t>(got);
        }
        return done;
    }

private:
    int fd_;
    std::size_t size_;
    std::unordered_set<std::uint64_t> offsets_;
    std::shared_ptr<std::unordered_map<const void*, SkippedRead>> skipped_;
};

// Where the archive's tensor records ("data/<key>") start in the file.
std::unordered_set<std::uint64_t> tensorRecordOffsets(const std::filesystem::path& path) {
    caffe2::serialize::PyTorchStreamReader reader(path.string());
    std::unordered_set<std::uint64_t> offsets;
    for (const auto& name : reader.getAllRecords())
        if (name.rfind("data/", 0) == 0 && name.find('/', 5) == std::string::npos)
            offsets.insert(reader.getRecordOffset(name));
    return offsets;
}

// Every storage reachable from the module's attributes, each once.
void collectStorages(const c10::IValue& v, std::unordered_set<const void*>& seen,
                     std::vector<c10::Storage>& out) {
    if (v.isTensor()) {
        const auto& t = v.toTensor();
        if (t.defined() && t.has_storage() &&
            seen.insert(t.storage().unsafeGetStorageImpl()).second)
            out.push_back(t.storage());
    } else if (v.isObject()) {
        const auto obj = v.toObject();
        if (!seen.insert(obj.get()).second) return;
        for (const auto& slot : obj->slots())
            collectStorages(slot, seen, out);
    } else if (v.isList()) {
        for (const auto& e : v.toListRef())
            collectStorages(e, seen, out);
    } else if (v.isTuple()) {
        for (const auto& e : v.toTupleRef().elements())
            collectStorages(e, seen, out);
    } else if (v.isGenericDict()) {
        for (const auto& kv : v.toGenericDict()) {
            collectStorages(kv.key(), seen, out);
            collectStorages(kv.value(), seen, out);
        }
    }
}

} // namespace

class MappedWeights::Mapping {
public:
    // Takes over `fd`, the file as opened for the load, and `opened`, its state then.
    Mapping(char* base, std::size_t size, const std::string& path, int fd,
            const struct stat& opened)
        : base_(base)
        , size_(size)
        , fd_(fd)
        , opened_(opened)
        , pagemap_(::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC))
        , guard_(guardMappedFile(base, size, path)) {}
    ~Mapping() {
        unguardMappedFile(guard_);
        ::munmap(base_, size_);
        ::close(fd_);
        if (pagemap_ >= 0) ::close(pagemap_);
    }
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    char* base() const { return base_; }

    // The open file itself is examined, not the path: a file replaced by rename leaves
    // the mapped one as it was, which is safe. Losing a link (replaced, deleted) also
    // moves the status-change time, so that time counts only while the link count is the
    // one at the load.
    bool fileUnchanged() const {
        struct stat now {};
        if (::fstat(fd_, &now) != 0) return false;
        auto same = [](const timespec& a, const timespec& b) {
            return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
        };
        return now.st_size == opened_.st_size && same(now.st_mtim, opened_.st_mtim) &&
               (now.st_nlink != opened_.st_nlink || same(now.st_ctim, opened_.st_ctim));
    }

    // What a page of the mapping holds, as /proc/self/pagemap tells.
    enum class Page : std::uint8_t {
        NotTheFile,   // written since (an anonymous copy) or swapped out: data the file lacks
        Absent,       // not resident: a read maps it from the file
        FileResident, // a resident copy of the file's page
    };

    // Each page of [begin, end) (page aligned); empty when pagemap cannot tell, and then
    // no page counts as the file's.
    std::vector<Page> pagesOf(const char* begin, const char* end) const {
        const std::size_t pages = static_cast<std::size_t>(end - begin) / pageSize();
        std::vector<std::uint64_t> entries(pages);
        if (pagemap_ < 0 || pages == 0) return {};
        const auto want = static_cast<ssize_t>(pages * sizeof(std::uint64_t));
        const auto got = ::pread(pagemap_, entries.data(), static_cast<std::size_t>(want),
                                 static_cast<off_t>(reinterpret_cast<std::uintptr_t>(begin) /
                                                    pageSize() * sizeof(std::uint64_t)));
        if (got != want) return {};
        constexpr std::uint64_t kPresent = 1ull << 63, kSwapped = 1ull << 62,
                                kFilePage = 1ull << 61;
        std::vector<Page> out(pages);
        for (std::size_t i = 0; i < pages; ++i) {
            const auto e = entries[i];
            out[i] = (e & kSwapped) || ((e & kPresent) && !(e & kFilePage)) ? Page::NotTheFile
                     : (e & kPresent)                                       ? Page::FileResident
                                                                            : Page::Absent;
        }
        return out;
    }

    // Gives back the pages of [begin, end) (page aligned) that are resident copies of the
    // file. /proc/self/pagemap tells them apart from pages written since (anonymous
    // copies) and from swapped-out copies; both hold data the file does not, and
    // MADV_DONTNEED would lose it. Pages not resident need nothing: asking for them too
    // took about 3 % of a verification of gpt2_small (single runs) once its weights were
    // read with readFromFile. Without pagemap nothing is dropped.
    void dropFilePages(char* begin, char* end) const { dropResident(begin, pagesOf(begin, end)); }

    // Copies the `bytes` bytes at `begin` (inside the mapping) to `out` with pread from the
    // file, without touching the mapping; false, with `out` in an unknown state, unless
    // every page of the range still holds the file's contents (pagesOf) and the file
    // gave them all. On success the resident file pages of [dropBegin, dropEnd) (page
    // aligned, within the range's pages) are given back as dropFilePages gives them, from
    // the same reading of pagemap.
    bool readFromFile(const char* begin, std::size_t bytes, char* out, char* dropBegin,
                      char* dropEnd) const {
        const auto pageOf = [](const char* p) {
            return reinterpret_cast<char*>(reinterpret_cast<std::uintptr_t>(p) / pageSize() *
                                           pageSize());
        };
        char* const first = pageOf(begin);
        const auto pages = pagesOf(first, pageOf(begin + bytes + pageSize() - 1));
        if (pages.empty() && bytes > 0) return false;
        for (const auto p : pages)
            if (p == Page::NotTheFile) return false;
        auto offset = static_cast<off_t>(begin - base_);
        while (bytes > 0) {
            const auto got = ::pread(fd_, out, bytes, offset);
            if (got <= 0) return false;
            out += got;
            offset += got;
            bytes -= static_cast<std::size_t>(got);
        }
        if (dropBegin < dropEnd) {
            const auto skip = static_cast<std::size_t>(dropBegin - first) / pageSize();
            const auto count = static_cast<std::size_t>(dropEnd - dropBegin) / pageSize();
            dropResident(dropBegin, {pages.begin() + skip, pages.begin() + skip + count});
        }
        return true;
    }

private:
    // Gives back the FileResident ones of `pages`, which describe the pages from `begin` on.
    void dropResident(char* begin, const std::vector<Page>& pages) const {
        const auto droppable = [&](std::size_t i) { return pages[i] == Page::FileResident; };
        for (std::size_t i = 0; i < pages.size();) {
            if (!droppable(i)) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < pages.size() && droppable(j))
                ++j;
            ::madvise(begin + i * pageSize(), (j - i) * pageSize(), MADV_DONTNEED);
            i = j;
        }
    }

    char* base_;
    std::size_t size_;
    int fd_;
    struct stat opened_;
    int pagemap_;
    int guard_;
};

namespace {
// The deleter of every storage backed by a mapping; its context owns a share of the
// mapping. A storage with this deleter is how release() knows a tensor is mapped.
void releaseMappingShare(void* share) {
    delete static_cast<std::shared_ptr<MappedWeights::Mapping>*>(share);
}

const MappedWeights::Mapping* mappingOf(const at::Tensor& t) {
    if (!t.defined() || !t.has_storage()) return nullptr;
    const auto& ptr = t.storage().data_ptr();
    if (ptr.get_deleter() != &releaseMappingShare) return nullptr;
    return static_cast<std::shared_ptr<MappedWeights::Mapping>*>(ptr.get_context())->get();
}
} // namespace

std::optional<MappedWeights::Loaded> MappedWeights::load(const std::filesystem::path& path,
                                                         torch::jit::ExtraFilesMap& extra) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    void* base = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > 0)
        base = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE, fd, 0);
    if (base == MAP_FAILED) {
        ::close(fd);
        return std::nullopt;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    auto mapping = std::make_shared<Mapping>(static_cast<char*>(base), size, path.string(), fd, st);

    auto skippedReads = std::make_shared<std::unordered_map<const void*, SkippedRead>>();
    auto& skipped = *skippedReads;
    auto reader =
        std::make_shared<RecordSkippingReader>(fd, size, tensorRecordOffsets(path), skippedReads);
    Loaded loaded{torch::jit::load(reader, torch::kCPU, extra), 0,
                  [mapping] { return mapping->fileUnchanged(); }};

    std::unordered_set<const void*> seen;
    std::vector<c10::Storage> storages;
    collectStorages(loaded.module._ivalue(), seen, storages);
    for (auto& s : storages) {
        auto it = skipped.find(s.data());
        if (it == skipped.end() || it->second.bytes != s.nbytes()) continue;
        s.unsafeGetStorageImpl()->set_data_ptr_noswap(
            at::DataPtr(mapping->base() + it->second.offset, new std::shared_ptr<Mapping>(mapping),
                        &releaseMappingShare, at::kCPU));
        loaded.mappedBytes += it->second.bytes;
        skipped.erase(it);
    }
    if (!skipped.empty()) return std::nullopt;
    return loaded;
}

void MappedWeights::release(const at::Tensor& t) {
    if (mappingOf(t)) releaseBytes(t, t.storage().data(), t.storage().nbytes());
}

bool MappedWeights::isMapped(const at::Tensor& t) {
    return mappingOf(t) != nullptr;
}

namespace {
// [begin, begin + bytes) inside `t`'s storage, with the whole pages a release may drop:
// outward to whole pages, but within the storage. A page the range shares with more of
// the storage is read again from the page cache if needed, one fault; a page shared with
// another tensor is kept.
struct StorageRange {
    char* firstPage;
    char* endPage; // firstPage when no whole page qualifies
};
std::optional<StorageRange> storageRange(const at::Tensor& t, const void* begin,
                                         std::size_t bytes) {
    const auto b = reinterpret_cast<std::uintptr_t>(begin);
    const auto storage = reinterpret_cast<std::uintptr_t>(t.storage().data());
    const auto storageEnd = storage + t.storage().nbytes();
    if (b < storage || b + bytes > storageEnd) return std::nullopt;
    const auto page = static_cast<std::uintptr_t>(pageSize());
    const auto first = std::max(b / page * page, (storage + page - 1) / page * page);
    const auto last =
        std::max(first, std::min((b + bytes + page - 1) / page * page, storageEnd / page * page));
    return StorageRange{reinterpret_cast<char*>(first), reinterpret_cast<char*>(last)};
}
} // namespace

bool MappedWeights::readBytes(const at::Tensor& t, const void* begin, std::size_t bytes,
                              void* out) {
    const auto* mapping = mappingOf(t);
    if (!mapping) return false;
    const auto range = storageRange(t, begin, bytes);
    return range &&
           mapping->readFromFile(static_cast<const char*>(begin), bytes, static_cast<char*>(out),
                                 range->firstPage, range->endPage);
}

void MappedWeights::releaseBytes(const at::Tensor& t, const void* begin, std::size_t bytes) {
    const auto* mapping = mappingOf(t);
    if (!mapping) return;
    if (const auto range = storageRange(t, begin, bytes);
        range && range->firstPage < range->endPage)
        mapping->dropFilePages(range->firstPage, range->endPage);
}

} // namespace tao::graph
