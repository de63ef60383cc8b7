// Cost of a whole dispute on a local devnet with the real coordinator: rounds, transactions,
// gas and wall time for synthetic traces of n leaves at arity k (the game needs only the
// commitment, not a model), plus the tensor bytes a challenger and a committee member fetch
// from the provider's API on real models, against the full trace size.
// Usage: bench_dispute [--out FILE]   (prints JSON; never gates anything on time)
#include "core/chain/devnet.hpp"
#include "core/commit/bisection.hpp"
#include "core/dispute/remote_judging.hpp"
#include "core/graph/op_info.hpp"
#include "core/io/demo_models.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/provider/adversary.hpp"
#include "core/provider/data_server.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

using namespace tao;
using namespace tao::dispute;
using nlohmann::json;

namespace {
double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

trace::Manifest syntheticTrace(std::uint32_t n, std::uint64_t salt) {
    trace::Manifest m;
    m.modelId = commit::keccak256("synthetic-" + std::to_string(n));
    m.inputHash = commit::keccak256("input-" + std::to_string(salt));
    for (std::uint32_t i = 0; i < n; ++i) {
        trace::OpRecord r;
        r.index = i;
        r.kind = "aten::synthetic";
        if (i > 0) r.inputs = {"op:" + std::to_string(i - 1) + ".0"};
        r.outputHash = commit::keccak256(std::to_string(salt) + "/" + std::to_string(i));
        m.ops.push_back(r);
    }
    m.outputs = {"op:" + std::to_string(n - 1) + ".0"};
    m.outputHash = m.ops.back().outputHash;
    m.root = m.merkleTree().root();
    return m;
}

json game(chain::Devnet& devnet, unsigned k, std::uint32_t n, std::uint32_t disputed) {
    CoordinatorConfig cfg;
    cfg.arity = k;
    cfg.quorum = 2;
    chain::TransactionSender deployer(devnet.client(), devnet.devKeys()[0], devnet.chainId());
    Coordinator c(devnet.client(), deployCoordinator(deployer, cfg));
    const auto& keys = devnet.devKeys();
    CoordinatorAccount client(c, keys[0], "client"), prov(c, keys[1], "provider"),
        chal(c, keys[2], "challenger");
    std::vector<std::unique_ptr<CoordinatorAccount>> members;
    for (int i = 3; i < 6; ++i) {
        members.push_back(std::make_unique<CoordinatorAccount>(c, keys[i], "committee"));
        members.back()->joinCommittee();
    }
    devnet.client().increaseTime(1);
    devnet.client().mine(1);
    auto m = syntheticTrace(n, k);
    client.registerModel(m.modelId, m.graphTree().root(), m.leafCount(), commit::Hash32{});
    auto jobId = client.requestJob(m.modelId, m.inputHash, prov.address(), 1000).jobId;
    prov.submitResult(jobId, m.outputHash, m.commitment(k), m.leafCount());

    ProviderAgent p(prov, m);
    ChallengerAgent ch(chal, disputed);
    auto t0 = std::chrono::steady_clock::now();
    auto first = ch.challenge(jobId);
    std::vector<std::unique_ptr<CommitteeAgent>> committee;
    std::vector<Agent*> agents{&p, &ch};
    for (auto& a : members) {
        committee.push_back(
            std::make_unique<CommitteeAgent>(*a, [](std::uint64_t, const JobInfo&, std::uint32_t) {
                return std::pair{false, VoteReason::BeyondBound};
            }));
        agents.push_back(committee.back().get());
    }
    auto moves = playUntilClosed(c, jobId, agents);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    moves.insert(moves.begin(), *first);
    std::uint64_t gas = 0, bisectGas = 0, selectGas = 0, maxBisect = 0;
    unsigned rounds = 0;
    json perMove = json::object();
    for (const auto& mv : moves) {
        gas += mv.gasUsed;
        if (mv.move == "bisect") {
            bisectGas += mv.gasUsed;
            maxBisect = std::max<std::uint64_t>(maxBisect, mv.gasUsed);
            ++rounds;
        }
        if (mv.move == "select") selectGas += mv.gasUsed;
        perMove[mv.move] = perMove.value(mv.move, 0ull) + mv.gasUsed;
    }
    return {{"n", n},
            {"k", k},
            {"disputedOp", disputed},
            {"rounds", rounds},
            {"expectedRounds", commit::roundsFor(n, k, disputed)},
            {"transactions", moves.size()},
            {"gasTotal", gas},
            {"gasByMove", perMove},
            {"maxProviderMoveGas", maxBisect},
            {"wallSeconds", wall},
            {"outcome", jobStatusName(c.job(jobId).status)}};
}

json fetchCost(const std::string& modelName) {
    const std::filesystem::path root = TAO_SOURCE_DIR;
    const auto path = io::demoModelPath(root, modelName);
    if (path.empty()) return {{"model", modelName}, {"skipped", "model missing"}};
    auto dir = std::filesystem::temp_directory_path() / ("tao-bench-dispute-" + modelName);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto model = graph::loadModel(path);
    const auto n = static_cast<std::uint32_t>(graph::opsOf(*model).size());
    runtime::CaptureOptions cap;
    cap.seed = 1;
    cap.out = dir / "t.taotrace";
    provider::AdversaryOptions adv;
    adv.mode = provider::AdversaryMode::PerturbOp;
    // The middle op whose output is a float tensor the perturbation changes.
    provider::AdversaryReport rep;
    trace::Manifest m;
    for (std::uint32_t op = n / 2; op < n; ++op) {
        adv.op = op;
        try {
            m = provider::adversarialCapture(graph::loadModel(path), cap, adv, &rep);
            break;
        } catch (const std::invalid_argument&) {
        }
    }
    provider::JobStore store;
    store.add(1, cap.out);
    provider::DataServer server(store, {});
    RemoteTraceOptions o;
    o.url = server.url();
    o.jobId = 1;
    o.arity = 4;
    o.commitment = m.commitment(4);
    o.inputHash = m.inputHash;
    json r = {{"model", modelName},
              {"ops", n},
              {"tamperedOp", rep.firstAffected ? json(*rep.firstAffected) : json()},
              {"fullTraceBytes", fullTraceBytes(m)}};
    const double full = double(fullTraceBytes(m));

    // Judging ops needs the model's profile (the same rule as tao verify).
    const auto profilePath = root / "resources/profiles" / (modelName + ".json");
    if (!std::filesystem::exists(profilePath)) {
        r["skipped"] = "no profile at resources/profiles/" + modelName + ".json";
        std::filesystem::remove_all(dir);
        return r;
    }
    CheckOptions co;
    co.profile = std::make_shared<numerics::Profile>(numerics::Profile::load(profilePath));

    // Strategy 1: scan op by op up to the first bad op.
    OpChecker scanner(model, co);
    auto t0 = std::chrono::steady_clock::now();
    RemoteTraceSource scan(o);
    auto bad = scanner.firstNonPass(scan);
    r["scan"] = {{"foundOp", bad ? json(bad->op) : json()},
                 {"bytes", scan.bytesFetched()},
                 {"requests", scan.requests()},
                 {"fraction", double(scan.bytesFetched()) / full},
                 {"seconds", secondsSince(t0)}};

    // Strategy 2: replay the whole model, then bisect at k = 4 by segment replays from the
    // provider's cut states, as the challenger does in the game.
    {
        OpChecker checker(model, co);
        t0 = std::chrono::steady_clock::now();
        Assessment a;
        a.source = std::make_shared<RemoteTraceSource>(o);
        a.output = checker.checkSegment(0, n, *a.source);
        auto choose = partChooser(a, checker);
        std::uint32_t lo = 0, hi = n;
        unsigned rounds = 0;
        while (hi - lo > 1) {
            std::tie(lo, hi) = commit::selectedInterval(lo, hi, 4, choose(lo, hi, 4));
            ++rounds;
        }
        r["segments"] = {{"outputBeyond", a.output->beyond},
                         {"outputUtilisation", a.output->utilisation},
                         {"foundOp", lo},
                         {"rounds", rounds},
                         {"bytes", a.source->bytesFetched()},
                         {"requests", a.source->requests()},
                         {"fraction", double(a.source->bytesFetched()) / full},
                         {"seconds", secondsSince(t0)}};
    }

    // The committee fetches one leaf's inputs and outputs.
    const auto leafOp = bad ? bad->op : rep.firstAffected.value_or(0);
    RemoteTraceSource leaf(o);
    scanner.check(leafOp, leaf);
    r["committeeLeafBytes"] = leaf.bytesFetched();
    r["committeeFraction"] = double(leaf.bytesFetched()) / full;
    std::filesystem::remove_all(dir);
    return r;
}
} // namespace

int main(int argc, char** argv) {
    std::string out;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--out" && i + 1 < argc)
            out = argv[++i];
        else {
            std::cerr << "usage: bench_dispute [--out FILE]\n";
            return 3;
        }
    }
    try {
        json result = {{"bench", "dispute"}, {"games", json::array()}, {"fetch", json::array()}};
        chain::Devnet devnet;
        for (unsigned k : {2u, 4u, 8u})
            for (std::uint32_t n : {100u, 416u, 1000u})
                result["games"].push_back(game(devnet, k, n, n - 1)); // disputes the last op
        // The gas goal's case: a provider move at k = 4 on a million-op trace.
        result["games"].push_back(game(devnet, 4, 1'000'000, 999'999));
        for (const char* name : {"fashion_cnn", "tiny_lm", "gpt2_small"})
            result["fetch"].push_back(fetchCost(name));
        auto text = result.dump(2);
        std::cout << text << "\n";
        if (!out.empty()) std::ofstream(out) << text << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_dispute: " << e.what() << "\n";
        return 1;
    }
}
