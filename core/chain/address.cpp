#include "core/chain/address.hpp"

#include "core/commit/hash.hpp"

#include <cctype>
#include <stdexcept>

namespace tao::chain {

namespace {
std::invalid_argument malformed(std::string_view what, std::string_view text,
                                const std::string& why) {
    return std::invalid_argument(std::string(what) + ": malformed address '" + std::string(text) +
                                 "': " + why);
}
} // namespace

Address Address::fromHex(std::string_view text, std::string_view what) {
    std::string_view digits = text;
    if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        digits.remove_prefix(2);
    if (digits.size() != 40)
        throw malformed(what, text, "expected 40 hex digits, got " + std::to_string(digits.size()));
    bool lower = false, upper = false;
    for (char c : digits) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            throw malformed(what, text, "'" + std::string(1, c) + "' is not a hex digit");
        lower |= (c >= 'a' && c <= 'f');
        upper |= (c >= 'A' && c <= 'F');
    }
    Address a;
    auto raw = commit::fromHex(digits, what);
    std::copy(raw.begin(), raw.end(), a.bytes.begin());
    if (lower && upper && a.checksumHex().substr(2) != digits)
        throw malformed(what, text, "EIP-55 checksum does not match (typo?)");
    return a;
}

Address Address::fromWordTail(const std::array<std::uint8_t, 32>& word) {
    Address a;
    std::copy(word.begin() + 12, word.end(), a.bytes.begin());
    return a;
}

std::string Address::hex() const {
    return commit::toHex(bytes);
}

std::string Address::checksumHex() const {
    std::string lowerHex = hex().substr(2);
    auto digest = commit::keccak256(std::string_view(lowerHex));
    std::string out = "0x";
    for (std::size_t i = 0; i < lowerHex.size(); ++i) {
        unsigned nibble = (digest.bytes[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
        char c = lowerHex[i];
        out.push_back(nibble >= 8 ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                                  : c);
    }
    return out;
}

bool Address::isZero() const {
    for (auto b : bytes)
        if (b) return false;
    return true;
}

} // namespace tao::chain
