#include "core/eval/honest_study.hpp"

#include "core/numerics/emulation.hpp"
#include "core/verify/verify_values.hpp"

#include <algorithm>
#include <chrono>

namespace tao::eval {

HonestRuns honestRuns(const std::shared_ptr<graph::Model>& model, const numerics::Profile& profile,
                      const HonestRunsOptions& options) {
    const auto configs =
        options.configs.empty() ? numerics::parseConfigs("default") : options.configs;
    graph::Interpreter interp(model);
    HonestRuns out;
    out.model = model->name();
    out.ops = static_cast<std::uint32_t>(model->ops().size());
    out.runs = options.runs;
    out.heldOutInputs = "random seeds " + std::to_string(options.firstSeed) + ".." +
                        std::to_string(options.firstSeed + options.runs - 1);
    for (const char* v : {"PASS", "SUSPECT", "FAIL", "NO-BOUND"})
        out.verdicts[v] = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < options.runs; ++r) {
        const auto& config = configs[r % configs.size()];
        const auto inputs = model->randomInputs(options.firstSeed + r);
        const auto outs = numerics::runUnderConfig(interp, inputs, config, r);
        graph::OpOutputSource committed = [&](std::uint32_t op) { return outs.at(op); };
        const auto report = verify::verifyValues(model, inputs, committed, profile);
        const auto overall = report.overall();
        ++out.verdicts[std::string(verify::verdictName(overall))];
        ++out.perConfig[config.name];
        double runWorst = 0;
        for (const auto& o : report.ops) {
            runWorst = std::max(runWorst, o.empiricalUtilisation);
            if (o.empiricalUtilisation > out.worstUtilisation) {
                out.worstUtilisation = o.empiricalUtilisation;
                out.worstOp = o.op;
            }
        }
        out.runUtilisation.push_back(runWorst);
        if (overall != verify::Verdict::Pass) {
            const auto first = *report.firstNonPass();
            out.nonPass.push_back({r, config.name, first,
                                   std::string(verify::verdictName(report.ops[first].verdict)),
                                   report.ops[first].reason});
        }
        if (options.progress) options.progress(r + 1, options.runs);
    }
    numerics::applyConfig(configs.front());
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace tao::eval
