#include "core/dispute/evidence_bundle.hpp"

#include "core/graph/model.hpp"
#include "core/graph/op_info.hpp"
#include "core/runtime/runtime_settings.hpp"
#include "core/trace/safetensors.hpp"
#include "core/verify/verify_values.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace tao::dispute {

namespace {

using json = nlohmann::json;

std::string opTensor(std::uint32_t op, std::size_t j) {
    return "op:" + std::to_string(op) + "." + std::to_string(j);
}

std::string runtimeLine(const trace::RuntimeInfo& r) {
    return trace::runtimeSummary(r) + ", " + trace::arithmeticSummary(r);
}

// The tensors a verdict rests on, served from the evidence file and checked against the
// quoted records before use. Operators the evidence does not quote have no tensors.
class EvidenceTraceSource : public TraceSource {
public:
    EvidenceTraceSource(const trace::SafetensorsFile& file, trace::Manifest manifest,
                        std::set<std::uint32_t> quoted)
        : file_(file)
        , manifest_(std::move(manifest))
        , quoted_(std::move(quoted)) {}

    const trace::Manifest& manifest() override { return manifest_; }

    std::vector<trace::HostTensor> opOutputs(std::uint32_t op) override {
        if (!quoted_.count(op))
            throw EvidenceError("the evidence holds no tensors of op " + std::to_string(op));
        std::vector<trace::HostTensor> out;
        const auto& rec = manifest_.ops.at(op);
        for (std::size_t j = 0; j < rec.outputs.size(); ++j)
            out.push_back(read(opTensor(op, j), rec.outputs[j]));
        return out;
    }

    std::vector<std::pair<std::string, trace::HostTensor>> graphInputs() override {
        std::vector<std::pair<std::string, trace::HostTensor>> out;
        for (const auto& in : manifest_.inputs)
            out.emplace_back(in.name, read("input:" + in.name, in.tensor));
        return out;
    }

private:
    trace::HostTensor read(const std::string& name, const trace::TensorRecord& rec) const {
        if (rec.dtype == commit::DType::None) return {commit::DType::None, {}, {}};
        trace::HostTensor t;
        try {
            t = file_.read(name);
        } catch (const std::exception& e) {
            throw EvidenceError(e.what());
        }
        if (t.hash() != rec.hash)
            throw EvidenceError("tensor '" + name + "' does not match its committed hash " +
                                rec.hash.hex());
        return t;
    }

    const trace::SafetensorsFile& file_;
    trace::Manifest manifest_;
    std::set<std::uint32_t> quoted_;
};

struct OpenedEvidence {
    std::unique_ptr<trace::SafetensorsFile> file;
    json doc;
    trace::Manifest header; // the quoted trace's header, no operators
    EvidenceSummary summary;
};

OpenedEvidence openEvidence(const std::filesystem::path& path) {
    OpenedEvidence e;
    const std::string where = path.string();
    try {
        e.file = std::make_unique<trace::SafetensorsFile>(path);
    } catch (const std::exception& ex) {
        throw EvidenceError(ex.what());
    }
    const auto& meta = e.file->header().metadata;
    auto it = meta.find(kEvidenceMetadataKey);
    if (it == meta.end()) throw EvidenceError(where + ": not an evidence file (no tao.evidence)");
    e.doc = json::parse(it->second, nullptr, false);
    if (e.doc.is_discarded() || !e.doc.is_object())
        throw EvidenceError(where + ": the evidence document is not valid JSON");
    try {
        if (e.doc.value("format", "") != "tao-evidence")
            throw EvidenceError(where + ": not a TAO evidence document");
        if (e.doc.at("version").get<int>() != kEvidenceFormatVersion)
            throw EvidenceError(where + ": evidence format version " + e.doc.at("version").dump() +
                                " is not " + std::to_string(kEvidenceFormatVersion));
        auto& s = e.summary;
        e.header = trace::Manifest::headerFromJson(e.doc.at("trace").dump());
        const auto& header = e.header;
        s.op = e.doc.at("op").get<std::uint32_t>();
        s.kind = e.doc.at("kind").get<std::string>();
        s.scope = e.doc.value("scope", "");
        const auto& v = e.doc.at("verdict");
        const auto verdict = verify::verdictFromName(v.at("name").get<std::string>());
        if (!verdict) throw EvidenceError(where + ": unknown verdict " + v.at("name").dump());
        s.verdict = *verdict;
        s.reason = v.value("reason", "");
        s.soundUtilisation = v.value("soundUtilisation", 0.0);
        s.threshold = v.value("threshold", 0.0);
        s.modelId = header.modelId;
        s.root = header.root;
        s.inputHash = header.inputHash;
        s.profileHash = commit::Hash32::fromHex(e.doc.at("profileHash").get<std::string>());
        s.leafCount = e.doc.at("leafCount").get<std::uint32_t>();
        s.providerRuntime = runtimeLine(header.runtime);
        s.verifierRuntime = e.doc.value("verifier", "");
        for (const auto& q : e.doc.at("ops"))
            s.quotedOps.push_back(q.at("record").at("index").get<std::uint32_t>());
    } catch (const EvidenceError&) {
        throw;
    } catch (const std::exception& ex) {
        throw EvidenceError(where + ": malformed evidence: " + ex.what());
    }
    return e;
}

} // namespace

