#include "core/runtime/process_memory.hpp"

#include <c10/core/CPUAllocator.h>
#include <cstdint>
#include <cstdlib>
#include <malloc.h>
#include <string_view>
#include <sys/mman.h>

namespace tao::runtime {

namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t(1) << 21;
constexpr std::size_t kAdviseFrom = std::size_t(4) << 20;

// LibTorch's own CPU allocator (alignment, profiling, deleter) with one addition: the whole
// 2 MiB pages inside a large block are advised onto huge pages before first touch.
class HugePageAdvisingAllocator final : public c10::Allocator {
public:
    explicit HugePageAdvisingAllocator(c10::Allocator* base)
        : base_(base) {}

    c10::DataPtr allocate(std::size_t n) const override {
        auto ptr = base_->allocate(n);
        if (n >= kAdviseFrom && ptr.get() != nullptr) {
            const auto begin = reinterpret_cast<std::uintptr_t>(ptr.get());
            const auto first = (begin + kHugePage - 1) & ~(kHugePage - 1);
            const auto last = (begin + n) & ~(kHugePage - 1);
            // Advice only: a kernel without transparent huge pages refuses it, harmlessly.
            if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
        }
        return ptr;
    }
    c10::DeleterFnPtr raw_deleter() const override { return base_->raw_deleter(); }

private:
    c10::Allocator* base_;
};

} // namespace

void reuseFreedMemory() {
    constexpr int kKeep = 1 << 30;
    mallopt(M_MMAP_THRESHOLD, kKeep);
    mallopt(M_TRIM_THRESHOLD, kKeep);
}

void returnLargeBlocksWhenFreed() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

namespace {
bool adviceInstalled = false;
}

void adviseHugePagesForLargeTensors() {
    if (const char* v = std::getenv("TAO_HUGE_PAGES"); v && std::string_view(v) == "0") return;
    // Installed once; LibTorch keeps the pointer for the life of the process.
    static HugePageAdvisingAllocator allocator(c10::GetDefaultCPUAllocator());
    c10::SetCPUAllocator(&allocator, /*priority=*/1);
    adviceInstalled = true;
}

bool hugePageAdviceEnabled() {
    return adviceInstalled;
}

} // namespace tao::runtime
