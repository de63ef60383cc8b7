#include "core/trace/manifest.hpp"

#include "core/commit/tensor_hash.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace tao::trace {

using commit::Hash32;
using nlohmann::json;

commit::LeafData OpRecord::leafData() const {
    return {index, commit::keccak256(kind), outputHash};
}

bool OpRecord::outputsMatchHash() const {
    std::vector<commit::Hash32> hashes;
    for (const auto& t : outputs)
        hashes.push_back(t.hash);
    return commit::outputsHash(hashes) == outputHash;
}

std::uint32_t Manifest::leafCount() const {
    return static_cast<std::uint32_t>(ops.size() + (hasOutputLeaf() ? 1 : 0));
}

commit::LeafData Manifest::leafData(std::uint32_t leaf) const {
    if (leaf < ops.size()) return ops[leaf].leafData();
    if (leaf >= leafCount())
        throw std::out_of_range("trace leaf " + std::to_string(leaf) + " is past its " +
                                std::to_string(leafCount()) + " leaves");
    return {leaf, commit::keccak256(commit::kOutputLeafKind), outputHash};
}

std::vector<std::uint32_t> Manifest::leafInputs(std::uint32_t leaf) const {
    if (leaf < ops.size()) return inputOpsOf(ops[leaf].inputs);
    if (leaf >= leafCount())
        throw std::out_of_range("trace leaf " + std::to_string(leaf) + " is past its " +
                                std::to_string(leafCount()) + " leaves");
    return inputOpsOf(outputs);
}

commit::MerkleTree Manifest::graphTree() const {
    auto entries = graphEntries(
        ops.size(), [&](std::size_t i) -> const std::string& { return ops[i].kind; },
        [&](std::size_t i) -> const std::vector<std::string>& { return ops[i].inputs; }, outputs);
    if (!hasOutputLeaf()) entries.pop_back();
    return commit::graphTree(entries);
}

namespace {
std::vector<Hash32> leavesOf(const Manifest& m) {
    std::vector<Hash32> leaves;
    leaves.reserve(m.leafCount());
    for (std::uint32_t i = 0; i < m.leafCount(); ++i)
        leaves.push_back(commit::leafHash(m.leafData(i)));
    return leaves;
}
} // namespace

commit::MerkleTree Manifest::merkleTree() const {
    return commit::MerkleTree(leavesOf(*this));
}

commit::GameTree Manifest::gameTree(unsigned k) const {
    return commit::GameTree(leavesOf(*this), k);
}

std::vector<commit::GraphEntry>
graphEntries(std::size_t opCount, const std::function<const std::string&(std::size_t)>& kindOf,
             const std::function<const std::vector<std::string>&(std::size_t)>& inputsOf,
             const std::vector<std::string>& outputRefs) {
    std::vector<commit::GraphEntry> entries;
    entries.reserve(opCount + 1);
    for (std::size_t i = 0; i < opCount; ++i)
        entries.push_back(
            {static_cast<std::uint32_t>(i), commit::keccak256(kindOf(i)), inputOpsOf(inputsOf(i))});
    entries.push_back({static_cast<std::uint32_t>(opCount),
                       commit::keccak256(commit::kOutputLeafKind), inputOpsOf(outputRefs)});
    return entries;
}

