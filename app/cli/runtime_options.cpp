#include "app/cli/runtime_options.hpp"

namespace tao::cli {

runtime::RuntimeSettings runtimeSettings(const CommandLine& cl) {
    runtime::RuntimeSettings s;
    s.threads = static_cast<int>(cl.integer("threads", 1, 1, 1024));
    s.onednn = !cl.has("no-onednn");
    s.device = cl.valueOr("device", "cpu");
    return s;
}

std::set<std::string> withRuntime(std::set<std::string> own, const std::set<std::string>& shared) {
    own.insert(shared.begin(), shared.end());
    return own;
}

} // namespace tao::cli
