#pragma once
// A value to encode into, or decoded from, the Solidity ABI. Which alternative is held
// must match the type: Uint256 for uintN, Int256 for intN, bool, Address, Bytes for
// bytesN (exactly N bytes) and bytes, std::string for string, List for arrays and tuples.
#include "core/chain/address.hpp"
#include "core/chain/uint256.hpp"
#include "core/commit/hash.hpp"

#include <concepts>
#include <string>
#include <variant>
#include <vector>

namespace tao::chain {

struct AbiValue {
    using List = std::vector<AbiValue>;
    std::variant<Uint256, Int256, bool, Address, commit::Bytes, std::string, List> value;

    AbiValue()
        : value(Uint256{}) {}
    AbiValue(Uint256 v)
        : value(v) {} // NOLINT: implicit on purpose
    AbiValue(Int256 v)
        : value(v) {} // NOLINT
    template <typename B>
    requires std::same_as<B, bool> AbiValue(B v)
        : value(v) {} // NOLINT: only a real bool, never an int converted to bool
    AbiValue(Address v)
        : value(v) {} // NOLINT
    AbiValue(commit::Bytes v)
        : value(std::move(v)) {} // NOLINT
    AbiValue(std::string v)
        : value(std::move(v)) {} // NOLINT
    AbiValue(List v)
        : value(std::move(v)) {} // NOLINT
    AbiValue(const commit::Hash32& h)
        : value(commit::Bytes(h.bytes.begin(), h.bytes.end())) {} // NOLINT
    AbiValue(const char*) = delete; // ambiguous: say std::string or bytes explicitly

    // Typed access; each throws std::invalid_argument naming the expected and held kind.
    const Uint256& asUint() const;
    const Int256& asInt() const;
    bool asBool() const;
    const Address& asAddress() const;
    const commit::Bytes& asBytes() const;
    commit::Hash32 asHash32() const; // bytes32 only
    const std::string& asString() const;
    const List& asList() const;

    bool operator==(const AbiValue&) const = default;
};

} // namespace tao::chain
