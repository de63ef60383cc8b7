#pragma once
// A devnet with a deployed coordinator and the accounts of a dispute: client, provider, two
// challengers (the second also plays a provider's own second account) and a committee of
// three. Shared by the end-to-end dispute suites.
#include "core/chain/devnet.hpp"
#include "core/dispute/agents.hpp"
#include "core/trace/manifest.hpp"

#include <memory>

namespace tao::test {

struct DisputeWorld {
    std::unique_ptr<chain::Devnet> devnet;
    std::unique_ptr<chain::EthClient> client; // own client, so it can be pointed elsewhere
    std::unique_ptr<dispute::Coordinator> coordinator;
    std::unique_ptr<dispute::CoordinatorAccount> requester, provider, challenger, second;
    std::vector<std::unique_ptr<dispute::CoordinatorAccount>> members;
    dispute::CoordinatorConfig config;

    // Starts anvil (chain id chain::kDevnetChainId), deploys TaoCoordinator with `config`, joins
    // the committee.
    explicit DisputeWorld(dispute::CoordinatorConfig config = shortConfig(2));
    static dispute::CoordinatorConfig shortConfig(unsigned k);

    // Registers the model (with the manifest's graph) if needed, requests a job and posts the
    // manifest's result, or `postedOutput` in its place (a provider selling another output).
    std::uint64_t postJob(const trace::Manifest& manifest,
                          std::optional<commit::Hash32> postedOutput = std::nullopt);
};

} // namespace tao::test
