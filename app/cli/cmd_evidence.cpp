// `tao evidence`: export the evidence of one operator's verdict (core/dispute/evidence_bundle.hpp).
// `tao verify-evidence`: check such evidence offline and judge the operator again.
#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/dispute/evidence_bundle.hpp"
#include "core/dispute/trace_source.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/verify.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace tao::cli {

namespace {

// verify-evidence: the evidence does not hold, or its verdict is not the recomputed one.
constexpr int kEvidenceRefuted = 4;

std::string name(verify::Verdict v) {
    return std::string(verify::verdictName(v));
}

} // namespace

int runEvidence(const std::vector<std::string>& args) {
    CommandLine cl(args, {"model", "trace", "profile", "op", "out"}, {});
    auto model = graph::loadModel(cl.value("model"));
    auto bundle = std::make_shared<trace::TraceBundle>(trace::TraceBundle::open(cl.value("trace")));
    if (!bundle->hasOpTensors())
        throw UsageError(cl.value("trace") + " is a light trace: evidence needs the op tensors");
    noteLegacyId(*model, bundle->manifest().modelId, cl.value("trace"));
    auto profile =
        std::make_shared<numerics::Profile>(numerics::Profile::load(cl.value("profile")));
    verify::checkProfileMatchesModel(*model, *profile, cl.value("profile"));
    if (!cl.has("op")) throw UsageError("--op N is required");
    const auto op = static_cast<std::uint32_t>(cl.integer("op", 0, 0, 0xffffffffLL));
    dispute::BundleTraceSource source(bundle);
    const auto s = dispute::writeEvidence(cl.value("out"), model, profile, op, source);
    std::cout << "evidence of op " << s.op << " (" << s.kind << (s.scope.empty() ? "" : " ")
              << s.scope << "): " << name(s.verdict) << (s.reason.empty() ? "" : " - ") << s.reason
              << "\n"
              << "quotes ops";
    for (auto q : s.quotedOps)
        std::cout << " " << q;
    std::cout << " with inclusion proofs against " << s.root.hex() << "\n"
              << "written to " << cl.value("out") << "\n";
    return kOk;
}

int runVerifyEvidence(const std::vector<std::string>& args) {
    CommandLine cl(args, {"model"}, {"json"});
    if (cl.positional().size() != 1)
        throw UsageError("verify-evidence needs exactly one evidence file");
    const std::string path = cl.positional().front();
    auto model = graph::loadModel(cl.value("model"));
    dispute::EvidenceCheck c;
    try {
        c = dispute::checkEvidence(path, model);
    } catch (const dispute::EvidenceError& e) {
        if (cl.has("json")) {
            std::cout << nlohmann::json{{"holds", false}, {"error", e.what()}}.dump(1) << "\n";
        } else {
            std::cerr << "evidence does not hold: " << e.what() << "\n";
        }
        return kEvidenceRefuted;
    }
    const auto& r = c.recorded;
    if (cl.has("json")) {
        std::cout << nlohmann::json{{"holds", true},
                                    {"op", r.op},
                                    {"kind", r.kind},
                                    {"scope", r.scope},
                                    {"recorded", name(r.verdict)},
                                    {"verdict", name(c.recomputed.verdict)},
                                    {"reason", c.recomputed.reason},
                                    {"soundUtilisation", c.recomputed.soundUtilisation},
                                    {"threshold", c.recomputed.threshold},
                                    {"agrees", c.agrees},
                                    {"root", r.root.hex()},
                                    {"profileHash", r.profileHash.hex()},
                                    {"provider", r.providerRuntime},
                                    {"writtenOn", r.verifierRuntime}}
                         .dump(1)
                  << "\n";
    } else {
        std::cout << "op " << r.op << " " << r.kind << (r.scope.empty() ? "" : " ") << r.scope
                  << "\n"
                  << "  proofs      " << r.quotedOps.size() << " op record(s) and the inputs hold"
                  << " against root " << r.root.hex() << "\n"
                  << "  provider    " << r.providerRuntime << "\n"
                  << "  written on  " << r.verifierRuntime << "\n"
                  << "  recorded    " << name(r.verdict) << "\n"
                  << "  recomputed  " << dispute::describe(c.recomputed) << "\n"
                  << (c.agrees ? "the recomputed verdict agrees with the evidence\n"
                               : "the recomputed verdict DIFFERS from the evidence\n");
    }
    return c.agrees ? verdictExitCode(c.recomputed.verdict) : kEvidenceRefuted;
}

} // namespace tao::cli
