#pragma once
// Network presets and the per-network settings file (RPC URL, expected chain id,
// contract addresses), stored as JSON and written atomically.
#include "core/chain/address.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tao::chain {

// The local devnet's chain id: anvil's own, used by no public network, so a transaction
// signed for the devnet cannot be replayed on one.
inline constexpr std::uint64_t kDevnetChainId = 31337;

struct NetworkSettings {
    std::string name; // "devnet", "holesky", "hoodi", "sepolia" or custom
    std::string rpcUrl;
    std::optional<std::uint64_t> chainId;     // expected id; empty: accept what the node reports
    std::map<std::string, Address> contracts; // e.g. "coordinator" -> address
};

// True for the chain ids of public networks (the public presets and Ethereum mainnet):
// there, strangers run providers, so plain HTTP to them needs the user's explicit consent.
bool isPublicChain(std::uint64_t chainId);

// devnet (http://127.0.0.1:8545, kDevnetChainId), holesky (17000),
// hoodi (560048), sepolia (11155111), each with a public RPC URL.
const std::vector<NetworkSettings>& networkPresets();
// The preset called `name`; throws std::invalid_argument listing the known names.
NetworkSettings networkPreset(const std::string& name);

struct ChainConfig {
    std::string activeNetwork = "devnet";
    std::map<std::string, NetworkSettings> networks; // starts as the presets

    static ChainConfig defaults();
    // A missing file gives defaults(); a malformed one throws std::runtime_error naming the
    // file and the field. Networks in the file replace or extend the presets.
    static ChainConfig load(const std::filesystem::path& path);
    void save(const std::filesystem::path& path) const; // atomic, mode 0644

    // The active network's settings; throws std::invalid_argument when it is not defined.
    const NetworkSettings& active() const;
};

} // namespace tao::chain
