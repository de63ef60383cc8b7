#pragma once
// A child process owned by this object: started with fork/exec, output appended to a log
// file, killed and reaped on destruction. On Linux the child also gets SIGKILL when the
// parent dies (PR_SET_PDEATHSIG), so a crashing parent leaves no orphan.
#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tao::chain {

class ChildProcess {
public:
    // argv[0] is the executable path. Throws std::runtime_error naming it when it cannot run.
    ChildProcess(std::vector<std::string> argv, const std::filesystem::path& logFile);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // False once the child has exited (reaps it).
    bool running();
    // SIGTERM, then SIGKILL after `grace`; waits until reaped. Safe to call twice.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

private:
    pid_t pid_ = -1;
};

} // namespace tao::chain
