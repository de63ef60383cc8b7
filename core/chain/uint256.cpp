#include "core/chain/uint256.hpp"

#include <algorithm>
#include <stdexcept>

namespace tao::chain {

namespace {
using u128 = unsigned __int128;

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool hasHexPrefix(std::string_view t) {
    return t.size() >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
}

std::invalid_argument bad(std::string_view what, const std::string& why) {
    return std::invalid_argument(std::string(what) + ": " + why);
}
} // namespace

Uint256 Uint256::max() {
    Uint256 r;
    r.limbs_.fill(~std::uint64_t{0});
    return r;
}

Uint256 Uint256::parse(std::string_view text, std::string_view what) {
    return hasHexPrefix(text) ? fromHex(text, what) : fromDecimal(text, what);
}

Uint256 Uint256::fromDecimal(std::string_view digits, std::string_view what) {
    if (digits.empty()) throw bad(what, "empty number");
    Uint256 r;
    for (char c : digits) {
        if (c < '0' || c > '9')
            throw bad(what, "'" + std::string(digits) + "' is not a decimal number");
        try {
            r = r * Uint256(10) + Uint256(static_cast<std::uint64_t>(c - '0'));
        } catch (const std::overflow_error&) {
            throw bad(what, "'" + std::string(digits) + "' exceeds 2^256-1");
        }
    }
    return r;
}

Uint256 Uint256::fromHex(std::string_view text, std::string_view what) {
    if (hasHexPrefix(text)) text.remove_prefix(2);
    if (text.empty()) throw bad(what, "empty hex number");
    while (text.size() > 1 && text.front() == '0')
        text.remove_prefix(1);
    if (text.size() > 64) throw bad(what, "hex number exceeds 256 bits");
    Uint256 r;
    unsigned shift = 0;
    for (auto it = text.rbegin(); it != text.rend(); ++it, shift += 4) {
        int v = hexValue(*it);
        if (v < 0) throw bad(what, "'" + std::string(text) + "' is not a hex number");
        r.limbs_[shift / 64] |= static_cast<std::uint64_t>(v) << (shift % 64);
    }
    return r;
}

Uint256 Uint256::fromBigEndian(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > 32) throw std::invalid_argument("integer: more than 32 bytes");
    Uint256 r;
    unsigned shift = 0;
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it, shift += 8)
        r.limbs_[shift / 64] |= static_cast<std::uint64_t>(*it) << (shift % 64);
    return r;
}

