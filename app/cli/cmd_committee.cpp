// `tao committee serve`: join the committee if needed, then vote on every revealed leaf (each
// game of a job has its own ballot) by recomputing the op from the provider's hash-checked
// tensors, and resolve ballots when due.
#include "app/cli/chain_session.hpp"
#include "app/cli/checker_options.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/dispute/remote_judging.hpp"
#include "core/graph/op_info.hpp"

#include <cstdio>
#include <thread>

namespace tao::cli {

using namespace tao::dispute;

int runCommittee(const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "serve") throw UsageError("usage: tao committee serve ...");
    auto valued = kChainOptions;
    valued.insert({"model", "provider-api", "job", "poll-ms"});
    valued.insert(kCheckerOptions.begin(), kCheckerOptions.end());
    CommandLine cl({args.begin() + 1, args.end()}, valued, withRuntime({"once"}, kChainFlags));
    auto checkerPtr =
        makeChecker(graph::loadModel(cl.value("model")), cl, bundledProfileFor(cl.value("model")));
    auto& checker = *checkerPtr;
    ChainSession session(cl, "committee");
    const auto api = session.providerApi(cl.value("provider-api"));
    CommitteeAgent agent(
        *session.account,
        remoteJudge(checker, *session.coordinator, api,
                    [](const std::string& s) { std::printf("judged      %s\n", s.c_str()); }),
        [](const std::string& s) { std::printf("abstained   %s\n", s.c_str()); });
    session.confirmBond();
    agent.ensureMember();
    const auto poll = std::chrono::milliseconds(cl.integer("poll-ms", 1000, 10, 600000));
    for (;;) {
        std::vector<std::uint64_t> jobs;
        if (cl.has("job"))
            jobs.push_back(static_cast<std::uint64_t>(cl.integer("job", 1, 1, 1LL << 53)));
        else
            daemonStep([&] {
                for (std::uint64_t j = 1; j <= session.coordinator->jobCount(); ++j)
                    jobs.push_back(j);
            });
        for (auto j : jobs)
            daemonStep([&] { agent.step(j); });
        if (cl.has("once")) return kOk;
        std::this_thread::sleep_for(poll);
    }
}

} // namespace tao::cli
