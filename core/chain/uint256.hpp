#pragma once
// 256-bit integers for wei amounts, gas arithmetic and ABI int/uint values.
// Arithmetic is checked: results that do not fit throw instead of wrapping, because
// a wrapped wei amount is never what the caller meant.
#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace tao::chain {

class Uint256 {
public:
    constexpr Uint256() = default;
    constexpr Uint256(std::uint64_t v)
        : limbs_{v, 0, 0, 0} {} // NOLINT: implicit on purpose

    // Parses decimal digits, or hex digits after a 0x prefix. Throws std::invalid_argument
    // naming `what` on empty input, stray characters or a value above 2^256-1.
    static Uint256 parse(std::string_view text, std::string_view what = "integer");
    static Uint256 fromDecimal(std::string_view digits, std::string_view what = "integer");
    // Hex digits with or without 0x (odd lengths allowed, "0x" alone is an error).
    static Uint256 fromHex(std::string_view text, std::string_view what = "integer");
    // Big-endian bytes, at most 32 (shorter input is left-padded with zeros).
    static Uint256 fromBigEndian(std::span<const std::uint8_t> bytes);
    static Uint256 max();

    std::string toDecimal() const;
    // Minimal hex with 0x prefix, as JSON-RPC quantities are written ("0x0" for zero).
    std::string toHex() const;
    std::array<std::uint8_t, 32> toBigEndian() const;
    // Throws std::overflow_error when the value does not fit in 64 bits.
    std::uint64_t toU64() const;
    bool fitsU64() const { return limbs_[1] == 0 && limbs_[2] == 0 && limbs_[3] == 0; }
    bool isZero() const { return fitsU64() && limbs_[0] == 0; }
    // Number of significant bits (0 for zero).
    unsigned bitLength() const;
    bool bit(unsigned index) const { return (limbs_[index / 64] >> (index % 64)) & 1u; }

    // Checked arithmetic: throws std::overflow_error (or std::underflow_error for a
    // negative difference, std::domain_error for division by zero).
    Uint256 operator+(const Uint256& o) const;
    Uint256 operator-(const Uint256& o) const;
    Uint256 operator*(const Uint256& o) const;
    Uint256& operator+=(const Uint256& o) { return *this = *this + o; }
    Uint256& operator-=(const Uint256& o) { return *this = *this - o; }
    // Quotient and remainder by a small divisor.
    std::pair<Uint256, std::uint64_t> divmod(std::uint64_t divisor) const;
    Uint256 operator/(std::uint64_t d) const { return divmod(d).first; }

    // Two's complement modulo 2^256 (for int256 encodings); never throws.
    Uint256 wrappingNegate() const;

    std::strong_ordering operator<=>(const Uint256& o) const;
    bool operator==(const Uint256& o) const = default;

private:
    std::array<std::uint64_t, 4> limbs_{}; // little-endian limbs
};

// A signed 256-bit value as sign and magnitude; the magnitude is at most 2^255
// (exactly 2^255 only when negative), the int256 range.
struct Int256 {
    bool negative = false;
    Uint256 magnitude;

    Int256() = default;
    Int256(std::int64_t v);                   // NOLINT: implicit on purpose
    Int256(bool negative, Uint256 magnitude); // throws std::overflow_error outside int256

    // Optional leading '-', then decimal digits (or 0x hex). Throws std::invalid_argument.
    static Int256 parse(std::string_view text, std::string_view what = "integer");
    static Int256 fromTwosComplement(const Uint256& word);
    Uint256 toTwosComplement() const;
    std::string toDecimal() const;
    // True when the value fits in a signed integer of `bits` bits.
    bool fitsBits(unsigned bits) const;
    bool operator==(const Int256& o) const;
};

// Wei as ether for people: "0.001 ETH", "10000 ETH" (exact, trailing zeros dropped).
std::string etherText(const Uint256& wei);
// "9999.998747 ETH": at most six decimals from a micro-ether up, exact below (where a
// rounded zero would hide that something was paid).
std::string etherRounded(const Uint256& wei);
// "0x1234…abcd" for a long hex string (an address, a hash); a short one as it is.
std::string shortHex(const std::string& hex);

} // namespace tao::chain
