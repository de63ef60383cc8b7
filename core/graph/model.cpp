#include "core/graph/model.hpp"

#include "core/graph/mapped_weights.hpp"
#include "core/graph/mapping_guard.hpp"
#include "core/graph/tensor_convert.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <torch/csrc/jit/ir/alias_analysis.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <unordered_map>

namespace tao::graph {

namespace fs = std::filesystem;
using torch::jit::Node;
using torch::jit::Value;

namespace {

bool isTensorType(const c10::TypePtr& t) {
    return t->kind() == c10::TypeKind::TensorType;
}

bool isTensorListType(const c10::TypePtr& t) {
    auto list = t->cast<c10::ListType>();
    return list && isTensorType(list->getElementType());
}

NodeRole roleOf(const Node* n) {
    auto k = n->kind();
    if (k == c10::prim::Constant) return NodeRole::Constant;
    if (k == c10::prim::GetAttr) return NodeRole::Attribute;
    if (k == c10::prim::ListConstruct) return NodeRole::ListConstruct;
    if (k == c10::prim::ListUnpack) return NodeRole::ListUnpack;
    if (k == c10::prim::TupleConstruct) return NodeRole::TupleConstruct;
    if (k == c10::prim::TupleUnpack) return NodeRole::TupleUnpack;
    if (k == c10::prim::TupleIndex) return NodeRole::TupleIndex;
    if (n->outputs().empty()) return NodeRole::Glue;
    for (auto* v : n->outputs())
        if (!isTensorType(v->type()) && !isTensorListType(v->type())) return NodeRole::Glue;
    return NodeRole::Operator;
}

// The module path of a node from its inlined call stack. Containers that are
// iterated rather than called (ModuleList, ModuleDict) leave no entry of their
// own, so a name not found on the parent is looked up one container deeper:
// "0" under the root becomes "blocks.0".
std::string scopeOf(const Node* n, const torch::jit::Module& root) {
    auto cs = n->callstack();
    if (!cs) return {};
    std::string scope;
    std::optional<torch::jit::Module> current = root;
    for (const auto& entry : (*cs)->vec()) {
        const auto& info = std::get<2>(entry);
        if (!info || info->instance_name().empty()) continue;
        const auto& name = info->instance_name();
        std::string step = name;
        std::optional<torch::jit::Module> next;
        if (current) {
            for (const auto& child : current->named_children()) {
                if (child.name == name) {
                    next = child.value;
                    break;
                }
            }
            if (!next)
                for (const auto& container : current->named_children())
                    for (const auto& child : container.value.named_children())
                        if (!next && child.name == name) {
                            next = child.value;
                            step = container.name + "." + name;
                        }
        }
        current = next;
        scope += (scope.empty() ? "" : ".") + step;
    }
    return scope;
}

std::string inputName(const Value* v) {
    auto name = v->debugName();
    // The JIT adds ".1" style suffixes to keep names unique; the user-facing name drops it.
    auto dot = name.rfind('.');
    if (dot != std::string::npos && dot + 1 < name.size() &&
        std::all_of(name.begin() + dot + 1, name.end(), ::isdigit))
        name = name.substr(0, dot);
    return name;
}

std::vector<InputSpec> parseInputSpecs(const std::string& text, const fs::path& path) {
    std::vector<InputSpec> specs;
    if (text.empty()) return specs;
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.contains("inputs") || !doc["inputs"].is_array())
        throw ModelError(path.string() + ": extra file tao.json is malformed");
    for (const auto& j : doc["inputs"]) {
        InputSpec s;
        s.name = j.value("name", "");
        s.dtype = j.value("dtype", "F32");
        s.shape = j.value("shape", std::vector<std::int64_t>{});
        s.distribution = j.value("distribution", "normal");
        s.high = j.value("high", std::int64_t{0});
        specs.push_back(std::move(s));
    }
    return specs;
}

} // namespace

