#include "core/chain/bounded_http.hpp"

#include <condition_variable>
#include <httplib.h>
#include <mutex>
#include <thread>

namespace tao::chain {

HttpReply boundedRequest(httplib::Client& http, const std::string& method, const std::string& path,
                         const std::string& body, const std::string& contentType,
                         const HttpLimits& limits) {
    HttpReply reply;
    http.set_decompress(false);
    httplib::Request req;
    req.method = method;
    req.path = path;
    if (method != "GET") {
        req.body = body;
        req.set_header("Content-Type", contentType);
    }
    bool tooLarge = false;
    std::string received;
    req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
        if (received.size() + n > limits.maxBytes) {
            tooLarge = true;
            return false;
        }
        received.append(data, n);
        return true;
    };

    // The per-read timeouts of the client cannot bound a peer that sends one byte just
    // before each of them expires; the watchdog bounds the whole exchange.
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false, expired = false;
    std::thread watchdog([&] {
        std::unique_lock lock(mutex);
        if (!done.wait_for(lock, limits.deadline, [&] { return finished; })) {
            expired = true;
            http.stop();
        }
    });
    auto result = http.send(req);
    {
        std::lock_guard lock(mutex);
        finished = true;
    }
    done.notify_all();
    watchdog.join();

    const auto seconds = std::to_string(limits.deadline.count() / 1000.0);
    if (tooLarge) {
        reply.limited = true;
        reply.error = "reply larger than " + std::to_string(limits.maxBytes) + " bytes";
    } else if (expired) {
        reply.limited = true;
        reply.error = "no complete reply within " + seconds.substr(0, seconds.find('.') + 2) + " s";
    } else if (!result) {
        reply.error = httplib::to_string(result.error());
    } else {
        reply.status = result->status;
        reply.body = std::move(received);
    }
    return reply;
}

} // namespace tao::chain
