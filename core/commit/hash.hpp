#pragma once
// Fixed-size digests and the two hash functions the protocol uses:
// SHA-256 (OpenSSL) for tensor contents, Keccak-256 (Ethereum's, Crypto++) for
// Merkle nodes and everything the contracts check.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tao::commit {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

// A 32-byte digest. Value type, compares and orders bytewise.
struct Hash32 {
    std::array<std::uint8_t, 32> bytes{};

    bool isZero() const;
    // Lower-case hex with a 0x prefix (66 characters).
    std::string hex() const;
    // Parses 64 hex digits with or without 0x; throws std::invalid_argument naming
    // `what` and the reason on any other input.
    static Hash32 fromHex(std::string_view text, std::string_view what = "hash");
    auto operator<=>(const Hash32&) const = default;
};

Hash32 sha256(ByteSpan data);
Hash32 keccak256(ByteSpan data);
inline Hash32 keccak256(std::string_view text) {
    return keccak256(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// Incremental SHA-256 for data that arrives in pieces (tensor headers + payload).
class Sha256Stream {
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;
    void update(ByteSpan data);
    Hash32 finish();

private:
    void* ctx_;
};

// Hex of arbitrary bytes, lower-case, with 0x prefix.
std::string toHex(ByteSpan data);
// Parses hex (optional 0x, even length); throws std::invalid_argument naming `what`.
Bytes fromHex(std::string_view text, std::string_view what = "hex string");

} // namespace tao::commit
