#pragma once
// Which operator kinds of a model have a sound error bound, before anything is captured.
// Torch-free, for the CLI and views. A kind counts as bounded when
// numerics::hasBound(kind) holds: referenceAndBound() can bound it. Arguments decide for
// a few kinds at run time (e.g. floor_divide only on integers, pow of an integer tensor,
// norms other than 1, 2, inf), so a bounded kind may still give NO-BOUND on a trace.
#include <cstddef>
#include <string>
#include <vector>

namespace tao::graph {
class Model;
}

namespace tao::verify {

struct KindCoverage {
    std::string kind;      // schema name as in the model ("aten::hardswish_")
    std::size_t count = 0; // operators of this kind
    bool bounded = false;
};

// One entry per distinct kind, sorted by kind.
std::vector<KindCoverage> boundCoverage(const graph::Model& model);

} // namespace tao::verify
