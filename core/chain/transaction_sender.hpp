#pragma once
// Builds, signs, sends and confirms EIP-1559 transactions for one account: chain id from
// the node, nonces tracked locally on top of the node's pending count, fees from the
// latest block, gas from eth_estimateGas with a margin, balance checked before sending,
// reverts reported with their decoded reason.
#include "core/chain/eth_client.hpp"
#include "core/chain/private_key.hpp"
#include "core/chain/transaction.hpp"

#include <chrono>
#include <mutex>

namespace tao::chain {

struct TxRequest {
    std::optional<Address> to; // empty: contract creation
    Uint256 value;             // wei
    commit::Bytes data;
    std::optional<std::uint64_t> gasLimit; // empty: estimate
};

struct SendOptions {
    std::chrono::milliseconds receiptTimeout{120'000};
    std::chrono::milliseconds pollInterval{250};
    unsigned gasMarginPercent = 20;              // added to the estimate
    std::optional<Uint256> maxFeePerGas;         // override, wei per gas
    std::optional<Uint256> maxPriorityFeePerGas; // override, wei per gas
    // Custom error signatures of the called contract, for readable revert reasons.
    std::vector<std::string> customErrors;
    // A transaction without a receipt after this long is replaced: the same nonce signed again
    // with both fees raised by feeBumpPercent (nodes require >= 10%), never above maxFeeCap
    // (default: 4x the first max fee). 0 = never replace.
    std::chrono::milliseconds replaceAfter{0};
    unsigned feeBumpPercent = 25;
    std::optional<Uint256> maxFeeCap;
    // Blocks mined on top of a receipt's block before it counts. The receipt is read again
    // then and must still be in the same block; a reorged-out transaction is waited for again.
    unsigned confirmations = 0;
    // While waiting, a transaction the node no longer has (its pool was lost in a restart, or
    // a reorg dropped the block that held it) is broadcast again, checked this often. Node
    // transport errors while waiting are outlasted until receiptTimeout.
    std::chrono::milliseconds resendInterval{2000};
};

class TransactionSender {
public:
    // Reads the chain id from the node. When `expectedChainId` is given and differs,
    // throws WrongChainError naming both ids and the endpoint.
    TransactionSender(EthClient& client, PrivateKey key,
                      std::optional<std::uint64_t> expectedChainId = std::nullopt,
                      SendOptions options = {});

    Address address() const { return address_; }
    std::uint64_t chainId() const { return chainId_; }
    SendOptions& options() { return options_; }

    // Fills nonce, fees and gas and signs. Throws TransactionRevertedError (zero tx hash)
    // when gas estimation shows the call would revert, InsufficientFundsError when the
    // balance does not cover value + gasLimit * maxFeePerGas.
    SignedTransaction prepare(const TxRequest& request);
    // prepare + eth_sendRawTransaction; returns the transaction hash.
    commit::Hash32 send(const TxRequest& request);
    // Polls for the receipt; throws ReceiptTimeoutError after options().receiptTimeout.
    Receipt waitForReceipt(const commit::Hash32& hash);
    // send + wait (replacing a stuck transaction and waiting for confirmations as the options
    // say). A mined transaction with status 0 throws TransactionRevertedError whose reason
    // comes from replaying the call with eth_call at the mined block; no receipt within
    // receiptTimeout throws ReceiptTimeoutError.
    Receipt sendAndWait(const TxRequest& request);
    // This account's deterministic signature over a 32-byte digest (for protocol secrets
    // derived from the key, e.g. vote salts); the key itself never leaves the sender.
    Signature signDigest(const commit::Hash32& digest) const { return key_.sign(digest); }
    // Deploys `bytecode ++ constructorArgs` and returns the new contract's address.
    Address deploy(const commit::Bytes& bytecode, const commit::Bytes& constructorArgs = {});

private:
    [[noreturn]] void throwReverted(const std::string& context, const commit::Hash32& txHash,
                                    const commit::Bytes& data);
    commit::Bytes replayRevertData(const TxRequest& request, const std::string& block);
    commit::Hash32 broadcast(const SignedTransaction& signedTx);
    // broadcast of a newly prepared transaction: on failure its nonce is released.
    commit::Hash32 sendFirst(const SignedTransaction& signedTx);
    // The receipt of whichever of `hashes` (one nonce, several fee levels) was mined, once it
    // has options().confirmations blocks on top; replaces `signedTx` when it is stuck.
    Receipt confirm(SignedTransaction signedTx);
    // The first of `hashes` mined with options().confirmations blocks on top, if any.
    std::optional<Receipt> confirmedReceipt(const std::vector<commit::Hash32>& hashes);
    // Broadcasts `signedTx` again when the node knows none of `hashes`.
    void resendIfLost(const SignedTransaction& signedTx, const std::vector<commit::Hash32>& hashes);

    EthClient& client_;
    PrivateKey key_;
    Address address_;
    std::uint64_t chainId_ = 0;
    SendOptions options_;
    std::mutex nonceMutex_;
    std::optional<std::uint64_t> nextNonce_;
};

} // namespace tao::chain
