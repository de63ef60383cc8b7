#pragma once
// manifest.json of a trace bundle: what was run (model id, inputs, runtime),
// and per operator what it produced (shapes, dtypes, hashes) and the Merkle
// root over the operator leaves.
#include "core/commit/game_tree.hpp"
#include "core/commit/graph_commitment.hpp"
#include "core/commit/merkle_tree.hpp"
#include "core/trace/host_tensor.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tao::trace {

// Version 2 added per-tensor layouts, typed "none" outputs and model id v2; version 3 appends
// the output leaf to the committed leaves. Versions 1 and 2 still open (version 1 replays without
// the bit-exactness promise); only version 3 traces can back a result on chain.
inline constexpr int kTraceFormatVersion = 3;
inline constexpr int kOutputLeafVersion = 3;
inline constexpr int kOldestTraceFormatVersion = 1;

struct TensorRecord {
    commit::DType dtype = commit::DType::Float32;
    std::vector<std::int64_t> shape;
    commit::Hash32 hash;
    // Absent in version 1 traces and for "none" outputs.
    std::optional<TensorLayout> layout;
};

struct NamedTensorRecord {
    std::string name;
    TensorRecord tensor;
};

// Library switches that change FP32 arithmetic itself (not only the order of sums), as
// the provider's runtime had them. They are the provider's claim: they are not part of
// the trace commitment, and the verifier admits them only as far as the threshold
// profile does (core/verify/arithmetic_check.hpp).
struct ArithmeticFlags {
    bool tf32Matmul = false;                // cuBLAS may round matmul inputs to TF32
    bool tf32Conv = false;                  // cuDNN may round convolution inputs to TF32
    bool reducedPrecisionReduction = false; // cuBLAS FP16 reductions in reduced precision
    bool flushDenormal = false;  // flush-to-zero and denormals-are-zero (x86 MXCSR FTZ|DAZ)
    bool deterministic = false;  // torch.use_deterministic_algorithms
    bool cudnnBenchmark = false; // cuDNN picks convolution algorithms by timing them
    std::string convAlgorithm;   // the convolution algorithm where the runtime knows it
    // False for traces written before the flags were recorded; the values above are then
    // the PyTorch defaults for the trace's device (defaultArithmetic).
    bool recorded = false;

    bool operator==(const ArithmeticFlags&) const = default;
};

// PyTorch's defaults: CPU arithmetic is plain IEEE FP32 with gradual underflow; on CUDA,
// cuDNN convolutions may use TF32 and cuBLAS matmuls may not (LibTorch >= 1.12).
ArithmeticFlags defaultArithmetic(const std::string& device);
// The flags that change arithmetic on the trace's device: TF32 only on CUDA.
ArithmeticFlags effectiveArithmetic(const std::string& device, const ArithmeticFlags& flags);

// How the capture was run; recorded so calibration and replays can say what differed.
struct RuntimeInfo {
    std::string libtorch;
    std::string device = "cpu";
    std::string blas;
    std::string host;
    int threads = 1;
    bool onednn = true;
    ArithmeticFlags arithmetic;
};

// One line for people: "IEEE FP32" or the switches in effect ("TF32 convolutions,
// flushed denormals"), with "(not recorded; device defaults)" for older traces.
std::string arithmeticSummary(const RuntimeInfo& runtime);
// One line for people: "LibTorch 1.13.0, cpu, 1 thread(s), oneDNN on, <host CPU>".
std::string runtimeSummary(const RuntimeInfo& runtime);

struct OpRecord {
    std::uint32_t index = 0;
    std::string kind;  // schema name, e.g. "aten::linear"
    std::string scope; // module path, e.g. "layer1.0.conv1" (empty at top level)
    // Where each tensor input comes from: "op:<index>.<output>", "input:<name>",
    // "param:<qualified name>" or "const".
    std::vector<std::string> inputs;
    std::vector<TensorRecord> outputs; // flattened over the node's outputs
    // Per node output: -1 for a tensor, n >= 0 for a list of n tensors.
    std::vector<int> outputLists;
    commit::Hash32 outputHash; // commit::outputsHash over outputs[].hash

