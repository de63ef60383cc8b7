#include "core/runtime/replay.hpp"

#include "core/graph/tensor_convert.hpp"
#include "core/runtime/model_io.hpp"

#include <cfloat>
#include <cmath>
#include <functional>

namespace tao::runtime {

namespace {

// Compares local outputs with committed ones, element-wise in double.
void compare(const std::vector<c10::IValue>& local, const std::vector<c10::IValue>& committed,
             OpComparison& out) {
    std::vector<at::Tensor> a, b;
    for (const auto& v : local)
        for (auto& t : graph::flattenTensors(v))
            a.push_back(t);
    for (const auto& v : committed)
        for (auto& t : graph::flattenTensors(v))
            b.push_back(t);
    if (a.size() != b.size()) {
        out.problem = std::to_string(a.size()) + " outputs, committed " + std::to_string(b.size());
        return;
    }
    out.bitExact = true;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].sizes() != b[i].sizes() || a[i].scalar_type() != b[i].scalar_type()) {
            out.problem =
                "output " + std::to_string(i) + " shape or dtype differs from the commitment";
            out.bitExact = false;
            return;
        }
        if (graph::tensorHash(a[i]) != graph::tensorHash(b[i])) out.bitExact = false;
        if (a[i].numel() == 0) continue;
        auto x = a[i].to(at::kDouble), y = b[i].to(at::kDouble);
        auto diff = (x - y).abs();
        // Equal infinities or both NaN count as agreement; anything else non-finite is a problem.
        auto agree = (x == y) | (x.isnan() & y.isnan());
        diff = at::where(agree, at::zeros_like(diff), diff);
        if (!diff.isfinite().all().item<bool>()) {
            out.problem = "non-finite difference (NaN or Inf where the commitment is finite)";
            out.maxAbs = out.maxRel = INFINITY;
            return;
        }
        out.maxAbs = std::max(out.maxAbs, diff.max().item<double>());
        auto rel = diff / y.abs().clamp_min(FLT_MIN);
        out.maxRel = std::max(out.maxRel, rel.max().item<double>());
    }
}

} // namespace

std::vector<OpComparison> replay(const std::shared_ptr<graph::Model>& model,
                                 const trace::TraceBundle& bundle, const ReplayOptions& options) {
    checkTraceMatchesModel(*model, bundle);
    if (!bundle.hasOpTensors())
        throw std::runtime_error(bundle.path().string() +
                                 ": a light trace holds no tensors to replay against");
    applySettings(options.settings);
    const auto n = static_cast<std::uint32_t>(model->ops().size());
    std::uint32_t to = options.to == 0 ? n : options.to;
    if (options.from >= to || to > n)
        throw std::out_of_range("operator range [" + std::to_string(options.from) + ", " +
                                std::to_string(to) + ") is outside 0.." + std::to_string(n));
    graph::Interpreter interp(model);
    TraceTensors committed(bundle);
    auto inputs = traceInputs(*model, bundle);
    torch::NoGradGuard noGrad;
    std::vector<OpComparison> results;
    auto record = [&](std::uint32_t op, const std::vector<c10::IValue>& outs) {
        OpComparison c;
        c.op = op;
        c.kind = model->ops()[op].kind;
        c.scope = model->ops()[op].scope;
        compare(outs, committed.outputs(op), c);
        // Only inputs taken from the trace (all of them op by op; those from before the
        // cut in a segment) were rebuilt, so only they can carry a caveat.
        for (auto producer : trace::inputOpsOf(model->ops()[op].inputs))
            if (c.caveat.empty() && (!options.segment || producer < options.from))
                c.caveat = committed.caveat(producer);
        results.push_back(std::move(c));
    };
    const std::size_t total = to - options.from;
    if (options.segment) {
        graph::ExecutionHooks hooks;
        hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& outs) { record(op, outs); };
        if (options.progress)
            hooks.cancelled = [&] { return !options.progress(results.size(), total); };
        interp.runSegment(options.from, to, inputs, committed.source(), hooks);
        return results;
    }
    for (std::uint32_t op = options.from; op < to; ++op) {
        if (options.progress && !options.progress(op - options.from, total))
            throw graph::OperationCancelled();
        record(op, interp.runOp(op, interp.opInputs(op, inputs, committed.source())));
    }
    return results;
}

std::vector<OpComparison>
compareTraces(const std::shared_ptr<graph::Model>& model, const trace::TraceBundle& bundle,
              const trace::TraceBundle& other,
              const std::function<bool(std::size_t, std::size_t)>& progress) {
    const auto& a = bundle.manifest();
    const auto& b = other.manifest();
    const auto names =
        bundle.path().filename().string() + " and " + other.path().filename().string();
    for (const auto* t : {&bundle, &other}) {
        try {
            checkTraceMatchesModel(*model, *t);
        } catch (const std::exception& e) {
            throw std::runtime_error(names + " do not match: " + e.what());
        }
    }
    if (a.inputHash != b.inputHash)
        throw std::runtime_error(names +
                                 " do not match: they ran on different inputs (input hash " +
                                 a.inputHash.hex() + " vs " + b.inputHash.hex() + ")");
    const bool tensors = bundle.hasOpTensors() && other.hasOpTensors();
    TraceTensors base(bundle), theirs(other);
    torch::NoGradGuard noGrad;
    std::vector<OpComparison> results;
    const auto n = static_cast<std::uint32_t>(model->ops().size());
    for (std::uint32_t op = 0; op < n; ++op) {
        if (progress && !progress(op, n)) throw graph::OperationCancelled();
        OpComparison c;
        c.op = op;
        c.kind = model->ops()[op].kind;
        c.scope = model->ops()[op].scope;
        if (a.ops.at(op).outputHash == b.ops.at(op).outputHash) {
            c.bitExact = true;
        } else if (!tensors) {
            c.problem = "outputs differ (hashes only: a light trace holds no tensors)";
            c.maxAbs = c.maxRel = INFINITY;
        } else {
            compare(theirs.outputs(op), base.outputs(op), c);
        }
        results.push_back(std::move(c));
    }
    return results;
}

ComparisonSummary summarise(const std::vector<OpComparison>& results) {
    ComparisonSummary s;
    for (const auto& c : results) {
        if (c.bitExact) {
            ++s.identical;
            continue;
        }
        if (!s.first) s.first = &c;
        if (!s.largest || c.maxRel > s.largest->maxRel) s.largest = &c;
    }
    return s;
}

} // namespace tao::runtime
