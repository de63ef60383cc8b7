#pragma once
// How a verdict is shown: a fill colour from the operator's empirical utilisation
// (error / empirical threshold) on a green -> amber -> red scale, and a marker for the
// cases a colour alone would hide (beyond the sound bound, no bound, not checked).
// Shared by the GUI and `tao graph`, so both show the same colours.
#include "core/verify/verdict.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tao::layout {

struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
    std::string hex() const; // "#rrggbb"
    bool operator==(const Rgb&) const = default;
};

enum class NodeMarker {
    None,
    BeyondSoundBound, // FAIL: provably wrong
    BeyondThreshold,  // SUSPECT: within the sound bound, beyond the empirical threshold
    NoBound,          // no sound bound for this kind
    NotChecked,
};

struct NodeStyle {
    Rgb fill;
    NodeMarker marker = NodeMarker::NotChecked;
    bool hasData = false;
};

// 0 -> green, 1 (at the empirical threshold) -> green-yellow; just past 1 the scale jumps
// to amber and runs to red at kRedUtilisation, so PASS and SUSPECT never share a shade.
inline constexpr double kRedUtilisation = 4.0;
Rgb utilisationColour(double utilisation);
// The neutral fill of operators with no verdict.
Rgb uncheckedColour();
NodeStyle styleOf(const verify::OpVerdict* verdict);

// The verdict that should colour a group: worst severity, then highest utilisation.
// Either may be null.
const verify::OpVerdict* worseOf(const verify::OpVerdict* a, const verify::OpVerdict* b);

// Gradient stops for a legend: (utilisation, colour).
std::vector<std::pair<double, Rgb>> legendStops();

} // namespace tao::layout
