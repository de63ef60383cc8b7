// tao: the command-line auditor. Thin dispatch over the core libraries.
#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "core/runtime/process_memory.hpp"
#include "core/runtime/runtime_settings.hpp"

#include <algorithm>
#include <iostream>
#include <string>

namespace {
void printHelp() {
    std::cout << "tao — audit ML inference with the TAO protocol\n\nCommands:\n";
    std::size_t width = 0;
    for (const auto& c : tao::cli::commands())
        width = std::max(width, std::string(c.name).size());
    for (const auto& c : tao::cli::commands())
        std::cout << "  " << c.name << std::string(width + 2 - std::string(c.name).size(), ' ')
                  << c.summary << "\n";
    std::cout << "\nRun `tao <command> --help` for its options.\n";
}
} // namespace

int main(int argc, char** argv) {
    tao::runtime::reuseFreedMemory();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        printHelp();
        return args.empty() ? tao::cli::kUsage : tao::cli::kOk;
    }
    for (const auto& c : tao::cli::commands()) {
        if (args[0] != c.name) continue;
        if (c.boundWork) {
            tao::runtime::returnLargeBlocksWhenFreed();
            tao::runtime::adviseHugePagesForLargeTensors();
        }
        std::vector<std::string> rest(args.begin() + 1, args.end());
        for (const auto& a : rest)
            if (a == "--help" || a == "-h") {
                std::cout << c.summary << "\n\nusage: " << c.usage << "\n";
                return tao::cli::kOk;
            }
        try {
            return c.run(rest);
        } catch (const tao::cli::UsageError& e) {
            std::cerr << "tao " << c.name << ": " << e.what() << "\nusage: " << c.usage << "\n";
            return tao::cli::kUsage;
        } catch (const std::exception& e) {
            // Library errors (LibTorch's among them) may carry a stack trace after the
            // first line; the user gets the message only.
            std::string what = e.what();
            std::cerr << "tao " << c.name << ": " << what.substr(0, what.find('\n')) << "\n";
            return tao::cli::kUsage;
        }
    }
    std::cerr << "tao: unknown command '" << args[0] << "'\n";
    printHelp();
    return tao::cli::kUsage;
}
