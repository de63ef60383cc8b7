#pragma once
// A provider's committed trace read over its data API, every byte checked against the trace
// root on chain: the manifest must rebuild that root, each tensor must hash to its committed
// record, the inputs to the job's input hash. A mismatch throws ProviderFaultError and is
// recorded (in memory and, when configured, appended to a JSON-lines fault log) because it
// proves the provider served something other than what it committed.
#include "core/commit/job_domain.hpp"
#include "core/dispute/trace_source.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

namespace httplib {
class Client;
}

namespace tao::dispute {

struct ProviderFaultError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ProviderFault {
    std::uint64_t jobId = 0;
    std::string url;
    std::optional<std::uint32_t> op;
    std::string reason;
};

struct RemoteTraceOptions {
    std::string url; // http(s)://host:port of the provider's data API
    std::uint64_t jobId = 0;
    commit::Hash32 commitment; // from the chain (commit/game_tree.hpp)
    unsigned arity = 2;        // the coordinator's k, which shapes the game tree
    // When set, `commitment` is a job commitment: the manifest's trace commitment bound to this
    // domain (commit/job_domain.hpp); otherwise it is the trace commitment itself.
    std::optional<commit::JobDomain> domain;
    std::optional<commit::Hash32> inputHash; // from the chain
    std::filesystem::path faultLog;          // empty: faults kept in memory only
    bool verifyTls = true;
    std::string caCertFile; // for a self-signed provider certificate
    // Replies are capped at what the commitment says they hold (plus a header allowance);
    // the manifest, whose size nothing commits to, at this.
    std::size_t maxManifestBytes = 1u << 30;
    std::chrono::milliseconds manifestDeadline{300000};
    // A tensor request must complete within base + size / minRate, however it is dripped.
    std::chrono::milliseconds requestDeadlineBase{15000};
    double minBytesPerSecond = 4e6;
};

class Coordinator;
struct JobInfo;
// `base` (the provider's URL, TLS settings, limits) for job `jobId`'s trace: the job's
// commitment, domain and input hash and the coordinator's arity, as the chain has them.
RemoteTraceOptions jobTraceOptions(RemoteTraceOptions base, Coordinator& coordinator,
                                   std::uint64_t jobId, const JobInfo& job);

// The provider did not deliver in time or sent more than the commitment allows: a
// provider fault that cannot be proven on chain (withholding), unlike ProviderFaultError's
// mismatches. A challenger treats it as the provider's failure to answer.
struct ProviderUnavailableError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Data the provider did not serve (unreachable, an HTTP error, a reply past its limits): the
// op whose outputs were asked for (none for the inputs) and why.
struct DataWithheld {
    std::optional<std::uint32_t> op;
    std::string reason;
};

class RemoteTraceSource : public TraceSource {
public:
    // Fetches and checks the manifest. Throws ProviderFaultError (recorded) when it does not
    // match the root, std::runtime_error naming the URL when the provider cannot be reached.
    explicit RemoteTraceSource(RemoteTraceOptions options);
    ~RemoteTraceSource() override;

    const trace::Manifest& manifest() override { return manifest_; }
    std::vector<trace::HostTensor> opOutputs(std::uint32_t op) override;
    std::vector<std::pair<std::string, trace::HostTensor>> graphInputs() override;

    std::uint64_t bytesFetched() const { return bytes_; }
    std::uint64_t requests() const { return requests_; }
    const std::vector<ProviderFault>& faults() const { return faults_; }
    // The last fetch the provider did not answer since clearWithheld(), if any.
    std::optional<DataWithheld> lastWithheld() const;
    void clearWithheld();

private:
    // Throws ProviderUnavailableError when the reply breaks its limits or never comes,
    // std::runtime_error for other HTTP failures.
    std::string get(const std::string& path, const std::string& what, std::uint64_t maxBytes,
                    std::chrono::milliseconds deadline);
    // The deadline for a reply of `bytes` committed bytes.
    std::chrono::milliseconds deadlineFor(std::uint64_t bytes) const;
    [[noreturn]] void fault(std::optional<std::uint32_t> op, const std::string& reason);

    RemoteTraceOptions options_;
    std::unique_ptr<httplib::Client> http_;
    trace::Manifest manifest_;
    std::map<std::uint32_t, std::vector<trace::HostTensor>> cache_;
    std::optional<std::vector<std::pair<std::string, trace::HostTensor>>> inputs_;
    std::uint64_t bytes_ = 0;
    std::uint64_t requests_ = 0;
    std::vector<ProviderFault> faults_;
    std::optional<DataWithheld> withheld_;
    mutable std::mutex mutex_;
};

// Full size of a trace's tensors (inputs + every op output), for "bytes fetched vs full".
std::uint64_t fullTraceBytes(const trace::Manifest& manifest);

} // namespace tao::dispute