std::shared_ptr<Model> Model::load(const fs::path& path, WeightResidence residence) {
    if (!fs::is_regular_file(path)) throw ModelError(path.string() + ": no such model file");
    auto m = std::shared_ptr<Model>(new Model());
    m->path_ = path;
    torch::jit::ExtraFilesMap extra{{"tao.json", ""}};
    std::optional<MappedWeights::Loaded> mapped;
    if (residence == WeightResidence::BySize) {
        std::error_code sizeUnknown;
        const auto bytes = fs::file_size(path, sizeUnknown);
        residence = sizeUnknown ? WeightResidence::MappedFile : residenceForArchive(bytes);
    }
    if (residence == WeightResidence::MappedFile) try {
            mapped = MappedWeights::load(path, extra);
        } catch (const std::exception&) {
            // The ordinary load below reads the archive again and words what is wrong.
        }
    try {
        if (mapped) {
            m->module_ = std::move(mapped->module);
            m->mappedWeightBytes_ = mapped->mappedBytes;
            m->weightsFileUnchanged_ = std::move(mapped->fileUnchanged);
        } else {
            m->module_ = torch::jit::load(path.string(), torch::kCPU, extra);
        }
    } catch (const std::exception& e) {
        std::string what = e.what();
        throw ModelError(path.string() + ": not a readable TorchScript archive (" +
                         what.substr(0, what.find('\n')) + ")");
    }
    m->module_.eval();
    m->inputSpecs_ = parseInputSpecs(extra["tao.json"], path);
    m->build();
    m->computeId();
    m->indexWeightReaders();
    return m;
}

void Model::indexWeightReaders() {
    std::unordered_map<std::string, std::uint32_t> lastReader;
    for (const auto& op : ops_)
        for (const auto& ref : op.inputs)
            if (ref.rfind("param:", 0) == 0) lastReader[ref.substr(6)] = op.index;
    lastWeightReader_.clear();
    for (const auto& w : weights_)
        if (auto it = lastReader.find(w.name); it != lastReader.end() && w.tensor.has_storage())
            lastWeightReader_[w.tensor.storage().unsafeGetStorageImpl()] = it->second;
}

