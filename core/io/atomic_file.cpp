#include "core/io/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace tao::io {

namespace {
std::runtime_error systemError(const std::string& action, const std::filesystem::path& path) {
    return std::runtime_error(action + " '" + path.string() + "': " + std::strerror(errno));
}
} // namespace

void writeFileAtomically(const std::filesystem::path& path, std::string_view content,
                         unsigned mode) {
    std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
    std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    int fd = mkstemp(tmpl.data());
    if (fd < 0) throw systemError("cannot create a temporary file for", path);
    const std::filesystem::path tmp = tmpl;
    auto fail = [&](const char* action) {
        auto err = systemError(action, path);
        ::close(fd);
        ::unlink(tmp.c_str());
        throw err;
    };
    if (::fchmod(fd, mode) != 0) fail("cannot set permissions of");
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write");
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("cannot flush");
    if (::close(fd) != 0) {
        auto err = systemError("cannot close", path);
        ::unlink(tmp.c_str());
        throw err;
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        auto err = systemError("cannot replace", path);
        ::unlink(tmp.c_str());
        throw err;
    }
}

std::string readWholeFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw systemError("cannot open", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw systemError("cannot read", path);
    return ss.str();
}

void writeDirectoryAtomically(const std::filesystem::path& path,
                              const std::function<void(const std::filesystem::path&)>& fill) {
    namespace fs = std::filesystem;
    auto target = path.has_filename() ? path : path.parent_path();
    std::random_device rd;
    auto sibling = [&](const char* what) {
        return target.parent_path() /
               ("." + target.filename().string() + what + std::to_string(rd() % 1000000));
    };
    auto tmp = sibling(".tmp-");
    std::error_code ec;
    fs::create_directories(tmp, ec);
    if (ec)
        throw std::runtime_error("cannot create folder '" + tmp.string() + "': " + ec.message());
    try {
        fill(tmp);
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
    auto old = sibling(".old-");
    bool hadOld = fs::exists(target);
    if (hadOld) fs::rename(target, old, ec);
    if (!ec) fs::rename(tmp, target, ec);
    if (ec) {
        auto msg = ec.message();
        fs::remove_all(tmp, ec);
        if (hadOld && !fs::exists(target)) fs::rename(old, target, ec);
        throw std::runtime_error("cannot move the finished folder to '" + target.string() +
                                 "': " + msg);
    }
    if (hadOld) fs::remove_all(old, ec);
}

} // namespace tao::io
