#pragma once
// A secp256k1 account key: address derivation and recoverable ECDSA signatures.
// The secret is wiped on destruction and never appears in any message or output.
#include "core/chain/address.hpp"
#include "core/commit/hash.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace tao::chain {

// An Ethereum signature: r and s (s in the lower half of the curve order) and the
// parity of the recovery point's y coordinate (0 or 1).
struct Signature {
    commit::Hash32 r;
    commit::Hash32 s;
    std::uint8_t yParity = 0;
};

class PrivateKey {
public:
    // 32 big-endian bytes in [1, n-1]. Throws std::invalid_argument ("invalid private key")
    // without echoing any of the input.
    static PrivateKey fromBytes(commit::ByteSpan secret);
    static PrivateKey fromHex(std::string_view hex);
    // A fresh key from OpenSSL's CSPRNG.
    static PrivateKey generate();

    PrivateKey(const PrivateKey&) = default;
    PrivateKey& operator=(const PrivateKey&) = default;
    ~PrivateKey();

    // keccak256(uncompressed public key without the 0x04 prefix)[12..32].
    Address address() const;
    // Deterministic (RFC 6979) recoverable signature over a 32-byte digest, low-s form.
    Signature sign(const commit::Hash32& digest) const;
    // The raw secret, for keystore encryption only.
    const std::array<std::uint8_t, 32>& secretBytes() const { return secret_; }

private:
    PrivateKey() = default;
    std::array<std::uint8_t, 32> secret_{};
};

// The address whose key produced `signature` over `digest`. Throws std::invalid_argument
// when the signature is not valid.
Address recoverSigner(const commit::Hash32& digest, const Signature& signature);

} // namespace tao::chain