    commit::LeafData leafData() const;
    // True when outputHash is the hash over outputs[].hash, as the leaf commits to it.
    bool outputsMatchHash() const;
};

struct Manifest {
    int version = kTraceFormatVersion;
    bool light = false; // hashes only, no op tensors in the bundle
    commit::Hash32 modelId;
    std::string modelName;
    commit::Hash32 inputHash;
    std::vector<NamedTensorRecord> inputs;
    RuntimeInfo runtime;
    std::vector<OpRecord> ops;
    std::vector<std::string> outputs; // graph outputs as value references
    commit::Hash32 outputHash;        // hash over the graph's output tensors
    commit::Hash32 root;              // Merkle root over ops[].leafData()

    // False when some defined op output has no recorded layout (a version 1 trace):
    // replay then runs on row-major tensors and cannot promise bit-exactness.
    bool hasLayouts() const;

    // The committed leaves: one per op and, from version 3, the output leaf after them (kind
    // commit::kOutputLeafKind, output hash outputHash, reading the ops forward returns). The
    // output leaf binds the posted result to the trace: a job's outputHash must be its hash.
    bool hasOutputLeaf() const { return version >= kOutputLeafVersion; }
    std::uint32_t leafCount() const;
    // Throws std::out_of_range for leaf >= leafCount().
    commit::LeafData leafData(std::uint32_t leaf) const;
    // The leaves whose outputs leaf `leaf` reads, ascending (the graph's wiring as this trace
    // records it). Throws std::out_of_range for leaf >= leafCount().
    std::vector<std::uint32_t> leafInputs(std::uint32_t leaf) const;
    // The graph commitment of this trace's wiring; equal to the model's registered graph for
    // an honest trace (commit/graph_commitment.hpp).
    commit::MerkleTree graphTree() const;

    // The Merkle tree over the leaves. Throws std::invalid_argument when there are no ops.
    commit::MerkleTree merkleTree() const;
    // The bisection-shaped tree over the same leaves for a coordinator of arity k, and the
    // trace commitment keccak256(0x03 || root || gameTree(k).root()); a job posts it bound to
    // chain, coordinator, job and provider (commit/job_domain.hpp).
    commit::GameTree gameTree(unsigned k) const;
    commit::Hash32 commitment(unsigned k) const;
    std::string toJson() const;
    // Throws std::runtime_error with the field and reason for malformed JSON,
    // missing fields, bad hex, unknown dtypes, ops out of order or an unsupported version.
    static Manifest fromJson(std::string_view text);
    // The same document read without its operators (ops left empty, none required): for
    // documents that quote a trace's header and only some of its operators (evidence).
    static Manifest headerFromJson(std::string_view text);
};

// One operator record as the manifest writes it (a JSON object), and back. Reading throws
// std::runtime_error naming `where` for malformed records or an index other than `index`.
std::string opRecordToJson(const OpRecord& op);
OpRecord opRecordFromJson(std::string_view text, std::uint32_t index, const std::string& where);

// The operators whose outputs appear among `inputRefs` ("op:<index>.<output>"), ascending, once
// each.
std::vector<std::uint32_t> inputOpsOf(const std::vector<std::string>& inputRefs);

// Graph entries (commit/graph_commitment.hpp) of `opCount` operators, op i of kind kindOf(i)
// reading the refs inputsOf(i), followed by the output leaf reading `outputRefs`.
std::vector<commit::GraphEntry>
graphEntries(std::size_t opCount, const std::function<const std::string&(std::size_t)>& kindOf,
             const std::function<const std::vector<std::string>&(std::size_t)>& inputsOf,
             const std::vector<std::string>& outputRefs);

// The tensor hashes the references `refs` ("op:<i>.<j>", a list output expanding to all its
// tensors; "input:<name>") stand for in `m`, in order. Throws std::invalid_argument naming a
// reference the trace has no tensor for (a weight, a constant, an op out of range).
std::vector<commit::Hash32> referencedHashes(const Manifest& m,
                                             const std::vector<std::string>& refs);

// Hash of a named set of tensors (model inputs): SHA-256 over sorted names and tensor hashes.
commit::Hash32 namedTensorsHash(const std::vector<NamedTensorRecord>& tensors);

} // namespace tao::trace
