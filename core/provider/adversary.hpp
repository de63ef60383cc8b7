#pragma once
// Adversarial providers for evaluation: a capture that commits to a run which differs from
// the honest one in a chosen way. The committed trace is internally consistent (hashes,
// root), so only re-execution against the model finds the deviation.
#include "core/runtime/capture.hpp"

#include <filesystem>
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
    Int4Weights, // every weight matrix quantised to int4 (per output channel, symmetric)
    Bf16Op,      // one op's output rounded to BF16
    Fp16All,     // every floating op output rounded to FP16: a half-precision run
    Bf16All,     // every floating op output rounded to BF16
    FoldedNorm,  // every batch or layer norm computed in a fused inference form: batch norm
                 // folded into one scale and shift, layer norm with a one-pass variance
    ModelSwap,   // every parameter taken from `swapWith`, a model of the same architecture
    DropMask,    // every aten::masked_fill returns its input unmasked: attention that sees
                 // the positions its mask hides (the future, or padding)
};

// "honest", "weight-swap", "int8", "fp16-op", "tanh-gelu", "skip-op", "perturb-op", "bound-aware",
// "scale-weight", "int4", "bf16-op", "fp16-all", "bf16-all", "folded-norm", "model-swap",
// "drop-mask".
std::string adversaryModeName(AdversaryMode m);
// Throws std::invalid_argument listing the names.
AdversaryMode parseAdversaryMode(const std::string& name);
std::vector<std::string> adversaryModeNames();
// True for the modes that change one operator's output (`op`, or the first that applies).
bool changesOneOp(AdversaryMode m);

struct AdversaryOptions {
    AdversaryMode mode = AdversaryMode::Honest;
    std::optional<std::uint32_t> op; // target op for the one-op modes (default: chosen, see .cpp)
    double factor = 1.01;            // PerturbOp, ScaleWeight
    std::uint64_t seed = 7;          // WeightSwap noise
    std::filesystem::path swapWith;  // ModelSwap: the model whose weights are run
};

struct AdversaryReport {
    AdversaryMode mode = AdversaryMode::Honest;
    // Ops whose committed output deviates first-hand: those the mode altered, or those that
    // read an altered weight.
    std::vector<std::uint32_t> tamperedOps;
    std::optional<std::uint32_t> firstAffected;
    std::string description;
};

// The deviation itself, for runs other than a capture (a test set's accuracy). The
// constructor applies the weight modes to `model` in place (load a fresh one afterwards);
// then, per run, begin(inputs) and alter() as the interpreter's afterOp hook. Throws
// std::invalid_argument when a weight mode does not apply (no weight matrix, an op that
// reads none, a swap model of another architecture).
class Adversary {
public:
    Adversary(std::shared_ptr<graph::Model> model, AdversaryOptions options);
    ~Adversary();
    Adversary(const Adversary&) = delete;
    Adversary& operator=(const Adversary&) = delete;

    // Starts a run on `inputs` (in model.inputNames() order).
    void begin(const std::vector<c10::IValue>& inputs);
    // Sees and may replace operator op's outputs; later operators consume what it leaves.
    // Throws std::invalid_argument when the mode cannot apply to the requested op.
    void alter(std::uint32_t op, std::vector<c10::IValue>& outputs);
    // Throws std::invalid_argument when the last run found nothing to apply the mode to.
    void requireApplied() const;
    // What was done (tamperedOps of the last run).
    AdversaryReport report() const;

private:
    struct State;
    std::unique_ptr<State> s_;
};

// Captures like runtime::capture but with the deviation applied. Weight modes modify the
// loaded model in place (load a fresh one afterwards). Throws std::invalid_argument when
// the mode does not apply to the model (no GELU, no op with a same-shaped input...).
trace::Manifest adversarialCapture(const std::shared_ptr<graph::Model>& model,
                                   const runtime::CaptureOptions& capture,
                                   const AdversaryOptions& adversary, AdversaryReport* report);

} // namespace tao::provider
