#include "core/chain/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tao::chain {

ChildProcess::ChildProcess(std::vector<std::string> argv, const std::filesystem::path& logFile) {
    if (argv.empty()) throw std::invalid_argument("child process: empty command");
    std::vector<char*> args;
    for (auto& a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);
    int logFd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (logFd < 0)
        throw std::runtime_error("child process: cannot open log '" + logFile.string() +
                                 "': " + std::strerror(errno));
    // Reports exec failure back to the parent through a close-on-exec pipe.
    int errPipe[2];
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        ::close(logFd);
        throw std::runtime_error("child process: pipe failed");
    }
    const pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(logFd);
        ::close(errPipe[0]);
        ::close(errPipe[1]);
        throw std::runtime_error("child process: fork failed: " +
                                 std::string(std::strerror(errno)));
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here to exec.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        ::setpgid(0, 0);
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        ::dup2(logFd, 1);
        ::dup2(logFd, 2);
        ::execv(args[0], args.data());
        int err = errno;
        (void)!::write(errPipe[1], &err, sizeof err);
        ::_exit(127);
    }
    ::close(logFd);
    ::close(errPipe[1]);
    int childErr = 0;
    ssize_t n = ::read(errPipe[0], &childErr, sizeof childErr);
    ::close(errPipe[0]);
    if (n == sizeof childErr) {
        ::waitpid(pid, nullptr, 0);
        throw std::runtime_error("cannot run '" + argv[0] + "': " + std::strerror(childErr));
    }
    pid_ = pid;
}

ChildProcess::~ChildProcess() {
    stop();
}

bool ChildProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
        pid_ = -1;
        return false;
    }
    return true;
}

void ChildProcess::stop(std::chrono::milliseconds grace) {
    if (!running()) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

} // namespace tao::chain
