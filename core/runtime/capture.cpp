#include "core/runtime/capture.hpp"

#include "core/commit/tensor_hash.hpp"
#include "core/graph/interpreter.hpp"
#include "core/graph/tensor_convert.hpp"
#include "core/io/atomic_file.hpp"
#include "core/runtime/model_io.hpp"
#include "core/runtime/output_hasher.hpp"
#include "core/trace/safetensors_writer.hpp"
#include "core/trace/trace_bundle.hpp"

#include <optional>
#include <unordered_map>

namespace tao::runtime {

namespace {
// Remembers which committed value first used each storage, so a later view
// (transpose, slice, expand) can name what it is a view of. Weak references keep
// a freed storage's address from being reused for another one during the run.
class StorageOwners {
public:
    void add(const at::Tensor& t, const std::string& ref) {
        if (!t.defined() || !t.has_storage()) return;
        auto* impl = t.storage().unsafeGetStorageImpl();
        if (owners_.count(impl)) return;
        owners_.emplace(impl, Owner{t.storage().getWeakStorageImpl(), ref});
    }
    // The layout of `t`, naming the earliest other value sharing its storage.
    trace::TensorLayout layoutOf(const at::Tensor& t, const std::string& ref) {
        trace::TensorLayout l{t.strides().vec(), t.storage_offset(), {}};
        if (t.has_storage())
            if (auto it = owners_.find(t.storage().unsafeGetStorageImpl());
                it != owners_.end() && it->second.ref != ref)
                l.viewOf = it->second.ref;
        add(t, ref);
        return l;
    }

private:
    struct Owner {
        c10::weak_intrusive_ptr<c10::StorageImpl> keep;
        std::string ref;
    };
    std::unordered_map<const c10::StorageImpl*, Owner> owners_;
};

commit::DType dtypeOfOutput(const graph::Model& model, std::uint32_t op, const at::Tensor& t) {
    try {
        return graph::dtypeOf(t.scalar_type());
    } catch (const std::invalid_argument& e) {
        const auto& info = model.ops()[op];
        throw graph::ModelError(model.path().string() + ": op " + std::to_string(op) + " (" +
                                info.kind + " in '" + info.scope + "'): " + e.what());
    }
}

[[noreturn]] void nestedTensorError(const graph::Model& model, std::uint32_t op) {
    const auto& info = model.ops()[op];
    throw graph::ModelError(
        model.path().string() + ": op " + std::to_string(op) + " (" + info.kind + " in '" +
        info.scope +
        "') returns a nested tensor, which cannot be committed op by op (PyTorch took a fused "
        "Transformer fast path); re-export the model with "
        "torch.backends.mha.set_fastpath_enabled(False) (PyTorch 2.1 and later) or trace it "
        "with gradients enabled (not under torch.no_grad()) and enable_nested_tensor=False");
}

// Header room for the streamed tensors file: about 110 bytes per entry are needed, so this
// is ample for ops with up to two outputs; more is handled by SafetensorsWriter, slower.
std::uint64_t headerReserve(std::size_t opCount) {
    return 4096 + 256 * static_cast<std::uint64_t>(opCount);
}

// The hash of the model's outputs. They are operator outputs already hashed in the
// background, unless a later operator wrote into one or the model returns an input (which
// it may have written into): then what the model returned is hashed again (a GPT-2's
// logits took 4% of a forward's time to hash twice).
commit::Hash32 outputHashOf(const graph::Model& model, const trace::Manifest& m,
                            const std::vector<c10::IValue>& outs) {
    bool hashed = true;
    for (const auto& ref : m.outputs)
        hashed = hashed && ref.rfind("op:", 0) == 0;
    for (auto op : trace::inputOpsOf(m.outputs))
        hashed = hashed && !model.outputWrittenLater(op);
    if (hashed) return commit::outputsHash(trace::referencedHashes(m, m.outputs));
    std::vector<commit::Hash32> outHashes;
    for (const auto& v : outs)
        for (const auto& t : graph::flattenTensors(v))
            outHashes.push_back(graph::tensorHash(t));
    return commit::outputsHash(outHashes);
}

// Runs the model operator by operator, hashing every output on the cores LibTorch's threads
// leave (one at least) and, for a full trace, writing it to `tensors` there too. Fills everything
// but the root.
trace::Manifest run(const std::shared_ptr<graph::Model>& model, const CaptureOptions& options,
                    std::vector<c10::IValue> inputs, trace::SafetensorsWriter* tensors) {
    trace::Manifest m;
    m.light = options.light;
    m.modelId = model->id();
    m.modelName = model->name();
    m.runtime = describeRuntime(options.settings);
    const auto& ops = model->ops();
    // Refuse nested-tensor graphs before running them (the run itself would only
    // print LibTorch's prototype warning and fail later).
    for (const auto& op : ops)
        if (op.kind.rfind("aten::_nested_tensor_from", 0) == 0) nestedTensorError(*model, op.index);
    m.ops.resize(ops.size());
    OutputHasher hasher(ops.size(), tensors,
                        options.hashingThreads ? options.hashingThreads
                                               : hashingWorkers(options.settings.threads));
    // The inputs are hashed on the hasher's thread too (resnet18's took 0.34 ms of the
    // forward's thread): copies where the forward may write into them.
    StorageOwners owners;
    std::vector<at::Tensor> given;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto& t = inputs[i].toTensor();
        m.inputs.push_back(
            {model->inputNames()[i], {graph::dtypeOf(t.scalar_type()), t.sizes().vec(), {}, {}}});
        owners.add(t, "input:" + model->inputNames()[i]);
        given.push_back(model->mutatesInPlace() ? t.clone() : t);
    }
    hasher.pushInputs(std::move(given));
    for (const auto& w : model->weights())
        owners.add(w.tensor, "param:" + w.name);
    graph::ExecutionHooks hooks;
    hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
        if (options.alterOutputs) options.alterOutputs(op, outs);
        auto& rec = m.ops[op];
        rec.index = op;
        rec.kind = ops[op].kind;
        rec.scope = ops[op].scope;
        rec.inputs = ops[op].inputs;
        // Only an output a later operator writes into needs a copy before it is hashed
        // in the background; the rest are hashed where they are.
        const bool copy = model->outputWrittenLater(op);
        std::vector<at::Tensor> flat;
        for (const auto& v : outs) {
            auto tensors = graph::flattenTensors(v);
            rec.outputLists.push_back(v.isTensor() ? -1 : static_cast<int>(tensors.size()));
            for (auto& t : tensors) {
                if (!t.defined()) {
                    // A fused kernel's unused result: committed as a typed "none" entry.
                    rec.outputs.push_back({commit::DType::None, {}, {}, {}});
                    flat.push_back(t);
                    continue;
                }
                if (t.is_nested()) nestedTensorError(*model, op);
                auto ref = "op:" + std::to_string(op) + "." + std::to_string(rec.outputs.size());
                rec.outputs.push_back(
                    {dtypeOfOutput(*model, op, t), t.sizes().vec(), {}, owners.layoutOf(t, ref)});
                flat.push_back(copy ? t.clone() : t);
            }
        }
        hasher.push(op, std::move(flat));
    };
    std::size_t done = 0;
    if (options.progress) hooks.cancelled = [&] { return !options.progress(done++, ops.size()); };
    torch::NoGradGuard noGrad;
    auto outs = graph::Interpreter(model).run(inputs, hooks);
    hasher.finish();
    for (std::size_t i = 0; i < m.inputs.size(); ++i)
        m.inputs[i].tensor.hash = hasher.inputHashes().at(i);
    m.inputHash = trace::namedTensorsHash(m.inputs);
    for (auto& rec : m.ops) {
        const auto& hashes = hasher.hashes(rec.index);
        for (std::size_t j = 0; j < rec.outputs.size(); ++j)
            rec.outputs[j].hash = hashes.at(j);
        rec.outputHash = commit::outputsHash(hashes);
    }

