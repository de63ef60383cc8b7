#pragma once
// The process-wide Graphviz context and the lock every use of it must hold (libgvc and
// libcgraph keep global state). Internal to core/layout.
#include <gvc.h>
#include <mutex>

namespace tao::layout::detail {

std::timed_mutex& graphvizMutex();
GVC_t* graphvizContext();

} // namespace tao::layout::detail
