#include "core/chain/keystore.hpp"

#include "core/io/atomic_file.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace tao::chain {

using io::readWholeFile;
using io::writeFileAtomically;

using nlohmann::json;

namespace {
constexpr const char* kWrongPassphrase = "wrong passphrase or corrupted keystore";

// Wipes a secret buffer when it goes out of scope.
struct SecretBytes {
    commit::Bytes bytes;
    explicit SecretBytes(std::size_t n)
        : bytes(n) {}
    ~SecretBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

commit::Bytes randomBytes(std::size_t n) {
    commit::Bytes b(n);
    if (RAND_bytes(b.data(), static_cast<int>(n)) != 1)
        throw KeystoreError("keystore: OpenSSL random source failed");
    return b;
}

// Bounds on what opening a keystore may cost, so that a hostile or careless file
// cannot take minutes and gigabytes: 4x the memory and 2x the work of the usual
// scrypt setting (n = 2^18, r = 8, p = 1: 256 MiB, about a second).
constexpr std::uint64_t kMaxScryptMemory = 1ull << 30; // 128 * r * n bytes
constexpr std::uint64_t kMaxScryptWork = 1ull << 22;   // n * r * p
constexpr std::uint64_t kMaxPbkdf2Iterations = 10'000'000;

void checkScryptParams(const KdfParams& p) {
    const std::string which = "scrypt n=" + std::to_string(p.scryptN) +
                              ", r=" + std::to_string(p.scryptR) +
                              ", p=" + std::to_string(p.scryptP);
    if (p.scryptN < 2 || (p.scryptN & (p.scryptN - 1)) != 0)
        throw KeystoreError("keystore: " + which + ": n must be a power of two");
    if (p.scryptR == 0 || p.scryptP == 0)
        throw KeystoreError("keystore: " + which + ": r and p must be positive");
    const std::uint64_t n = p.scryptN, r = p.scryptR, par = p.scryptP;
    if (r > 1024 || par > 1024 || 128 * r * n > kMaxScryptMemory || n * r * par > kMaxScryptWork)
        throw KeystoreError(
            "keystore: " + which + " would need " + std::to_string((128 * r * n) >> 20) +
            " MiB and n*r*p = " + std::to_string(n * r * par) +
            "; this program opens keystores up to " + std::to_string(kMaxScryptMemory >> 20) +
            " MiB and n*r*p = " + std::to_string(kMaxScryptWork));
    // RFC 7914 requires n < 2^(16 r); OpenSSL enforces it, and some published
    // keystores (the Web3 Secret Storage example with r = 1) break it.
    if (16 * r < 64 && n >= (1ull << (16 * r)))
        throw KeystoreError("keystore: " + which + " breaks RFC 7914's rule n < 2^(16 r) (here 2^" +
                            std::to_string(16 * r) +
                            "), which OpenSSL's scrypt enforces; re-encrypt the key with r >= 2");
}

void deriveKey(const KdfParams& p, std::string_view passphrase, const commit::Bytes& salt,
               SecretBytes& out) {
    if (p.kind == KdfParams::Kind::Scrypt) {
        checkScryptParams(p);
        // OpenSSL wants a memory ceiling; give it exactly what these parameters need.
        std::uint64_t maxmem =
            128ull * p.scryptR * (p.scryptN + 2) + 128ull * p.scryptR * p.scryptP + (1u << 20);
        if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(),
                           p.scryptN, p.scryptR, p.scryptP, maxmem, out.bytes.data(),
                           out.bytes.size()) != 1)
            throw KeystoreError("keystore: scrypt key derivation failed");
    } else {
        if (p.pbkdf2Iterations == 0 || p.pbkdf2Iterations > kMaxPbkdf2Iterations)
            throw KeystoreError("keystore: pbkdf2 with " + std::to_string(p.pbkdf2Iterations) +
                                " iterations; this program opens keystores with 1 to " +
                                std::to_string(kMaxPbkdf2Iterations));
        if (PKCS5_PBKDF2_HMAC(passphrase.data(), static_cast<int>(passphrase.size()), salt.data(),
                              static_cast<int>(salt.size()), static_cast<int>(p.pbkdf2Iterations),
                              EVP_sha256(), static_cast<int>(out.bytes.size()),
                              out.bytes.data()) != 1)
            throw KeystoreError("keystore: pbkdf2 key derivation failed");
    }
}

// AES-128-CTR is its own inverse.
commit::Bytes aes128ctr(const std::uint8_t* key, const commit::Bytes& iv, const commit::Bytes& in) {
    commit::Bytes out(in.size());
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    bool ok =
        ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), nullptr, key, iv.data()) == 1 &&
        EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx, out.data() + len, &fin) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) throw KeystoreError("keystore: AES-128-CTR failed");
    return out;
}

