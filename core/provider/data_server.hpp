#pragma once
// The provider data API server (routes in core/dispute/provider_api.hpp): serves committed
// tensors and Merkle proofs of the jobs in its JobStore and nothing else. Every path
// parameter is validated (decimal, in range, committed here); clients are rate-limited;
// request bodies are refused (the API is read-only); errors carry a status and a short
// message, never internal text.
#include "core/provider/job_store.hpp"

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace tao::provider {

struct DataServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;         // 0: any free port
    std::string certFile; // both set: HTTPS
    std::string keyFile;
    double ratePerSecond = 200;
    double burst = 400;
    // Connections served at once; a slow or silent client holds one until its read times out.
    int workers = 96;
    // Per read on a connection (header lines, body); idle keep-alive connections close as fast.
    int readTimeoutSeconds = 2;
    // Adversarial (evaluation only): serve a corrupted tensor for this op (one flipped bit),
    // as a provider that committed one thing and serves another.
    std::optional<std::uint32_t> corruptOp;
};

class DataServer {
public:
    // Binds and starts serving on a background thread. Throws std::runtime_error naming the
    // address when it cannot bind or the certificate/key cannot be loaded.
    DataServer(const JobStore& store, DataServerOptions options);
    ~DataServer();
    DataServer(const DataServer&) = delete;
    DataServer& operator=(const DataServer&) = delete;

    // Builds now what the first requests for `jobId` would otherwise wait for: its Merkle tree
    // and served manifest (about 30 s at a million ops, on this project's build machine).
    // Call it before posting the result, so no challenger meets a cold server. Throws
    // std::runtime_error naming the job when it is not in the store.
    void prepare(std::uint64_t jobId);

    int port() const { return port_; }
    std::string url() const; // http(s)://host:port
    void stop();
    std::uint64_t requestsServed() const { return served_; }

private:
    struct JobCache;
    void routes();
    // The job's Merkle tree and served manifest, built once per bundle.
    std::shared_ptr<const JobCache> cacheOf(std::uint64_t jobId,
                                            const std::shared_ptr<const trace::TraceBundle>& b);

    const JobStore& store_;
    DataServerOptions options_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    std::atomic<std::uint64_t> served_{0};
    // One build per bundle however many requests arrive while it runs (a crowd of first
    // requests must not start a build each).
    struct CacheSlot {
        std::weak_ptr<const trace::TraceBundle> bundle;
        std::shared_future<std::shared_ptr<const JobCache>> ready;
    };
    std::mutex cacheMutex_;
    std::map<std::uint64_t, CacheSlot> cache_;
};

} // namespace tao::provider
