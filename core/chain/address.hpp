#pragma once
// A 20-byte Ethereum account address.
#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace tao::chain {

struct Address {
    std::array<std::uint8_t, 20> bytes{};

    // Accepts 40 hex digits with or without 0x. All-lower or all-upper case is taken as is;
    // mixed case must be a valid EIP-55 checksum. Throws std::invalid_argument naming
    // `what` and the reason ("malformed address") otherwise.
    static Address fromHex(std::string_view text, std::string_view what = "address");
    // The last 20 bytes of a 32-byte ABI word or a keccak digest.
    static Address fromWordTail(const std::array<std::uint8_t, 32>& word);

    std::string hex() const;         // lower case, 0x prefix
    std::string checksumHex() const; // EIP-55 mixed case, 0x prefix
    bool isZero() const;
    auto operator<=>(const Address&) const = default;
};

} // namespace tao::chain
