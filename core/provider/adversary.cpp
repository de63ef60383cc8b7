// The one torch translation unit of core/provider.
#include "core/provider/adversary.hpp"

#include "core/graph/interpreter.hpp"
#include "core/graph/tensor_convert.hpp"
#include "core/numerics/op_bound.hpp"
#include "core/runtime/capture.hpp"
#include "core/runtime/model_io.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace tao::provider {

namespace {
const std::vector<std::pair<AdversaryMode, std::string>>& modeTable() {
    static const std::vector<std::pair<AdversaryMode, std::string>> t = {
        {AdversaryMode::Honest, "honest"},
        {AdversaryMode::WeightSwap, "weight-swap"},
        {AdversaryMode::Int8Weights, "int8"},
        {AdversaryMode::Fp16Op, "fp16-op"},
        {AdversaryMode::TanhGelu, "tanh-gelu"},
        {AdversaryMode::SkipOp, "skip-op"},
        {AdversaryMode::PerturbOp, "perturb-op"},
        {AdversaryMode::BoundAware, "bound-aware"},
        {AdversaryMode::ScaleWeight, "scale-weight"},
        {AdversaryMode::Int4Weights, "int4"},
        {AdversaryMode::Bf16Op, "bf16-op"},
        {AdversaryMode::Fp16All, "fp16-all"},
        {AdversaryMode::Bf16All, "bf16-all"},
        {AdversaryMode::FoldedNorm, "folded-norm"},
        {AdversaryMode::ModelSwap, "model-swap"},
        {AdversaryMode::DropMask, "drop-mask"}};
    return t;
}

bool isMatmulLike(const std::string& kind) {
    static const std::set<std::string> k = {"aten::linear",       "aten::matmul", "aten::addmm",
                                            "aten::mm",           "aten::bmm",    "aten::conv2d",
                                            "aten::_convolution", "aten::conv1d"};
    return k.count(kind) > 0;
}

// Every op that reads one of `params`, in order.
std::vector<std::uint32_t> opsReading(const graph::Model& m, const std::set<std::string>& params) {
    std::vector<std::uint32_t> readers;
    for (const auto& op : m.ops())
        for (const auto& ref : op.inputs)
            if (ref.rfind("param:", 0) == 0 && params.count(ref.substr(6))) {
                readers.push_back(op.index);
                break;
            }
    return readers;
}

// Weight tensors (rank >= 2, floating) in the order ops first read them.
std::vector<std::string> weightsInUseOrder(graph::Model& m) {
    std::set<std::string> weights;
    for (const auto& p : m.module().named_parameters(true))
        if (p.value.dim() >= 2 && p.value.is_floating_point()) weights.insert(p.name);
    std::vector<std::string> order;
    for (const auto& op : m.ops())
        for (const auto& ref : op.inputs)
            if (ref.rfind("param:", 0) == 0) {
                auto name = ref.substr(6);
                if (weights.count(name) &&
                    std::find(order.begin(), order.end(), name) == order.end())
                    order.push_back(name);
            }
    return order;
}

at::Tensor parameter(graph::Model& m, const std::string& name) {
    for (const auto& p : m.module().named_parameters(true))
        if (p.name == name) return p.value;
    throw std::invalid_argument("model has no parameter " + name);
}

} // namespace

std::string adversaryModeName(AdversaryMode m) {
    for (const auto& [mode, name] : modeTable())
        if (mode == m) return name;
    return "?";
}

bool changesOneOp(AdversaryMode m) {
    return m == AdversaryMode::Fp16Op || m == AdversaryMode::Bf16Op ||
           m == AdversaryMode::PerturbOp || m == AdversaryMode::SkipOp ||
           m == AdversaryMode::BoundAware;
}

std::vector<std::string> adversaryModeNames() {
    std::vector<std::string> out;
    for (const auto& e : modeTable())
        out.push_back(e.second);
    return out;
}

