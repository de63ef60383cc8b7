#include "views/engine_jobs.hpp"

#include "core/graph/tensor_convert.hpp"
#include "core/layout/bounds_overlay.hpp"
#include "core/numerics/calibrate.hpp"
#include "core/numerics/error_metric.hpp"
#include "core/runtime/capture.hpp"
#include "core/runtime/model_io.hpp"
#include "core/verify/verify.hpp"

#include <random>
#include <torch/version.h>

namespace tao::views {
namespace {

// The tensor view holds at most this many elements per tensor (three tensors per op).
constexpr std::int64_t kMaxGridElements = 4'000'000;

TensorGrid gridOf(const at::Tensor& t) {
    TensorGrid grid;
    if (!t.defined()) return grid;
    grid.shape.assign(t.sizes().begin(), t.sizes().end());
    auto flat = t.detach().to(at::kCPU).to(at::kFloat).contiguous().reshape({-1});
    const std::int64_t n = std::min<std::int64_t>(flat.numel(), kMaxGridElements);
    grid.truncated = n < flat.numel();
    const float* data = flat.data_ptr<float>();
    grid.values.assign(data, data + n);
    return grid;
}

} // namespace

std::shared_ptr<graph::Model> loadModelFile(const std::filesystem::path& path) {
    return graph::Model::load(path);
}

std::shared_ptr<trace::TraceBundle> openTraceFile(const std::filesystem::path& path,
                                                  const std::shared_ptr<graph::Model>& model) {
    auto bundle = std::make_shared<trace::TraceBundle>(trace::TraceBundle::open(path));
    if (model) runtime::checkTraceMatchesModel(*model, *bundle);
    return bundle;
}

std::shared_ptr<numerics::Profile> openProfileFile(const std::filesystem::path& path,
                                                   const std::shared_ptr<graph::Model>& model) {
    auto profile = std::make_shared<numerics::Profile>(numerics::Profile::load(path));
    if (model) verify::checkProfileMatchesModel(*model, *profile, path.string());
    return profile;
}

verify::VerifyReport verifyAll(const std::shared_ptr<graph::Model>& model,
                               const trace::TraceBundle& bundle, const numerics::Profile* profile,
                               const ProgressFn& progress) {
    verify::VerifyOptions options;
    options.progress = progress;
    if (!profile) return layout::reportFromBounds(verify::boundsOfTrace(model, bundle, options));
    return verify::verifyTrace(model, bundle, *profile, options);
}

OpDetail inspectOp(const std::shared_ptr<graph::Model>& model, const trace::TraceBundle& bundle,
                   const numerics::Profile* profile, std::uint32_t op) {
    if (op >= model->ops().size()) throw std::out_of_range("no operator " + std::to_string(op));
    OpDetail detail;
    detail.op = op;
    graph::Interpreter interpreter(model);
    runtime::TraceTensors tensors(bundle);
    const auto inputs = runtime::traceInputs(*model, bundle);
    const auto opInputs = interpreter.opInputs(op, inputs, tensors.source());
    for (const auto& v : opInputs) {
        if (!v.isTensor()) continue;
        std::string shape;
        for (auto d : v.toTensor().sizes())
            shape += (shape.empty() ? "" : ", ") + std::to_string(d);
        detail.inputShapes.push_back("[" + shape + "]");
    }
    const auto params =
        profile ? numerics::boundParamsOf(profile->bounds) : numerics::BoundParams{};
    const auto bound = numerics::boundForOp(interpreter, op, opInputs, params);
    const auto claimed = numerics::flattenOutputs(tensors.outputs(op));
    numerics::LogHistogram elements;
    detail.status = numerics::statusName(bound.status);
    detail.note = bound.reason;
    if (bound.status != numerics::BoundStatus::NoBound) {
        const auto error = numerics::measureOpError(bound, claimed, &elements);
        detail.metric = error.metric;
        detail.maxAbs = error.maxAbs;
        detail.maxBound = error.maxBound;
        detail.unbounded = error.unbounded;
        detail.failure = error.failure;
        detail.elementErrors = LogBinnedHistogram::from(elements);
    }
    if (!claimed.empty()) detail.output = gridOf(claimed[0]);
    if (!bound.reference.empty() && bound.reference[0].defined()) {
        detail.reference = gridOf(bound.reference[0]);
        if (!claimed.empty() && claimed[0].sizes() == bound.reference[0].sizes())
            detail.difference = gridOf(claimed[0].to(at::kDouble) - bound.reference[0]);
    }
    return detail;
}

std::vector<runtime::OpComparison> replayRange(const std::shared_ptr<graph::Model>& model,
                                               const trace::TraceBundle& bundle, std::uint32_t from,
                                               std::uint32_t to, int threads,
                                               const std::string& device,
                                               const ProgressFn& progress) {
    runtime::ReplayOptions options;
    options.from = from;
    options.to = to;
    options.settings.threads = threads;
    options.settings.device = device;
    options.progress = progress;
    return runtime::replay(model, bundle, options);
}

std::string libtorchVersion() {
    return TORCH_VERSION;
}

std::string modelIdHex(const graph::Model& model) {
    return model.id().hex();
}

std::vector<graph::OpInfo> syntheticOps(std::size_t count, std::uint64_t seed) {
    // A deep residual network shape: stages of blocks of layers, each op reading its
    // predecessor and every few ops a skip connection from the start of its block.
    static const char* kinds[] = {"aten::linear", "aten::layer_norm", "aten::gelu", "aten::add",
                                  "aten::matmul", "aten::softmax",    "aten::mul",  "aten::view"};
    std::mt19937_64 random(seed);
    std::vector<graph::OpInfo> ops(count);
    const std::size_t perBlock = 25, blocksPerStage = 20;
    for (std::size_t i = 0; i < count; ++i) {
        auto& op = ops[i];
        op.index = static_cast<std::uint32_t>(i);
        op.kind = kinds[random() % std::size(kinds)];
        const std::size_t block = i / perBlock, stage = block / blocksPerStage;
        op.scope = "stage" + std::to_string(stage) + ".block" +
                   std::to_string(block % blocksPerStage) + ".layer" +
                   std::to_string((i % perBlock) / 5);
        op.outputLists = {-1};
        op.inputs.push_back(i == 0 ? "input:x" : "op:" + std::to_string(i - 1) + ".0");
        if (i % perBlock == perBlock - 1)
            op.inputs.push_back("op:" + std::to_string(i - perBlock + 1) + ".0");
        op.inputs.push_back("param:w" + std::to_string(i));
    }
    return ops;
}

} // namespace tao::views
