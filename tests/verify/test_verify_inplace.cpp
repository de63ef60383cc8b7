// Models that write into tensors after producing them (through a view, into their input,
// into what they return). An operator reading such a tensor read the written values,
// which no single committed output holds: `tao verify` and the committee rebuild them
// from the committed outputs of the writers. Honest traces must PASS every operator and
// the output leaf; a provider who leaves a write out of what later operators read, or out
// of the result it posts, must FAIL.
// moc cannot parse some C++20 library headers these pull in, and needs none of them.
#ifndef Q_MOC_RUN
#include "core/commit/tensor_hash.hpp"
#include "core/dispute/trace_source.hpp"
#include "core/graph/model.hpp"
#include "core/graph/tensor_convert.hpp"
#include "core/numerics/calibrate.hpp"
#include "core/runtime/capture.hpp"
#include "core/trace/trace_bundle.hpp"
#endif
#include "both_ways.hpp"
#include "support/tools.hpp"

#include <QTemporaryDir>
#include <QtTest>

using namespace tao;
using Values = std::vector<c10::IValue>;
using test::verdictText;
using verify::Verdict;

namespace {

// A committed manifest with another output hash, as a provider posting another result
// would commit it; tensors as committed.
class PostedOutputSource : public dispute::TraceSource {
public:
    PostedOutputSource(dispute::TraceSource& inner, const commit::Hash32& outputHash)
        : inner_(inner)
        , manifest_(inner.manifest()) {
        manifest_.outputHash = outputHash;
    }
    const trace::Manifest& manifest() override { return manifest_; }
    std::vector<trace::HostTensor> opOutputs(std::uint32_t op) override {
        return inner_.opOutputs(op);
    }
    std::vector<std::pair<std::string, trace::HostTensor>> graphInputs() override {
        return inner_.graphInputs();
    }

private:
    dispute::TraceSource& inner_;
    trace::Manifest manifest_;
};

} // namespace