commit::Hash32 mac(const SecretBytes& derived, const commit::Bytes& ciphertext) {
    commit::Bytes buf(derived.bytes.begin() + 16, derived.bytes.begin() + 32);
    buf.insert(buf.end(), ciphertext.begin(), ciphertext.end());
    auto h = commit::keccak256(buf);
    OPENSSL_cleanse(buf.data(), buf.size());
    return h;
}

std::string uuid4() {
    commit::Bytes b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    std::string hex = commit::toHex(b).substr(2);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

[[noreturn]] void malformedField(const std::string& field, const std::string& why) {
    throw KeystoreError("keystore: field '" + field + "' " + why);
}

const json& field(const json& obj, const std::string& key, const std::string& path) {
    if (!obj.is_object() || !obj.contains(key)) malformedField(path + key, "is missing");
    return obj[key];
}

commit::Bytes hexField(const json& obj, const std::string& key, const std::string& path) {
    const json& v = field(obj, key, path);
    if (!v.is_string()) malformedField(path + key, "is not a string");
    try {
        return commit::fromHex(v.get<std::string>(), key);
    } catch (const std::invalid_argument&) {
        malformedField(path + key, "is not hex");
    }
}

std::uint64_t uintField(const json& obj, const std::string& key, const std::string& path) {
    const json& v = field(obj, key, path);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() > 0))
        malformedField(path + key, "is not a positive integer");
    return v.get<std::uint64_t>();
}
} // namespace

KdfParams KdfParams::light() {
    KdfParams p;
    p.scryptN = 1u << 12;
    return p;
}

json encryptKeystore(const PrivateKey& key, std::string_view passphrase, const KdfParams& params) {
    commit::Bytes salt = randomBytes(32);
    commit::Bytes iv = randomBytes(16);
    SecretBytes derived(32);
    deriveKey(params, passphrase, salt, derived);
    const auto& secret = key.secretBytes();
    commit::Bytes plain(secret.begin(), secret.end());
    commit::Bytes ciphertext = aes128ctr(derived.bytes.data(), iv, plain);
    OPENSSL_cleanse(plain.data(), plain.size());

    json kdfparams;
    std::string kdf;
    if (params.kind == KdfParams::Kind::Scrypt) {
        kdf = "scrypt";
        kdfparams = {{"dklen", 32},
                     {"n", params.scryptN},
                     {"r", params.scryptR},
                     {"p", params.scryptP},
                     {"salt", commit::toHex(salt).substr(2)}};
    } else {
        kdf = "pbkdf2";
        kdfparams = {{"dklen", 32},
                     {"c", params.pbkdf2Iterations},
                     {"prf", "hmac-sha256"},
                     {"salt", commit::toHex(salt).substr(2)}};
    }
    json crypto = {{"cipher", "aes-128-ctr"},
                   {"cipherparams", {{"iv", commit::toHex(iv).substr(2)}}},
                   {"ciphertext", commit::toHex(ciphertext).substr(2)},
                   {"kdf", kdf},
                   {"kdfparams", kdfparams},
                   {"mac", mac(derived, ciphertext).hex().substr(2)}};
    return {{"version", 3},
            {"id", uuid4()},
            {"address", key.address().hex().substr(2)},
            {"crypto", crypto}};
}