AdversaryMode parseAdversaryMode(const std::string& name) {
    for (const auto& [mode, n] : modeTable())
        if (n == name) return mode;
    std::string all;
    for (const auto& n : adversaryModeNames())
        all += (all.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown adversarial mode '" + name + "' (known: " + all + ")");
}

namespace {

// Symmetric quantisation to `levels` steps either side of zero, one scale per tensor or,
// with perChannel, per output channel (dimension 0), as int4 schemes do.
void quantise(at::Tensor w, double levels, bool perChannel) {
    std::vector<std::int64_t> dims;
    for (std::int64_t d = 1; d < w.dim(); ++d)
        dims.push_back(d);
    auto scale = (perChannel ? w.abs().amax(dims, true) : w.abs().max()) / levels;
    scale = scale.clamp_min(1e-30);
    w.copy_((w / scale).round().clamp(-levels, levels) * scale);
}

// Every parameter and buffer (batch-norm statistics) of `model` replaced by the one of the
// same name in `other`.
void swapWeights(graph::Model& model, const std::filesystem::path& other) {
    if (other.empty()) throw std::invalid_argument("model-swap needs the model to swap in");
    auto donor = graph::Model::load(other);
    auto tensorsOf = [](torch::jit::Module& m) {
        std::map<std::string, at::Tensor> all;
        for (const auto& p : m.named_parameters(true))
            all.emplace(p.name, p.value);
        for (const auto& b : m.named_buffers(true))
            all.emplace(b.name, b.value);
        return all;
    };
    const auto theirs = tensorsOf(donor->module());
    const auto ours = tensorsOf(model.module());
    if (ours.empty() || ours.size() != theirs.size())
        throw std::invalid_argument(other.string() + " is not of the same architecture");
    for (const auto& [name, t] : ours) {
        auto it = theirs.find(name);
        if (it == theirs.end() || !it->second.sizes().equals(t.sizes()))
            throw std::invalid_argument(other.string() + " is not of the same architecture: " +
                                        name + " is missing or shaped otherwise");
    }
    for (const auto& [name, t] : ours)
        t.detach().copy_(theirs.at(name));
}

std::optional<at::ScalarType> everyOpRoundedTo(AdversaryMode m) {
    if (m == AdversaryMode::Fp16All) return at::kHalf;
    if (m == AdversaryMode::Bf16All) return at::kBFloat16;
    return std::nullopt;
}

double scalarArg(const c10::IValue& v, double fallback) {
    return v.isDouble() ? v.toDouble() : fallback;
}

// The fused forms inference engines use. Batch norm (inference): y = x * s + t with
// s = w / sqrt(var + eps) and t = b - mean * s computed once. Layer norm: the variance
// as E[x^2] - E[x]^2 in one pass.
std::optional<at::Tensor> foldedNorm(const std::string& kind, const std::vector<c10::IValue>& in) {
    if (kind == "aten::batch_norm" && in.size() >= 8 && in[0].isTensor() && in[3].isTensor() &&
        in[4].isTensor() && !(in[5].isBool() && in[5].toBool())) {
        const auto x = in[0].toTensor();
        const auto mean = in[3].toTensor(), var = in[4].toTensor();
        auto scale = (var + scalarArg(in[7], 1e-5)).rsqrt();
        if (in[1].isTensor()) scale = scale * in[1].toTensor();
        auto shift = -mean * scale;
        if (in[2].isTensor()) shift = shift + in[2].toTensor();
        std::vector<std::int64_t> shape(x.dim(), 1);
        shape[1] = x.size(1);
        return x * scale.reshape(shape) + shift.reshape(shape);
    }
    if (kind == "aten::layer_norm" && in.size() >= 5 && in[0].isTensor() && in[1].isIntList()) {
        const auto x = in[0].toTensor();
        const auto n = static_cast<std::int64_t>(in[1].toIntList().size());
        std::vector<std::int64_t> dims;
        for (std::int64_t d = x.dim() - n; d < x.dim(); ++d)
            dims.push_back(d);
        const auto mean = x.mean(dims, true);
        const auto var = ((x * x).mean(dims, true) - mean * mean).clamp_min(0);
        auto y = (x - mean) * (var + scalarArg(in[4], 1e-5)).rsqrt();
        if (in[2].isTensor()) y = y * in[2].toTensor();
        if (in[3].isTensor()) y = y + in[3].toTensor();
        return y;
    }
    return std::nullopt;
}

} // namespace

struct Adversary::State {
    std::shared_ptr<graph::Model> model;
    AdversaryOptions adv;
    AdversaryReport weights; // what the constructor did to the weights
    std::vector<c10::IValue> inputs;
    // Outputs kept as produced (tampered where tampered), so the one-op modes can find an
    // op's inputs as later operators see them.
    std::vector<std::vector<c10::IValue>> produced;
    std::vector<std::uint32_t> tamperedOps;
    std::unique_ptr<graph::Interpreter> helper;

    std::vector<c10::IValue> opInputs(std::uint32_t op) {
        return helper->opInputs(op, inputs, [this](std::uint32_t i) { return produced.at(i); });
    }
    bool tamperOne(std::uint32_t op, std::vector<c10::IValue>& outs);
    void changeWeights();
};

void Adversary::State::changeWeights() {
    const auto& ops = model->ops();
    weights.mode = adv.mode;
    // The ops that read a changed weight deviate first-hand.
    auto markFirst = [&](const std::set<std::string>& changed) {
        weights.tamperedOps = opsReading(*model, changed);
        if (weights.tamperedOps.empty()) return -1;
        weights.firstAffected = weights.tamperedOps.front();
        return static_cast<int>(weights.tamperedOps.front());
    };
    switch (adv.mode) {
    case AdversaryMode::WeightSwap:
    case AdversaryMode::Int8Weights:
    case AdversaryMode::Int4Weights: {
        auto names = weightsInUseOrder(*model);
        if (names.empty()) throw std::invalid_argument("model has no weight matrices to alter");
        if (adv.mode == AdversaryMode::WeightSwap) {
            auto w = parameter(*model, names.front());
            auto gen = at::detail::createCPUGenerator(adv.seed);
            w.add_(at::randn(w.sizes(), gen, w.options()) * w.std() * 0.05);
            weights.description = "weight " + names.front() + " replaced by a perturbed copy";
            names.resize(1);
        } else {
            const bool int4 = adv.mode == AdversaryMode::Int4Weights;
            for (const auto& name : names)
                quantise(parameter(*model, name), int4 ? 7 : 127, int4);
            weights.description = std::to_string(names.size()) + " weight tensors quantised to " +
                                  (int4 ? "int4 (per output channel)" : "int8 (per tensor)");
        }
        markFirst({names.begin(), names.end()});
        break;
    }
    case AdversaryMode::ModelSwap: {
        swapWeights(*model, adv.swapWith);
        std::set<std::string> all;
        for (const auto& p : model->module().named_parameters(true))
            all.insert(p.name);
        markFirst(all);
        weights.description = "every weight taken from " + adv.swapWith.filename().string();
        break;
    }
    case AdversaryMode::ScaleWeight: {
        std::string name;
        if (adv.op) {
            if (*adv.op >= ops.size())
                throw std::invalid_argument("op " + std::to_string(*adv.op) +
                                            " is outside the model (" + std::to_string(ops.size()) +
                                            " ops)");
            std::set<std::string> names;
            for (const auto& p : model->module().named_parameters(true))
                if (p.value.dim() >= 2 && p.value.is_floating_point()) names.insert(p.name);
            for (const auto& ref : ops[*adv.op].inputs)
                if (ref.rfind("param:", 0) == 0 && names.count(ref.substr(6))) {
                    name = ref.substr(6);
                    break;
                }
            if (name.empty())
                throw std::invalid_argument("op " + std::to_string(*adv.op) + " (" +
                                            ops[*adv.op].kind + ") reads no weight matrix");
        } else {
            auto names = weightsInUseOrder(*model);
            if (names.empty()) throw std::invalid_argument("model has no weight matrices to alter");
            name = names.front();
        }
        parameter(*model, name).mul_(adv.factor);
        const int first = markFirst({name});
        std::ostringstream d;
        d.precision(9);
        d << "weight " << name << " scaled by " << adv.factor;
        if (first >= 0) d << " (first read by op " << first << ", " << ops[first].kind << ")";
        weights.description = d.str();
        break;
    }
    default:
        break;
    }
}

bool Adversary::State::tamperOne(std::uint32_t op, std::vector<c10::IValue>& outs) {
    auto& t = outs.at(0);
    if (!t.isTensor() || !t.toTensor().is_floating_point()) return false;
    const auto& ops = model->ops();
    auto y = t.toTensor();
    switch (adv.mode) {
    case AdversaryMode::Fp16Op:
        t = y.to(at::kHalf).to(y.scalar_type());
        break;
    case AdversaryMode::Bf16Op:
        t = y.to(at::kBFloat16).to(y.scalar_type());
        break;
    case AdversaryMode::PerturbOp:
        t = y * adv.factor;
        break;
    case AdversaryMode::SkipOp: {
        auto in = opInputs(op);
        if (in.empty() || !in[0].isTensor() || in[0].toTensor().sizes() != y.sizes() ||
            in[0].toTensor().scalar_type() != y.scalar_type())
            return false;
        t = in[0].toTensor().clone();
        break;
    }
    case AdversaryMode::BoundAware: {
        if (!isMatmulLike(ops[op].kind)) return false;
        auto b = numerics::referenceAndBound(ops[op].kind, opInputs(op));
        if (b.status != numerics::BoundStatus::Bounded || b.bound.empty()) return false;
        auto bound = b.bound[0].masked_fill(~b.bound[0].isfinite(), 0);
        double rel =
            0.5 * bound.max().item<double>() / std::max(y.abs().max().item<double>(), 1e-30);
        if (!adv.op && rel < 4e-5) return false; // too small to matter here: next candidate
        t = (y.to(at::kDouble) + 0.5 * bound * y.sign()).to(y.scalar_type());
        break;
    }
    default:
        return false;
    }
    return true;
}

Adversary::Adversary(std::shared_ptr<graph::Model> model, AdversaryOptions options)
    : s_(std::make_unique<State>()) {
    s_->model = std::move(model);
    s_->adv = std::move(options);
    if (s_->adv.op && *s_->adv.op >= s_->model->ops().size())
        throw std::invalid_argument("op " + std::to_string(*s_->adv.op) +
                                    " is outside the model (" +
                                    std::to_string(s_->model->ops().size()) + " ops)");
    torch::NoGradGuard noGrad;
    s_->changeWeights();
    s_->helper = std::make_unique<graph::Interpreter>(s_->model);
}

Adversary::~Adversary() = default;

void Adversary::begin(const std::vector<c10::IValue>& inputs) {
    s_->inputs = inputs;
    s_->produced.assign(s_->model->ops().size(), {});
    s_->tamperedOps.clear();
}

void Adversary::alter(std::uint32_t op, std::vector<c10::IValue>& outs) {
    auto& s = *s_;
    const auto& kind = s.model->ops()[op].kind;
    bool tampered = false;
    if (s.adv.mode == AdversaryMode::TanhGelu && kind == "aten::gelu") {
        outs[0] = at::gelu(s.opInputs(op).at(0).toTensor(), "tanh");
        tampered = true;
    } else if (s.adv.mode == AdversaryMode::DropMask &&
               (kind == "aten::masked_fill" || kind == "aten::masked_fill_")) {
        outs[0] = s.opInputs(op).at(0).toTensor().clone();
        tampered = true;
    } else if (s.adv.mode == AdversaryMode::FoldedNorm) {
        if (auto y = foldedNorm(kind, s.opInputs(op))) {
            outs[0] = *y;
            tampered = true;
        }
    } else if (auto type = everyOpRoundedTo(s.adv.mode)) {
        if (outs.size() == 1 && outs[0].isTensor() &&
            outs[0].toTensor().scalar_type() == at::kFloat) {
            const auto y = outs[0].toTensor();
            const auto rounded = y.to(*type).to(at::kFloat);
            tampered = !rounded.equal(y);
            outs[0] = rounded;
        }
    } else if (changesOneOp(s.adv.mode)) {
        const bool candidate = s.adv.op ? op == *s.adv.op : s.tamperedOps.empty();
        if (candidate) {
            tampered = s.tamperOne(op, outs);
            if (s.adv.op && !tampered)
                throw std::invalid_argument("mode " + adversaryModeName(s.adv.mode) +
                                            " does not apply to op " + std::to_string(op) + " (" +
                                            kind + ")");
        }
    }
    if (tampered) s.tamperedOps.push_back(op);
    // A later in-place operator (relu_) changes what the interpreter holds. The interpreter
    // and the copy kept here each get tensors of their own, so this copy stays the output
    // as committed (sharing one clone let skip-op read post-relu values: no attack at all).
    if (s.model->mutatesInPlace())
        for (auto& v : outs)
            if (v.isTensor()) v = v.toTensor().clone();
    s.produced[op] = outs;
    if (s.model->mutatesInPlace())
        for (auto& v : s.produced[op])
            if (v.isTensor()) v = v.toTensor().clone();
}

AdversaryReport Adversary::report() const {
    auto rep = s_->weights;
    rep.mode = s_->adv.mode;
    rep.tamperedOps.insert(rep.tamperedOps.end(), s_->tamperedOps.begin(), s_->tamperedOps.end());
    if (!rep.tamperedOps.empty()) {
        rep.firstAffected = rep.tamperedOps.front();
        if (rep.description.empty()) {
            const auto op = rep.tamperedOps.front();
            rep.description =
                adversaryModeName(rep.mode) +
                (rep.tamperedOps.size() > 1 ? " at " + std::to_string(rep.tamperedOps.size()) +
                                                  " ops, first op " + std::to_string(op)
                                            : " at op " + std::to_string(op)) +
                " (" + s_->model->ops()[op].kind + ")";
        }
    }
    return rep;
}

void Adversary::requireApplied() const {
    const auto mode = s_->adv.mode;
    if (mode == AdversaryMode::Honest || s_->weights.firstAffected || !s_->tamperedOps.empty())
        return;
    if (mode == AdversaryMode::TanhGelu)
        throw std::invalid_argument("model " + s_->model->name() + " has no aten::gelu to rewrite");
    if (mode == AdversaryMode::DropMask)
        throw std::invalid_argument("model " + s_->model->name() +
                                    " has no attention mask (aten::masked_fill) to drop");
    if (mode == AdversaryMode::FoldedNorm)
        throw std::invalid_argument("model " + s_->model->name() +
                                    " has no batch or layer norm to fold");
    throw std::invalid_argument("mode " + adversaryModeName(mode) + " found no op to apply to in " +
                                s_->model->name());
}

trace::Manifest adversarialCapture(const std::shared_ptr<graph::Model>& model,
                                   const runtime::CaptureOptions& options,
                                   const AdversaryOptions& adv, AdversaryReport* report) {
    torch::NoGradGuard noGrad;
    runtime::applySettings(options.settings);
    Adversary adversary(model, adv);
    std::vector<c10::IValue> inputs;
    if (!options.inputFile.empty())
        inputs = runtime::loadInputs(*model, options.inputFile);
    else if (options.seed)
        inputs = model->randomInputs(*options.seed);
    else
        throw std::invalid_argument("capture needs an input file or a random seed");
    adversary.begin(inputs);
    runtime::CaptureOptions capture = options;
    capture.alterOutputs = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
        adversary.alter(op, outs);
    };
    // Nothing is written for a mode that found nothing to tamper with.
    capture.beforeWrite = [&] { adversary.requireApplied(); };
    // The commitment is built exactly as for an honest provider.
    auto m = runtime::capture(model, capture);
    if (report) *report = adversary.report();
    return m;
}

} // namespace tao::provider
