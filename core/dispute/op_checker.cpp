// The one torch translation unit of core/dispute.
#include "core/dispute/op_checker.hpp"

#include "core/commit/graph_commitment.hpp"
#include "core/commit/tensor_hash.hpp"
#include "core/graph/interpreter.hpp"
#include "core/graph/tensor_convert.hpp"
#include "core/numerics/error_metric.hpp"
#include "core/numerics/op_bound.hpp"
#include "core/runtime/model_io.hpp"
#include "core/verify/verify_values.hpp"

#include <cfloat>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace tao::dispute {

commit::Hash32 graphRootOf(const graph::Model& model) {
    const auto& ops = model.ops();
    return commit::graphTree(
               trace::graphEntries(
                   ops.size(), [&](std::size_t i) -> const std::string& { return ops[i].kind; },
                   [&](std::size_t i) -> const std::vector<std::string>& { return ops[i].inputs; },
                   model.outputRefs()))
        .root();
}

using verify::Verdict;

std::pair<bool, VoteReason> voteFor(const OpCheck& c) {
    switch (c.verdict) {
    case Verdict::Pass:
        return {true, VoteReason::WithinThreshold};
    case Verdict::Suspect:
        return {false, VoteReason::BeyondThreshold};
    case Verdict::Fail:
        return {false, VoteReason::BeyondBound};
    case Verdict::NoBound:
        // Nothing guarantees the claim (never silently accepted), nor proves it wrong.
        return {false, VoteReason::BeyondThreshold};
    default:
        return {false, VoteReason::BeyondThreshold};
    }
}

std::string verdictLabel(Verdict v) {
    switch (v) {
    case Verdict::Pass:
        return "PASS";
    case Verdict::Suspect:
        return "SUSPECT";
    case Verdict::Fail:
        return "FAIL";
    case Verdict::NoBound:
        return "NO-BOUND";
    case Verdict::NotChecked:
        return "NOT-CHECKED";
    }
    return "?";
}

std::string describe(const OpCheck& c) {
    std::ostringstream s;
    s << "op " << c.op << " (" << c.kind << "): " << verdictLabel(c.verdict) << ", bound use "
      << c.soundUtilisation;
    if (c.threshold > 0) s << ", threshold " << c.threshold;
    if (!c.reason.empty()) s << " - " << c.reason;
    return s.str();
}

std::string describe(const SegmentCheck& c) {
    std::ostringstream s;
    s << "ops [" << c.lo << ", " << c.hi << "): " << (c.beyond ? "BEYOND" : "within") << " (op "
      << c.worstOp << " error " << c.error << " vs segment threshold " << c.threshold << ")";
    if (!c.reason.empty()) s << " - " << c.reason;
    return s.str();
}

struct OpChecker::Impl {
    std::shared_ptr<graph::Model> model;
    graph::Interpreter interp;
    CheckOptions options;
    std::vector<std::uint32_t> lastUse; // per op: the last op reading its outputs (itself if none)
    std::optional<commit::Hash32> graphRoot; // computed on first use
    Impl(std::shared_ptr<graph::Model> m, CheckOptions o)
        : model(m)
        , interp(m)
        , options(std::move(o)) {
        const auto& ops = model->ops();
        lastUse.resize(ops.size());
        for (std::uint32_t i = 0; i < ops.size(); ++i) {
            lastUse[i] = i;
            for (auto producer : trace::inputOpsOf(ops[i].inputs))
                lastUse.at(producer) = i;
        }
    }
};

OpChecker::OpChecker(std::shared_ptr<graph::Model> model, CheckOptions options)
    : impl_(std::make_unique<Impl>(std::move(model), std::move(options))) {
    if (!impl_->options.profile)
        throw std::invalid_argument(
            "judging operators needs the model's threshold profile (tao calibrate makes one)");
    verify::checkProfileMatchesModel(*impl_->model, *impl_->options.profile,
                                     "profile of " + impl_->options.profile->modelName);
}
OpChecker::~OpChecker() = default;

std::uint32_t OpChecker::opCount() const {
    return static_cast<std::uint32_t>(impl_->model->ops().size());
}
std::string OpChecker::kind(std::uint32_t op) const {
    if (op == opCount()) return commit::kOutputLeafKind;
    return impl_->model->ops().at(op).kind;
}
std::vector<std::uint32_t> OpChecker::inputOps(std::uint32_t op) const {
    auto refs = op == opCount() ? impl_->model->outputRefs() : impl_->model->ops().at(op).inputs;
    for (auto& ref : impl_->model->rebuildRefs(op))
        refs.push_back(std::move(ref));
    return trace::inputOpsOf(refs); // sorted, each op once
}
commit::Hash32 OpChecker::graphRoot() const {
    if (!impl_->graphRoot) impl_->graphRoot = graphRootOf(*impl_->model);
    return *impl_->graphRoot;
}