std::string Uint256::toDecimal() const {
    if (isZero()) return "0";
    std::string out;
    Uint256 v = *this;
    while (!v.isZero()) {
        auto [q, r] = v.divmod(10);
        out.push_back(static_cast<char>('0' + r));
        v = q;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::string Uint256::toHex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (int nibble = 63; nibble >= 0; --nibble) {
        unsigned v = (limbs_[nibble / 16] >> ((nibble % 16) * 4)) & 0xf;
        if (v == 0 && out.empty()) continue;
        out.push_back(digits[v]);
    }
    return "0x" + (out.empty() ? std::string("0") : out);
}

std::array<std::uint8_t, 32> Uint256::toBigEndian() const {
    std::array<std::uint8_t, 32> out{};
    for (unsigned i = 0; i < 32; ++i)
        out[31 - i] = static_cast<std::uint8_t>(limbs_[i / 8] >> ((i % 8) * 8));
    return out;
}

std::uint64_t Uint256::toU64() const {
    if (!fitsU64())
        throw std::overflow_error("integer " + toDecimal() + " does not fit in 64 bits");
    return limbs_[0];
}

unsigned Uint256::bitLength() const {
    for (int i = 3; i >= 0; --i)
        if (limbs_[i]) return static_cast<unsigned>(i * 64 + 64 - __builtin_clzll(limbs_[i]));
    return 0;
}

Uint256 Uint256::operator+(const Uint256& o) const {
    Uint256 r;
    u128 carry = 0;
    for (int i = 0; i < 4; ++i) {
        u128 s = static_cast<u128>(limbs_[i]) + o.limbs_[i] + carry;
        r.limbs_[i] = static_cast<std::uint64_t>(s);
        carry = s >> 64;
    }
    if (carry) throw std::overflow_error("integer addition exceeds 2^256-1");
    return r;
}

Uint256 Uint256::operator-(const Uint256& o) const {
    if (*this < o)
        throw std::underflow_error("integer subtraction " + toDecimal() + " - " + o.toDecimal() +
                                   " is negative");
    Uint256 r;
    std::uint64_t borrow = 0;
    for (int i = 0; i < 4; ++i) {
        u128 sub = static_cast<u128>(o.limbs_[i]) + borrow;
        r.limbs_[i] = limbs_[i] - static_cast<std::uint64_t>(sub);
        borrow = static_cast<u128>(limbs_[i]) < sub ? 1 : 0;
    }
    return r;
}

Uint256 Uint256::operator*(const Uint256& o) const {
    std::array<std::uint64_t, 8> wide{};
    for (int i = 0; i < 4; ++i) {
        u128 carry = 0;
        for (int j = 0; j < 4; ++j) {
            u128 cur = static_cast<u128>(limbs_[i]) * o.limbs_[j] + wide[i + j] + carry;
            wide[i + j] = static_cast<std::uint64_t>(cur);
            carry = cur >> 64;
        }
        wide[i + 4] = static_cast<std::uint64_t>(carry);
    }
    for (int i = 4; i < 8; ++i)
        if (wide[i]) throw std::overflow_error("integer multiplication exceeds 2^256-1");
    Uint256 r;
    std::copy(wide.begin(), wide.begin() + 4, r.limbs_.begin());
    return r;
}

std::pair<Uint256, std::uint64_t> Uint256::divmod(std::uint64_t divisor) const {
    if (divisor == 0) throw std::domain_error("integer division by zero");
    Uint256 q;
    u128 rem = 0;
    for (int i = 3; i >= 0; --i) {
        u128 cur = (rem << 64) | limbs_[i];
        q.limbs_[i] = static_cast<std::uint64_t>(cur / divisor);
        rem = cur % divisor;
    }
    return {q, static_cast<std::uint64_t>(rem)};
}

Uint256 Uint256::wrappingNegate() const {
    Uint256 r;
    u128 carry = 1;
    for (int i = 0; i < 4; ++i) {
        u128 s = static_cast<u128>(~limbs_[i]) + carry;
        r.limbs_[i] = static_cast<std::uint64_t>(s);
        carry = s >> 64;
    }
    return r;
}

std::strong_ordering Uint256::operator<=>(const Uint256& o) const {
    for (int i = 3; i >= 0; --i)
        if (limbs_[i] != o.limbs_[i]) return limbs_[i] <=> o.limbs_[i];
    return std::strong_ordering::equal;
}

// ---- Int256 ----

namespace {
Uint256 twoPow255() {
    std::array<std::uint8_t, 32> be{};
    be[0] = 0x80;
    return Uint256::fromBigEndian(be);
}
} // namespace

Int256::Int256(std::int64_t v)
    : negative(v < 0)
    , magnitude(v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1u : static_cast<std::uint64_t>(v)) {
}

Int256::Int256(bool neg, Uint256 mag)
    : negative(neg && !mag.isZero())
    , magnitude(mag) {
    Uint256 limit = twoPow255();
    if (negative ? magnitude > limit : magnitude >= limit)
        throw std::overflow_error("integer " + toDecimal() + " is outside the int256 range");
}

Int256 Int256::parse(std::string_view text, std::string_view what) {
    bool neg = !text.empty() && text.front() == '-';
    if (neg) text.remove_prefix(1);
    Uint256 mag = Uint256::parse(text, what);
    try {
        return Int256(neg, mag);
    } catch (const std::overflow_error& e) {
        throw std::invalid_argument(std::string(what) + ": " + e.what());
    }
}

Int256 Int256::fromTwosComplement(const Uint256& word) {
    Int256 r;
    r.negative = word.bit(255);
    r.magnitude = r.negative ? word.wrappingNegate() : word;
    return r;
}

Uint256 Int256::toTwosComplement() const {
    return negative ? magnitude.wrappingNegate() : magnitude;
}

std::string Int256::toDecimal() const {
    return (negative ? "-" : "") + magnitude.toDecimal();
}

bool Int256::fitsBits(unsigned bits) const {
    if (bits >= 256) return true;
    // Range is [-2^(bits-1), 2^(bits-1)-1].
    unsigned len = magnitude.bitLength();
    if (!negative) return len <= bits - 1;
    if (len < bits) return true;
    if (len > bits) return false;
    // magnitude has exactly `bits` bits: fits only when it equals 2^(bits-1)... which has
    // bits-1+1 = bits bits and no other bit set.
    Uint256 mag = magnitude;
    for (unsigned i = 0; i + 1 < bits; ++i)
        if (mag.bit(i)) return false;
    return true;
}

bool Int256::operator==(const Int256& o) const {
    return negative == o.negative && magnitude == o.magnitude;
}

std::string etherText(const Uint256& wei) {
    auto digits = wei.toDecimal();
    if (digits.size() <= 18) digits.insert(0, 19 - digits.size(), '0');
    auto whole = digits.substr(0, digits.size() - 18), frac = digits.substr(digits.size() - 18);
    while (!frac.empty() && frac.back() == '0')
        frac.pop_back();
    return whole + (frac.empty() ? "" : "." + frac) + " ETH";
}

std::string etherRounded(const Uint256& wei) {
    const Uint256 micro(1'000'000'000'000ull); // 1e-6 ether in wei
    if (wei < micro) return etherText(wei);
    // Round to whole micro-ether, then say it with etherText (which drops trailing zeros).
    return etherText((wei + Uint256(500'000'000'000ull)) / 1'000'000'000'000ull * micro);
}

std::string shortHex(const std::string& hex) {
    if (hex.size() <= 12) return hex;
    return hex.substr(0, 6) + "\u2026" + hex.substr(hex.size() - 4);
}

} // namespace tao::chain
