#pragma once
// EIP-1559 (type 2) transactions: encoding, signing and hashing (EIP-2718 envelope).
#include "core/chain/private_key.hpp"
#include "core/chain/rlp.hpp"
#include "core/chain/uint256.hpp"

#include <optional>

namespace tao::chain {

struct SignedTransaction;

struct Eip1559Transaction {
    std::uint64_t chainId = 0;
    std::uint64_t nonce = 0;
    Uint256 maxPriorityFeePerGas; // wei per gas
    Uint256 maxFeePerGas;         // wei per gas
    std::uint64_t gasLimit = 0;
    std::optional<Address> to; // empty: contract creation
    Uint256 value;             // wei
    commit::Bytes data;
    // The access list is always empty.

    // 0x02 || rlp([chainId, nonce, tip, maxFee, gas, to, value, data, []]).
    commit::Bytes signingPayload() const;
    commit::Hash32 signingHash() const;
    SignedTransaction sign(const PrivateKey& key) const;
};

struct SignedTransaction {
    Eip1559Transaction tx;
    Signature signature;
    commit::Bytes raw; // 0x02 || rlp([...fields, yParity, r, s]): what eth_sendRawTransaction takes
    commit::Hash32 hash; // keccak256(raw), the transaction hash

    // Parses a raw signed type-2 transaction. Throws std::invalid_argument naming what is
    // wrong (type byte, field count, field sizes).
    static SignedTransaction decode(commit::ByteSpan raw);
    Address sender() const; // recovered from the signature
};

} // namespace tao::chain