class TestVerifyInPlace : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::map<QString, std::shared_ptr<graph::Model>> models_;
    std::map<QString, std::shared_ptr<const numerics::Profile>> profiles_;

    std::shared_ptr<graph::Model> model(const QString& name) {
        if (!models_.count(name)) {
            QString why;
            const auto path = test::testModel(name, &why);
            if (path.isEmpty()) qFatal("%s", qPrintable(why));
            auto m = graph::Model::load(path.toStdString());
            numerics::CalibrationOptions opt;
            opt.randomRuns = 16;
            opt.segments = false;
            profiles_[name] = std::make_shared<numerics::Profile>(numerics::calibrate(m, opt));
            models_[name] = m;
        }
        return models_.at(name);
    }

    std::shared_ptr<trace::TraceBundle> capture(const QString& name, const QString& tag,
                                                std::function<void(std::uint32_t, Values&)> alter) {
        runtime::CaptureOptions opt;
        opt.seed = 5;
        opt.out = tmp_.filePath(name + "-" + tag + ".taotrace").toStdString();
        opt.alterOutputs = std::move(alter);
        runtime::capture(model(name), opt);
        return std::make_shared<trace::TraceBundle>(trace::TraceBundle::open(opt.out));
    }

    // Every operator and the output leaf by the committee (the output leaf from `posted`
    // when given); `tao verify`'s verdicts must be the same op by op (where not, it is
    // added to disagreements_). Returns the committee's verdicts (the output leaf last).
    QString disagreements_;
    std::vector<dispute::OpCheck> judgeBothWays(const QString& name,
                                                const std::shared_ptr<trace::TraceBundle>& bundle,
                                                dispute::TraceSource* posted = nullptr) {
        auto both = test::judgeBothWays(model(name), bundle, profiles_.at(name), true, posted);
        disagreements_ += both.disagreements;
        return both.checks;
    }

    static QString nonPass(const std::vector<dispute::OpCheck>& checks) {
        QString s;
        for (const auto& c : checks)
            if (c.verdict != Verdict::Pass)
                s += QString("op %1 %2 %3: %4; ")
                         .arg(c.op)
                         .arg(QString::fromStdString(c.kind), verdictText(c.verdict),
                              QString::fromStdString(c.reason));
        return s;
    }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }
    void init() { disagreements_.clear(); }
    void cleanup() { QVERIFY2(disagreements_.isEmpty(), qPrintable(disagreements_)); }

    void honestTracesPass_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"inplace", "writes_input", "returns_written", "returns_input"})
            QTest::newRow(name) << QString(name);
    }
    // Reads after writes see the written values; the output leaf holds what was returned.
    void honestTracesPass() {
        QFETCH(QString, name);
        const auto checks = judgeBothWays(name, capture(name, "honest", {}));
        QVERIFY2(nonPass(checks).isEmpty(), qPrintable(nonPass(checks)));
    }

    // `inplace` writes half of `c = b * 2` through a view, then takes tanh(c). A provider
    // who feeds tanh the unwritten c (its committed output) computes tanh exactly, but of
    // values the model never read there: tanh is FAIL.
    void readSkippingAWriteIsFail() {
        const auto m = model("inplace");
        std::uint32_t mul = 0, tanh = 0;
        for (const auto& op : m->ops()) {
            if (op.kind == "aten::mul" && !mul) mul = op.index;
            if (op.kind == "aten::tanh") tanh = op.index;
        }
        QVERIFY(mul > 0 && tanh > mul);
        at::Tensor unwritten;
        const auto bundle =
            capture("inplace", "skipped-write", [&](std::uint32_t op, Values& outs) {
                if (op == mul) unwritten = outs[0].toTensor().clone();
                if (op == tanh) outs[0] = at::tanh(unwritten);
            });
        const auto checks = judgeBothWays("inplace", bundle);
        QCOMPARE(checks.at(tanh).verdict, Verdict::Fail);
        for (std::uint32_t op = 0; op < tanh; ++op)
            QCOMPARE(checks.at(op).verdict, Verdict::Pass);
    }

    // `returns_written` returns its linear's output after writing part of it: a posted
    // result without that write (the linear's committed output) is FAIL at the output leaf.
    void postedResultWithoutTheWriteIsFail() {
        const auto bundle = capture("returns_written", "honest", {});
        const auto& m = bundle->manifest();
        const auto unwritten =
            commit::outputsHash(trace::referencedHashes(m, model("returns_written")->outputRefs()));
        QVERIFY(unwritten != m.outputHash);
        dispute::BundleTraceSource honest(bundle);
        PostedOutputSource posted(honest, unwritten);
        const auto checks = judgeBothWays("returns_written", bundle, &posted);
        QCOMPARE(checks.back().verdict, Verdict::Fail);
        QVERIFY(nonPass({checks.begin(), checks.end() - 1}).isEmpty());
    }

    // `list_alias` writes into `c` through an element taken out of a list (a wildcard alias
    // no schema names), then reads `c`: the alias analysis sees the write, the annotations
    // cannot place it, so tanh cannot be judged, and says why, in both paths; the others
    // are judged as usual.
    void unplaceableWriteIsNeverPass() {
        const auto m = model("list_alias");
        QVERIFY(!m->writes().empty());
        const auto checks = judgeBothWays("list_alias", capture("list_alias", "honest", {}));
        bool sawTanh = false;
        for (const auto& c : checks) {
            if (c.kind != "aten::tanh") continue;
            sawTanh = true;
            QCOMPARE(verdictText(c.verdict), verdictText(Verdict::NoBound));
            QVERIFY2(c.reason.find("cannot be rebuilt") != std::string::npos, c.reason.c_str());
        }
        QVERIFY(sawTanh);
    }

    // The committee's evidence for an operator reading a rebuilt value quotes what it was
    // rebuilt from: the written tensor's producer and the writer.
    void rebuiltReadsQuoteTheirWriters() {
        const auto m = model("inplace");
        dispute::CheckOptions options;
        options.profile = profiles_.at("inplace");
        dispute::OpChecker committee(m, options);
        for (const auto& op : m->ops()) {
            if (op.kind != "aten::tanh") continue;
            const auto quoted = committee.inputOps(op.index);
            std::vector<std::string> kinds;
            for (auto q : quoted)
                kinds.push_back(m->ops()[q].kind);
            QVERIFY(std::count(kinds.begin(), kinds.end(), "aten::mul") == 1);
            QVERIFY(std::count(kinds.begin(), kinds.end(), "aten::mul_") == 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestVerifyInPlace)
#include "test_verify_inplace.moc"
