#pragma once
// Decoding of every coordinator event (contracts/src/interfaces/ITaoEvents.sol) into one
// uniform record, so the daemons and the demo can follow a game from logs alone.
#include "core/chain/eth_types.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tao::dispute {

struct CoordinatorEvent {
    std::string name; // "CutsRevealed", ...
    // jobId: the per-job events and those that open or end a game; gameId: the per-game ones.
    std::optional<std::uint64_t> jobId;
    std::optional<std::uint64_t> gameId;
    nlohmann::json fields; // parameter name -> value (numbers as decimal strings
                           // when above 2^53, hashes and addresses as hex)
    std::uint64_t blockNumber = 0;
    commit::Hash32 transactionHash;
};

// Empty when the log is not one of the coordinator's events. Throws std::invalid_argument
// when topic 0 is known but the log is malformed.
std::optional<CoordinatorEvent> decodeCoordinatorEvent(const chain::Log& log);
// Every event declaration, as in the contract.
const std::vector<std::string>& coordinatorEventDeclarations();
// Decodes what it can; unknown logs are skipped.
std::vector<CoordinatorEvent> decodeCoordinatorEvents(const std::vector<chain::Log>& logs);

} // namespace tao::dispute
