#include "core/chain/transaction_sender.hpp"

#include "core/chain/chain_errors.hpp"
#include "core/chain/revert_reason.hpp"

#include <algorithm>
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

commit::Hash32 TransactionSender::broadcast(const SignedTransaction& signedTx) {
    commit::Hash32 hash = client_.sendRawTransaction(signedTx.raw);
    if (hash != signedTx.hash)
        throw MalformedResponseError("eth_sendRawTransaction: node returned hash " + hash.hex() +
                                     ", expected " + signedTx.hash.hex());
    return hash;
}

commit::Hash32 TransactionSender::send(const TxRequest& request) {
    return sendFirst(prepare(request));
}

commit::Hash32 TransactionSender::sendFirst(const SignedTransaction& signedTx) {
    try {
        return broadcast(signedTx);
    } catch (const std::exception&) {
        // Refused, or lost on the way (a transport error): either way the next prepare asks
        // the node for the nonce again, so a failed send never leaves a gap that would hold
        // every later transaction of this account.
        std::lock_guard lock(nonceMutex_);
        nextNonce_.reset();
        throw;
    }
}

namespace {
Uint256 raised(const Uint256& fee, unsigned percent, const Uint256& cap) {
    Uint256 up = fee + (fee * Uint256(percent)) / 100 + Uint256(1);
    return up < cap ? up : cap;
}
} // namespace

std::optional<Receipt>
TransactionSender::confirmedReceipt(const std::vector<commit::Hash32>& hashes) {
    for (const auto& h : hashes) {
        auto receipt = client_.transactionReceipt(h);
        if (!receipt) continue;
        if (options_.confirmations == 0) return receipt;
        if (client_.blockNumber() < receipt->blockNumber + options_.confirmations) continue;
        // Still in the same block after the confirmations: not reorged out meanwhile.
        auto again = client_.transactionReceipt(h);
        if (again && again->blockHash == receipt->blockHash) return again;
    }
    return std::nullopt;
}

void TransactionSender::resendIfLost(const SignedTransaction& signedTx,
                                     const std::vector<commit::Hash32>& hashes) {
    for (const auto& h : hashes)
        if (client_.knowsTransaction(h)) return;
    try {
        broadcast(signedTx); // the same signature: it cannot be mined twice
    } catch (const RpcError&) {
        // "nonce too low": one of the fee levels was mined after all, which the next poll
        // finds; anything else is retried at the next check.
    }
}

Receipt TransactionSender::confirm(SignedTransaction signedTx) {
    std::vector<commit::Hash32> hashes{signedTx.hash};
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + options_.receiptTimeout;
    auto nextReplace = start + options_.replaceAfter;
    auto nextResend = start + options_.resendInterval;
    const Uint256 cap = options_.maxFeeCap.value_or(signedTx.tx.maxFeePerGas * Uint256(4));
    std::string nodeFault;
    for (;;) {
        auto now = std::chrono::steady_clock::now();
        try {
            if (auto receipt = confirmedReceipt(hashes)) return *receipt;
            now = std::chrono::steady_clock::now();
            if (now >= nextResend) {
                resendIfLost(signedTx, hashes);
                nextResend = now + options_.resendInterval;
            }
            if (options_.replaceAfter.count() > 0 && now >= nextReplace &&
                signedTx.tx.maxFeePerGas < cap) {
                nextReplace = now + options_.replaceAfter;
                auto tx = signedTx.tx;
                tx.maxFeePerGas = raised(tx.maxFeePerGas, options_.feeBumpPercent, cap);
                tx.maxPriorityFeePerGas = std::min(
                    tx.maxFeePerGas, raised(tx.maxPriorityFeePerGas, options_.feeBumpPercent, cap));
                auto replacement = tx.sign(key_);
                try {
                    hashes.push_back(broadcast(replacement));
                    signedTx = std::move(replacement);
                } catch (const RpcError&) {
                    // "nonce too low": an earlier fee level was mined, which the next poll
                    // finds; "underpriced": the node wants more, which the next bump offers.
                }
            }
            nodeFault.clear();
        } catch (const RpcTransportError& e) {
            // The node is unreachable (restarting, say): the transaction is signed and its
            // nonce taken, so keep waiting for it rather than give up the move.
            nodeFault = e.what();
        }
        if (now >= deadline)
            throw ReceiptTimeoutError(
                "transaction " + hashes.front().hex() + ": no receipt" +
                (options_.confirmations
                     ? " with " + std::to_string(options_.confirmations) + " confirmation(s)"
                     : std::string()) +
                " after " + std::to_string(options_.receiptTimeout.count()) + " ms (" +
                std::to_string(hashes.size()) + " fee level(s))" +
                (nodeFault.empty() ? std::string() : "; last node error: " + nodeFault));
        std::this_thread::sleep_for(options_.pollInterval);
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
    SignedTransaction signedTx = prepare(request);
    sendFirst(signedTx);
    Receipt receipt = confirm(signedTx);
    const auto& hash = receipt.transactionHash;
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