    m.outputs = model->outputRefs();
    m.outputHash = outputHashOf(*model, m, outs);
    m.root = m.merkleTree().root();
    return m;
}
} // namespace

trace::Manifest capture(const std::shared_ptr<graph::Model>& model, const CaptureOptions& options) {
    applySettings(options.settings);
    std::vector<c10::IValue> inputs;
    if (options.inputs) {
        if (options.inputs->size() != model->inputNames().size())
            throw std::invalid_argument("capture got " + std::to_string(options.inputs->size()) +
                                        " inputs for a model with " +
                                        std::to_string(model->inputNames().size()));
        inputs = *options.inputs;
    } else if (!options.inputFile.empty())
        inputs = loadInputs(*model, options.inputFile);
    else if (options.seed)
        inputs = model->randomInputs(*options.seed);
    else
        throw std::invalid_argument("capture needs an input file or a random seed");
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (!inputs[i].isTensor())
            throw std::invalid_argument("model input '" + model->inputNames()[i] +
                                        "' is not a tensor");
    if (options.out.empty()) {
        auto m = run(model, options, inputs, nullptr);
        if (options.beforeWrite) options.beforeWrite();
        return m;
    }
    trace::Manifest m;
    io::writeDirectoryAtomically(options.out, [&](const std::filesystem::path& dir) {
        // Written before the run: a model that writes into its input cannot change them.
        std::vector<at::Tensor> host;
        std::vector<trace::TensorView> inViews;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            host.push_back(graph::hostContiguous(inputs[i].toTensor()));
            inViews.push_back(graph::viewOf(host.back(), model->inputNames()[i]));
        }
        trace::writeSafetensors(dir / trace::kInputsFile, inViews);
        std::optional<trace::SafetensorsWriter> tensors;
        if (!options.light)
            tensors.emplace(dir / trace::kTensorsFile, headerReserve(model->ops().size()));
        m = run(model, options, inputs, tensors ? &*tensors : nullptr);
        if (options.beforeWrite) options.beforeWrite();
        if (tensors) tensors->finish(trace::tensorsMetadata(m));
        io::writeFileAtomically(dir / trace::kManifestFile, m.toJson());
    });
    return m;
}

} // namespace tao::runtime
