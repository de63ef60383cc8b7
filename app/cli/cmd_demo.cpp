// `tao demo`: the whole protocol on a local devnet, headless: deploy the coordinator, an
// honest job that finalizes, a tampered job that is challenged, bisected to the tampered op
// and rejected by the committee. Every move is printed with its gas and wall time.
#include "app/cli/checker_options.hpp"
#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/demo_file_set.hpp"
#include "core/chain/devnet.hpp"
#include "core/dispute/remote_judging.hpp"
#include "core/graph/op_info.hpp"
#include "core/io/atomic_file.hpp"
#include "core/provider/adversary.hpp"
#include "core/provider/data_server.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace tao::cli {

using namespace tao::dispute;

namespace {
double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
} // namespace

int runDemo(const std::vector<std::string>& args) {
    CommandLine cl(args, {"model", "k", "mode", "op", "profile", "swap-with", "summary"}, {});
    const auto t0 = std::chrono::steady_clock::now();
    const auto modelPath = cl.valueOr("model", defaultDemoModel().string());
    const auto mode = provider::parseAdversaryMode(cl.valueOr("mode", "perturb-op"));
    if (mode == provider::AdversaryMode::Honest) throw UsageError("--mode must be adversarial");
    CoordinatorConfig config;
    config.arity = static_cast<unsigned>(cl.integer("k", 2, 2, 16));
    config.challengeWindow = 300;
    config.moveTimeout = 120;
    config.voteWindow = 120;
    config.unbondingPeriod = 240;
    config.quorum = 2;    // revealed seats
    config.panelSize = 3; // seats drawn, by stake, from the three members below
    config.drawDelay = 1;

    std::printf("devnet      starting anvil (chain id %llu)\n",
                static_cast<unsigned long long>(chain::kDevnetChainId));
    chain::Devnet devnet;
    auto& client = devnet.client();
    const auto& keys = devnet.devKeys();
    chain::TransactionSender deployer(client, keys[0], chain::kDevnetChainId);
    Coordinator coordinator(client, deployCoordinator(deployer, config));
    std::printf("coordinator %s (k = %u) on %s\n", coordinator.address().hex().c_str(),
                config.arity, devnet.rpcUrl().c_str());

    MoveObserver print = [&](const std::string& role, const MoveRecord& m) {
        std::printf("  %-10s %-13s job %-3llu gas %7llu  %6.1f ms  %s\n", role.c_str(),
                    m.move.c_str(), static_cast<unsigned long long>(m.jobId),
                    static_cast<unsigned long long>(m.gasUsed), m.wallMs, m.detail.c_str());
    };
    CoordinatorAccount requester(coordinator, keys[0], "client", chain::kDevnetChainId);
    CoordinatorAccount providerAcc(coordinator, keys[1], "provider", chain::kDevnetChainId);
    CoordinatorAccount challengerAcc(coordinator, keys[2], "challenger", chain::kDevnetChainId);
    std::vector<std::unique_ptr<CoordinatorAccount>> members;
    for (auto* a : {&requester, &providerAcc, &challengerAcc})
        a->setObserver(print);
    for (int i = 3; i < 6; ++i) {
        members.push_back(std::make_unique<CoordinatorAccount>(coordinator, keys[i], "committee",
                                                               chain::kDevnetChainId));
        members.back()->setObserver(print);
        members.back()->joinCommittee();
    }
    client.increaseTime(1);
    client.mine(1);

    auto model = graph::loadModel(modelPath);
    auto checkerPtr = makeChecker(model, cl, bundledProfileFor(modelPath));
    auto& checker = *checkerPtr;
    auto tmp = std::filesystem::temp_directory_path() / ("tao-demo-" + std::to_string(::getpid()));
    std::filesystem::create_directories(tmp);
    struct Cleanup {
        std::filesystem::path p;
        ~Cleanup() {
            std::error_code ec;
            std::filesystem::remove_all(p, ec);
        }
    } cleanup{tmp};
    provider::JobStore store;
    provider::DataServer server(store, {});
    std::printf("provider    data API at %s\n", server.url().c_str());

    nlohmann::json jobs = nlohmann::json::array();
    auto runJob = [&](const char* title, provider::AdversaryOptions adv) {
        std::printf("\n== %s job (%s) ==\n", title, provider::adversaryModeName(adv.mode).c_str());
        runtime::CaptureOptions capture;
        capture.seed = 1;
        capture.out = tmp / (std::string(title) + ".taotrace");
        provider::AdversaryReport report;
        auto m = provider::adversarialCapture(graph::loadModel(modelPath), capture, adv, &report);
        if (!report.description.empty())
            std::printf("provider    %s\n", report.description.c_str());
        const auto n = m.leafCount();
        if (!coordinator.modelRegistered(m.modelId))
            requester.registerModel(m.modelId, m.graphTree().root(), n, commit::Hash32{});
        auto jobId =
            requester.requestJob(m.modelId, m.inputHash, providerAcc.address(), 1000).jobId;
        providerAcc.submitResult(jobId, m.outputHash, m.commitment(config.arity), n);
        store.add(jobId, capture.out);

        RemoteTraceOptions api;
        api.url = server.url();
        auto a = assessJob(coordinator, jobId, checker, api);
        ProviderAgent provider(providerAcc, m);
        std::vector<std::unique_ptr<CommitteeAgent>> committee;
        std::vector<Agent*> agents{&provider};
        for (auto& mem : members) {
            committee.push_back(
                std::make_unique<CommitteeAgent>(*mem, remoteJudge(checker, coordinator, api)));
            agents.push_back(committee.back().get());
        }
        std::unique_ptr<ChallengerAgent> challenger;
        if (a.output) std::printf("challenger  output %s\n", describe(*a.output).c_str());
        if (a.wrong()) {
            if (a.firstBad || a.fault)
                std::printf("challenger  %s\n",
                            a.firstBad ? describe(*a.firstBad).c_str() : a.fault->reason.c_str());
            std::printf("challenger  fetched %llu of %llu trace bytes (%llu requests)\n",
                        static_cast<unsigned long long>(a.bytesFetched),
                        static_cast<unsigned long long>(a.fullTraceBytes),
                        static_cast<unsigned long long>(a.requests));
            challenger = std::make_unique<ChallengerAgent>(
                challengerAcc, partChooser(a, checker, [](const std::string& s) {
                    std::printf("challenger  %s\n", s.c_str());
                }));
            challenger->challenge(jobId);
            agents.push_back(challenger.get());
        } else {
            std::printf("challenger  all %u ops pass; no challenge\n", n);
        }
        auto moves = playUntilClosed(coordinator, jobId, agents);
        if (challenger && a.source)
            std::printf("challenger  fetched %llu of %llu trace bytes in all\n",
                        static_cast<unsigned long long>(a.source->bytesFetched()),
                        static_cast<unsigned long long>(a.fullTraceBytes));
        std::uint64_t gas = 0;
        for (const auto& mv : moves)
            gas += mv.gasUsed;
        auto job = coordinator.job(jobId);
        std::printf("result      job %llu %s after %zu moves (%llu gas)",
                    static_cast<unsigned long long>(jobId), jobStatusName(job.status).c_str(),
                    moves.size(), static_cast<unsigned long long>(gas));
        nlohmann::json summary = {{"job", title},
                                  {"mode", provider::adversaryModeName(adv.mode)},
                                  {"description", report.description},
                                  {"challenged", challenger != nullptr},
                                  {"status", jobStatusName(job.status)},
                                  {"moves", moves.size()},
                                  {"gas", gas}};
        if (report.firstAffected) summary["tamperedOp"] = *report.firstAffected;
        summary["tamperedOps"] = report.tamperedOps;
        for (const auto& e : coordinator.events(0, jobId))
            if (e.name == "LeafRevealed") {
                summary["leafOp"] = e.fields["op"][0].get<int>();
                std::printf("; leaf op %d (tampered: %s)", e.fields["op"][0].get<int>(),
                            report.firstAffected ? std::to_string(*report.firstAffected).c_str()
                                                 : "-");
            }
        std::printf("\n");
        jobs.push_back(summary);
        return job.status;
    };

    auto honest = runJob("honest", {});
    provider::AdversaryOptions adv;
    adv.mode = mode;
    adv.swapWith = cl.valueOr("swap-with", "");
    if (cl.has("op")) {
        adv.op = static_cast<std::uint32_t>(cl.integer("op", 0, 0, 1 << 30));
    } else if (provider::changesOneOp(mode) && mode != provider::AdversaryMode::SkipOp) {
        // Tamper deep in the graph, so the bisection has some way to go.
        const auto& ops = graph::opsOf(*graph::loadModel(modelPath));
        for (std::size_t i = ops.size() / 2; i < ops.size() && !adv.op; ++i)
            if (ops[i].kind == "aten::linear" || ops[i].kind == "aten::_convolution" ||
                ops[i].kind == "aten::matmul")
                adv.op = static_cast<std::uint32_t>(i);
    }
    auto tampered = runJob("tampered", adv);
    const bool ok = honest == JobStatus::Accepted && tampered == JobStatus::Rejected;
    std::printf("\ndemo        %s in %.1f s\n",
                ok ? "OK: honest accepted, tampered rejected" : "UNEXPECTED OUTCOME",
                secondsSince(t0));
    if (cl.has("summary"))
        io::writeFileAtomically(
            cl.value("summary"),
            nlohmann::json({{"model", std::filesystem::path(modelPath).stem().string()},
                            {"k", config.arity},
                            {"ok", ok},
                            {"seconds", secondsSince(t0)},
                            {"jobs", jobs}})
                    .dump(2) +
                "\n");
    return ok ? kOk : kFail;
}

} // namespace tao::cli
