#pragma once
// Readable descriptions of revert data.
#include "core/commit/hash.hpp"

#include <string>
#include <vector>

namespace tao::chain {

// "Error(string)" -> `reverted: "<message>"`; "Panic(uint256)" -> `panic 0x11 (arithmetic
// overflow or underflow)`; a selector matching one of `customErrors` (signatures such as
// "NotYourTurn(uint256,address)") -> `NotYourTurn(7, 0x...)`; any other selector ->
// `custom error 0x12345678` plus the data; empty data -> `reverted without data`.
// Never throws on malformed data (it then describes the raw bytes).
std::string describeRevert(commit::ByteSpan data,
                           const std::vector<std::string>& customErrors = {});

// Parses the revert bytes out of an RPC error's data text (hex); empty when there are none.
commit::Bytes revertDataFromRpc(const std::string& dataText);

} // namespace tao::chain
