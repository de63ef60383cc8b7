#include "core/layout/utilisation_colour.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tao::layout {
namespace {

constexpr Rgb kGreen{46, 164, 79};
// Where PASS ends: still green-yellow, so that no PASS shade is mistaken for amber.
constexpr Rgb kPassEdge{150, 190, 60};
constexpr Rgb kAmber{240, 170, 30};
constexpr Rgb kRed{214, 48, 49};

Rgb mix(Rgb a, Rgb b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    auto lerp = [t](std::uint8_t x, std::uint8_t y) {
        return static_cast<std::uint8_t>(std::lround(x + (y - x) * t));
    };
    return {lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b)};
}

} // namespace

std::string Rgb::hex() const {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", r, g, b);
    return buffer;
}

Rgb utilisationColour(double u) {
    if (!(u >= 0)) return kRed; // NaN: an error that could not be measured is not good news
    if (u <= 1) return mix(kGreen, kPassEdge, u);
    // Past the threshold the scale is logarithmic: 1x amber, kRedUtilisation x red.
    return mix(kAmber, kRed, std::log(u) / std::log(kRedUtilisation));
}

Rgb uncheckedColour() {
    return {150, 156, 166};
}

NodeStyle styleOf(const verify::OpVerdict* v) {
    NodeStyle s;
    if (!v || v->verdict == verify::Verdict::NotChecked) {
        s.fill = uncheckedColour();
        s.marker = NodeMarker::NotChecked;
        return s;
    }
    s.hasData = true;
    switch (v->verdict) {
    case verify::Verdict::Fail:
        s.fill = kRed;
        s.marker = NodeMarker::BeyondSoundBound;
        break;
    case verify::Verdict::NoBound:
        s.fill = mix(uncheckedColour(), kAmber, 0.35);
        s.marker = NodeMarker::NoBound;
        break;
    case verify::Verdict::Suspect:
        // Amber or redder whatever the measured utilisation (a SUSPECT without a threshold
        // has none), with a marker, so it never reads as PASS.
        s.fill = v->empiricalUtilisation > 1 ? utilisationColour(v->empiricalUtilisation) : kAmber;
        s.marker = NodeMarker::BeyondThreshold;
        break;
    default:
        s.fill = utilisationColour(std::min(v->empiricalUtilisation, 1.0));
        s.marker = NodeMarker::None;
        break;
    }
    return s;
}

const verify::OpVerdict* worseOf(const verify::OpVerdict* a, const verify::OpVerdict* b) {
    if (!a) return b;
    if (!b) return a;
    const int sa = verify::severity(a->verdict);
    const int sb = verify::severity(b->verdict);
    if (sa != sb) return sa > sb ? a : b;
    return b->empiricalUtilisation > a->empiricalUtilisation ? b : a;
}

std::vector<std::pair<double, Rgb>> legendStops() {
    std::vector<std::pair<double, Rgb>> stops;
    for (double u : {0.0, 0.25, 0.5, 0.75, 1.0, 1.0001, 1.5, 2.0, 3.0, kRedUtilisation})
        stops.emplace_back(u, utilisationColour(u));
    return stops;
}

} // namespace tao::layout