void Model::build() {
    if (!module_.find_method("forward"))
        throw ModelError(path_.string() + ": the module has no forward method");
    graph_ = module_.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph_);
    graphText_ = graph_->toString(false);

    std::unordered_map<const Value*, int> slot;
    auto slotOf = [&](const Value* v) {
        auto [it, added] = slot.emplace(v, static_cast<int>(slot.size()));
        return it->second;
    };
    for (std::size_t i = 0; i < graph_->inputs().size(); ++i) {
        int s = slotOf(graph_->inputs()[i]);
        if (i == 0) {
            selfSlot_ = s;
        } else {
            inputNames_.push_back(inputName(graph_->inputs()[i]));
            inputSlots_.push_back(s);
        }
    }
    for (Node* n : graph_->nodes()) {
        if (!n->blocks().empty())
            throw ModelError(path_.string() + ": control flow (" +
                             std::string(n->kind().toQualString()) +
                             ") cannot be flattened into an operator trace; export the model with "
                             "torch.jit.trace so the graph is straight-line");
        std::string kind = n->kind().toUnqualString();
        if (n->kind().is_aten() && kind.size() > 1 && kind.back() == '_' &&
            kind[kind.size() - 2] != '_')
            mutatesInPlace_ = true;
        NodeEntry e;
        e.node = n;
        e.role = roleOf(n);
        for (auto* v : n->inputs())
            e.inputSlots.push_back(slotOf(v));
        for (auto* v : n->outputs())
            e.outputSlots.push_back(slotOf(v));
        if (e.role == NodeRole::Attribute) e.attribute = n->s(c10::attr::name);
        if (e.role == NodeRole::Glue || e.role == NodeRole::Operator) {
            try {
                e.operation = n->getOperation();
            } catch (const std::exception& err) {
                throw ModelError(path_.string() + ": operator " +
                                 std::string(n->kind().toQualString()) +
                                 " has no implementation in this LibTorch");
            }
        }
        nodes_.push_back(std::move(e));
    }
    for (auto* v : graph_->outputs())
        outputSlots_.push_back(slotOf(v));
    slotCount_ = slot.size();
    std::vector<const Value*> slotValues(slotCount_);
    for (const auto& [v, s] : slot)
        slotValues[s] = v;

    producer_.assign(slotCount_, -1);
    constants_.assign(slotCount_, c10::IValue());
    paramName_.assign(slotCount_, "");
    opOutputOf_.assign(slotCount_, {-1, -1});
    std::vector<int> lastUse(slotCount_, -1);
    for (std::size_t pos = 0; pos < nodes_.size(); ++pos) {
        auto& e = nodes_[pos];
        for (int s : e.inputSlots)
            lastUse[s] = static_cast<int>(pos);
        for (int s : e.outputSlots)
            producer_[s] = static_cast<int>(pos);
        if (e.role == NodeRole::Constant)
            constants_[e.outputSlots[0]] = torch::jit::toIValue(e.node->output()).value();
        if (e.role == NodeRole::Attribute) {
            const auto& parent = paramName_[e.inputSlots[0]];
            paramName_[e.outputSlots[0]] =
                parent.empty() ? e.attribute : parent + "." + e.attribute;
        }
        if (e.role == NodeRole::Operator) {
            e.op = static_cast<int>(ops_.size());
            opNodes_.push_back(static_cast<int>(pos));
            OpInfo info;
            info.index = static_cast<std::uint32_t>(e.op);
            info.kind = e.node->kind().toQualString();
            info.scope = scopeOf(e.node, module_);
            if (auto* schema = e.node->maybeSchema()) info.schema = c10::toString(*schema);
            int flat = 0;
            for (std::size_t j = 0; j < e.outputSlots.size(); ++j) {
                opOutputOf_[e.outputSlots[j]] = {e.op, flat};
                bool isList = !isTensorType(e.node->outputs()[j]->type());
                info.outputLists.push_back(isList ? 0 : -1);
                ++flat; // lists count as one position here; runtime flattening is in the trace
            }
            ops_.push_back(std::move(info));
        }
    }
    for (int s : outputSlots_)
        lastUse[s] = static_cast<int>(nodes_.size()); // never freed
    lastUse[selfSlot_] = static_cast<int>(nodes_.size());
    // Intermediate values are dropped after their last use, as the JIT does;
    // constants and attributes live as long as the model.
    for (std::size_t s = 0; s < slotCount_; ++s) {
        int pos = producer_[s];
        if (pos < 0 || lastUse[s] < 0 || lastUse[s] >= static_cast<int>(nodes_.size())) continue;
        if (nodes_[pos].role == NodeRole::Constant || nodes_[pos].role == NodeRole::Attribute)
            continue;
        nodes_[lastUse[s]].freeAfter.push_back(static_cast<int>(s));
    }
    for (auto& info : ops_) {
        const auto& e = nodes_[opNodes_[info.index]];
        for (int s : e.inputSlots)
            collectRefs(s, info.inputs);
    }
    findWrittenOutputs(slotValues);
}

