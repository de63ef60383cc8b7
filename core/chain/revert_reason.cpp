#include "core/chain/revert_reason.hpp"

#include "core/chain/abi_codec.hpp"

#include <stdexcept>

namespace tao::chain {

namespace {
std::string panicMeaning(std::uint64_t code) {
    switch (code) {
    case 0x01:
        return "assertion failed";
    case 0x11:
        return "arithmetic overflow or underflow";
    case 0x12:
        return "division by zero";
    case 0x21:
        return "invalid enum value";
    case 0x31:
        return "pop on empty array";
    case 0x32:
        return "array index out of bounds";
    case 0x41:
        return "out of memory";
    case 0x51:
        return "call to an uninitialised function";
    default:
        return "unknown panic code";
    }
}

std::string render(const AbiValue& v) {
    struct Visitor {
        std::string operator()(const Uint256& x) const { return x.toDecimal(); }
        std::string operator()(const Int256& x) const { return x.toDecimal(); }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(const Address& a) const { return a.checksumHex(); }
        std::string operator()(const commit::Bytes& b) const { return commit::toHex(b); }
        std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
        std::string operator()(const AbiValue::List& l) const {
            std::string out = "[";
            for (std::size_t i = 0; i < l.size(); ++i)
                out += (i ? ", " : "") + render(l[i]);
            return out + "]";
        }
    };
    return std::visit(Visitor{}, v.value);
}
} // namespace

std::string describeRevert(commit::ByteSpan data, const std::vector<std::string>& customErrors) {
    if (data.empty()) return "reverted without data";
    if (data.size() < 4) return "reverted with data " + commit::toHex(data);
    std::array<std::uint8_t, 4> sel{data[0], data[1], data[2], data[3]};
    auto body = data.subspan(4);
    try {
        if (sel == functionSelector("Error(string)"))
            return "reverted: \"" + abiDecode({AbiType::parse("string")}, body)[0].asString() +
                   "\"";
        if (sel == functionSelector("Panic(uint256)")) {
            Uint256 code = abiDecode({AbiType::parse("uint256")}, body)[0].asUint();
            return "panic " + code.toHex() + " (" +
                   panicMeaning(code.fitsU64() ? code.toU64() : 0) + ")";
        }
        for (const auto& sig : customErrors) {
            auto f = FunctionSignature::parse(sig);
            if (f.selector() != sel) continue;
            auto values = abiDecode(f.inputs, body);
            std::string out = f.name + "(";
            for (std::size_t i = 0; i < values.size(); ++i)
                out += (i ? ", " : "") + render(values[i]);
            return out + ")";
        }
    } catch (const std::invalid_argument&) {
        // Fall through to the raw description.
    }
    std::string out = "custom error " + commit::toHex(commit::ByteSpan(sel.data(), 4));
    if (!body.empty()) out += " with data " + commit::toHex(body);
    return out;
}

commit::Bytes revertDataFromRpc(const std::string& dataText) {
    if (!dataText.starts_with("0x")) return {};
    try {
        return commit::fromHex(dataText, "revert data");
    } catch (const std::invalid_argument&) {
        return {};
    }
}

} // namespace tao::chain
