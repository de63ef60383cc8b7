#pragma once
// Plain data the Ethereum JSON-RPC methods return or take.
#include "core/chain/address.hpp"
#include "core/chain/uint256.hpp"
#include "core/commit/hash.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tao::chain {

struct Log {
    Address address;
    std::vector<commit::Hash32> topics;
    commit::Bytes data;
    std::uint64_t blockNumber = 0;
    commit::Hash32 transactionHash;
    std::uint64_t logIndex = 0;
    bool removed = false;
};

struct Receipt {
    commit::Hash32 transactionHash;
    std::uint64_t blockNumber = 0;
    commit::Hash32 blockHash;
    bool success = false; // status 1
    std::uint64_t gasUsed = 0;
    Uint256 effectiveGasPrice; // wei per gas
    std::optional<Address> contractAddress;
    Address from;
    std::optional<Address> to;
    std::vector<Log> logs;
};

// eth_call / eth_estimateGas parameters.
struct CallRequest {
    std::optional<Address> from;
    std::optional<Address> to; // empty: contract creation
    Uint256 value;
    commit::Bytes data;
    std::optional<std::uint64_t> gas;
};

// eth_getLogs filter. Topic positions hold alternatives (OR); an empty position matches any.
struct LogFilter {
    std::vector<Address> addresses;
    std::vector<std::vector<commit::Hash32>> topics;
    std::optional<std::uint64_t> fromBlock; // empty: "earliest"
    std::optional<std::uint64_t> toBlock;   // empty: "latest"
};

struct FeeSuggestion {
    Uint256 baseFeePerGas;        // of the latest block
    Uint256 maxPriorityFeePerGas; // tip
    Uint256 maxFeePerGas;         // 2 * base fee + tip
};

} // namespace tao::chain
