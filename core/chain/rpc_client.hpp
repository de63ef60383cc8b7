#pragma once
// JSON-RPC 2.0 over HTTP or HTTPS (cpp-httplib). Thread-safe: calls are serialised.
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace httplib {
class Client;
}

namespace tao::chain {

struct RpcOptions {
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds readTimeout{30000};
    // Extra attempts after a transport failure (connection refused/reset, timeout, HTTP 429
    // or 502-504). JSON-RPC error answers are never retried.
    int maxRetries = 3;
    std::chrono::milliseconds initialBackoff{200}; // doubled after each failed attempt
    bool verifyTls = true;
    // A node's answer larger than this is refused (no call here needs more).
    std::size_t maxReplyBytes = 32u << 20;
    // One attempt, from connecting to the last byte, however the node drips it.
    std::chrono::milliseconds attemptDeadline{60000};
};

class RpcClient {
public:
    // `url` is http(s)://host[:port][/path]. Throws std::invalid_argument on other forms.
    explicit RpcClient(std::string url, RpcOptions options = {});
    ~RpcClient();
    RpcClient(const RpcClient&) = delete;
    RpcClient& operator=(const RpcClient&) = delete;

    // Sends {"jsonrpc":"2.0","id":n,"method":method,"params":params} and returns "result".
    // Throws RpcTransportError (unreachable after retries, HTTP status other than 200),
    // RpcError (the answer holds an error object: code, message, data) or
    // MalformedResponseError (not JSON, wrong id, neither result nor error), each naming
    // the method and the endpoint (scheme://host:port; the path may hold an API key and
    // is never shown).
    nlohmann::json call(std::string_view method, nlohmann::json params = nlohmann::json::array());

    const std::string& url() const { return url_; }
    // scheme://host:port, safe to show in messages.
    const std::string& endpoint() const { return endpoint_; }

private:
    std::string url_;
    std::string endpoint_;
    std::string path_;
    RpcOptions options_;
    std::unique_ptr<httplib::Client> http_;
    std::mutex mutex_;
    std::uint64_t nextId_ = 1;
};

} // namespace tao::chain
