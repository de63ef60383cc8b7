#include "core/chain/private_key.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdexcept>

namespace tao::chain {

namespace {
// One context for signing and verification, randomised once against side channels.
const secp256k1_context* context() {
    static const secp256k1_context* ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        std::array<std::uint8_t, 32> seed{};
        // Randomisation only hardens against side channels; signing works without it.
        if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) == 1 &&
            !secp256k1_context_randomize(c, seed.data())) {
        }
        return c;
    }();
    return ctx;
}

Address addressOf(const secp256k1_pubkey& pub) {
    std::array<std::uint8_t, 65> serialized{};
    std::size_t len = serialized.size();
    secp256k1_ec_pubkey_serialize(context(), serialized.data(), &len, &pub,
                                  SECP256K1_EC_UNCOMPRESSED);
    auto digest = commit::keccak256(commit::ByteSpan(serialized.data() + 1, 64));
    return Address::fromWordTail(digest.bytes);
}
} // namespace

PrivateKey PrivateKey::fromBytes(commit::ByteSpan secret) {
    if (secret.size() != 32)
        throw std::invalid_argument("invalid private key: expected 32 bytes, got " +
                                    std::to_string(secret.size()));
    PrivateKey k;
    std::copy(secret.begin(), secret.end(), k.secret_.begin());
    if (!secp256k1_ec_seckey_verify(context(), k.secret_.data()))
        throw std::invalid_argument("invalid private key: not in the range [1, n-1]");
    return k;
}

PrivateKey PrivateKey::fromHex(std::string_view hex) {
    commit::Bytes raw;
    try {
        raw = commit::fromHex(hex, "private key");
    } catch (const std::invalid_argument&) {
        // The parser's message may quote the input; never let key material into it.
        throw std::invalid_argument("invalid private key: not a hex string");
    }
    PrivateKey k = fromBytes(raw);
    OPENSSL_cleanse(raw.data(), raw.size());
    return k;
}

PrivateKey PrivateKey::generate() {
    for (;;) {
        std::array<std::uint8_t, 32> candidate{};
        if (RAND_bytes(candidate.data(), static_cast<int>(candidate.size())) != 1)
            throw std::runtime_error("private key generation: OpenSSL random source failed");
        if (secp256k1_ec_seckey_verify(context(), candidate.data())) {
            PrivateKey k;
            k.secret_ = candidate;
            OPENSSL_cleanse(candidate.data(), candidate.size());
            return k;
        }
    }
}

PrivateKey::~PrivateKey() {
    OPENSSL_cleanse(secret_.data(), secret_.size());
}

Address PrivateKey::address() const {
    secp256k1_pubkey pub;
    if (!secp256k1_ec_pubkey_create(context(), &pub, secret_.data()))
        throw std::logic_error("private key: public key derivation failed");
    return addressOf(pub);
}

Signature PrivateKey::sign(const commit::Hash32& digest) const {
    secp256k1_ecdsa_recoverable_signature rsig;
    if (!secp256k1_ecdsa_sign_recoverable(context(), &rsig, digest.bytes.data(), secret_.data(),
                                          nullptr, nullptr))
        throw std::runtime_error("signing failed (libsecp256k1 could not sign the digest)");
    std::array<std::uint8_t, 64> compact{};
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact.data(), &recid,
                                                            &rsig);
    Signature sig;
    std::copy(compact.begin(), compact.begin() + 32, sig.r.bytes.begin());
    std::copy(compact.begin() + 32, compact.end(), sig.s.bytes.begin());
    sig.yParity = static_cast<std::uint8_t>(recid);
    return sig;
}

Address recoverSigner(const commit::Hash32& digest, const Signature& signature) {
    if (signature.yParity > 1) throw std::invalid_argument("signature: yParity must be 0 or 1");
    std::array<std::uint8_t, 64> compact{};
    std::copy(signature.r.bytes.begin(), signature.r.bytes.end(), compact.begin());
    std::copy(signature.s.bytes.begin(), signature.s.bytes.end(), compact.begin() + 32);
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pub;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &rsig, compact.data(),
                                                             signature.yParity) ||
        !secp256k1_ecdsa_recover(context(), &pub, &rsig, digest.bytes.data()))
        throw std::invalid_argument("signature: not a valid recoverable secp256k1 signature");
    return addressOf(pub);
}

} // namespace tao::chain