std::vector<Hash32> referencedHashes(const Manifest& m, const std::vector<std::string>& refs) {
    std::vector<Hash32> out;
    for (const auto& ref : refs) {
        auto bad = [&](const std::string& why) {
            return std::invalid_argument("reference '" + ref + "' " + why);
        };
        if (ref.rfind("input:", 0) == 0) {
            const auto name = ref.substr(6);
            auto it = std::find_if(m.inputs.begin(), m.inputs.end(),
                                   [&](const auto& t) { return t.name == name; });
            if (it == m.inputs.end()) throw bad("names no input of the trace");
            out.push_back(it->tensor.hash);
            continue;
        }
        std::size_t dot = ref.find('.');
        if (ref.rfind("op:", 0) != 0 || dot == std::string::npos)
            throw bad("is not an op output or a model input");
        std::uint64_t op = 0, first = 0;
        try {
            op = std::stoull(ref.substr(3, dot - 3));
            first = std::stoull(ref.substr(dot + 1));
        } catch (const std::exception&) {
            throw bad("is malformed");
        }
        if (op >= m.ops.size()) throw bad("is past the trace's ops");
        const auto& rec = m.ops[op];
        // The node output starting at flattened position `first`: one tensor or a whole list.
        std::uint64_t pos = 0;
        bool found = false;
        for (int list : rec.outputLists) {
            const std::uint64_t width = list < 0 ? 1 : static_cast<std::uint64_t>(list);
            if (pos == first) {
                for (std::uint64_t j = pos; j < pos + width; ++j)
                    out.push_back(rec.outputs.at(j).hash);
                found = true;
                break;
            }
            pos += width;
        }
        if (!found) throw bad("is not the start of an output of op " + std::to_string(op));
    }
    return out;
}

Hash32 Manifest::commitment(unsigned k) const {
    return commit::traceCommitment(root, gameTree(k).root());
}

namespace {
bool isCuda(const std::string& device) {
    return device.rfind("cuda", 0) == 0; // "cuda" or "cuda:N"
}
} // namespace

ArithmeticFlags defaultArithmetic(const std::string& device) {
    ArithmeticFlags f;
    f.tf32Conv = isCuda(device);
    return f;
}

ArithmeticFlags effectiveArithmetic(const std::string& device, const ArithmeticFlags& flags) {
    auto f = flags;
    if (!isCuda(device)) {
        f.tf32Matmul = false;
        f.tf32Conv = false;
        f.reducedPrecisionReduction = false;
    }
    return f;
}

std::string runtimeSummary(const RuntimeInfo& r) {
    return "LibTorch " + r.libtorch + ", " + r.device + ", " + std::to_string(r.threads) +
           " thread(s), oneDNN " + (r.onednn ? "on" : "off") + ", " + r.host;
}

std::string arithmeticSummary(const RuntimeInfo& runtime) {
    const auto f = effectiveArithmetic(runtime.device, runtime.arithmetic);
    std::vector<std::string> parts;
    if (f.tf32Matmul) parts.push_back("TF32 matmuls");
    if (f.tf32Conv) parts.push_back("TF32 convolutions");
    if (f.reducedPrecisionReduction) parts.push_back("reduced-precision FP16 reductions");
    if (f.flushDenormal) parts.push_back("flushed denormals");
    if (f.deterministic) parts.push_back("deterministic algorithms");
    if (!f.convAlgorithm.empty()) parts.push_back("convolution algorithm " + f.convAlgorithm);
    std::string text;
    for (const auto& p : parts)
        text += (text.empty() ? "" : ", ") + p;
    if (text.empty()) text = "IEEE FP32";
    if (!runtime.arithmetic.recorded) text += " (not recorded; device defaults)";
    return text;
}

std::vector<std::uint32_t> inputOpsOf(const std::vector<std::string>& inputRefs) {
    std::set<std::uint32_t> ops;
    for (const auto& ref : inputRefs)
        if (ref.rfind("op:", 0) == 0)
            ops.insert(static_cast<std::uint32_t>(std::stoul(ref.substr(3))));
    return {ops.begin(), ops.end()};
}

bool Manifest::hasLayouts() const {
    for (const auto& op : ops)
        for (const auto& t : op.outputs)
            if (!t.layout && t.dtype != commit::DType::None) return false;
    return true;
}

Hash32 namedTensorsHash(const std::vector<NamedTensorRecord>& tensors) {
    std::vector<const NamedTensorRecord*> sorted;
    for (const auto& t : tensors)
        sorted.push_back(&t);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
    std::vector<std::uint8_t> buf;
    for (const auto* t : sorted) {
        buf.insert(buf.end(), t->name.begin(), t->name.end());
        buf.push_back(0);
        buf.insert(buf.end(), t->tensor.hash.bytes.begin(), t->tensor.hash.bytes.end());
    }
    return commit::sha256(buf);
}

