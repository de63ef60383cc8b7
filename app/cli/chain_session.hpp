#pragma once
// What every chain command needs: node, expected chain id, coordinator address and one
// account unlocked from a V3 keystore (passphrase from a file or TAO_PASSPHRASE, never from
// the command line and never printed).
#include "app/cli/command_line.hpp"
#include "core/dispute/coordinator.hpp"

#include <memory>

namespace tao::cli {

// Options this helper reads: rpc, chain-id, coordinator, keystore, passphrase-file.
inline const std::set<std::string> kChainOptions = {"rpc", "chain-id", "coordinator", "keystore",
                                                    "passphrase-file"};

struct ChainSession {
    std::unique_ptr<chain::EthClient> client;
    std::unique_ptr<dispute::Coordinator> coordinator;
    std::unique_ptr<dispute::CoordinatorAccount> account;
    // Throws UsageError for a missing or malformed option, chain errors with the reason.
    ChainSession(const CommandLine& cl, const std::string& role);
};

// Prints one move line (role, move, job, gas, time, detail).
void printMove(const std::string& role, const dispute::MoveRecord& m);

} // namespace tao::cli
