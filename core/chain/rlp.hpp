#pragma once
// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B) of byte strings
// and nested lists, as used for transactions.
#include "core/chain/uint256.hpp"
#include "core/commit/hash.hpp"

#include <variant>
#include <vector>

namespace tao::chain {

using commit::Bytes;
using commit::ByteSpan;

// A byte string or a list of items.
struct RlpItem {
    using List = std::vector<RlpItem>;
    std::variant<Bytes, List> value;

    RlpItem()
        : value(Bytes{}) {}
    RlpItem(Bytes bytes)
        : value(std::move(bytes)) {} // NOLINT: implicit on purpose
    RlpItem(List list)
        : value(std::move(list)) {} // NOLINT
    // An integer as its minimal big-endian bytes (zero is the empty string).
    static RlpItem integer(const Uint256& v);

    bool isList() const { return std::holds_alternative<List>(value); }
    const Bytes& bytes() const; // throws std::invalid_argument if this is a list
    const List& list() const;   // throws std::invalid_argument if this is a string
    bool operator==(const RlpItem&) const = default;
};

Bytes rlpEncode(const RlpItem& item);
// Decodes exactly one item spanning all of `data`. Throws std::invalid_argument naming
// the offset and reason on truncated input, trailing bytes or non-canonical lengths.
RlpItem rlpDecode(ByteSpan data);

} // namespace tao::chain
