#include "dispute/dispute_world.hpp"

#include "core/chain/transaction_sender.hpp"

namespace tao::test {

using namespace tao::dispute;

CoordinatorConfig DisputeWorld::shortConfig(unsigned k) {
    CoordinatorConfig c;
    c.arity = k;
    c.challengeWindow = 120;
    c.moveTimeout = 60;
    c.voteWindow = 60;
    c.unbondingPeriod = 120;
    c.quorum = 2;
    return c;
}

DisputeWorld::DisputeWorld(CoordinatorConfig cfg)
    : config(cfg) {
    devnet = std::make_unique<chain::Devnet>();
    client = std::make_unique<chain::EthClient>(devnet->rpcUrl());
    chain::TransactionSender deployer(*client, devnet->devKeys()[0], chain::kDevnetChainId);
    auto address = deployCoordinator(deployer, config);
    coordinator = std::make_unique<Coordinator>(*client, address);
    const auto& keys = devnet->devKeys();
    requester = std::make_unique<CoordinatorAccount>(*coordinator, keys[0], "client",
                                                     chain::kDevnetChainId);
    provider = std::make_unique<CoordinatorAccount>(*coordinator, keys[1], "provider",
                                                    chain::kDevnetChainId);
    challenger = std::make_unique<CoordinatorAccount>(*coordinator, keys[2], "challenger",
                                                      chain::kDevnetChainId);
    second = std::make_unique<CoordinatorAccount>(*coordinator, keys[6], "second",
                                                  chain::kDevnetChainId);
    for (int i = 3; i < 6; ++i) {
        members.push_back(std::make_unique<CoordinatorAccount>(*coordinator, keys[i], "committee",
                                                               chain::kDevnetChainId));
        members.back()->joinCommittee();
    }
    client->increaseTime(1); // members must have joined strictly before a ballot opens
    client->mine(1);
}

std::uint64_t DisputeWorld::postJob(const trace::Manifest& m,
                                    std::optional<commit::Hash32> postedOutput) {
    const auto n = m.leafCount();
    if (!coordinator->modelRegistered(m.modelId))
        requester->registerModel(m.modelId, m.graphTree().root(), n, commit::Hash32{});
    auto job =
        requester->requestJob(m.modelId, m.inputHash, provider->address(), chain::Uint256(1000));
    provider->submitResult(job.jobId, postedOutput.value_or(m.outputHash),
                           m.commitment(config.arity), n);
    return job.jobId;
}

} // namespace tao::test
