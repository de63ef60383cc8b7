// Model identity that does not depend on how a LibTorch version prints graphs:
// a canonical text (docs/trace-format.md, "Model id") built from the inlined
// forward graph and the weights, hashed with SHA-256. scripts/model-id computes
// the same text from Python; the graph test holds the two to equality.
#include "core/commit/hash.hpp"
#include "core/graph/mapped_weights.hpp"
#include "core/graph/model.hpp"
#include "core/graph/tensor_convert.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace tao::graph {

using torch::jit::Node;
using torch::jit::Value;

namespace {

std::string hexBits(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits));
    return buf;
}

// Tensor hashes by tensor: a weight is named in the attribute lines and in the weight
// lines, and hashing it once halves the cost of loading a large model. Weights mapped
// from the archive give their pages back as they are hashed, so the load does not hold
// the whole model, or its largest weight, resident.
using HashCache = std::unordered_map<const c10::TensorImpl*, commit::Hash32>;

commit::Hash32 cachedHash(const at::Tensor& t, HashCache* cache) {
    if (!cache) return tensorHash(t);
    auto [it, added] = cache->try_emplace(t.unsafeGetTensorImpl());
    if (added)
        it->second = tensorHash(t, [&](commit::ByteSpan piece) {
            MappedWeights::releaseBytes(t, piece.data(), piece.size());
        });
    return it->second;
}

// A constant by value. Kinds a TorchScript constant rarely holds (enums, complex,
// objects) are named by type only: the id then does not bind their value.
std::string encodeConstant(const c10::IValue& v, const c10::TypePtr& type,
                           HashCache* cache = nullptr) {
    if (v.isNone()) return "None";
    if (v.isBool()) return v.toBool() ? "true" : "false";
    if (v.isInt()) return "i" + std::to_string(v.toInt());
    if (v.isDouble()) return "f" + hexBits(v.toDouble());
    if (v.isString()) {
        const auto& s = v.toStringRef();
        return "s" + std::to_string(s.size()) + ":" + s;
    }
    if (v.isDevice()) return "d" + v.toDevice().str();
    if (v.isTensor()) return "t" + cachedHash(v.toTensor(), cache).hex();
    if (v.isList() || v.isTuple()) {
        const bool list = v.isList();
        std::string out = list ? "[" : "(";
        const auto& elems = list ? v.toListRef() : v.toTupleRef().elements();
        for (std::size_t i = 0; i < elems.size(); ++i)
            out += (i ? "," : "") + encodeConstant(elems[i], nullptr, cache);
        return out + (list ? "]" : ")");
    }
    return "u:" + std::string(c10::typeKindToString(type ? type->kind() : c10::TypeKind::AnyType));
}

bool isModuleType(const c10::TypePtr& t) {
    auto cls = t->cast<c10::ClassType>();
    return cls && cls->is_module();
}

} // namespace

void Model::computeId() {
    std::string text = "tao-model v2\n";
    std::unordered_map<const Value*, std::string> ref;
    std::vector<std::pair<std::string, c10::IValue>> attributes;
    const auto inputs = graph_->inputs();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        ref[inputs[i]] = i == 0 ? "self" : "input:" + inputNames_[i - 1];
        if (i > 0) text += "input " + inputNames_[i - 1] + "\n";
    }
    std::unordered_map<const Value*, std::string> attrPath;
    std::unordered_map<const Value*, c10::IValue> attrValue;
    attrValue[inputs[0]] = module_._ivalue();
    std::size_t emitted = 0;
    for (const Node* n : graph_->nodes()) {
        if (n->kind() == c10::prim::Constant) {
            ref[n->output()] = "c:" + encodeConstant(torch::jit::toIValue(n->output()).value(),
                                                     n->output()->type());
            continue;
        }
        if (n->kind() == c10::prim::GetAttr) {
            const auto* parent = n->input(0);
            auto parentPath = attrPath.count(parent) ? attrPath[parent] : std::string();
            auto path = (parentPath.empty() ? "" : parentPath + ".") + n->s(c10::attr::name);
            attrPath[n->output()] = path;
            ref[n->output()] = "attr:" + path;
            if (auto it = attrValue.find(parent); it != attrValue.end() && it->second.isObject()) {
                auto value = it->second.toObjectRef().getAttr(n->s(c10::attr::name));
                attrValue[n->output()] = value;
                if (!isModuleType(n->output()->type()) &&
                    std::none_of(attributes.begin(), attributes.end(),
                                 [&](const auto& a) { return a.first == path; }))
                    attributes.emplace_back(path, value);
            }
            continue;
        }
        // The overload's name identifies the schema; the printed signature is not used
        // because its type spellings change between versions (int[] became SymInt[]).
        const auto* schema = n->maybeSchema();
        std::string overload = "-";
        if (schema)
            overload = schema->name() +
                       (schema->overload_name().empty() ? "" : "." + schema->overload_name());
        text += "node " + std::to_string(emitted) + " " + n->kind().toQualString() + " | " +
                overload + " |";
        for (std::size_t i = 0; i < n->inputs().size(); ++i)
            text += (i ? "," : " ") + ref.at(n->input(i));
        text += " | " + std::to_string(n->outputs().size()) + "\n";
        for (std::size_t j = 0; j < n->outputs().size(); ++j)
            ref[n->output(j)] = "%" + std::to_string(emitted) + "." + std::to_string(j);
        ++emitted;
    }
    text += "output";
    for (std::size_t i = 0; i < graph_->outputs().size(); ++i)
        text += (i ? "," : " ") + ref.at(graph_->outputs()[i]);
    text += "\n";
    HashCache hashes;
    for (const auto& [path, value] : attributes)
        text += "attr " + path + " = " + encodeConstant(value, nullptr, &hashes) + "\n";
    // Each weight is hashed once and named both ways: the legacy id prefixes the kind.
    struct Weight {
        std::string name, legacyName;
        commit::Hash32 hash;
    };
    std::vector<Weight> hashed;
    weights_.clear();
    for (const auto& p : module_.named_parameters(true))
        weights_.push_back({p.name, p.value, false});
    for (const auto& b : module_.named_buffers(true))
        weights_.push_back({b.name, b.value, true});
    for (const auto& w : weights_)
        hashed.push_back(
            {w.name, (w.buffer ? "buffer:" : "param:") + w.name, cachedHash(w.tensor, &hashes)});
    std::sort(hashed.begin(), hashed.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& w : hashed)
        text += "weight " + w.name + " " + w.hash.hex() + "\n";
    std::sort(hashed.begin(), hashed.end(),
              [](const auto& a, const auto& b) { return a.legacyName < b.legacyName; });
    commit::Sha256Stream legacy;
    legacy.update(commit::ByteSpan(reinterpret_cast<const std::uint8_t*>(graphText_.data()),
                                   graphText_.size()));
    for (const auto& w : hashed) {
        legacy.update(commit::ByteSpan(reinterpret_cast<const std::uint8_t*>(w.legacyName.data()),
                                       w.legacyName.size() + 1));
        legacy.update(w.hash.bytes);
    }
    legacyId_ = legacy.finish();
    canonicalText_ = std::move(text);
    id_ = commit::sha256(commit::ByteSpan(
        reinterpret_cast<const std::uint8_t*>(canonicalText_.data()), canonicalText_.size()));
}

} // namespace tao::graph