namespace {

json tensorJson(const TensorRecord& t) {
    json j = {
        {"dtype", commit::safetensorsName(t.dtype)}, {"shape", t.shape}, {"hash", t.hash.hex()}};
    if (t.layout) {
        j["layout"] = {{"strides", t.layout->strides}, {"offset", t.layout->storageOffset}};
        if (!t.layout->viewOf.empty()) j["layout"]["viewOf"] = t.layout->viewOf;
    }
    return j;
}

// Field access that names the field in every error.
class Reader {
public:
    Reader(const json& j, std::string where)
        : j_(j)
        , where_(std::move(where)) {
        if (!j_.is_object()) fail("is not an object");
    }
    [[noreturn]] void fail(const std::string& why) const {
        throw std::runtime_error(where_ + " " + why);
    }
    const json& at(const char* key) const {
        if (!j_.contains(key)) fail("has no field '" + std::string(key) + "'");
        return j_[key];
    }
    std::string str(const char* key) const {
        const auto& v = at(key);
        if (!v.is_string()) fail("field '" + std::string(key) + "' is not a string");
        return v.get<std::string>();
    }
    bool has(const char* key) const { return j_.contains(key); }
    std::string strOr(const char* key, std::string def) const {
        return j_.contains(key) ? str(key) : def;
    }
    std::int64_t integer(const char* key) const {
        const auto& v = at(key);
        if (!v.is_number_integer()) fail("field '" + std::string(key) + "' is not an integer");
        return v.get<std::int64_t>();
    }
    bool boolean(const char* key) const {
        const auto& v = at(key);
        if (!v.is_boolean()) fail("field '" + std::string(key) + "' is not true/false");
        return v.get<bool>();
    }
    Hash32 hash(const char* key) const {
        try {
            return Hash32::fromHex(str(key), key);
        } catch (const std::invalid_argument& e) {
            fail(std::string("has a bad hash: ") + e.what());
        }
    }
    const json& array(const char* key) const {
        const auto& v = at(key);
        if (!v.is_array()) fail("field '" + std::string(key) + "' is not an array");
        return v;
    }
    const std::string& where() const { return where_; }

private:
    const json& j_;
    std::string where_;
};

TensorLayout layoutFrom(const json& j, const std::string& where,
                        const std::vector<std::int64_t>& shape) {
    Reader r(j, where);
    TensorLayout l;
    for (const auto& s : r.array("strides")) {
        if (!s.is_number_integer() || s.get<std::int64_t>() < 0)
            r.fail("has a negative or non-integer stride");
        l.strides.push_back(s.get<std::int64_t>());
    }
    if (l.strides.size() != shape.size())
        r.fail("has " + std::to_string(l.strides.size()) + " strides for " +
               std::to_string(shape.size()) + " dimensions");
    l.storageOffset = r.integer("offset");
    if (l.storageOffset < 0) r.fail("has a negative storage offset");
    // Reject layouts whose extent does not even fit in 64 bits (replay caps what it allocates).
    double extent = static_cast<double>(l.storageOffset);
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] > 0)
            extent += static_cast<double>(shape[i] - 1) * static_cast<double>(l.strides[i]);
    if (extent > 0x1p62) r.fail("describes a storage beyond 2^62 elements");
    l.viewOf = r.strOr("viewOf", "");
    return l;
}

