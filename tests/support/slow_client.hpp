#pragma once
// A slow client of an HTTP server on loopback, for the tests and the load benchmark: it
// connects and sends the start of a request whose headers never end, so the server holds a
// worker for it until its read times out (or longer, while the caller drips more header
// bytes into the socket).
#include <arpa/inet.h>
#include <cerrno>
#include <cstdint>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace tao::test {

// The connected socket (the caller closes it), or -1 when the connection failed.
inline int halfRequest(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    const char partial[] = "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    ::send(fd, partial, sizeof partial - 1, MSG_NOSIGNAL);
    return fd;
}

// One more header byte on each of `sockets`, without blocking (keeps them slow, not silent).
inline void drip(const std::vector<int>& sockets) {
    for (int fd : sockets)
        ::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

// How many of `sockets` the server still holds open without having answered them.
inline int stillWaiting(const std::vector<int>& sockets) {
    int n = 0;
    for (int fd : sockets) {
        char c;
        const auto r = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) ++n;
    }
    return n;
}

} // namespace tao::test
