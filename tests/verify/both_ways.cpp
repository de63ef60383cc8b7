#include "both_ways.hpp"

#include "core/dispute/trace_source.hpp"

namespace tao::test {

QString verdictText(verify::Verdict v) {
    return QString::fromStdString(std::string(verify::verdictName(v)));
}

BothWays judgeBothWays(const std::shared_ptr<graph::Model>& model,
                       const std::shared_ptr<const trace::TraceBundle>& bundle,
                       const std::shared_ptr<const numerics::Profile>& profile, bool outputLeaf,
                       dispute::TraceSource* outputSource) {
    BothWays r;
    r.report = verify::verifyTrace(model, *bundle, *profile);
    dispute::CheckOptions options;
    options.profile = profile;
    dispute::OpChecker committee(model, options);
    dispute::BundleTraceSource source(bundle);
    for (const auto& o : r.report.ops) {
        r.checks.push_back(committee.check(o.op, source));
        const auto& c = r.checks.back();
        if (c.verdict != o.verdict)
            r.disagreements += QString("op %1 %2: tao verify says %3 (%4), the committee %5 (%6); ")
                                   .arg(o.op)
                                   .arg(QString::fromStdString(o.kind), verdictText(o.verdict),
                                        QString::fromStdString(o.reason), verdictText(c.verdict),
                                        QString::fromStdString(c.reason));
    }
    if (outputLeaf)
        r.checks.push_back(
            committee.check(committee.opCount(), outputSource ? *outputSource : source));
    return r;
}

} // namespace tao::test
