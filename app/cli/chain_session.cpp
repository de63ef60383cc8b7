#include "app/cli/chain_session.hpp"

#include "core/chain/keystore.hpp"
#include "core/io/atomic_file.hpp"

#include <cstdio>
#include <cstdlib>

namespace tao::cli {

namespace {
std::string passphrase(const CommandLine& cl) {
    if (cl.has("passphrase-file")) {
        auto text = io::readWholeFile(cl.value("passphrase-file"));
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
            text.pop_back();
        return text;
    }
    if (const char* env = std::getenv("TAO_PASSPHRASE")) return env;
    throw UsageError("the keystore needs a passphrase: --passphrase-file FILE or TAO_PASSPHRASE");
}
} // namespace

ChainSession::ChainSession(const CommandLine& cl, const std::string& role) {
    const auto rpc = cl.valueOr("rpc", "http://127.0.0.1:8545");
    std::optional<std::uint64_t> chainId;
    if (cl.has("chain-id"))
        chainId = static_cast<std::uint64_t>(cl.integer("chain-id", 0, 1, 1LL << 53));
    chain::Address address;
    try {
        address = chain::Address::fromHex(cl.value("coordinator"), "--coordinator");
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    auto key = chain::unlockKeystoreFile(cl.value("keystore"), passphrase(cl));
    client = std::make_unique<chain::EthClient>(rpc);
    if (chainId && client->chainId() != *chainId)
        throw chain::WrongChainError("node " + client->rpc().endpoint() + " is on chain " +
                                     std::to_string(client->chainId()) + ", expected " +
                                     std::to_string(*chainId));
    coordinator = std::make_unique<dispute::Coordinator>(*client, address);
    account = std::make_unique<dispute::CoordinatorAccount>(*coordinator, key, role, chainId);
    account->setObserver(printMove);
}

void printMove(const std::string& role, const dispute::MoveRecord& m) {
    std::printf("%-10s %-13s job %-4llu gas %7llu %7.1f ms  tx %s  %s\n", role.c_str(),
                m.move.c_str(), static_cast<unsigned long long>(m.jobId),
                static_cast<unsigned long long>(m.gasUsed), m.wallMs, m.txHash.hex().c_str(),
                m.detail.c_str());
    std::fflush(stdout);
}

} // namespace tao::cli
