#pragma once
// Where a challenger or committee member gets a provider's committed tensors: a local
// bundle, or the provider's data API (remote_trace.hpp). Everything a source returns has been
// checked against the commitment, so the checker never judges unverified bytes.
#include "core/trace/manifest.hpp"

#include <memory>
#include <utility>

namespace tao::trace {
class TraceBundle;
}

namespace tao::dispute {

class TraceSource {
public:
    virtual ~TraceSource() = default;
    // The committed manifest (light: hashes only), consistent with the trace root.
    virtual const trace::Manifest& manifest() = 0;
    // The outputs of `op`, flattened, each matching its committed hash.
    virtual std::vector<trace::HostTensor> opOutputs(std::uint32_t op) = 0;
    // The graph inputs by name, matching the committed input hash.
    virtual std::vector<std::pair<std::string, trace::HostTensor>> graphInputs() = 0;
};

class BundleTraceSource : public TraceSource {
public:
    explicit BundleTraceSource(std::shared_ptr<const trace::TraceBundle> bundle);
    const trace::Manifest& manifest() override;
    std::vector<trace::HostTensor> opOutputs(std::uint32_t op) override;
    std::vector<std::pair<std::string, trace::HostTensor>> graphInputs() override;

private:
    std::shared_ptr<const trace::TraceBundle> bundle_;
};

} // namespace tao::dispute
