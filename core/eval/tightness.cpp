#include "core/eval/tightness.hpp"

#include "core/eval/honest_study.hpp"
#include "core/eval/quantile.hpp"
#include "core/graph/interpreter.hpp"
#include "core/numerics/calibrate.hpp"

#include <algorithm>
#include <map>

namespace tao::eval {

using nlohmann::json;

namespace {

json summary(std::vector<double> v) {
    return {{"ops", v.size()},
            {"median", quantile(v, 0.5)},
            {"min", quantile(v, 0.0)},
            {"max", quantile(v, 1.0)}};
}

// bound / threshold for every op the profile bounds and thresholds.
std::map<std::uint32_t, double> tightnessPerOp(const numerics::Profile& profile) {
    std::map<std::uint32_t, double> out;
    for (const auto& op : profile.ops) {
        const auto t = profile.threshold(op.index);
        if (op.status == "bounded" && t && *t > 0) out[op.index] = 1.0 / *t;
    }
    return out;
}

at::Tensor tensorAt(const std::vector<c10::IValue>& in, std::size_t i) {
    return i < in.size() && in[i].isTensor() ? in[i].toTensor() : at::Tensor();
}

} // namespace

std::int64_t reductionLength(const std::string& kind, const std::vector<c10::IValue>& in) {
    const auto a = tensorAt(in, 0);
    if (!a.defined()) return 1;
    if (kind == "aten::linear" || kind == "aten::matmul" || kind == "aten::mm" ||
        kind == "aten::bmm")
        return a.size(-1);
    if (kind == "aten::addmm" || kind == "aten::baddbmm") {
        const auto m = tensorAt(in, 1);
        return m.defined() ? m.size(-1) : 1;
    }
    if (kind == "aten::_convolution" || kind == "aten::conv1d" || kind == "aten::conv2d") {
        const auto w = tensorAt(in, 1);
        return w.defined() && w.size(0) > 0 ? w.numel() / w.size(0) : 1;
    }
    if ((kind == "aten::softmax" || kind == "aten::log_softmax") && in.size() > 1 && in[1].isInt())
        return a.size(in[1].toInt());
    if (kind == "aten::layer_norm" && in.size() > 1 && in[1].isIntList()) {
        std::int64_t n = 1;
        for (const auto d : in[1].toIntList())
            n *= d;
        return n;
    }
    if (kind == "aten::adaptive_avg_pool2d" && in.size() > 1 && in[1].isIntList() && a.dim() >= 2) {
        const auto out = in[1].toIntList();
        std::int64_t n = 1;
        for (std::size_t i = 0; i < out.size() && i < 2; ++i)
            n *= std::max<std::int64_t>(1, a.size(a.dim() - 2 + i) /
                                               std::max<std::int64_t>(1, out[i]));
        return n;
    }
    return 1;
}

json tightnessByKind(const std::string& model, const numerics::Profile& profile) {
    std::map<std::string, std::vector<double>> perKind;
    for (const auto& [op, ratio] : tightnessPerOp(profile))
        perKind[profile.ops[op].kind].push_back(ratio);
    json rows = json::array();
    for (const auto& [kind, v] : perKind) {
        auto row = summary(v);
        row["model"] = model;
        row["kind"] = kind;
        rows.push_back(row);
    }
    return rows;
}

json tightnessByReduction(const std::shared_ptr<graph::Model>& model,
                          const numerics::Profile& profile,
                          const std::vector<c10::IValue>& inputs) {
    torch::NoGradGuard noGrad;
    graph::Interpreter interp(model);
    std::vector<std::vector<c10::IValue>> outs(model->ops().size());
    graph::ExecutionHooks hooks;
    hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& values) {
        for (const auto& v : values)
            outs[op].push_back(v.isTensor() ? c10::IValue(v.toTensor().clone()) : v);
    };
    interp.run(inputs, hooks);
    graph::OpOutputSource source = [&](std::uint32_t op) { return outs.at(op); };
    std::map<std::int64_t, std::vector<double>> perClass;
    for (const auto& [op, ratio] : tightnessPerOp(profile)) {
        const auto k = reductionLength(model->ops()[op].kind, interp.opInputs(op, inputs, source));
        std::int64_t upTo = 1;
        while (upTo < k)
            upTo *= 4;
        perClass[upTo].push_back(ratio);
    }
    json rows = json::array();
    for (const auto& [upTo, v] : perClass) {
        auto row = summary(v);
        row["model"] = model->name();
        row["upTo"] = upTo;
        rows.push_back(row);
    }
    return rows;
}

json calibrationSizeStudy(const std::shared_ptr<graph::Model>& model,
                          const std::vector<std::uint64_t>& sizes, int heldOutRuns) {
    json rows = json::array();
    for (const auto n : sizes) {
        numerics::CalibrationOptions c;
        c.randomRuns = n;
        c.segments = false;
        const auto profile = numerics::calibrate(model, c);
        std::vector<double> ratios;
        for (const auto& [op, ratio] : tightnessPerOp(profile))
            ratios.push_back(ratio);
        HonestRunsOptions h;
        h.runs = heldOutRuns;
        h.firstSeed = 20000;
        const auto honest = honestRuns(model, profile, h);
        rows.push_back({{"model", model->name()},
                        {"inputs", n},
                        {"medianTightness", quantile(ratios, 0.5)},
                        {"heldOutRuns", honest.runs},
                        {"notPass", honest.nonPass.size()}});
    }
    return rows;
}

} // namespace tao::eval
