#include "core/provider/data_server.hpp"

#include "core/dispute/tensor_wire.hpp"
#include "core/provider/rate_limiter.hpp"
#include "core/trace/trace_bundle.hpp"

#include <algorithm>
#include <charconv>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

namespace tao::provider {

namespace {
void error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

// Strict decimal parsing: digits only, no sign, no overflow.
std::optional<std::uint64_t> parseId(const std::string& text) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return v;
}
} // namespace

DataServer::DataServer(const JobStore& store, DataServerOptions options)
    : store_(store)
    , options_(std::move(options)) {
    const bool tls = !options_.certFile.empty() || !options_.keyFile.empty();
    if (tls) {
        if (options_.certFile.empty() || options_.keyFile.empty())
            throw std::runtime_error("provider API: TLS needs both --cert and --key");
        auto s = std::make_unique<httplib::SSLServer>(options_.certFile.c_str(),
                                                      options_.keyFile.c_str());
        if (!s->is_valid())
            throw std::runtime_error("provider API: cannot load certificate " + options_.certFile +
                                     " or key " + options_.keyFile);
        server_ = std::move(s);
    } else {
        server_ = std::make_unique<httplib::Server>();
    }
    server_->set_tcp_nodelay(true); // small answers must not wait for delayed ACKs
    // Every route is a GET: a body is never needed, so none is buffered.
    server_->set_payload_max_length(4096);
    server_->set_read_timeout(options_.readTimeoutSeconds, 0);
    server_->set_keep_alive_timeout(options_.readTimeoutSeconds);
    server_->set_keep_alive_max_count(1000);
    const auto workers = static_cast<std::size_t>(std::max(1, options_.workers));
    server_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    routes();
    // cpp-httplib listens with a backlog of 5: a burst of connections beyond it (a crowd of
    // challengers, or slow clients arriving together) has its handshakes dropped and retried
    // for seconds. The listening socket is remembered here and its backlog raised after bind.
    int listening = -1;
    server_->set_socket_options([&listening](int sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        listening = sock;
    });
    port_ =
        options_.port == 0
            ? server_->bind_to_any_port(options_.host.c_str())
            : (server_->bind_to_port(options_.host.c_str(), options_.port) ? options_.port : -1);
    if (port_ <= 0)
        throw std::runtime_error("provider API: cannot bind " + options_.host + ":" +
                                 std::to_string(options_.port));
    if (listening >= 0) ::listen(listening, SOMAXCONN);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() before the loop runs would be lost, so wait until it does.
    for (int i = 0; i < 5000 && !server_->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

DataServer::~DataServer() {
    stop();
}

void DataServer::stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
}

std::string DataServer::url() const {
    const bool tls = !options_.certFile.empty();
    return std::string(tls ? "https://" : "http://") + options_.host + ":" + std::to_string(port_);
}

struct DataServer::JobCache {
    explicit JobCache(commit::MerkleTree t)
        : tree(std::move(t)) {}
    commit::MerkleTree tree;
    // The served manifest is built on the first /manifest request only (it is the slow part:
    // about 30 s and 400 MB at a million ops, where the tree takes about a second).
    mutable std::once_flag manifestOnce;
    mutable std::shared_ptr<const std::string> manifestJson;

    const std::shared_ptr<const std::string>& manifestOf(const trace::TraceBundle& b) const {
        std::call_once(manifestOnce, [&] {
            auto m = b.manifest();
            m.light = true; // what was committed: hashes, not tensors
            manifestJson = std::make_shared<const std::string>(m.toJson());
        });
        return manifestJson;
    }
};

std::shared_ptr<const DataServer::JobCache>
DataServer::cacheOf(std::uint64_t jobId, const std::shared_ptr<const trace::TraceBundle>& b) {
    std::promise<std::shared_ptr<const JobCache>> built;
    std::shared_future<std::shared_ptr<const JobCache>> ready;
    bool mine = false;
    {
        std::lock_guard lock(cacheMutex_);
        auto it = cache_.find(jobId);
        if (it != cache_.end() && it->second.bundle.lock() == b) {
            ready = it->second.ready; // built, or being built by another request
        } else {
            ready = built.get_future().share();
            cache_[jobId] = CacheSlot{b, ready};
            mine = true;
        }
    }
    if (!mine) return ready.get();
    // Built outside the lock (a second at a million ops), once; the others wait on `ready`.
    try {
        built.set_value(std::make_shared<const JobCache>(b->manifest().merkleTree()));
    } catch (...) {
        built.set_exception(std::current_exception());
        std::lock_guard lock(cacheMutex_);
        auto it = cache_.find(jobId);
        if (it != cache_.end() && it->second.bundle.lock() == b) cache_.erase(it);
    }
    return ready.get();
}

void DataServer::prepare(std::uint64_t jobId) {
    auto b = store_.find(jobId);
    if (!b)
        throw std::runtime_error("provider API: job " + std::to_string(jobId) +
                                 " is not in the store");
    cacheOf(jobId, b)->manifestOf(*b);
}

void DataServer::routes() {
    auto limiter = std::make_shared<RateLimiter>(options_.ratePerSecond, options_.burst);
    server_->set_pre_routing_handler(
        [this, limiter](const httplib::Request& req, httplib::Response& res) {
            if (!limiter->allow(req.remote_addr)) {
                error(res, 429, "rate limit exceeded, retry later");
                return httplib::Server::HandlerResponse::Handled;
            }
            ++served_;
            return httplib::Server::HandlerResponse::Unhandled;
        });
    server_->Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"ok":true})", "application/json");
    });
    // Resolves the job of a request or answers the error itself.
    auto jobOf = [this](const httplib::Request& req,
                        httplib::Response& res) -> std::shared_ptr<const trace::TraceBundle> {
        auto id = parseId(req.matches[1]);
        if (!id) {
            error(res, 400, "job id must be a decimal number");
            return nullptr;
        }
        auto bundle = store_.find(*id);
        if (!bundle) error(res, 404, "job " + std::to_string(*id) + " is not committed here");
        return bundle;
    };
    // Tensors exist for ops; proofs also for the output leaf after them.
    auto indexBelow = [](const httplib::Request& req, httplib::Response& res,
                         std::size_t limit) -> std::optional<std::uint32_t> {
        auto op = parseId(req.matches[2]);
        if (!op || *op >= limit) {
            error(res, 400, "op must be a decimal number below " + std::to_string(limit));
            return std::nullopt;
        }
        return static_cast<std::uint32_t>(*op);
    };
    auto opOf = [=](const httplib::Request& req, httplib::Response& res,
                    const trace::TraceBundle& b) {
        return indexBelow(req, res, b.manifest().ops.size());
    };
    server_->Get(R"(/v1/jobs/([^/]+)/manifest)", [=, this](const httplib::Request& req,
                                                           httplib::Response& res) {
        auto b = jobOf(req, res);
        if (!b) return;
        // Streamed from the cached text: a copy per request would be 400 MB at a million ops.
        auto text = cacheOf(*parseId(req.matches[1]), b)->manifestOf(*b);
        res.set_content_provider(
            text->size(), "application/json",
            [text](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                return sink.write(text->data() + offset, std::min(length, text->size() - offset));
            });
    });
    server_->Get(R"(/v1/jobs/([^/]+)/inputs)",
                 [=](const httplib::Request& req, httplib::Response& res) {
                     auto b = jobOf(req, res);
                     if (!b) return;
                     std::vector<std::pair<std::string, trace::HostTensor>> t;
                     for (const auto& in : b->manifest().inputs)
                         t.emplace_back(in.name, b->input(in.name));
                     res.set_content(dispute::encodeSafetensors(t), "application/octet-stream");
                 });
    server_->Get(R"(/v1/jobs/([^/]+)/ops/([^/]+)/outputs)",
                 [=, this](const httplib::Request& req, httplib::Response& res) {
                     auto b = jobOf(req, res);
                     if (!b) return;
                     auto op = opOf(req, res, *b);
                     if (!op) return;
                     std::vector<std::pair<std::string, trace::HostTensor>> t;
                     for (std::size_t j = 0; j < b->manifest().ops[*op].outputs.size(); ++j) {
                         auto tensor = b->opOutput(*op, j);
                         if (options_.corruptOp == op && !tensor.data.empty())
                             tensor.data[0] ^= 0x01;
                         t.emplace_back(trace::opTensorName(*op, j), std::move(tensor));
                     }
                     res.set_content(dispute::encodeSafetensors(t), "application/octet-stream");
                 });
    server_->Get(R"(/v1/jobs/([^/]+)/ops/([^/]+)/proof)",
                 [=, this](const httplib::Request& req, httplib::Response& res) {
                     auto b = jobOf(req, res);
                     if (!b) return;
                     auto op = indexBelow(req, res, b->manifest().leafCount());
                     if (!op) return;
                     const auto cached = cacheOf(*parseId(req.matches[1]), b);
                     const auto& tree = cached->tree;
                     auto leaf = b->manifest().leafData(*op);
                     nlohmann::json proof = nlohmann::json::array();
                     for (const auto& h : tree.prove(*op).siblings)
                         proof.push_back(h.hex());
                     res.set_content(nlohmann::json{{"leaf",
                                                     {{"index", leaf.index},
                                                      {"schemaHash", leaf.schemaHash.hex()},
                                                      {"outputHash", leaf.outputHash.hex()}}},
                                                    {"proof", proof},
                                                    {"root", tree.root().hex()}}
                                         .dump(),
                                     "application/json");
                 });
    server_->set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            // The reason (paths, library text) stays here; the client learns only that the
            // provider failed to serve, which is what the protocol cares about.
            try {
                std::rethrow_exception(ep);
            } catch (...) {
            }
            error(res, 500, "internal error: the provider could not serve this request");
        });
}

} // namespace tao::provider
