#pragma once
// A local anvil devnet owned by this object: started on a free loopback port, ready once it
// answers eth_chainId, stopped (and its data directory removed) on destruction.
#include "core/chain/chain_errors.hpp"
#include "core/chain/eth_client.hpp"
#include "core/chain/network_config.hpp"
#include "core/chain/private_key.hpp"

#include <chrono>
#include <filesystem>
#include <memory>

namespace tao::chain {

class ChildProcess;

struct DevnetError : ChainError {
    using ChainError::ChainError;
};

struct DevnetOptions {
    std::filesystem::path anvilPath; // empty: Devnet::findAnvil()
    std::uint64_t chainId = kDevnetChainId;
    std::optional<unsigned> blockTimeSeconds; // empty: mine on every transaction
    unsigned accounts = 10;
    std::uint64_t balanceEther = 10000; // per dev account
    std::chrono::milliseconds startTimeout{20000};
    // Keep the chain in a state file across restart() (anvil --state); pending transactions
    // are not kept, as on a real node that loses its pool.
    bool persistState = false;
};

class Devnet {
public:
    // Starts anvil. Throws DevnetError when anvil is missing, exits early or does not answer
    // within startTimeout (the message includes the tail of anvil's log).
    explicit Devnet(DevnetOptions options = {});
    ~Devnet();
    Devnet(const Devnet&) = delete;
    Devnet& operator=(const Devnet&) = delete;

    const std::string& rpcUrl() const { return rpcUrl_; }
    std::uint16_t port() const { return port_; }
    std::uint64_t chainId() const { return options_.chainId; }
    EthClient& client() { return *client_; }

    // Anvil's funded dev accounts (keys as anvil reports them in its --config-out file).
    const std::vector<PrivateKey>& devKeys() const { return keys_; }
    Address devAddress(std::size_t index) const;

    // Sets `account`'s balance to `wei` (anvil_setBalance).
    void fund(const Address& account, const Uint256& wei);
    // Sends a create transaction from dev account `deployer`; returns the contract address.
    Address deploy(const commit::Bytes& bytecode, const commit::Bytes& constructorArgs = {},
                   std::size_t deployer = 0);

    bool running() const;
    void stop();
    // Stops anvil and starts it again on the same port after `downtime`; with persistState
    // the chain survives and only the pending pool is lost, otherwise the chain starts over.
    // client() stays valid. Throws DevnetError as the constructor does.
    void restart(std::chrono::milliseconds downtime = std::chrono::milliseconds(0));
    std::string logTail(std::size_t maxBytes = 2000) const;

    // $TAO_ANVIL, else <TAO_SOURCE_DIR>/contracts/node_modules/.bin/anvil (environment
    // variable), else `anvil` on PATH. Throws DevnetError saying how to install it.
    static std::filesystem::path findAnvil();

private:
    bool tryStart(std::uint16_t port);

    DevnetOptions options_;
    std::filesystem::path workDir_;
    std::unique_ptr<ChildProcess> process_;
    std::uint16_t port_ = 0;
    std::string rpcUrl_;
    std::unique_ptr<EthClient> client_;
    std::vector<PrivateKey> keys_;
};

// The creation bytecode ("bytecode.object") of a forge artifact such as
// contracts/out/Coordinator.sol/Coordinator.json. Throws std::runtime_error naming the file.
commit::Bytes forgeArtifactBytecode(const std::filesystem::path& artifact);

} // namespace tao::chain
