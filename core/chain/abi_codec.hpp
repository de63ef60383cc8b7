#pragma once
// Solidity ABI encoding and decoding (head/tail layout of the contract ABI specification),
// function selectors, event topics and event log decoding.
#include "core/chain/abi_type.hpp"
#include "core/chain/abi_value.hpp"

#include <array>
#include <span>

namespace tao::chain {

// Encodes `values` as the tuple `types` (what abi.encode(...) produces).
// Throws std::invalid_argument naming the position ("arg 2[1].0") and the mismatch when a
// value does not fit its type (wrong kind, out-of-range integer, wrong bytesN length...).
commit::Bytes abiEncode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values);
// Decodes a tuple of `types` from `data`, strictly: offsets and lengths must lie inside
// the data, integers must be properly sign/zero extended, bools 0 or 1, bytesN padded
// with zeros. Throws std::invalid_argument naming the position and what is wrong.
std::vector<AbiValue> abiDecode(const std::vector<AbiType>& types, commit::ByteSpan data);

// "transfer(address,uint256)" -> name and parameter types; extra spaces and parameter
// names are not allowed here (use the canonical form).
struct FunctionSignature {
    std::string name;
    std::vector<AbiType> inputs;
    static FunctionSignature parse(std::string_view signature);
    std::string canonical() const; // name(type,...) with canonical types
    std::array<std::uint8_t, 4> selector() const;
};

std::array<std::uint8_t, 4> functionSelector(std::string_view signature);
// selector ++ abiEncode(inputs, args).
commit::Bytes encodeCall(std::string_view signature, const std::vector<AbiValue>& args);

// An event declaration like "Moved(uint256 indexed game, address indexed who, bytes32 root)".
// Parameter names are optional; "indexed" marks topic parameters.
struct EventSignature {
    struct Param {
        AbiType type;
        bool indexed = false;
        std::string name;
    };
    std::string name;
    std::vector<Param> params;
    bool anonymous = false;

    static EventSignature parse(std::string_view declaration);
    std::string canonical() const; // "Moved(uint256,address,bytes32)"
    commit::Hash32 topic() const;  // keccak256(canonical())
};

commit::Hash32 eventTopic(std::string_view signature);

// Decodes a log into values in declaration order. Indexed parameters of dynamic type
// (bytes, string, arrays, tuples) are given as their 32-byte topic (the keccak of the
// value), since the log does not contain the value itself. Throws std::invalid_argument
// when topic 0 is not the event's topic, the topic count is wrong or the data is malformed.
std::vector<AbiValue> decodeEventLog(const EventSignature& event,
                                     const std::vector<commit::Hash32>& topics,
                                     commit::ByteSpan data);

} // namespace tao::chain