TensorRecord tensorFrom(const json& j, const std::string& where) {
    Reader r(j, where);
    auto dtype = commit::dtypeFromSafetensorsName(r.str("dtype"));
    if (!dtype) r.fail("has an unknown dtype '" + r.str("dtype") + "'");
    TensorRecord t{*dtype, {}, r.hash("hash")};
    for (const auto& d : r.array("shape")) {
        if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
            r.fail("has a negative or non-integer dimension");
        t.shape.push_back(d.get<std::int64_t>());
    }
    if (t.dtype == commit::DType::None && !t.shape.empty())
        r.fail("is an undefined (NONE) output with a shape");
    if (j.contains("layout")) t.layout = layoutFrom(j["layout"], where + " layout", t.shape);
    return t;
}

json arithmeticJson(const ArithmeticFlags& f) {
    return {{"tf32Matmul", f.tf32Matmul},
            {"tf32Conv", f.tf32Conv},
            {"reducedPrecisionReduction", f.reducedPrecisionReduction},
            {"flushDenormal", f.flushDenormal},
            {"deterministic", f.deterministic},
            {"cudnnBenchmark", f.cudnnBenchmark},
            {"convAlgorithm", f.convAlgorithm}};
}

// Traces without the "arithmetic" object (written before it existed) get the device's
// PyTorch defaults, except the cuBLAS flag they did record as "tf32".
ArithmeticFlags arithmeticFrom(const Reader& rt, const std::string& device) {
    auto f = defaultArithmetic(device);
    f.tf32Matmul = rt.boolean("tf32");
    if (!rt.has("arithmetic")) return f;
    Reader a(rt.at("arithmetic"), "manifest.runtime.arithmetic");
    f.tf32Matmul = a.boolean("tf32Matmul");
    f.tf32Conv = a.boolean("tf32Conv");
    f.reducedPrecisionReduction = a.boolean("reducedPrecisionReduction");
    f.flushDenormal = a.boolean("flushDenormal");
    f.deterministic = a.boolean("deterministic");
    f.cudnnBenchmark = a.boolean("cudnnBenchmark");
    f.convAlgorithm = a.strOr("convAlgorithm", "");
    f.recorded = true;
    return f;
}

std::vector<std::string> stringsFrom(const json& arr, const Reader& r, const char* key) {
    std::vector<std::string> out;
    for (const auto& v : arr) {
        if (!v.is_string()) r.fail("field '" + std::string(key) + "' holds a non-string");
        out.push_back(v.get<std::string>());
    }
    return out;
}

json opJson(const OpRecord& op) {
    json outs = json::array();
    for (const auto& t : op.outputs)
        outs.push_back(tensorJson(t));
    return {{"index", op.index},
            {"kind", op.kind},
            {"scope", op.scope},
            {"inputs", op.inputs},
            {"outputs", outs},
            {"outputLists", op.outputLists},
            {"outputHash", op.outputHash.hex()}};
}

} // namespace

std::string Manifest::toJson() const {
    json ops_ = json::array();
    for (const auto& op : ops)
        ops_.push_back(opJson(op));
    json ins = json::array();
    for (const auto& t : inputs) {
        auto j = tensorJson(t.tensor);
        j["name"] = t.name;
        ins.push_back(j);
    }
    json doc = {{"format", "tao-trace"},
                {"version", version},
                {"mode", light ? "light" : "full"},
                {"model", {{"id", modelId.hex()}, {"name", modelName}, {"opCount", ops.size()}}},
                {"input", {{"hash", inputHash.hex()}, {"tensors", ins}}},
                {"runtime",
                 {{"libtorch", runtime.libtorch},
                  {"device", runtime.device},
                  {"blas", runtime.blas},
                  {"host", runtime.host},
                  {"threads", runtime.threads},
                  {"onednn", runtime.onednn},
                  // Kept for readers that predate "arithmetic".
                  {"tf32", runtime.arithmetic.tf32Matmul},
                  {"arithmetic", arithmeticJson(runtime.arithmetic)}}},
                {"outputs", outputs},
                {"outputHash", outputHash.hex()},
                {"root", root.hex()},
                {"ops", ops_}};
    return doc.dump(1);
}

