#pragma once
// Exceptions of the chain client. All derive from ChainError (a std::runtime_error) so a
// caller can catch the whole family; messages name the endpoint or method and the reason
// and never contain key material or passphrases.
#include "core/commit/hash.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tao::chain {

struct ChainError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The node could not be reached or did not answer over HTTP (after all retries).
struct RpcTransportError : ChainError {
    using ChainError::ChainError;
};

// The node answered with a JSON-RPC error object.
struct RpcError : ChainError {
    RpcError(std::string method, std::int64_t code, std::string message, std::string dataHex)
        : ChainError(method + ": RPC error " + std::to_string(code) + ": " + message +
                     (dataHex.empty() ? "" : " (data " + dataHex + ")"))
        , method(std::move(method))
        , code(code)
        , rpcMessage(std::move(message))
        , data(std::move(dataHex)) {}
    std::string method;
    std::int64_t code;
    std::string rpcMessage;
    std::string
        data; // the error's "data" as hex when it was a hex string (revert data), else JSON text
};

// The node's answer was not what the method promises (bad JSON, missing fields, bad hex).
struct MalformedResponseError : ChainError {
    using ChainError::ChainError;
};

// The node reports a different chain than the one configured.
struct WrongChainError : ChainError {
    using ChainError::ChainError;
};

// The account cannot pay for value plus maximum gas cost.
struct InsufficientFundsError : ChainError {
    using ChainError::ChainError;
};

// A transaction or call reverted. `revertData` holds the raw revert bytes when the node
// returned them; `reason` is a readable decoding (Error(string), Panic(uint256) or the
// custom error selector).
struct TransactionRevertedError : ChainError {
    TransactionRevertedError(const std::string& what, commit::Hash32 txHash, commit::Bytes data,
                             std::string reason)
        : ChainError(what)
        , txHash(txHash)
        , revertData(std::move(data))
        , reason(std::move(reason)) {}
    commit::Hash32 txHash; // zero when the revert was found before sending
    commit::Bytes revertData;
    std::string reason;
};

// A receipt did not arrive within the allowed time.
struct ReceiptTimeoutError : ChainError {
    using ChainError::ChainError;
};

} // namespace tao::chain