namespace {
std::vector<c10::IValue> graphInputsOf(const graph::Model& model, TraceSource& source) {
    std::vector<c10::IValue> values;
    auto named = source.graphInputs();
    for (const auto& name : model.inputNames()) {
        auto it = std::find_if(named.begin(), named.end(),
                               [&](const auto& p) { return p.first == name; });
        if (it == named.end()) throw std::runtime_error("trace lacks model input '" + name + "'");
        values.emplace_back(graph::fromHost(it->second));
    }
    return values;
}

graph::OpOutputSource committedOutputs(TraceSource& source) {
    return [&source](std::uint32_t i) {
        // Rebuilt with their recorded layouts, so the recomputation runs the kernels the
        // provider's capture ran.
        auto tensors = source.opOutputs(i);
        return runtime::committedValues(source.manifest().ops.at(i),
                                        [&](std::size_t j) { return tensors.at(j); });
    };
}

std::vector<at::Tensor> committedTensors(TraceSource& source, std::uint32_t op) {
    std::vector<at::Tensor> out;
    for (const auto& t : source.opOutputs(op))
        out.push_back(graph::fromHost(t));
    return out;
}

} // namespace

namespace {
// The hashes of what forward returned: the referenced outputs' committed hashes, or, when
// a returned tensor was written after its operator produced it (or is a written input),
// the hashes of the returned values rebuilt from the committed tensors.
std::vector<commit::Hash32> returnedHashes(graph::Interpreter& interp, TraceSource& source) {
    const auto& model = interp.model();
    if (!model.returnsWrittenValues())
        return trace::referencedHashes(source.manifest(), model.outputRefs());
    std::vector<commit::Hash32> hashes;
    for (const auto& v :
         interp.committedGraphOutputs(graphInputsOf(model, source), committedOutputs(source)))
        for (const auto& t : graph::flattenTensors(v))
            hashes.push_back(graph::tensorHash(t));
    return hashes;
}

// The output leaf: exact, on hashes (the op outputs' hashes were checked against their
// leaves, the inputs' against the job's input hash, by the source).
OpCheck checkOutputLeaf(std::uint32_t leaf, graph::Interpreter& interp, TraceSource& source) {
    const auto& m = source.manifest();
    OpCheck c;
    c.op = leaf;
    c.kind = commit::kOutputLeafKind;
    c.verdict = Verdict::Fail;
    if (!m.hasOutputLeaf() || m.leafCount() != leaf + 1) {
        c.reason = "the trace has no output leaf at " + std::to_string(leaf) + " (format version " +
                   std::to_string(m.version) + ")";
        return c;
    }
    try {
        if (commit::outputsHash(returnedHashes(interp, source)) != m.outputHash) {
            c.reason = "the committed output hash " + m.outputHash.hex() +
                       " is not the hash of the model's outputs in the trace";
            return c;
        }
    } catch (const std::invalid_argument& e) {
        c.verdict = Verdict::NoBound;
        c.reason = std::string("the model's output cannot be read from the trace: ") + e.what();
        return c;
    } catch (const graph::ModelError& e) {
        c.verdict = Verdict::NoBound;
        c.reason = std::string("the model's output cannot be rebuilt from the trace: ") + e.what();
        return c;
    }
    c.verdict = Verdict::Pass;
    return c;
}
} // namespace