void Model::findWrittenOutputs(const std::vector<const Value*>& values) {
    writtenLater_.assign(ops_.size(), false);
    // Nodes that may write: a schema with a write annotation (relu_, add_, copy_, out=
    // variants), or no schema outside prim:: (unknown effects; the alias analysis decides).
    std::vector<int> writers;
    for (std::size_t pos = 0; pos < nodes_.size(); ++pos) {
        const auto* n = nodes_[pos].node;
        const auto* schema = n->maybeSchema();
        if (schema ? schema->is_mutable() : !n->kind().is_prim())
            writers.push_back(static_cast<int>(pos));
    }
    if (writers.empty() && !mutatesInPlace_) return;
    mutatesInPlace_ = true;
    torch::jit::AliasDb aliases(graph_);
    writes_.build(nodes_, producer_, values, aliases);
    // Checking each candidate against each later writer is exact; past this many pairs
    // (huge graphs full of in-place ops) "has any writer" is used, which only copies more.
    constexpr std::size_t kMaxPairs = 4'000'000;
    std::size_t pairs = 0;
    for (const auto& info : ops_) {
        const int pos = opNodes_[info.index];
        auto* n = nodes_[pos].node;
        bool written = false;
        for (auto* v : n->outputs()) {
            if (!isTensorType(v->type())) {
                written = true; // elements of a list are not tracked through it
                break;
            }
            if (!aliases.hasWriters(v)) continue;
            auto later = std::upper_bound(writers.begin(), writers.end(), pos);
            pairs += static_cast<std::size_t>(writers.end() - later);
            if (pairs > kMaxPairs) {
                written = true;
                break;
            }
            for (; later != writers.end() && !written; ++later)
                written = aliases.writesToAlias(nodes_[*later].node, {v});
            if (written) break;
        }
        writtenLater_[info.index] = written;
    }
}

// The value references shown in traces for a tensor input slot; structural
// lists and tuples are looked through, non-tensor glue adds nothing.
void Model::collectRefs(int s, std::vector<std::string>& out) const {
    int pos = producer_[s];
    if (pos < 0) {
        for (std::size_t i = 0; i < inputSlots_.size(); ++i)
            if (inputSlots_[i] == s) out.push_back("input:" + inputNames_[i]);
        return;
    }
    const auto& e = nodes_[pos];
    switch (e.role) {
    case NodeRole::Operator:
        out.push_back("op:" + std::to_string(opOutputOf_[s].first) + "." +
                      std::to_string(opOutputOf_[s].second));
        return;
    case NodeRole::Attribute:
        if (isTensorType(e.node->output()->type())) out.push_back("param:" + paramName_[s]);
        return;
    case NodeRole::Constant:
        if (isTensorType(e.node->output()->type())) out.push_back("const");
        return;
    case NodeRole::ListConstruct:
    case NodeRole::TupleConstruct:
        for (int in : e.inputSlots)
            collectRefs(in, out);
        return;
    case NodeRole::ListUnpack:
    case NodeRole::TupleUnpack:
    case NodeRole::TupleIndex:
        collectRefs(e.inputSlots[0], out);
        return;
    case NodeRole::Glue:
        return;
    }
}

void Model::releaseWeightsAfter(std::uint32_t op, const std::vector<c10::IValue>& values) const {
    if (!mappedWeightBytes_) return;
    const auto release = [&](const at::Tensor& t) {
        if (t.defined() && t.has_storage())
            if (const auto it = lastWeightReader_.find(t.storage().unsafeGetStorageImpl());
                it != lastWeightReader_.end() && it->second > op)
                return; // a later operator reads it too
        MappedWeights::release(t);
    };
    for (const auto& v : values) {
        if (v.isTensor()) release(v.toTensor());
        if (v.isTensorList())
            for (const auto& t : v.toTensorVector())
                release(t);
    }
}

std::size_t Model::mappedWeightBytes() const {
    return mappedWeightBytes_;
}

void Model::requireWeightsUnchanged() const {
    if (weightsFileUnchanged_ && !weightsFileUnchanged_())
        throw ModelError(path_.string() + ": the model archive " + kArchiveChangedInPlace +
                         "; results that rest on its weights are void");
}

WeightResidence residenceForArchive(std::uintmax_t archiveBytes) {
    return archiveBytes <= kHeapArchiveBytes ? WeightResidence::Heap : WeightResidence::MappedFile;
}

