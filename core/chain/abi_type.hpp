#pragma once
// Solidity ABI types: elementary types, bytes/string, arrays T[] and T[k], tuples.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tao::chain {

struct AbiType {
    enum class Kind {
        Uint,
        Int,
        Bool,
        Address,
        FixedBytes,
        Bytes,
        String,
        Array,
        FixedArray,
        Tuple
    };

    Kind kind = Kind::Uint;
    unsigned bits = 256;             // Uint/Int: 8..256; FixedBytes: byte count 1..32 in `size`
    unsigned size = 0;               // FixedBytes byte count
    std::size_t length = 0;          // FixedArray element count
    std::vector<AbiType> components; // Array/FixedArray: one element type; Tuple: members

    // Parses canonical or near-canonical text ("uint", "int" are uint256/int256; tuples as
    // "(t1,t2)" or "tuple(t1,t2)"). Throws std::invalid_argument naming the text and reason.
    static AbiType parse(std::string_view text);
    // Parses a comma-separated list such as "uint256,(bool,bytes)[]" (empty text = no types).
    static std::vector<AbiType> parseList(std::string_view text);

    static AbiType uint(unsigned bits = 256);
    static AbiType tuple(std::vector<AbiType> members);

    // Canonical text used in signatures, e.g. "(uint256,bytes32[])[2]".
    std::string canonical() const;
    bool isDynamic() const;
    // Bytes this type occupies in the head of an enclosing tuple (32 for dynamic types).
    std::size_t headSize() const;
    const AbiType& element() const { return components.front(); }
    bool operator==(const AbiType&) const = default;
};

std::string canonicalList(const std::vector<AbiType>& types);

// s without its leading and trailing spaces and tabs (signatures may be written with either).
std::string_view trimBlanks(std::string_view s);

} // namespace tao::chain
