#include "core/runtime/capture.hpp"

#include "core/commit/tensor_hash.hpp"
#include "core/graph/interpreter.hpp"
#include "core/graph/tensor_convert.hpp"
#include "core/runtime/model_io.hpp"
#include "core/runtime/output_hasher.hpp"
#include "core/trace/trace_bundle.hpp"

namespace tao::runtime {

using trace::TensorRecord;

namespace {
TensorRecord recordOf(const at::Tensor& t) {
    return {graph::dtypeOf(t.scalar_type()), t.sizes().vec(), graph::tensorHash(t)};
}
} // namespace

trace::Manifest capture(const std::shared_ptr<graph::Model>& model, const CaptureOptions& options) {
    applySettings(options.settings);
    std::vector<c10::IValue> inputs;
    if (!options.inputFile.empty())
        inputs = loadInputs(*model, options.inputFile);
    else if (options.seed)
        inputs = model->randomInputs(*options.seed);
    else
        throw std::invalid_argument("capture needs an input file or a random seed");

    trace::Manifest m;
    m.light = options.light;
    m.modelId = model->id();
    m.modelName = model->name();
    m.runtime = describeRuntime(options.settings);
    std::vector<at::Tensor> inputTensors;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].isTensor())
            throw std::invalid_argument("model input '" + model->inputNames()[i] +
                                        "' is not a tensor");
        inputTensors.push_back(graph::hostContiguous(inputs[i].toTensor()));
        m.inputs.push_back({model->inputNames()[i], recordOf(inputTensors.back())});
    }
    m.inputHash = trace::namedTensorsHash(m.inputs);

    const auto& ops = model->ops();
    m.ops.resize(ops.size());
    // Full traces keep a contiguous copy of every output until written; light ones only hash.
    OutputHasher hasher(ops.size(), !options.light);
    const bool copyOutputs = model->mutatesInPlace();
    graph::ExecutionHooks hooks;
    hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
        if (options.alterOutputs) options.alterOutputs(op, outs);
        auto& rec = m.ops[op];
        rec.index = op;
        rec.kind = ops[op].kind;
        rec.scope = ops[op].scope;
        rec.inputs = ops[op].inputs;
        std::vector<at::Tensor> flat;
        for (const auto& v : outs) {
            auto tensors = graph::flattenTensors(v);
            rec.outputLists.push_back(v.isTensor() ? -1 : static_cast<int>(tensors.size()));
            for (auto& t : tensors) {
                rec.outputs.push_back({graph::dtypeOf(t.scalar_type()), t.sizes().vec(), {}});
                flat.push_back(copyOutputs ? t.clone() : t);
            }
        }
        hasher.push(op, std::move(flat));
    };
    std::size_t done = 0;
    if (options.progress) hooks.cancelled = [&] { return !options.progress(done++, ops.size()); };
    torch::NoGradGuard noGrad;
    auto outs = graph::Interpreter(model).run(inputs, hooks);
    hasher.finish();
    for (auto& rec : m.ops) {
        const auto& hashes = hasher.hashes(rec.index);
        for (std::size_t j = 0; j < rec.outputs.size(); ++j)
            rec.outputs[j].hash = hashes.at(j);
        rec.outputHash = commit::outputsHash(hashes);
    }

    std::vector<commit::Hash32> outHashes;
    for (const auto& v : outs)
        for (const auto& t : graph::flattenTensors(v))
            outHashes.push_back(graph::tensorHash(t));
    m.outputHash = commit::outputsHash(outHashes);
    m.outputs = model->outputRefs();
    m.root = m.merkleTree().root();
    if (options.beforeWrite) options.beforeWrite();
    if (!options.out.empty()) {
        std::vector<trace::TensorView> inViews, opViews;
        for (std::size_t i = 0; i < inputTensors.size(); ++i)
            inViews.push_back(graph::viewOf(inputTensors[i], model->inputNames()[i]));
        if (!options.light)
            for (std::uint32_t op = 0; op < ops.size(); ++op)
                for (std::size_t j = 0; j < hasher.kept(op).size(); ++j)
                    opViews.push_back(
                        graph::viewOf(hasher.kept(op)[j], trace::opTensorName(op, j)));
        trace::writeTraceBundle(options.out, m, inViews, opViews);
    }
    return m;
}

} // namespace tao::runtime
