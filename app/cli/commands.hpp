#pragma once
// The subcommands of `tao`. Each lives in its own cmd_<name>.cpp and is listed
// in commands.cpp; a command returns its exit code and throws UsageError (or
// any std::exception) for bad input, which main() prints as one line.
#include <string>
#include <vector>

namespace tao::cli {

struct Command {
    const char* name;
    const char* summary;
    const char* usage;
    int (*run)(const std::vector<std::string>& args);
    // Its time goes to FP64 references and bounds: large tensors are advised onto huge
    // pages (runtime::adviseHugePagesForLargeTensors) and given back when freed
    // (runtime::returnLargeBlocksWhenFreed); capture and serving are not.
    bool boundWork = false;
};

const std::vector<Command>& commands();

int runCapture(const std::vector<std::string>& args);
int runInspect(const std::vector<std::string>& args);
int runReplay(const std::vector<std::string>& args);
int runBounds(const std::vector<std::string>& args);
int runCalibrate(const std::vector<std::string>& args);
int runVerify(const std::vector<std::string>& args);
int runEvidence(const std::vector<std::string>& args);
int runVerifyEvidence(const std::vector<std::string>& args);
int runCompare(const std::vector<std::string>& args);
int runGraph(const std::vector<std::string>& args);
int runProvider(const std::vector<std::string>& args);
int runChallenge(const std::vector<std::string>& args);
int runCommittee(const std::vector<std::string>& args);
int runDemo(const std::vector<std::string>& args);
int runDemoFiles(const std::vector<std::string>& args);
int runDemoNetwork(const std::vector<std::string>& args);
int runEval(const std::vector<std::string>& args);

} // namespace tao::cli