std::shared_ptr<Model> loadModel(const fs::path& path, WeightResidence residence) {
    return Model::load(path, residence);
}
const std::vector<OpInfo>& opsOf(const Model& model) {
    return model.ops();
}
const commit::Hash32& idOf(const Model& model) {
    return model.id();
}
const commit::Hash32& legacyIdOf(const Model& model) {
    return model.legacyId();
}
IdMatch matchId(const Model& model, const commit::Hash32& id) {
    if (id == model.id()) return IdMatch::Current;
    return id == model.legacyId() ? IdMatch::Legacy : IdMatch::None;
}
std::string legacyIdNote(const Model& model, const commit::Hash32& id, const std::string& what) {
    if (matchId(model, id) != IdMatch::Legacy) return {};
    return "note: " + what + " names " + model.name() + " by its legacy id " +
           id.hex().substr(0, 16) +
           "..., which only this LibTorch version computes; its id is now " +
           model.id().hex().substr(0, 16) + "...";
}
const std::vector<std::string>& inputNamesOf(const Model& model) {
    return model.inputNames();
}

std::vector<std::string> Model::outputRefs() const {
    std::vector<std::string> refs;
    for (int s : outputSlots_)
        collectRefs(s, refs);
    return refs;
}

// The tensor slots `slot` stands for: itself, or what a tuple or list built in the graph
// holds (looked through as collectRefs does).
void Model::collectTensorSlots(int slot, std::vector<int>& out) const {
    const int pos = producer_[slot];
    if (pos >= 0 && (nodes_[pos].role == NodeRole::ListConstruct ||
                     nodes_[pos].role == NodeRole::TupleConstruct)) {
        for (int in : nodes_[pos].inputSlots)
            collectTensorSlots(in, out);
        return;
    }
    out.push_back(slot);
}

bool Model::returnsWrittenValues() const {
    const int end = static_cast<int>(nodes_.size());
    std::vector<int> slots;
    for (int s : outputSlots_)
        collectTensorSlots(s, slots);
    return std::any_of(slots.begin(), slots.end(), [&](int s) {
        return writes_.writtenBefore(s, producer_[s], end) ||
               writes_.unplacedWriteBefore(s, producer_[s], end) >= 0;
    });
}

void Model::collectRebuildRefs(int slot, int before, std::vector<std::string>& out) const {
    if (!writes_.writtenBefore(slot, producer_[slot], before)) return;
    const int root = writes_.root(slot);
    collectRefs(root, out);
    auto viewRefs = [&](int s) {
        for (; s != root; s = writes_.parent(s)) {
            if (writes_.passesThrough(s)) continue;
            for (int in : nodes_[writes_.derivedBy(s)].inputSlots)
                if (in != writes_.parent(s)) collectRefs(in, out);
        }
    };
    viewRefs(slot);
    for (const auto& w : writes_.writesInto(root)) {
        if (!w.between(producer_[root], before)) continue;
        collectRefs(nodes_[w.node].outputSlots[w.output], out);
        viewRefs(w.target);
    }
}

std::vector<std::string> Model::rebuildRefs(std::uint32_t op) const {
    std::vector<std::string> refs;
    if (writes_.empty()) return refs;
    const bool output = op == ops_.size();
    const int before = output ? static_cast<int>(nodes_.size()) : opNodes_.at(op);
    std::vector<int> slots;
    for (int s : output ? outputSlots_ : nodes_[before].inputSlots)
        collectTensorSlots(s, slots);
    for (int s : slots)
        collectRebuildRefs(s, before, refs);
    return refs;
}

std::vector<c10::IValue> Model::randomInputs(std::uint64_t seed) const {
    if (inputSpecs_.size() != inputNames_.size())
        throw ModelError(path_.string() + ": no input description (tao.json) for " +
                         std::to_string(inputNames_.size()) +
                         " inputs; give the inputs as a safetensors file");
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    std::vector<c10::IValue> values;
    for (const auto& spec : inputSpecs_) {
        if (spec.distribution == "randint")
            values.emplace_back(
                at::randint(spec.high, spec.shape, gen, at::TensorOptions(at::kLong)));
        else
            values.emplace_back(at::randn(spec.shape, gen, at::TensorOptions(at::kFloat)));
    }
    return values;
}

} // namespace tao::graph
