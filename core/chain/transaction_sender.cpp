#include "core/chain/transaction_sender.hpp"

#include "core/chain/chain_errors.hpp"
#include "core/chain/revert_reason.hpp"

#include <thread>

namespace tao::chain {

namespace {
// Nodes signal an execution revert with code 3 (geth, anvil) or a message saying so.
bool isRevert(const RpcError& e) {
    return e.code == 3 || e.rpcMessage.find("revert") != std::string::npos;
}

CallRequest callOf(const Address& from, const TxRequest& r) {
    CallRequest c;
    c.from = from;
    c.to = r.to;
    c.value = r.value;
    c.data = r.data;
    c.gas = r.gasLimit;
    return c;
}
} // namespace

TransactionSender::TransactionSender(EthClient& client, PrivateKey key,
                                     std::optional<std::uint64_t> expectedChainId,
                                     SendOptions options)
    : client_(client)
    , key_(std::move(key))
    , address_(key_.address())
    , options_(std::move(options)) {
    chainId_ = client_.chainId();
    if (expectedChainId && *expectedChainId != chainId_)
        throw WrongChainError("node at " + client_.rpc().endpoint() + " reports chain id " +
                              std::to_string(chainId_) + ", expected " +
                              std::to_string(*expectedChainId));
}

void TransactionSender::throwReverted(const std::string& context, const commit::Hash32& txHash,
                                      const commit::Bytes& data) {
    std::string reason = describeRevert(data, options_.customErrors);
    throw TransactionRevertedError(context + ": " + reason, txHash, data, reason);
}

SignedTransaction TransactionSender::prepare(const TxRequest& request) {
    Eip1559Transaction tx;
    tx.chainId = chainId_;
    tx.to = request.to;
    tx.value = request.value;
    tx.data = request.data;

    FeeSuggestion fees;
    if (!options_.maxFeePerGas || !options_.maxPriorityFeePerGas) fees = client_.suggestFees();
    tx.maxPriorityFeePerGas = options_.maxPriorityFeePerGas.value_or(fees.maxPriorityFeePerGas);
    tx.maxFeePerGas = options_.maxFeePerGas.value_or(fees.maxFeePerGas);
    if (tx.maxFeePerGas < tx.maxPriorityFeePerGas) tx.maxFeePerGas = tx.maxPriorityFeePerGas;

    if (request.gasLimit) {
        tx.gasLimit = *request.gasLimit;
    } else {
        std::uint64_t estimate = 0;
        try {
            estimate = client_.estimateGas(callOf(address_, request));
        } catch (const RpcError& e) {
            if (!isRevert(e)) throw;
            throwReverted("transaction from " + address_.checksumHex() + " would revert",
                          commit::Hash32{}, revertDataFromRpc(e.data));
        }
        tx.gasLimit = estimate + estimate * options_.gasMarginPercent / 100;
    }

    Uint256 needed = tx.value + Uint256(tx.gasLimit) * tx.maxFeePerGas;
    Uint256 have = client_.balance(address_);
    if (have < needed)
        throw InsufficientFundsError("account " + address_.checksumHex() + " has " +
                                     have.toDecimal() + " wei, needs " + needed.toDecimal() +
                                     " wei (value + gas limit * max fee) on chain " +
                                     std::to_string(chainId_));

    {
        std::lock_guard lock(nonceMutex_);
        std::uint64_t pending = client_.pendingNonce(address_);
        tx.nonce = nextNonce_ ? std::max(*nextNonce_, pending) : pending;
        nextNonce_ = tx.nonce + 1;
    }
    return tx.sign(key_);
}

commit::Hash32 TransactionSender::send(const TxRequest& request) {
    SignedTransaction signedTx = prepare(request);
    try {
        commit::Hash32 hash = client_.sendRawTransaction(signedTx.raw);
        if (hash != signedTx.hash)
            throw MalformedResponseError("eth_sendRawTransaction: node returned hash " +
                                         hash.hex() + ", expected " + signedTx.hash.hex());
        return hash;
    } catch (const RpcError&) {
        // The nonce was not used: let the next prepare ask the node again.
        std::lock_guard lock(nonceMutex_);
        nextNonce_.reset();
        throw;
    }
}

Receipt TransactionSender::waitForReceipt(const commit::Hash32& hash) {
    const auto deadline = std::chrono::steady_clock::now() + options_.receiptTimeout;
    for (;;) {
        if (auto receipt = client_.transactionReceipt(hash)) return *receipt;
        if (std::chrono::steady_clock::now() >= deadline)
            throw ReceiptTimeoutError("transaction " + hash.hex() + ": no receipt after " +
                                      std::to_string(options_.receiptTimeout.count()) + " ms");
        std::this_thread::sleep_for(options_.pollInterval);
    }
}

commit::Bytes TransactionSender::replayRevertData(const TxRequest& request,
                                                  const std::string& block) {
    try {
        client_.call(callOf(address_, request), block);
    } catch (const RpcError& e) {
        return revertDataFromRpc(e.data);
    }
    return {};
}

Receipt TransactionSender::sendAndWait(const TxRequest& request) {
    commit::Hash32 hash = send(request);
    Receipt receipt = waitForReceipt(hash);
    if (!receipt.success) {
        TxRequest replay = request;
        if (!replay.gasLimit) replay.gasLimit = receipt.gasUsed;
        // The state before the transaction is (close to) the end of the previous block.
        std::uint64_t parentBlock = receipt.blockNumber > 0 ? receipt.blockNumber - 1 : 0;
        throwReverted("transaction " + hash.hex() + " reverted in block " +
                          std::to_string(receipt.blockNumber),
                      hash, replayRevertData(replay, Uint256(parentBlock).toHex()));
    }
    return receipt;
}

Address TransactionSender::deploy(const commit::Bytes& bytecode,
                                  const commit::Bytes& constructorArgs) {
    if (bytecode.empty()) throw std::invalid_argument("deploy: empty bytecode");
    TxRequest r;
    r.data = bytecode;
    r.data.insert(r.data.end(), constructorArgs.begin(), constructorArgs.end());
    Receipt receipt = sendAndWait(r);
    if (!receipt.contractAddress)
        throw MalformedResponseError("eth_getTransactionReceipt: deployment receipt of " +
                                     receipt.transactionHash.hex() + " has no contractAddress");
    return *receipt.contractAddress;
}

} // namespace tao::chain
