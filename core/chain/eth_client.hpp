#pragma once
// Typed Ethereum JSON-RPC calls over RpcClient. Every method throws what RpcClient::call
// throws, plus MalformedResponseError naming the method when the result has the wrong shape.
#include "core/chain/eth_types.hpp"
#include "core/chain/rpc_client.hpp"

#include <memory>

namespace tao::chain {

class EthClient {
public:
    explicit EthClient(std::string url, RpcOptions options = {});
    explicit EthClient(std::shared_ptr<RpcClient> rpc);

    RpcClient& rpc() { return *rpc_; }

    std::uint64_t chainId();
    std::uint64_t blockNumber();
    Uint256 balance(const Address& account);            // wei, latest block
    std::uint64_t pendingNonce(const Address& account); // eth_getTransactionCount "pending"
    commit::Bytes code(const Address& account);
    Uint256 gasPrice();             // wei per gas
    Uint256 maxPriorityFeePerGas(); // wei per gas
    // Base fee of the latest block; empty when the node's blocks carry none (pre-London).
    std::optional<Uint256> latestBaseFee();
    // Priority fee from the node (1 gwei when it lacks eth_maxPriorityFeePerGas) and
    // maxFee = 2 * baseFee + tip, which survives six consecutive full blocks.
    FeeSuggestion suggestFees();
    // Gas units. A revert is an RpcError (code 3 on most nodes, revert bytes in data).
    std::uint64_t estimateGas(const CallRequest& request);
    // Return data at `block` ("latest" or a block number). Reverts as for estimateGas.
    commit::Bytes call(const CallRequest& request, const std::string& block = "latest");
    commit::Hash32 sendRawTransaction(commit::ByteSpan raw);
    // Empty while the transaction is pending or unknown.
    std::optional<Receipt> transactionReceipt(const commit::Hash32& hash);
    // Whether the node has the transaction, pending or mined (eth_getTransactionByHash).
    // False after a node restart lost its pool, or a reorg dropped the block that held it.
    bool knowsTransaction(const commit::Hash32& hash);
    std::vector<Log> logs(const LogFilter& filter);

    // Devnet (anvil) helpers; a public node answers them with RpcError.
    void increaseTime(std::uint64_t seconds);                    // evm_increaseTime
    void setNextBlockTimestamp(std::uint64_t unix);              // evm_setNextBlockTimestamp
    void mine(std::uint64_t blocks = 1);                         // anvil_mine
    void setBalance(const Address& account, const Uint256& wei); // anvil_setBalance
    void setAutomine(bool enabled);                              // evm_setAutomine
    std::string snapshot();                                      // evm_snapshot, returns the id
    bool revertTo(const std::string& snapshotId);                // evm_revert
    // Replaces the last `depth` blocks with as many empty ones (anvil_reorg); their
    // transactions are dropped, not returned to the pool.
    void reorg(std::uint64_t depth);

private:
    std::shared_ptr<RpcClient> rpc_;
};

// JSON conversions used by EthClient, exposed for callers that go through RpcClient
// directly. Parsers throw MalformedResponseError naming `method` and the field.
std::uint64_t parseQuantityU64(const nlohmann::json& v, const std::string& method,
                               const std::string& field);
Uint256 parseQuantity(const nlohmann::json& v, const std::string& method, const std::string& field);
Receipt parseReceipt(const nlohmann::json& v, const std::string& method);
Log parseLog(const nlohmann::json& v, const std::string& method);
nlohmann::json toJson(const CallRequest& request);

} // namespace tao::chain
