#include "core/chain/abi_value.hpp"

#include <stdexcept>

namespace tao::chain {

namespace {
const char* kindName(std::size_t index) {
    static constexpr const char* names[] = {"uint",  "int",    "bool", "address",
                                            "bytes", "string", "list"};
    return index < 7 ? names[index] : "?";
}

template <typename T> const T& expect(const AbiValue& v, const char* wanted) {
    if (auto* p = std::get_if<T>(&v.value)) return *p;
    throw std::invalid_argument(std::string("ABI value: expected ") + wanted + ", holds " +
                                kindName(v.value.index()));
}
} // namespace

const Uint256& AbiValue::asUint() const {
    return expect<Uint256>(*this, "uint");
}
const Int256& AbiValue::asInt() const {
    return expect<Int256>(*this, "int");
}
bool AbiValue::asBool() const {
    return expect<bool>(*this, "bool");
}
const Address& AbiValue::asAddress() const {
    return expect<Address>(*this, "address");
}
const commit::Bytes& AbiValue::asBytes() const {
    return expect<commit::Bytes>(*this, "bytes");
}
const std::string& AbiValue::asString() const {
    return expect<std::string>(*this, "string");
}
const AbiValue::List& AbiValue::asList() const {
    return expect<List>(*this, "list");
}

commit::Hash32 AbiValue::asHash32() const {
    const auto& b = asBytes();
    if (b.size() != 32)
        throw std::invalid_argument("ABI value: expected 32 bytes, holds " +
                                    std::to_string(b.size()));
    commit::Hash32 h;
    std::copy(b.begin(), b.end(), h.bytes.begin());
    return h;
}

} // namespace tao::chain
