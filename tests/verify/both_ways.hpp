#pragma once
// `tao verify`'s path and the committee's (dispute::OpChecker) on one committed bundle: the
// suites that attack the verifier require both to give the same verdict on every operator.
// moc cannot parse some C++20 library headers these pull in, and needs none of them.
#ifndef Q_MOC_RUN
#include "core/dispute/op_checker.hpp"
#include "core/trace/trace_bundle.hpp"
#include "core/verify/verify.hpp"
#endif

#include <QString>

namespace tao::test {

QString verdictText(verify::Verdict v);

struct BothWays {
    verify::VerifyReport report;          // tao verify's
    std::vector<dispute::OpCheck> checks; // the committee's, op by op (+ the output leaf)
    QString disagreements;                // "op i kind: tao verify says ..., the committee ..."
};

// Judges every operator both ways; with `outputLeaf`, the committee also judges the output
// leaf (last in checks), from `outputSource` when given (a posted result), else the bundle.
BothWays judgeBothWays(const std::shared_ptr<graph::Model>& model,
                       const std::shared_ptr<const trace::TraceBundle>& bundle,
                       const std::shared_ptr<const numerics::Profile>& profile,
                       bool outputLeaf = false, dispute::TraceSource* outputSource = nullptr);

} // namespace tao::test