PrivateKey decryptKeystore(const json& keystore, std::string_view passphrase) {
    if (!keystore.is_object()) throw KeystoreError("keystore: document is not a JSON object");
    if (!keystore.contains("version") || keystore["version"] != 3)
        throw KeystoreError("keystore: only version 3 keystores are supported");
    const json& crypto =
        keystore.contains("crypto") ? keystore["crypto"] : field(keystore, "Crypto", "");
    const json& cipher = field(crypto, "cipher", "crypto.");
    if (cipher != "aes-128-ctr")
        throw KeystoreError("keystore: cipher " + cipher.dump() +
                            " is not supported (aes-128-ctr only)");
    commit::Bytes iv =
        hexField(field(crypto, "cipherparams", "crypto."), "iv", "crypto.cipherparams.");
    if (iv.size() != 16) malformedField("crypto.cipherparams.iv", "must be 16 bytes");
    commit::Bytes ciphertext = hexField(crypto, "ciphertext", "crypto.");
    if (ciphertext.size() != 32) malformedField("crypto.ciphertext", "must be 32 bytes");
    commit::Bytes expectedMac = hexField(crypto, "mac", "crypto.");
    const json& kp = field(crypto, "kdfparams", "crypto.");
    const std::string kpPath = "crypto.kdfparams.";
    if (uintField(kp, "dklen", kpPath) != 32) malformedField(kpPath + "dklen", "must be 32");
    commit::Bytes salt = hexField(kp, "salt", kpPath);

    KdfParams params;
    const json& kdf = field(crypto, "kdf", "crypto.");
    if (kdf == "scrypt") {
        params.kind = KdfParams::Kind::Scrypt;
        params.scryptN = uintField(kp, "n", kpPath);
        params.scryptR = static_cast<std::uint32_t>(uintField(kp, "r", kpPath));
        params.scryptP = static_cast<std::uint32_t>(uintField(kp, "p", kpPath));
    } else if (kdf == "pbkdf2") {
        params.kind = KdfParams::Kind::Pbkdf2;
        if (field(kp, "prf", kpPath) != "hmac-sha256")
            throw KeystoreError("keystore: pbkdf2 prf must be hmac-sha256");
        params.pbkdf2Iterations = static_cast<std::uint32_t>(uintField(kp, "c", kpPath));
    } else {
        throw KeystoreError("keystore: kdf " + kdf.dump() + " is not supported (scrypt, pbkdf2)");
    }

    SecretBytes derived(32);
    deriveKey(params, passphrase, salt, derived);
    auto computed = mac(derived, ciphertext);
    if (expectedMac.size() != 32 ||
        CRYPTO_memcmp(computed.bytes.data(), expectedMac.data(), 32) != 0)
        throw KeystoreError(kWrongPassphrase);
    commit::Bytes plain = aes128ctr(derived.bytes.data(), iv, ciphertext);
    std::optional<PrivateKey> key;
    try {
        key = PrivateKey::fromBytes(plain);
    } catch (const std::invalid_argument&) {
        OPENSSL_cleanse(plain.data(), plain.size());
        throw KeystoreError("keystore: decrypted data is not a valid private key");
    }
    OPENSSL_cleanse(plain.data(), plain.size());
    if (keystore.contains("address") && keystore["address"].is_string()) {
        Address stated;
        try {
            stated = Address::fromHex(keystore["address"].get<std::string>(), "keystore address");
        } catch (const std::invalid_argument& e) {
            throw KeystoreError(std::string("keystore: ") + e.what());
        }
        if (stated != key->address())
            throw KeystoreError("keystore: address field " + stated.checksumHex() +
                                " does not match the decrypted key");
    }
    return *key;
}

void writeKeystoreFile(const std::filesystem::path& path, const json& keystore) {
    writeFileAtomically(path, keystore.dump(), 0600);
}

namespace {
json readKeystoreJson(const std::filesystem::path& path) {
    std::string text;
    try {
        text = readWholeFile(path);
    } catch (const std::runtime_error& e) {
        throw KeystoreError(std::string("keystore: ") + e.what());
    }
    try {
        return json::parse(text);
    } catch (const json::exception&) {
        throw KeystoreError("keystore '" + path.string() + "': not valid JSON");
    }
}
} // namespace

PrivateKey unlockKeystoreFile(const std::filesystem::path& path, std::string_view passphrase) {
    json doc = readKeystoreJson(path);
    try {
        return decryptKeystore(doc, passphrase);
    } catch (const KeystoreError& e) {
        throw KeystoreError("keystore '" + path.string() + "': " + e.what());
    }
}

std::optional<Address> keystoreAddress(const std::filesystem::path& path) {
    json doc = readKeystoreJson(path);
    if (!doc.is_object() || !doc.contains("address") || !doc["address"].is_string())
        return std::nullopt;
    try {
        return Address::fromHex(doc["address"].get<std::string>(), "keystore address");
    } catch (const std::invalid_argument& e) {
        throw KeystoreError("keystore '" + path.string() + "': " + e.what());
    }
}

CreatedKeystore importKeyToKeystore(const std::filesystem::path& directory, const PrivateKey& key,
                                    std::string_view passphrase, const KdfParams& params) {
    std::error_code ec;
    const bool existed = std::filesystem::exists(directory, ec);
    std::filesystem::create_directories(directory, ec);
    if (ec) throw KeystoreError("keystore directory '" + directory.string() + "': " + ec.message());
    // A directory we create holds secrets only its owner may list.
    if (!existed)
        std::filesystem::permissions(directory, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
    if (ec) throw KeystoreError("keystore directory '" + directory.string() + "': " + ec.message());
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[40];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &utc);
    CreatedKeystore out;
    out.address = key.address();
    out.path =
        directory / ("UTC--" + std::string(stamp) + ".000000000Z--" + out.address.hex().substr(2));
    writeKeystoreFile(out.path, encryptKeystore(key, passphrase, params));
    return out;
}

CreatedKeystore createKeystore(const std::filesystem::path& directory, std::string_view passphrase,
                               const KdfParams& params) {
    return importKeyToKeystore(directory, PrivateKey::generate(), passphrase, params);
}

} // namespace tao::chain
