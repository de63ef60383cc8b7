#include "core/chain/rpc_client.hpp"

#include "core/chain/bounded_http.hpp"
#include "core/chain/chain_errors.hpp"

#include <httplib.h>
#include <regex>
#include <thread>

namespace tao::chain {

namespace {
std::string errorDataText(const nlohmann::json& data) {
    if (data.is_null()) return {};
    if (data.is_string()) return data.get<std::string>();
    // Some nodes wrap revert data as {"data": "0x..."} or similar.
    if (data.is_object() && data.contains("data") && data["data"].is_string())
        return data["data"].get<std::string>();
    return data.dump();
}
} // namespace

RpcClient::RpcClient(std::string url, RpcOptions options)
    : url_(std::move(url))
    , options_(options) {
    static const std::regex pattern(
        R"(^(https?)://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(:(\d{1,5}))?(/.*)?$)");
    std::smatch m;
    if (!std::regex_match(url_, m, pattern))
        throw std::invalid_argument("RPC URL: expected http(s)://host[:port][/path], got '" +
                                    std::regex_replace(url_, std::regex("/.*$"), "/...") + "'");
    const std::string scheme = m[1];
    const std::string host = m[2];
    int port = m[4].matched ? std::stoi(m[4]) : (scheme == "https" ? 443 : 80);
    if (port <= 0 || port > 65535)
        throw std::invalid_argument("RPC URL: port " + std::to_string(port) + " is out of range");
    path_ = m[5].matched ? std::string(m[5]) : "/";
    endpoint_ = scheme + "://" + host + ":" + std::to_string(port);
    http_ = std::make_unique<httplib::Client>(endpoint_);
    http_->set_keep_alive(true);
    // Without it, Nagle and delayed ACKs add ~40 ms to every request on a kept-alive connection.
    http_->set_tcp_nodelay(true);
    auto secs = [](std::chrono::milliseconds ms) {
        return std::pair<time_t, time_t>(ms.count() / 1000, (ms.count() % 1000) * 1000);
    };
    auto [cs, cus] = secs(options_.connectTimeout);
    auto [rs, rus] = secs(options_.readTimeout);
    http_->set_connection_timeout(cs, cus);
    http_->set_read_timeout(rs, rus);
    http_->set_write_timeout(rs, rus);
    if (scheme == "https") http_->enable_server_certificate_verification(options_.verifyTls);
}

RpcClient::~RpcClient() = default;

nlohmann::json RpcClient::call(std::string_view method, nlohmann::json params) {
    std::lock_guard lock(mutex_);
    const std::string name(method);
    const std::uint64_t id = nextId_++;
    const std::string body =
        nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"method", name}, {"params", params}}.dump();

    std::string lastProblem;
    auto backoff = options_.initialBackoff;
    for (int attempt = 0; attempt <= options_.maxRetries; ++attempt) {
        if (attempt > 0) {
            std::this_thread::sleep_for(backoff);
            backoff *= 2;
        }
        auto res = boundedRequest(*http_, "POST", path_, body, "application/json",
                                  {options_.maxReplyBytes, options_.attemptDeadline});
        if (res.status == 0 && res.error.rfind("reply larger", 0) == 0)
            throw MalformedResponseError(name + ": " + endpoint_ + " sent a " + res.error);
        if (res.status == 0) {
            lastProblem = res.error;
            continue;
        }
        if (res.status == 429 || (res.status >= 502 && res.status <= 504)) {
            lastProblem = "HTTP status " + std::to_string(res.status);
            continue;
        }
        if (res.status != 200)
            throw RpcTransportError(name + ": " + endpoint_ + " answered HTTP status " +
                                    std::to_string(res.status));
        nlohmann::json answer;
        try {
            answer = nlohmann::json::parse(res.body);
        } catch (const nlohmann::json::exception&) {
            throw MalformedResponseError(name + ": " + endpoint_ + " answered with invalid JSON");
        }
        if (!answer.is_object())
            throw MalformedResponseError(name + ": answer is not a JSON object");
        if (answer.contains("error") && !answer["error"].is_null()) {
            const auto& err = answer["error"];
            std::int64_t code = err.value("code", std::int64_t{0});
            std::string message = err.contains("message") && err["message"].is_string()
                                      ? err["message"].get<std::string>()
                                      : err.dump();
            throw RpcError(name, code, message,
                           err.contains("data") ? errorDataText(err["data"]) : "");
        }
        if (!answer.contains("id") || answer["id"] != id)
            throw MalformedResponseError(name + ": answer id does not match request id " +
                                         std::to_string(id));
        if (!answer.contains("result"))
            throw MalformedResponseError(name + ": answer has neither result nor error");
        return answer["result"];
    }
    throw RpcTransportError(name + ": " + endpoint_ + " unreachable after " +
                            std::to_string(options_.maxRetries + 1) + " attempts (" + lastProblem +
                            ")");
}

} // namespace tao::chain
