#include "core/dispute/trace_source.hpp"

#include "core/trace/trace_bundle.hpp"

namespace tao::dispute {

BundleTraceSource::BundleTraceSource(std::shared_ptr<const trace::TraceBundle> bundle)
    : bundle_(std::move(bundle)) {}

const trace::Manifest& BundleTraceSource::manifest() {
    return bundle_->manifest();
}

std::vector<trace::HostTensor> BundleTraceSource::opOutputs(std::uint32_t op) {
    const auto& rec = bundle_->manifest().ops.at(op);
    std::vector<trace::HostTensor> out;
    for (std::size_t j = 0; j < rec.outputs.size(); ++j)
        out.push_back(bundle_->opOutput(op, j));
    return out;
}

std::vector<std::pair<std::string, trace::HostTensor>> BundleTraceSource::graphInputs() {
    std::vector<std::pair<std::string, trace::HostTensor>> out;
    for (const auto& in : bundle_->manifest().inputs)
        out.emplace_back(in.name, bundle_->input(in.name));
    return out;
}

} // namespace tao::dispute
