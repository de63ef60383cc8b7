#pragma once
// One HTTP exchange with a peer that may be hostile (a provider's data API, an RPC
// node): the reply body is capped (counted as received; automatic decompression is
// switched off, so a compressed bomb is never inflated), and the whole exchange, slow
// headers included, must end by a deadline, after which a watchdog closes the socket.
#include <chrono>
#include <cstddef>
#include <string>

namespace httplib {
class Client;
}

namespace tao::chain {

struct HttpLimits {
    std::size_t maxBytes = 64u << 20;
    std::chrono::milliseconds deadline{60000};
};

struct HttpReply {
    int status = 0;       // 0 when no complete reply arrived
    std::string body;     // the whole body when status != 0
    std::string error;    // why there is no reply: transport error, deadline or size cap
    bool limited = false; // the peer broke the size cap or the deadline
};

// Sends `method` (GET or POST) to `path` on `http` and waits for the reply within the
// limits. Never throws for what the peer does; the outcome is in the reply.
HttpReply boundedRequest(httplib::Client& http, const std::string& method, const std::string& path,
                         const std::string& body, const std::string& contentType,
                         const HttpLimits& limits);

} // namespace tao::chain
