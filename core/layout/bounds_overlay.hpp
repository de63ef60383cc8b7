#pragma once
// Colouring a trace that has no threshold profile yet: each operator is judged against its
// sound bound alone, so "utilisation" is the error over the sound bound. The report says
// so in every operator's reason; a profile-based VerifyReport replaces it when loaded.
#include "core/verify/verify.hpp"

namespace tao::layout {

inline constexpr const char* kBoundsOnlyReason = "no profile: judged against the sound bound only";

verify::VerifyReport reportFromBounds(const std::vector<verify::BoundSummary>& bounds);

} // namespace tao::layout
