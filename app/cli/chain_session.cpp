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

chain::NetworkSettings networkOf(const CommandLine& cl) {
    std::optional<std::uint64_t> chainId;
    if (cl.has("chain-id"))
        chainId = static_cast<std::uint64_t>(cl.integer("chain-id", 0, 1, 1LL << 53));
    chain::NetworkSettings n;
    if (cl.has("network") || !cl.has("rpc")) {
        try {
            n = chain::networkPreset(cl.valueOr("network", "devnet"));
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--network: ") + e.what());
        }
        if (chainId && n.chainId && *chainId != *n.chainId)
            throw UsageError("--chain-id " + std::to_string(*chainId) + " contradicts --network " +
                             n.name + " (chain id " + std::to_string(*n.chainId) + ")");
    } else {
        if (!chainId)
            throw UsageError("--rpc without --network needs --chain-id N: the chain your "
                             "transactions are signed for must not be taken from the node");
        n.name = "custom";
        n.chainId = chainId;
    }
    n.rpcUrl = cl.valueOr("rpc", n.rpcUrl);
    return n;
}

ChainSession::ChainSession(const CommandLine& cl, const std::string& role)
    : network(networkOf(cl))
    , insecure(cl.has("insecure"))
    , caFile(cl.valueOr("ca-file", "")) {
    const auto chainId = network.chainId;
    chain::Address address;
    try {
        address = chain::Address::fromHex(cl.value("coordinator"), "--coordinator");
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    auto key = chain::unlockKeystoreFile(cl.value("keystore"), passphrase(cl));
    client = std::make_unique<chain::EthClient>(network.rpcUrl);
    if (client->chainId() != *chainId)
        throw chain::WrongChainError("node " + client->rpc().endpoint() + " is on chain " +
                                     std::to_string(client->chainId()) + ", but " + network.name +
                                     " is chain " + std::to_string(*chainId));
    coordinator = std::make_unique<dispute::Coordinator>(*client, address);
    account = std::make_unique<dispute::CoordinatorAccount>(*coordinator, key, role, chainId);
    role_ = role;
    maxBond_ = weiFromEther(cl.valueOr("max-bond", "0.1"), "--max-bond");
    account->setObserver(printMove);
    // A devnet mines each transaction at once and never reorganises; public chains do both.
    const bool pub = chain::isPublicChain(*chainId);
    auto& send = account->sendOptions();
    send.confirmations = static_cast<unsigned>(cl.integer("confirmations", pub ? 2 : 0, 0, 64));
    send.replaceAfter = std::chrono::seconds(cl.integer("replace-after", pub ? 60 : 0, 0, 3600));
    if (send.replaceAfter.count() > 0)
        send.receiptTimeout = std::max(send.receiptTimeout, 10 * send.replaceAfter);
    if (cl.has("max-fee-gwei"))
        send.maxFeeCap = chain::Uint256(static_cast<std::uint64_t>(
                             cl.integer("max-fee-gwei", 0, 1, 1'000'000))) *
                         chain::Uint256(1'000'000'000);
}

void daemonStep(const std::function<void()>& step) {
    try {
        step();
    } catch (const chain::WrongChainError&) {
        throw;
    } catch (const chain::InsufficientFundsError&) {
        throw;
    } catch (const chain::RpcTransportError& e) {
        std::fprintf(stderr, "node unreachable, retrying: %s\n", e.what());
    } catch (const chain::ChainError& e) {
        std::fprintf(stderr, "chain step failed, retrying: %s\n", e.what());
    }
}

chain::Uint256 weiFromEther(const std::string& text, const std::string& what) {
    const auto dot = text.find('.');
    const auto whole = text.substr(0, dot);
    auto frac = dot == std::string::npos ? std::string() : text.substr(dot + 1);
    const auto digitsOnly = [](const std::string& s) {
        return s.find_first_not_of("0123456789") == std::string::npos;
    };
    if ((whole.empty() && frac.empty()) || !digitsOnly(whole) || !digitsOnly(frac) ||
        frac.size() > 18)
        throw UsageError(what + " expects an amount of ether such as 0.1, not '" + text + "'");
    frac.append(18 - frac.size(), '0');
    return chain::Uint256::fromDecimal(whole.empty() ? frac : whole + frac, what);
}

namespace {
bool plainHttp(const std::string& url) {
    return url.rfind("http://", 0) == 0;
}
} // namespace

void ChainSession::confirmBond() const {
    // The coordinator sets the amounts; the user caps what this role may lock.
    const auto& config = coordinator->config();
    const auto [amount, name] =
        role_ == "provider"     ? std::pair{config.providerBond, "provider bond"}
        : role_ == "challenger" ? std::pair{config.challengerBond, "challenger bond"}
                                : std::pair{config.memberStake, "committee stake"};
    if (maxBond_ < amount)
        throw UsageError("the coordinator asks a " + etherText(amount) + " " + name +
                         ", above --max-bond " + etherText(maxBond_));
    std::printf("%-11s %s %s (cap %s, --max-bond)\n", "bond", etherText(amount).c_str(), name,
                etherText(maxBond_).c_str());
}

bool ChainSession::plainHttpAllowed() const {
    return insecure || !chain::isPublicChain(*network.chainId);
}

dispute::RemoteTraceOptions ChainSession::providerApi(const std::string& url) const {
    if (plainHttp(url) && !plainHttpAllowed())
        throw UsageError("provider API " + url + " is plain HTTP on " + network.name +
                         ": tensors and proofs could be altered in transit; use https:// "
                         "(--ca-file for a private CA) or accept the risk with --insecure");
    dispute::RemoteTraceOptions o;
    o.url = url;
    o.caCertFile = caFile;
    return o;
}

void ChainSession::checkServing(bool tls) const {
    if (!tls && !plainHttpAllowed())
        throw UsageError("serving plain HTTP on " + network.name +
                         ": give --cert and --key, or accept the risk with --insecure");
}

void printMove(const std::string& role, const dispute::MoveRecord& m) {
    std::printf("%-10s %-13s job %-4llu gas %7llu %7.1f ms  tx %s  %s\n", role.c_str(),
                m.move.c_str(), static_cast<unsigned long long>(m.jobId),
                static_cast<unsigned long long>(m.gasUsed), m.wallMs, m.txHash.hex().c_str(),
                m.detail.c_str());
    std::fflush(stdout);
}

} // namespace tao::cli