EvidenceSummary writeEvidence(const std::filesystem::path& path,
                              const std::shared_ptr<graph::Model>& model,
                              const std::shared_ptr<const numerics::Profile>& profile,
                              std::uint32_t op, TraceSource& source) {
    OpChecker checker(model, CheckOptions{profile});
    if (op >= checker.opCount())
        throw std::invalid_argument("op " + std::to_string(op) + " is not an operator of " +
                                    model->name() + " (" + std::to_string(checker.opCount()) +
                                    " operators)");
    const auto& m = source.manifest();
    OpReference reference;
    const auto check = checker.check(op, source, &reference);
    auto quoted = checker.inputOps(op);
    quoted.push_back(op);
    const auto tree = m.merkleTree();

    // Tensors first: the views below borrow from these.
    std::vector<std::pair<std::string, trace::HostTensor>> tensors;
    for (auto& [name, t] : source.graphInputs())
        tensors.emplace_back("input:" + name, std::move(t));
    json ops = json::array();
    for (auto i : quoted) {
        auto outs = source.opOutputs(i);
        for (std::size_t j = 0; j < outs.size(); ++j)
            if (outs[j].dtype != commit::DType::None)
                tensors.emplace_back(opTensor(i, j), std::move(outs[j]));
        json proof = json::array();
        for (const auto& h : tree.prove(i).siblings)
            proof.push_back(h.hex());
        ops.push_back(
            {{"record", json::parse(trace::opRecordToJson(m.ops.at(i)))}, {"proof", proof}});
    }
    for (std::size_t j = 0; j < reference.reference.size(); ++j) {
        tensors.emplace_back("reference:" + std::to_string(j), reference.reference[j]);
        tensors.emplace_back("bound:" + std::to_string(j), reference.bound[j]);
    }
    std::vector<trace::TensorView> views;
    for (const auto& [name, t] : tensors)
        views.push_back({name, t.dtype, t.shape, commit::ByteSpan(t.data.data(), t.data.size())});

    auto header = m;
    header.ops.clear();
    EvidenceSummary s;
    s.op = op;
    s.kind = m.ops.at(op).kind;
    s.scope = m.ops.at(op).scope;
    s.verdict = check.verdict;
    s.reason = check.reason;
    s.soundUtilisation = check.soundUtilisation;
    s.threshold = check.threshold;
    s.modelId = m.modelId;
    s.root = m.root;
    s.inputHash = m.inputHash;
    s.profileHash = profile->hash();
    s.leafCount = m.leafCount();
    s.providerRuntime = runtimeLine(m.runtime);
    s.verifierRuntime = runtimeLine(runtime::describeRuntime({}));
    s.quotedOps = quoted;
    json doc = {{"format", "tao-evidence"},
                {"version", kEvidenceFormatVersion},
                {"op", op},
                {"kind", s.kind},
                {"scope", s.scope},
                {"verdict",
                 {{"name", std::string(verify::verdictName(s.verdict))},
                  {"reason", s.reason},
                  {"soundUtilisation", s.soundUtilisation},
                  {"threshold", s.threshold},
                  {"referenceNote", reference.note}}},
                {"leafCount", s.leafCount},
                {"trace", json::parse(header.toJson())},
                {"ops", ops},
                {"profileHash", s.profileHash.hex()},
                {"profile", json::parse(profile->toJson())},
                {"verifier", s.verifierRuntime}};
    trace::writeSafetensors(path, views, {{kEvidenceMetadataKey, doc.dump()}});
    return s;
}

