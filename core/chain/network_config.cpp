#include "core/chain/network_config.hpp"

#include "core/io/atomic_file.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tao::chain {

using io::readWholeFile;
using io::writeFileAtomically;

using nlohmann::json;

const std::vector<NetworkSettings>& networkPresets() {
    static const std::vector<NetworkSettings> presets = {
        {"devnet", "http://127.0.0.1:8545", kDevnetChainId, {}},
        {"holesky", "https://ethereum-holesky-rpc.publicnode.com", 17000, {}},
        {"hoodi", "https://ethereum-hoodi-rpc.publicnode.com", 560048, {}},
        {"sepolia", "https://ethereum-sepolia-rpc.publicnode.com", 11155111, {}},
    };
    return presets;
}

bool isPublicChain(std::uint64_t chainId) {
    constexpr std::uint64_t kMainnet = 1;
    if (chainId == kMainnet) return true;
    for (const auto& p : networkPresets())
        if (p.name != "devnet" && p.chainId == chainId) return true;
    return false;
}

NetworkSettings networkPreset(const std::string& name) {
    std::string known;
    for (const auto& p : networkPresets()) {
        if (p.name == name) return p;
        known += (known.empty() ? "" : ", ") + p.name;
    }
    throw std::invalid_argument("network '" + name + "' is not a preset (known: " + known + ")");
}

ChainConfig ChainConfig::defaults() {
    ChainConfig c;
    for (const auto& p : networkPresets())
        c.networks[p.name] = p;
    return c;
}

ChainConfig ChainConfig::load(const std::filesystem::path& path) {
    ChainConfig c = defaults();
    if (!std::filesystem::exists(path)) return c;
    const std::string where = "chain config '" + path.string() + "'";
    json doc;
    try {
        doc = json::parse(readWholeFile(path));
    } catch (const json::exception&) {
        throw std::runtime_error(where + ": not valid JSON");
    }
    try {
        if (!doc.is_object()) throw std::runtime_error("top level is not an object");
        if (doc.contains("active")) c.activeNetwork = doc.at("active").get<std::string>();
        if (doc.contains("networks")) {
            for (const auto& [name, n] : doc.at("networks").items()) {
                NetworkSettings s = c.networks.count(name) ? c.networks[name] : NetworkSettings{};
                s.name = name;
                if (n.contains("rpcUrl")) s.rpcUrl = n.at("rpcUrl").get<std::string>();
                if (n.contains("chainId")) {
                    if (n.at("chainId").is_null())
                        s.chainId.reset();
                    else
                        s.chainId = n.at("chainId").get<std::uint64_t>();
                }
                if (n.contains("contracts")) {
                    s.contracts.clear();
                    for (const auto& [label, addr] : n.at("contracts").items())
                        s.contracts[label] = Address::fromHex(
                            addr.get<std::string>(), "networks." + name + ".contracts." + label);
                }
                if (s.rpcUrl.empty())
                    throw std::runtime_error("network '" + name + "' has no rpcUrl");
                c.networks[name] = s;
            }
        }
    } catch (const json::exception& e) {
        throw std::runtime_error(where + ": " + e.what());
    } catch (const std::exception& e) {
        throw std::runtime_error(where + ": " + e.what());
    }
    return c;
}

void ChainConfig::save(const std::filesystem::path& path) const {
    json nets = json::object();
    for (const auto& [name, s] : networks) {
        json contracts = json::object();
        for (const auto& [label, addr] : s.contracts)
            contracts[label] = addr.checksumHex();
        nets[name] = {{"rpcUrl", s.rpcUrl},
                      {"chainId", s.chainId ? json(*s.chainId) : json(nullptr)},
                      {"contracts", contracts}};
    }
    writeFileAtomically(path, json{{"active", activeNetwork}, {"networks", nets}}.dump(2) + "\n");
}

const NetworkSettings& ChainConfig::active() const {
    auto it = networks.find(activeNetwork);
    if (it == networks.end())
        throw std::invalid_argument("active network '" + activeNetwork + "' is not configured");
    return it->second;
}

} // namespace tao::chain
