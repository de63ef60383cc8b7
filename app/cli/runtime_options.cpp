#include "app/cli/runtime_options.hpp"

#include <iostream>

namespace tao::cli {

runtime::RuntimeSettings runtimeSettings(const CommandLine& cl) {
    runtime::RuntimeSettings s;
    s.threads = static_cast<int>(cl.integer("threads", 1, 1, 1024));
    s.onednn = !cl.has("no-onednn");
    s.device = cl.valueOr("device", "cpu");
    s.flushDenormal = cl.has("flush-denormal");
    return s;
}

graph::WeightResidence weightResidence(const CommandLine& cl) {
    const auto v = cl.valueOr("weights", "by-size");
    if (v == "by-size") return graph::WeightResidence::BySize;
    if (v == "heap") return graph::WeightResidence::Heap;
    if (v == "mapped") return graph::WeightResidence::MappedFile;
    throw UsageError("--weights " + v + ": expected heap, mapped or by-size");
}

void noteLegacyId(const graph::Model& model, const commit::Hash32& id, const std::string& file) {
    auto note = graph::legacyIdNote(model, id, file);
    if (!note.empty()) std::cerr << note << "\n";
}

std::set<std::string> withRuntime(std::set<std::string> own, const std::set<std::string>& shared) {
    own.insert(shared.begin(), shared.end());
    return own;
}

nlohmann::json comparisonJson(const runtime::OpComparison& c) {
    return {{"op", c.op},           {"kind", c.kind},     {"scope", c.scope},
            {"maxAbs", c.maxAbs},   {"maxRel", c.maxRel}, {"bitExact", c.bitExact},
            {"problem", c.problem}, {"caveat", c.caveat}};
}

} // namespace tao::cli