OpCheck OpChecker::check(std::uint32_t op, TraceSource& source, OpReference* reference) {
    if (op == opCount()) {
        if (reference) reference->note = "the output leaf is judged on hashes alone";
        return checkOutputLeaf(op, impl_->interp, source);
    }
    torch::NoGradGuard noGrad;
    const auto& info = impl_->model->ops().at(op);
    const auto& manifest = source.manifest();
    OpCheck c;
    c.op = op;
    c.kind = info.kind;
    if (op >= manifest.ops.size()) {
        c.verdict = Verdict::Fail;
        c.reason = "the trace has no op " + std::to_string(op);
        if (reference) reference->note = c.reason;
        return c;
    }
    const auto& rec = manifest.ops[op];
    if (rec.kind != info.kind) {
        c.verdict = Verdict::Fail;
        c.reason = "committed schema " + rec.kind + " is not the model's " + info.kind;
        if (reference) reference->note = c.reason;
        return c;
    }
    const auto& profile = *impl_->options.profile;
    std::vector<c10::IValue> inputs;
    try {
        inputs = impl_->interp.opInputs(op, graphInputsOf(*impl_->model, source),
                                        committedOutputs(source));
    } catch (const graph::UnrebuildableRead& e) {
        c.verdict = Verdict::NoBound;
        c.reason = verify::unrebuildableReason(e);
        if (reference) reference->note = c.reason;
        return c;
    }
    auto bound =
        numerics::boundForOp(impl_->interp, op, inputs, numerics::boundParamsOf(profile.bounds));
    // The same rule as `tao verify`, on the same bound and committed tensors.
    const auto claimed = committedTensors(source, op);
    const auto v = verify::judgeOp(info, bound, claimed, profile);
    c.verdict = v.verdict;
    c.reason = v.reason;
    c.soundUtilisation = v.soundUtilisation;
    c.threshold = v.empiricalThreshold;
    if (reference) {
        // As measureOpError does inside judgeOp: recurrent kinds are bounded step-wise.
        if (bound.givenClaims && claimed.size() == bound.reference.size())
            bound = bound.givenClaims(claimed);
        if (bound.status == numerics::BoundStatus::NoBound) {
            reference->note = bound.reason;
        } else {
            for (std::size_t i = 0; i < bound.reference.size(); ++i) {
                reference->reference.push_back(graph::toHost(bound.reference[i].contiguous()));
                reference->bound.push_back(graph::toHost(bound.bound[i].contiguous()));
            }
        }
    }
    return c;
}

SegmentCheck OpChecker::checkSegment(std::uint32_t lo, std::uint32_t hi, TraceSource& source) {
    const auto& profile = impl_->options.profile;
    if (lo >= hi || hi > leafCount())
        throw std::invalid_argument("segment [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                    ") is not inside the trace's " + std::to_string(leafCount()) +
                                    " leaves");
    SegmentCheck c;
    c.lo = lo;
    c.hi = hi;
    if (hi == leafCount()) {
        // The output leaf is exact: a wrong one is beyond whatever the ops before it show.
        const auto out = check(opCount(), source);
        if (out.verdict != Verdict::Pass) {
            c.worstOp = out.op;
            c.utilisation = INFINITY;
            c.beyond = true;
            c.reason = describe(out);
            return c;
        }
        if (lo == opCount()) return c;
        hi = opCount();
    }
    torch::NoGradGuard noGrad;
    // The values the segment hands on: outputs read at or after hi, and the last op's.
    std::map<std::uint32_t, std::vector<at::Tensor>> replayed;
    graph::ExecutionHooks hooks;
    hooks.afterOp = [&](std::uint32_t op, std::vector<c10::IValue>& outputs) {
        if (op + 1 == hi || impl_->lastUse[op] >= hi) {
            auto& kept = replayed[op];
            for (auto& t : numerics::flattenOutputs(outputs))
                kept.push_back(t.clone()); // later in-place ops must not change what we compare
        }
    };
    impl_->interp.runSegment(lo, hi, graphInputsOf(*impl_->model, source), committedOutputs(source),
                             hooks);
    c.utilisation = -1;
    for (const auto& [op, values] : replayed) {
        const auto t = profile->segmentThreshold(lo, op + 1);
        if (!t) {
            c.reason = "no calibrated segment threshold for op " + std::to_string(op);
            continue;
        }
        const double e = numerics::segmentError(values, committedTensors(source, op));
        const double u = *t > 0 ? e / *t : (e == 0 ? 0 : INFINITY);
        if (u > c.utilisation) {
            c.utilisation = u;
            c.worstOp = op;
            c.error = e;
            c.threshold = *t;
        }
    }
    c.utilisation = std::max(c.utilisation, 0.0);
    c.beyond = c.utilisation > 1;
    return c;
}

std::optional<OpCheck>
OpChecker::firstNonPass(TraceSource& source, std::uint32_t from, std::uint32_t to,
                        const std::function<bool(std::size_t, std::size_t)>& progress) {
    if (to == 0 || to > leafCount()) to = leafCount();
    for (std::uint32_t op = from; op < to; ++op) {
        if (progress && !progress(op - from, to - from)) throw graph::OperationCancelled();
        auto c = check(op, source);
        if (c.verdict != Verdict::Pass) return c;
    }
    return std::nullopt;
}

} // namespace tao::dispute
