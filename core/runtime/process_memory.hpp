#pragma once
// How this process gets memory for large tensors. On the machines measured (virtual
// machines, where every page fault exits to the hypervisor), first touches of fresh 4 KiB
// pages were the largest single cost of `tao verify`: the model archive, the trace and
// each operator's FP64 copies are hundreds of MB each.

namespace tao::runtime {

// Call once, at the start of a program, before large tensors exist:
// - freed tensor memory stays in the process for the next operator's tensors (by default
//   glibc gives blocks over 32 MB, and the free top of its heap, back to the kernel at
//   once, so each operator's tensors were faulted in and zeroed anew); up to 1 GiB of
//   free heap is kept;
// - LibTorch's CPU tensors of 4 MiB and more are advised onto transparent huge pages
//   (madvise MADV_HUGEPAGE), which takes one fault per 2 MiB instead of 512. Where the
//   kernel does not offer huge pages the advice is ignored and nothing else changes.
void tuneMemoryForLargeTensors();

} // namespace tao::runtime