namespace {

OpRecord opFrom(const json& j, std::uint32_t index, const std::string& where) {
    Reader r(j, where);
    OpRecord op;
    if (r.integer("index") != static_cast<std::int64_t>(index))
        r.fail("has index " + std::to_string(r.integer("index")) + " where " +
               std::to_string(index) + " belongs");
    op.index = index;
    op.kind = r.str("kind");
    op.scope = r.strOr("scope", "");
    op.inputs = stringsFrom(r.array("inputs"), r, "inputs");
    for (const auto& t : r.array("outputs"))
        op.outputs.push_back(tensorFrom(t, r.where() + " output"));
    std::size_t flattened = 0;
    for (const auto& v : r.array("outputLists")) {
        if (!v.is_number_integer() || v.get<int>() < -1) r.fail("has a bad outputLists entry");
        op.outputLists.push_back(v.get<int>());
        flattened += v.get<int>() < 0 ? 1 : static_cast<std::size_t>(v.get<int>());
    }
    if (flattened != op.outputs.size())
        r.fail("outputLists describe " + std::to_string(flattened) + " tensors but " +
               std::to_string(op.outputs.size()) + " are listed");
    op.outputHash = r.hash("outputHash");
    return op;
}

// Everything but the operators; `requireOps` also insists the document lists some.
Manifest manifestFrom(std::string_view text, bool requireOps) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw std::runtime_error("manifest is not valid JSON");
    Reader top(doc, "manifest");
    if (top.strOr("format", "") != "tao-trace") top.fail("is not a TAO trace manifest");
    Manifest m;
    m.version = static_cast<int>(top.integer("version"));
    if (m.version < kOldestTraceFormatVersion || m.version > kTraceFormatVersion)
        top.fail("has format version " + std::to_string(m.version) +
                 "; this program reads versions " + std::to_string(kOldestTraceFormatVersion) +
                 " to " + std::to_string(kTraceFormatVersion));
    auto mode = top.str("mode");
    if (mode != "full" && mode != "light") top.fail("has unknown mode '" + mode + "'");
    m.light = mode == "light";
    Reader model(top.at("model"), "manifest.model");
    m.modelId = model.hash("id");
    m.modelName = model.strOr("name", "");
    Reader input(top.at("input"), "manifest.input");
    m.inputHash = input.hash("hash");
    for (const auto& t : input.array("tensors")) {
        Reader r(t, "manifest.input.tensors[]");
        m.inputs.push_back(
            {r.str("name"), tensorFrom(t, "manifest input '" + r.str("name") + "'")});
    }
    Reader rt(top.at("runtime"), "manifest.runtime");
    m.runtime = {rt.strOr("libtorch", ""),
                 rt.strOr("device", "cpu"),
                 rt.strOr("blas", ""),
                 rt.strOr("host", ""),
                 static_cast<int>(rt.integer("threads")),
                 rt.boolean("onednn")};
    m.runtime.arithmetic = arithmeticFrom(rt, m.runtime.device);
    m.outputs = stringsFrom(top.array("outputs"), top, "outputs");
    m.outputHash = top.hash("outputHash");
    m.root = top.hash("root");
    if (!requireOps) return m;
    const auto& ops = top.array("ops");
    if (ops.empty()) top.fail("has no operators");
    for (std::size_t i = 0; i < ops.size(); ++i)
        m.ops.push_back(opFrom(ops[i], static_cast<std::uint32_t>(i),
                               "manifest op " + std::to_string(i) + " (ops must be in order)"));
    return m;
}

} // namespace

Manifest Manifest::fromJson(std::string_view text) {
    return manifestFrom(text, true);
}

Manifest Manifest::headerFromJson(std::string_view text) {
    return manifestFrom(text, false);
}

std::string opRecordToJson(const OpRecord& op) {
    return opJson(op).dump();
}

OpRecord opRecordFromJson(std::string_view text, std::uint32_t index, const std::string& where) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) throw std::runtime_error(where + " is not valid JSON");
    return opFrom(j, index, where);
}

} // namespace tao::trace