EvidenceCheck checkEvidence(const std::filesystem::path& path,
                            const std::shared_ptr<graph::Model>& model) {
    auto e = openEvidence(path);
    const std::string where = path.string();
    EvidenceCheck result;
    result.recorded = e.summary;
    const auto& s = e.summary;
    if (s.modelId != model->id())
        throw EvidenceError(where + ": the evidence is for model " + s.modelId.hex() + ", not " +
                            model->name() + " (" + model->id().hex() + ")");
    auto manifest = std::move(e.header);
    const auto opCount = graph::opsOf(*model).size();
    manifest.ops.resize(opCount);
    for (std::size_t i = 0; i < opCount; ++i) {
        manifest.ops[i].index = static_cast<std::uint32_t>(i);
        manifest.ops[i].kind = graph::opsOf(*model)[i].kind;
    }
    if (manifest.leafCount() != s.leafCount)
        throw EvidenceError(where + ": the evidence's trace has " + std::to_string(s.leafCount) +
                            " leaves; this model's trace has " +
                            std::to_string(manifest.leafCount()));
    if (trace::namedTensorsHash(manifest.inputs) != manifest.inputHash)
        throw EvidenceError(where + ": the input records do not hash to the input hash " +
                            manifest.inputHash.hex());
    std::set<std::uint32_t> quoted;
    for (const auto& q : e.doc.at("ops")) {
        const auto index = q.at("record").at("index").get<std::uint32_t>();
        const std::string what = where + ": op " + std::to_string(index);
        if (index >= opCount) throw EvidenceError(what + " is not an operator of the model");
        trace::OpRecord rec;
        commit::InclusionProof proof{index, {}};
        try {
            rec = trace::opRecordFromJson(q.at("record").dump(), index, what);
            for (const auto& h : q.at("proof"))
                proof.siblings.push_back(commit::Hash32::fromHex(h.get<std::string>(), what));
        } catch (const std::exception& ex) {
            throw EvidenceError(ex.what());
        }
        if (!rec.outputsMatchHash())
            throw EvidenceError(what + ": its output records do not hash to its output hash");
        if (!commit::verifyProof(s.root, s.leafCount, commit::leafHash(rec.leafData()), proof))
            throw EvidenceError(what + ": the inclusion proof does not reach the trace root " +
                                s.root.hex());
        manifest.ops[index] = std::move(rec);
        quoted.insert(index);
    }
    if (!quoted.count(s.op))
        throw EvidenceError(where + ": the judged op " + std::to_string(s.op) + " is not quoted");
    std::shared_ptr<const numerics::Profile> profile;
    try {
        profile = std::make_shared<numerics::Profile>(
            numerics::Profile::fromJson(e.doc.at("profile").dump(), where + " profile"));
    } catch (const std::exception& ex) {
        throw EvidenceError(ex.what());
    }
    if (profile->hash() != s.profileHash)
        throw EvidenceError(where + ": the profile does not hash to " + s.profileHash.hex());
    std::unique_ptr<OpChecker> checker;
    try {
        checker = std::make_unique<OpChecker>(model, CheckOptions{profile});
    } catch (const std::exception& ex) {
        throw EvidenceError(where + ": " + ex.what());
    }
    EvidenceTraceSource source(*e.file, std::move(manifest), std::move(quoted));
    result.recomputed = checker->check(s.op, source);
    result.agrees = result.recomputed.verdict == s.verdict;
    return result;
}

} // namespace tao::dispute
