#pragma once
// Adversarial providers for evaluation: a capture that commits to a run which differs from
// the honest one in a chosen way. The committed trace is internally consistent (hashes,
// root), so only re-execution against the model finds the deviation.
#include "core/runtime/capture.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tao::provider {

enum class AdversaryMode {
    Honest,
    WeightSwap,  // one weight tensor replaced by a perturbed copy (a "similar" model)
    Int8Weights, // every weight matrix quantised to int8 (per tensor, symmetric) and back
    Fp16Op,      // one op's output rounded to FP16
    TanhGelu,    // every exact GELU computed with the tanh approximation
    SkipOp,      // one op's output replaced by its (same-shaped) input
    PerturbOp,   // one op's output multiplied by `factor`
    BoundAware,  // one op's output moved by half its sound bound: inside the bound, beyond
                 // the empirical threshold
    ScaleWeight, // the weight matrix one op reads (op, or the first in use) times `factor`:
                 // a slightly different model run honestly, caught only at that layer
};

// "honest", "weight-swap", "int8", "fp16-op", "tanh-gelu", "skip-op", "perturb-op", "bound-aware",
// "scale-weight".
std::string adversaryModeName(AdversaryMode m);
// Throws std::invalid_argument listing the names.
AdversaryMode parseAdversaryMode(const std::string& name);
std::vector<std::string> adversaryModeNames();

struct AdversaryOptions {
    AdversaryMode mode = AdversaryMode::Honest;
    std::optional<std::uint32_t> op; // target op for the one-op modes (default: chosen, see .cpp)
    double factor = 1.01;            // PerturbOp, ScaleWeight
    std::uint64_t seed = 7;          // WeightSwap noise
};

struct AdversaryReport {
    AdversaryMode mode = AdversaryMode::Honest;
    std::vector<std::uint32_t> tamperedOps; // ops whose committed output deviates first-hand
    std::optional<std::uint32_t> firstAffected;
    std::string description;
};

// Captures like runtime::capture but with the deviation applied. Weight modes modify the
// loaded model in place (load a fresh one afterwards). Throws std::invalid_argument when
// the mode does not apply to the model (no GELU, no op with a same-shaped input...).
trace::Manifest adversarialCapture(const std::shared_ptr<graph::Model>& model,
                                   const runtime::CaptureOptions& capture,
                                   const AdversaryOptions& adversary, AdversaryReport* report);

} // namespace tao::provider
