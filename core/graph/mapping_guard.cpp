// The handler may only use async-signal-safe calls (write, _exit, sigaction, raise), so the
// registry is a fixed array of atomics and each path is stored with its length.
#include "core/graph/mapping_guard.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <unistd.h>

namespace tao::graph {

namespace {

struct GuardedRange {
    std::atomic<std::uintptr_t> begin{0};
    std::uintptr_t end = 0;
    char path[480] = {};
    std::size_t pathLength = 0;
};

constexpr int kSlots = 16;
GuardedRange gSlots[kSlots];
std::mutex gRegister; // registration only; the handler reads begin with acquire
struct sigaction gPrevious {};

void say(const char* text, std::size_t length) {
    while (length > 0) {
        const auto n = ::write(STDERR_FILENO, text, length);
        if (n <= 0) return;
        text += n;
        length -= static_cast<std::size_t>(n);
    }
}

void onBusError(int signal, siginfo_t* info, void* context) {
    const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (auto& slot : gSlots) {
        const auto begin = slot.begin.load(std::memory_order_acquire);
        if (begin == 0 || at < begin || at >= slot.end) continue;
        static const char head[] = "tao: the model archive ";
        static const char tail[] = "; stopping\n";
        say(head, sizeof head - 1);
        say(slot.path, slot.pathLength);
        say(" ", 1);
        say(kArchiveChangedInPlace, sizeof kArchiveChangedInPlace - 1);
        say(tail, sizeof tail - 1);
        ::_exit(1);
    }
    // Not a guarded range: what was there before.
    if ((gPrevious.sa_flags & SA_SIGINFO) && gPrevious.sa_sigaction) {
        gPrevious.sa_sigaction(signal, info, context);
        return;
    }
    if (gPrevious.sa_handler != SIG_DFL && gPrevious.sa_handler != SIG_IGN &&
        gPrevious.sa_handler) {
        gPrevious.sa_handler(signal);
        return;
    }
    ::sigaction(SIGBUS, &gPrevious, nullptr); // the faulting read runs again and ends the process
}

} // namespace

int guardMappedFile(const void* begin, std::size_t bytes, const std::string& path) {
    std::lock_guard lock(gRegister);
    static const bool installed = [] {
        struct sigaction action {};
        action.sa_sigaction = onBusError;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        return ::sigaction(SIGBUS, &action, &gPrevious) == 0;
    }();
    if (!installed) return -1;
    for (int i = 0; i < kSlots; ++i) {
        auto& slot = gSlots[i];
        if (slot.begin.load(std::memory_order_relaxed) != 0) continue;
        slot.pathLength = std::min(path.size(), sizeof slot.path);
        std::memcpy(slot.path, path.data(), slot.pathLength);
        const auto b = reinterpret_cast<std::uintptr_t>(begin);
        slot.end = b + bytes;
        slot.begin.store(b, std::memory_order_release);
        return i;
    }
    return -1;
}

void unguardMappedFile(int slot) {
    if (slot < 0 || slot >= kSlots) return;
    std::lock_guard lock(gRegister);
    gSlots[slot].begin.store(0, std::memory_order_release);
}

} // namespace tao::graph
