#pragma once
// Floating-point constants every bound and metric shares.
#include <limits>

namespace tao::numerics {

// "No finite bound" and "beyond any bound" in FP64 arithmetic.
inline constexpr double kInf = std::numeric_limits<double>::infinity();

} // namespace tao::numerics
