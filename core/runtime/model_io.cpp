#include "core/runtime/model_io.hpp"

#include "core/graph/tensor_convert.hpp"

namespace tao::runtime {

std::vector<c10::IValue> loadInputs(const graph::Model& model, const std::filesystem::path& file) {
    trace::SafetensorsFile st(file);
    std::vector<c10::IValue> values;
    for (const auto& name : model.inputNames()) {
        if (!st.contains(name)) {
            std::string have;
            for (const auto& n : st.names())
                have += (have.empty() ? "" : ", ") + n;
            throw std::runtime_error(file.string() + ": no tensor named '" + name +
                                     "' (the model's input); the file holds: " + have);
        }
        values.emplace_back(graph::fromHost(st.read(name)));
    }
    return values;
}

void checkTraceMatchesModel(const graph::Model& model, const trace::TraceBundle& bundle) {
    const auto& m = bundle.manifest();
    if (m.modelId != model.id())
        throw std::runtime_error(bundle.path().string() + ": captured with model " +
                                 m.modelId.hex() + ", but " + model.path().string() + " is model " +
                                 model.id().hex());
    if (m.ops.size() != model.ops().size())
        throw std::runtime_error(bundle.path().string() + ": holds " +
                                 std::to_string(m.ops.size()) + " operators, the model has " +
                                 std::to_string(model.ops().size()));
}

std::vector<c10::IValue> traceInputs(const graph::Model& model, const trace::TraceBundle& bundle) {
    std::vector<c10::IValue> values;
    for (const auto& name : model.inputNames())
        values.emplace_back(graph::fromHost(bundle.input(name)));
    return values;
}

std::vector<c10::IValue> TraceTensors::outputs(std::uint32_t op) {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(op); it != cache_.end()) return it->second;
    const auto& rec = bundle_.manifest().ops.at(op);
    std::vector<c10::IValue> values;
    std::size_t flat = 0;
    for (int list : rec.outputLists) {
        if (list < 0) {
            values.emplace_back(graph::fromHost(bundle_.opOutput(op, flat++)));
        } else {
            c10::List<at::Tensor> tensors;
            for (int i = 0; i < list; ++i)
                tensors.push_back(graph::fromHost(bundle_.opOutput(op, flat++)));
            values.emplace_back(std::move(tensors));
        }
    }
    cache_[op] = values;
    return values;
}

} // namespace tao::runtime
