#pragma once
// Evidence for one operator's verdict, self-contained and checkable offline by anyone who
// holds the model:
//   - the committed tensors the verdict rests on: the operator's outputs, the outputs of
//     every operator it reads, and the model inputs;
//   - the records of those operators, each with its Merkle inclusion proof against the
//     trace root, and the trace header (model id, input and output hashes, runtime);
//   - the FP64 reference and the sound bound per output, the empirical threshold, and the
//     whole threshold profile the verdict used;
//   - the verdict with its reason, and the machines: the provider's runtime as the trace
//     records it and the verifier's.
// One safetensors file (atomic write): tensors "input:<name>", "op:<i>.<j>",
// "reference:<j>", "bound:<j>", and the JSON document under metadata key "tao.evidence".
//
// checkEvidence re-derives everything except the model (the auditor's, matched by id):
// every proof and tensor hash against the root, the input hash, the profile's model; then
// the verdict by the one rule (OpChecker::check, as `tao verify` and the committee judge),
// and whether it agrees with the recorded one.
#include "core/commit/hash.hpp"
#include "core/dispute/op_checker.hpp"

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tao::graph {
class Model;
}

namespace tao::dispute {

inline constexpr const char* kEvidenceMetadataKey = "tao.evidence";
inline constexpr int kEvidenceFormatVersion = 1;

// Evidence that does not hold: unreadable, for another model, a proof or hash that fails,
// a profile for another model. The message names what and why.
struct EvidenceError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What an evidence file says.
struct EvidenceSummary {
    std::uint32_t op = 0;
    std::string kind, scope;
    verify::Verdict verdict = verify::Verdict::NotChecked;
    std::string reason;
    double soundUtilisation = 0; // max |y - r| / bound
    double threshold = 0;        // the profile's empirical threshold for the op (0: none)
    commit::Hash32 modelId, root, inputHash, profileHash;
    std::uint32_t leafCount = 0;
    std::string providerRuntime; // device, host, threads, arithmetic as the trace records them
    std::string verifierRuntime; // the machine that wrote the evidence
    std::vector<std::uint32_t> quotedOps; // the op and the ops it reads, ascending
};

struct EvidenceCheck {
    EvidenceSummary recorded;
    OpCheck recomputed;
    bool agrees = false; // recomputed verdict == recorded verdict
};

// Writes evidence of operator `op` (not the output leaf) of `source`, judged with `profile`.
// Returns what it recorded. Throws std::invalid_argument for an op out of range or the
// output leaf, verify::VerifyError for a profile of another model, what the source throws.
EvidenceSummary writeEvidence(const std::filesystem::path& path,
                              const std::shared_ptr<graph::Model>& model,
                              const std::shared_ptr<const numerics::Profile>& profile,
                              std::uint32_t op, TraceSource& source);

// Checks the evidence against `model` and judges the op again. Throws EvidenceError when
// the evidence does not hold (see above).
EvidenceCheck checkEvidence(const std::filesystem::path& path,
                            const std::shared_ptr<graph::Model>& model);

} // namespace tao::dispute
