#pragma once
// What every chain command needs: node, expected chain id, coordinator address and one
// account unlocked from a V3 keystore (passphrase from a file or TAO_PASSPHRASE, never from
// the command line and never printed).
#include "app/cli/command_line.hpp"
#include "core/chain/network_config.hpp"
#include "core/dispute/coordinator.hpp"
#include "core/dispute/remote_trace.hpp"

#include <functional>
#include <memory>

namespace tao::cli {

// Options this helper reads. The chain id every signature commits to comes from the user,
// never from the node: --network NAME pins it (devnet 31337, holesky, hoodi, sepolia; the
// default is devnet), a custom --rpc URL needs --chain-id N, and the node must agree.
// --max-bond ETH (default 0.1) caps the bond or stake this role must lock; the amount is
// printed before anything is sent.
// On a public network a transaction counts after --confirmations N blocks (default 2; 0 on
// the devnet), and one stuck for --replace-after S seconds (default 60) is sent again with
// 25% higher fees, up to --max-fee-gwei G (default: 4x the first offer).
inline const std::set<std::string> kChainOptions = {
    "network", "rpc",      "chain-id",      "coordinator",   "keystore",    "passphrase-file",
    "ca-file", "max-bond", "confirmations", "replace-after", "max-fee-gwei"};
// --insecure: allow plain HTTP to or from provider APIs on a public network.
inline const std::set<std::string> kChainFlags = {"insecure"};

struct ChainSession {
    chain::NetworkSettings network; // rpcUrl and chainId as used
    bool insecure = false;
    std::string caFile; // --ca-file: certificate(s) to trust for a provider's HTTPS API
    std::unique_ptr<chain::EthClient> client;
    std::unique_ptr<dispute::Coordinator> coordinator;
    std::unique_ptr<dispute::CoordinatorAccount> account;
    // Throws UsageError for a missing, malformed or contradictory option, WrongChainError
    // when the node is on another chain, other chain errors with the reason.
    ChainSession(const CommandLine& cl, const std::string& role);

    // The provider API at `url` as a client reaches it (CA file applied). Throws UsageError
    // for plain HTTP on a public network without --insecure.
    dispute::RemoteTraceOptions providerApi(const std::string& url) const;
    // Prints the bond or stake this role locks and throws UsageError when it is above
    // --max-bond. Call before the first transaction that locks it.
    void confirmBond() const;
    // Throws UsageError when a provider would serve plain HTTP on a public network without
    // --insecure; `tls` says whether a certificate was given.
    void checkServing(bool tls) const;

private:
    // Plain HTTP between strangers needs the user's consent (--insecure) on public chains.
    bool plainHttpAllowed() const;

    std::string role_;
    chain::Uint256 maxBond_;
};

// One step of a daemon (provider serve, committee serve). An unreachable or failing node, a
// receipt that does not come in time and a move the chain refused are logged to stderr and
// left to the next poll: the agent re-reads the chain then, so a turn is not played twice and
// a passing outage does not hand the other side a timeout win. A wrong chain or an account
// without funds is not cured by waiting and is thrown.
void daemonStep(const std::function<void()>& step);

// Wei as ether for people: "0.001 ETH". Ether text ("0.1", "2") as wei; throws UsageError
// for anything else (more than 18 decimals, signs, exponents).
using chain::etherText;
chain::Uint256 weiFromEther(const std::string& text, const std::string& what);

// The network the options name (see kChainOptions); no connection is made. Throws
// UsageError naming the conflict.
chain::NetworkSettings networkOf(const CommandLine& cl);

// Prints one move line (role, move, job, gas, time, detail).
void printMove(const std::string& role, const dispute::MoveRecord& m);

} // namespace tao::cli
