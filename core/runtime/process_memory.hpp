#pragma once
// How this process gets memory for large tensors. On the machines measured (virtual
// machines, where every page fault exits to the hypervisor), first touches of fresh 4 KiB
// pages were the largest single cost of `tao verify`: the model archive, the trace and
// each operator's FP64 copies are hundreds of MB each.

namespace tao::runtime {

// Keeps freed tensor memory in the process for the next operator's tensors. By default
// glibc gives blocks over 32 MB, and the free top of its heap, back to the kernel at once,
// so each operator's tensors were faulted in and zeroed anew; up to 1 GiB of free heap is
// kept. Call once, at the start of a program.
void reuseFreedMemory();

// For verification-type work, after reuseFreedMemory(): blocks of 32 MiB and more that
// the free heap cannot hold get their own mappings again, given back to the kernel when
// freed (their first touches are cheap once advised onto huge pages, below). Kept in the heap, such
// blocks (attention's scores, the output head read ahead) held a sequence-1024 `tao verify` 190 MiB
// higher at its peak, for no gain in time. Not for capture: there it made hashing cost 1.26x a
// forward instead of 1.08x at sequence 1024. Call once, at the start.
void returnLargeBlocksWhenFreed();

// LibTorch's CPU tensors of 4 MiB and more are advised onto transparent huge pages
// (madvise MADV_HUGEPAGE), one fault per 2 MiB instead of 512. For verification-type work
// (FP64 references and bounds, large fresh temporaries): `tao verify` of the GPT-2-sized
// trace took 25 % less wall time. Not for capture: there the same advice made hashing cost
// 1.31x a forward instead of 1.08x (docs/verify-profile.md). Where the kernel offers no
// huge pages the advice is ignored. The environment variable TAO_HUGE_PAGES=0 turns it
// off. Call once, at the start, before large tensors exist.
void adviseHugePagesForLargeTensors();

// True once adviseHugePagesForLargeTensors() has installed the advice (benchmarks record it).
bool hugePageAdviceEnabled();

} // namespace tao::runtime
