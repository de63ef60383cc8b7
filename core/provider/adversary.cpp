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
        {AdversaryMode::Honest, "honest"},           {AdversaryMode::WeightSwap, "weight-swap"},
        {AdversaryMode::Int8Weights, "int8"},        {AdversaryMode::Fp16Op, "fp16-op"},
        {AdversaryMode::TanhGelu, "tanh-gelu"},      {AdversaryMode::SkipOp, "skip-op"},
        {AdversaryMode::PerturbOp, "perturb-op"},    {AdversaryMode::BoundAware, "bound-aware"},
        {AdversaryMode::ScaleWeight, "scale-weight"}};
    return t;
}

bool isMatmulLike(const std::string& kind) {
    static const std::set<std::string> k = {"aten::linear",       "aten::matmul", "aten::addmm",
                                            "aten::mm",           "aten::bmm",    "aten::conv2d",
                                            "aten::_convolution", "aten::conv1d"};
    return k.count(kind) > 0;
}

int firstOpReading(const graph::Model& m, const std::set<std::string>& params) {
    for (const auto& op : m.ops())
        for (const auto& ref : op.inputs)
            if (ref.rfind("param:", 0) == 0 && params.count(ref.substr(6))) return op.index;
    return -1;
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

trace::Manifest adversarialCapture(const std::shared_ptr<graph::Model>& model,
                                   const runtime::CaptureOptions& options,
                                   const AdversaryOptions& adv, AdversaryReport* report) {
    torch::NoGradGuard noGrad;
    runtime::applySettings(options.settings);
    AdversaryReport rep;
    rep.mode = adv.mode;
    const auto& ops = model->ops();
    auto requireOp = [&](std::uint32_t op) {
        if (op >= ops.size())
            throw std::invalid_argument("op " + std::to_string(op) + " is outside the model (" +
                                        std::to_string(ops.size()) + " ops)");
        return op;
    };

    // Weight modes change the module before the run.
    if (adv.mode == AdversaryMode::WeightSwap || adv.mode == AdversaryMode::Int8Weights) {
        auto weights = weightsInUseOrder(*model);
        if (weights.empty()) throw std::invalid_argument("model has no weight matrices to alter");
        std::set<std::string> changed;
        if (adv.mode == AdversaryMode::WeightSwap) {
            auto w = parameter(*model, weights.front());
            auto gen = at::detail::createCPUGenerator(adv.seed);
            w.add_(at::randn(w.sizes(), gen, w.options()) * w.std() * 0.05);
            changed.insert(weights.front());
            rep.description = "weight " + weights.front() + " replaced by a perturbed copy";
        } else {
            for (const auto& name : weights) {
                auto w = parameter(*model, name);
                auto scale = w.abs().max() / 127.0;
                w.copy_((w / scale).round().clamp(-127, 127) * scale);
                changed.insert(name);
            }
            rep.description = std::to_string(weights.size()) + " weight tensors quantised to int8";
        }
        int first = firstOpReading(*model, changed);
        if (first >= 0) rep.firstAffected = static_cast<std::uint32_t>(first);
    }

    if (adv.mode == AdversaryMode::ScaleWeight) {
        std::string name;
        if (adv.op) {
            std::set<std::string> weights;
            for (const auto& p : model->module().named_parameters(true))
                if (p.value.dim() >= 2 && p.value.is_floating_point()) weights.insert(p.name);
            for (const auto& ref : ops[requireOp(*adv.op)].inputs)
                if (ref.rfind("param:", 0) == 0 && weights.count(ref.substr(6))) {
                    name = ref.substr(6);
                    break;
                }
            if (name.empty())
                throw std::invalid_argument("op " + std::to_string(*adv.op) + " (" +
                                            ops[*adv.op].kind + ") reads no weight matrix");
        } else {
            auto weights = weightsInUseOrder(*model);
            if (weights.empty())
                throw std::invalid_argument("model has no weight matrices to alter");
            name = weights.front();
        }
        parameter(*model, name).mul_(adv.factor);
        const int first = firstOpReading(*model, {name});
        if (first >= 0) rep.firstAffected = static_cast<std::uint32_t>(first);
        std::ostringstream d;
        d.precision(9);
        d << "weight " << name << " scaled by " << adv.factor;
        if (first >= 0) d << " (first read by op " << first << ", " << ops[first].kind << ")";
        rep.description = d.str();
    }

    std::vector<c10::IValue> inputs;
    if (!options.inputFile.empty())
        inputs = runtime::loadInputs(*model, options.inputFile);
    else if (options.seed)
        inputs = model->randomInputs(*options.seed);
    else
        throw std::invalid_argument("capture needs an input file or a random seed");

    // Outputs kept as produced (tampered where tampered), so later ops consume them and the
    // one-op modes can find an op's inputs.
    std::vector<std::vector<c10::IValue>> produced(ops.size());
    graph::Interpreter helper(model);
    graph::OpOutputSource source = [&](std::uint32_t i) { return produced.at(i); };

    std::optional<std::uint32_t> target = adv.op ? std::optional(requireOp(*adv.op)) : std::nullopt;
    auto tamperOne = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
        auto& t = outs.at(0);
        if (!t.isTensor() || !t.toTensor().is_floating_point()) return false;
        auto y = t.toTensor();
        switch (adv.mode) {
        case AdversaryMode::Fp16Op:
            t = y.to(at::kHalf).to(y.scalar_type());
            break;
        case AdversaryMode::PerturbOp:
            t = y * adv.factor;
            break;
        case AdversaryMode::SkipOp: {
            auto in = helper.opInputs(op, inputs, source);
            if (in.empty() || !in[0].isTensor() || in[0].toTensor().sizes() != y.sizes() ||
                in[0].toTensor().scalar_type() != y.scalar_type())
                return false;
            t = in[0].toTensor().clone();
            break;
        }
        case AdversaryMode::BoundAware: {
            if (!isMatmulLike(ops[op].kind)) return false;
            auto in = helper.opInputs(op, inputs, source);
            auto b = numerics::referenceAndBound(ops[op].kind, in);
            if (b.status != numerics::BoundStatus::Bounded || b.bound.empty()) return false;
            auto bound = b.bound[0].masked_fill(~b.bound[0].isfinite(), 0);
            double rel =
                0.5 * bound.max().item<double>() / std::max(y.abs().max().item<double>(), 1e-30);
            if (!adv.op && rel < 4e-5) return false; // too small to matter here: next candidate
            auto moved = y.to(at::kDouble) + 0.5 * bound * y.sign();
            t = moved.to(y.scalar_type());
            break;
        }
        default:
            return false;
        }
        return true;
    };

    runtime::CaptureOptions capture = options;
    capture.alterOutputs = [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
        bool tampered = false;
        if (adv.mode == AdversaryMode::TanhGelu && ops[op].kind == "aten::gelu") {
            auto in = helper.opInputs(op, inputs, source);
            outs[0] = at::gelu(in.at(0).toTensor(), "tanh");
            tampered = true;
        } else if (adv.mode == AdversaryMode::Fp16Op || adv.mode == AdversaryMode::PerturbOp ||
                   adv.mode == AdversaryMode::SkipOp || adv.mode == AdversaryMode::BoundAware) {
            const bool candidate = target ? op == *target : rep.tamperedOps.empty();
            if (candidate) {
                tampered = tamperOne(op, outs);
                if (target && !tampered)
                    throw std::invalid_argument("mode " + adversaryModeName(adv.mode) +
                                                " does not apply to op " + std::to_string(op) +
                                                " (" + ops[op].kind + ")");
            }
        }
        if (tampered) rep.tamperedOps.push_back(op);
        for (auto& v : outs)
            if (v.isTensor() && model->mutatesInPlace()) v = v.toTensor().clone();
        produced[op] = outs;
    };
    // Nothing is written for a mode that found nothing to tamper with.
    capture.beforeWrite = [&] {
        if (adv.mode == AdversaryMode::TanhGelu && rep.tamperedOps.empty())
            throw std::invalid_argument("model " + model->name() + " has no aten::gelu to rewrite");
        if (!rep.tamperedOps.empty()) {
            rep.firstAffected = rep.tamperedOps.front();
            if (rep.description.empty())
                rep.description = adversaryModeName(adv.mode) + " at op " +
                                  std::to_string(rep.tamperedOps.front()) + " (" +
                                  ops[rep.tamperedOps.front()].kind + ")";
        } else if (adv.mode != AdversaryMode::Honest && !rep.firstAffected) {
            throw std::invalid_argument("mode " + adversaryModeName(adv.mode) +
                                        " found no op to apply to in " + model->name());
        }
    };
    // The commitment is built exactly as for an honest provider.
    auto m = runtime::capture(model, capture);
    if (report) *report = rep;
    return m;
}

} // namespace tao::provider
