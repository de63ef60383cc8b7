#pragma once
// Ethereum V3 JSON keystores (the "Web3 Secret Storage" format): scrypt or PBKDF2-SHA256
// key derivation, AES-128-CTR encryption, MAC = keccak256(derivedKey[16..32] ++ ciphertext).
#include "core/chain/chain_errors.hpp"
#include "core/chain/private_key.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

namespace tao::chain {

// Bad file, unsupported parameters, or a wrong passphrase ("wrong passphrase or corrupted
// keystore"). Never contains the passphrase or key material.
struct KeystoreError : ChainError {
    using ChainError::ChainError;
};

struct KdfParams {
    enum class Kind { Scrypt, Pbkdf2 };
    Kind kind = Kind::Scrypt;
    std::uint64_t scryptN = 1u << 18; // power of two; lower only for tests (e.g. 1 << 10)
    std::uint32_t scryptR = 8;
    std::uint32_t scryptP = 1;
    std::uint32_t pbkdf2Iterations = 262144;

    static KdfParams light(); // scrypt n = 2^12: fast, for tests and throw-away devnet keys
};

// The V3 JSON document for `key` (with "address" in lower-case hex without 0x, as usual).
nlohmann::json encryptKeystore(const PrivateKey& key, std::string_view passphrase,
                               const KdfParams& params = {});
// Verifies the MAC and decrypts. Throws KeystoreError on a wrong passphrase, a malformed
// document (naming the field), or an address field that does not match the key.
PrivateKey decryptKeystore(const nlohmann::json& keystore, std::string_view passphrase);

// Writes `keystore` to `path` atomically with mode 0600.
void writeKeystoreFile(const std::filesystem::path& path, const nlohmann::json& keystore);
// Reads and decrypts a keystore file; errors name the file.
PrivateKey unlockKeystoreFile(const std::filesystem::path& path, std::string_view passphrase);
// Address of a keystore file without decrypting (from its "address" field; empty if absent).
std::optional<Address> keystoreAddress(const std::filesystem::path& path);

struct CreatedKeystore {
    std::filesystem::path path;
    Address address;
};
// Encrypts `key` into `directory`/UTC--<time>--<address> (directory created if needed).
CreatedKeystore importKeyToKeystore(const std::filesystem::path& directory, const PrivateKey& key,
                                    std::string_view passphrase, const KdfParams& params = {});
// A new random key, stored as above.
CreatedKeystore createKeystore(const std::filesystem::path& directory, std::string_view passphrase,
                               const KdfParams& params = {});

} // namespace tao::chain
