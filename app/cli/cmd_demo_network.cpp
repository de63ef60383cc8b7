// `tao demo-network --out DIR`: a live local devnet for the window's dispute demo. It deploys
// the coordinator, seats a committee of three, and has a provider post two jobs on the demo
// model: an honest one and one with a tampered layer. It then keeps playing the provider's
// and the committee's sides in real time, as their daemons would, until stopped (SIGTERM,
// SIGINT, or its parent exiting). The auditor's side is left to whoever connects: the
// network's description (RPC URL, chain id, coordinator, provider API and a throw-away
// keystore of the devnet's third dev account) goes to DIR/network.json and, as one JSON line,
// to stdout.
#include "app/cli/chain_session.hpp"
#include "app/cli/checker_options.hpp"
#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/demo_file_set.hpp"
#include "core/chain/devnet.hpp"
#include "core/chain/keystore.hpp"
#include "core/dispute/remote_judging.hpp"
#include "core/graph/op_info.hpp"
#include "core/io/atomic_file.hpp"
#include "core/provider/data_server.hpp"
#include "core/trace/trace_bundle.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sys/prctl.h>
#include <thread>

namespace tao::cli {

using namespace tao::dispute;

namespace {
std::atomic<bool> stopRequested{false};
extern "C" void requestStop(int) {
    stopRequested = true;
}

// The devnet's keys are public knowledge, so this keystore guards nothing of value: its
// passphrase is part of the network description, which only a devnet gets.
constexpr const char* kDevnetPassphrase = "devnet-demo";

// One step of every agent on every job; a failing step is said and retried on the next poll.
void stepAll(const std::vector<std::pair<Agent*, std::uint64_t>>& work) {
    for (const auto& [agent, job] : work) {
        try {
            agent->step(job);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s step on job %llu: %s\n", roleName(agent->role()).c_str(),
                         static_cast<unsigned long long>(job), e.what());
        }
    }
}
} // namespace

int runDemoNetwork(const std::vector<std::string>& args) {
    const CommandLine cl(args, {"out", "model", "poll-ms", "k"}, {});
    const std::filesystem::path dir = cl.value("out");
    const auto poll = std::chrono::milliseconds(cl.integer("poll-ms", 250, 10, 60000));
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // a reader follows the moves as they happen
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);       // the window that started it is gone: stop too
    std::signal(SIGTERM, requestStop);
    std::signal(SIGINT, requestStop);

    const auto files = prepareDemoFileSet(dir, cl.valueOr("model", defaultDemoModel().string()));
    CoordinatorConfig config;
    config.arity = static_cast<unsigned>(cl.integer("k", 2, 2, 16));
    // Long enough for a person stepping through the game; the committee's own windows short.
    config.challengeWindow = 3600;
    config.moveTimeout = 900;
    config.voteWindow = 15; // room for a committee on a loaded machine
    config.unbondingPeriod = 600;
    config.quorum = 2;
    config.panelSize = 3;
    config.drawDelay = 1;

    chain::Devnet devnet;
    auto& client = devnet.client();
    const auto& keys = devnet.devKeys();
    chain::TransactionSender deployer(client, keys[0], devnet.chainId());
    Coordinator coordinator(client, deployCoordinator(deployer, config));
    CoordinatorAccount requester(coordinator, keys[0], "client", devnet.chainId());
    CoordinatorAccount providerAccount(coordinator, keys[1], "provider", devnet.chainId());
    std::vector<std::unique_ptr<CoordinatorAccount>> members;
    for (int i = 3; i < 6; ++i) {
        members.push_back(std::make_unique<CoordinatorAccount>(coordinator, keys[i], "committee",
                                                               devnet.chainId()));
        members.back()->joinCommittee();
    }
    // Stake counts only for jobs posted after it was locked (no joining to judge a job one
    // has seen): let a second pass before the jobs.
    client.increaseTime(1);
    client.mine(1);

    provider::JobStore store;
    provider::DataServer server(store, {});
    std::vector<std::unique_ptr<ProviderAgent>> providers;
    std::vector<std::uint64_t> jobs;
    for (const auto& path : {files.honestTrace, files.tamperedTrace}) {
        const auto bundle = trace::TraceBundle::open(path);
        const auto& m = bundle.manifest();
        if (!coordinator.modelRegistered(m.modelId))
            requester.registerModel(m.modelId, m.graphTree().root(), m.leafCount(),
                                    commit::Hash32{});
        const auto job =
            requester.requestJob(m.modelId, m.inputHash, providerAccount.address(), 1000).jobId;
        store.add(job, path);
        server.prepare(job);
        providerAccount.submitResult(job, m.outputHash, m.commitment(config.arity), m.leafCount());
        providers.push_back(std::make_unique<ProviderAgent>(providerAccount, m));
        jobs.push_back(job);
    }

    // Every move the provider and the committee make is logged, one line each, after the
    // network's description (which is the first line a reader waits for).
    providerAccount.setObserver(printMove);
    for (auto& m : members)
        m->setObserver(printMove);
    auto checker =
        makeChecker(graph::loadModel(files.model.string()), cl, bundledProfileFor(files.model));
    RemoteTraceOptions api;
    api.url = server.url();
    std::vector<std::unique_ptr<CommitteeAgent>> committee;
    for (auto& m : members)
        committee.push_back(std::make_unique<CommitteeAgent>(
            *m, remoteJudge(*checker, coordinator, api),
            [](const std::string& s) { std::fprintf(stderr, "committee %s\n", s.c_str()); }));
    std::vector<std::pair<Agent*, std::uint64_t>> work;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        work.emplace_back(providers[i].get(), jobs[i]);
        for (auto& c : committee)
            work.emplace_back(c.get(), jobs[i]);
    }

    const auto keystore = std::filesystem::absolute(dir / "auditor.keystore.json");
    chain::writeKeystoreFile(
        keystore, chain::encryptKeystore(keys[2], kDevnetPassphrase, chain::KdfParams::light()));
    const nlohmann::json description = {{"rpcUrl", devnet.rpcUrl()},
                                        {"chainId", devnet.chainId()},
                                        {"coordinator", coordinator.address().hex()},
                                        {"providerApi", server.url()},
                                        {"provider", providerAccount.address().hex()},
                                        {"auditorKeystore", keystore.string()},
                                        {"auditorPassphrase", kDevnetPassphrase},
                                        {"model", files.model.string()},
                                        {"profile", files.profile.string()},
                                        {"honestJob", jobs[0]},
                                        {"tamperedJob", jobs[1]},
                                        {"tamperedOp", files.tamperedOp},
                                        {"tamperDescription", files.tamperDescription}};
    io::writeFileAtomically(dir / "network.json", description.dump(2) + "\n");
    std::cout << description.dump() << std::endl;
    std::fflush(stdout);

    // Anvil mines on each transaction only: an empty block every second keeps the chain's
    // clock, which every deadline is measured against, in step with the wall clock.
    auto lastBlock = std::chrono::steady_clock::now();
    while (!stopRequested) {
        stepAll(work);
        if (std::chrono::steady_clock::now() - lastBlock >= std::chrono::seconds(1)) {
            try {
                client.mine(1);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "devnet: %s\n", e.what());
            }
            lastBlock = std::chrono::steady_clock::now();
        }
        std::this_thread::sleep_for(poll);
    }
    std::printf("stopped\n");
    return kOk;
}

} // namespace tao::cli
