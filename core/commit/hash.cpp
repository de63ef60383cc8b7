#include "core/commit/hash.hpp"

#include <cryptopp/keccak.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdexcept>

namespace tao::commit {

namespace {
int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view stripPrefix(std::string_view text) {
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        text.remove_prefix(2);
    return text;
}
} // namespace

bool Hash32::isZero() const {
    for (auto b : bytes)
        if (b) return false;
    return true;
}

std::string Hash32::hex() const {
    return toHex(bytes);
}

Hash32 Hash32::fromHex(std::string_view text, std::string_view what) {
    auto digits = stripPrefix(text);
    if (digits.size() != 64)
        throw std::invalid_argument(std::string(what) + ": expected 64 hex digits, got " +
                                    std::to_string(digits.size()));
    Hash32 h;
    auto raw = tao::commit::fromHex(digits, what);
    std::copy(raw.begin(), raw.end(), h.bytes.begin());
    return h;
}

Hash32 sha256(ByteSpan data) {
    Hash32 h;
    SHA256(data.data(), data.size(), h.bytes.data());
    return h;
}

Hash32 keccak256(ByteSpan data) {
    Hash32 h;
    CryptoPP::Keccak_256 k;
    k.Update(data.data(), data.size());
    k.Final(h.bytes.data());
    return h;
}

Sha256Stream::Sha256Stream()
    : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256: OpenSSL could not initialise a digest context");
}

Sha256Stream::~Sha256Stream() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256Stream::update(ByteSpan data) {
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

Hash32 Sha256Stream::finish() {
    Hash32 h;
    unsigned int len = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), h.bytes.data(), &len);
    return h;
}

std::string toHex(ByteSpan data) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "0x";
    out.reserve(2 + data.size() * 2);
    for (auto b : data) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

Bytes fromHex(std::string_view text, std::string_view what) {
    auto digits = stripPrefix(text);
    if (digits.size() % 2)
        throw std::invalid_argument(std::string(what) + ": odd number of hex digits");
    Bytes out(digits.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
        int hi = hexDigit(digits[2 * i]), lo = hexDigit(digits[2 * i + 1]);
        if (hi < 0 || lo < 0)
            throw std::invalid_argument(std::string(what) + ": invalid hex digit at position " +
                                        std::to_string(2 * i));
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return out;
}

} // namespace tao::commit
