#include "core/chain/abi_type.hpp"

#include <charconv>
#include <stdexcept>

namespace tao::chain {

namespace {
[[noreturn]] void fail(std::string_view text, const std::string& why) {
    throw std::invalid_argument("ABI type '" + std::string(text) + "': " + why);
}

bool parseNumber(std::string_view digits, std::size_t& out) {
    if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return false;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && ptr == digits.data() + digits.size();
}

// Splits at top-level commas (outside parentheses and brackets).
std::vector<std::string_view> splitTopLevel(std::string_view text) {
    std::vector<std::string_view> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '(' || c == '[') ++depth;
        if (c == ')' || c == ']') --depth;
        if (depth < 0) fail(text, "unbalanced brackets");
        if (c == ',' && depth == 0) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    if (depth != 0) fail(text, "unbalanced brackets");
    parts.push_back(text.substr(start));
    return parts;
}

AbiType parseElementary(std::string_view t) {
    AbiType type;
    auto sized = [&](std::string_view prefix, AbiType::Kind kind) {
        std::string_view rest = t.substr(prefix.size());
        type.kind = kind;
        if (rest.empty()) return;
        std::size_t n = 0;
        if (!parseNumber(rest, n)) fail(t, "bad size '" + std::string(rest) + "'");
        type.bits = static_cast<unsigned>(n);
        if (n == 0 || n > 256 || n % 8 != 0)
            fail(t, "integer size must be a multiple of 8 in 8..256");
    };
    if (t == "bool")
        type.kind = AbiType::Kind::Bool;
    else if (t == "address")
        type.kind = AbiType::Kind::Address;
    else if (t == "string")
        type.kind = AbiType::Kind::String;
    else if (t == "bytes")
        type.kind = AbiType::Kind::Bytes;
    else if (t.starts_with("bytes")) {
        std::size_t n = 0;
        if (!parseNumber(t.substr(5), n) || n == 0 || n > 32) fail(t, "bytesN needs N in 1..32");
        type.kind = AbiType::Kind::FixedBytes;
        type.size = static_cast<unsigned>(n);
    } else if (t.starts_with("uint"))
        sized("uint", AbiType::Kind::Uint);
    else if (t.starts_with("int"))
        sized("int", AbiType::Kind::Int);
    else
        fail(t, "unknown type");
    return type;
}
} // namespace

AbiType AbiType::uint(unsigned bits) {
    AbiType t;
    t.kind = Kind::Uint;
    t.bits = bits;
    return t;
}

AbiType AbiType::tuple(std::vector<AbiType> members) {
    AbiType t;
    t.kind = Kind::Tuple;
    t.components = std::move(members);
    return t;
}

AbiType AbiType::parse(std::string_view text) {
    std::string_view t = trimBlanks(text);
    if (t.empty()) fail(text, "empty type");
    // Array suffix: the outermost type is the last [..] group.
    if (t.back() == ']') {
        auto open = t.rfind('[');
        if (open == std::string_view::npos) fail(text, "unbalanced brackets");
        AbiType arr;
        arr.components.push_back(parse(t.substr(0, open)));
        std::string_view len = t.substr(open + 1, t.size() - open - 2);
        if (len.empty()) {
            arr.kind = Kind::Array;
        } else {
            arr.kind = Kind::FixedArray;
            if (!parseNumber(len, arr.length) || arr.length == 0)
                fail(text, "array length '" + std::string(len) + "' is not a positive number");
        }
        return arr;
    }
    if (t.starts_with("tuple(")) t.remove_prefix(5);
    if (t.front() == '(') {
        if (t.back() != ')') fail(text, "tuple must end with ')'");
        return tuple(parseList(t.substr(1, t.size() - 2)));
    }
    return parseElementary(t);
}

std::vector<AbiType> AbiType::parseList(std::string_view text) {
    std::vector<AbiType> out;
    if (trimBlanks(text).empty()) return out;
    for (auto part : splitTopLevel(text))
        out.push_back(parse(part));
    return out;
}

std::string AbiType::canonical() const {
    switch (kind) {
    case Kind::Uint:
        return "uint" + std::to_string(bits);
    case Kind::Int:
        return "int" + std::to_string(bits);
    case Kind::Bool:
        return "bool";
    case Kind::Address:
        return "address";
    case Kind::FixedBytes:
        return "bytes" + std::to_string(size);
    case Kind::Bytes:
        return "bytes";
    case Kind::String:
        return "string";
    case Kind::Array:
        return element().canonical() + "[]";
    case Kind::FixedArray:
        return element().canonical() + "[" + std::to_string(length) + "]";
    case Kind::Tuple:
        return "(" + canonicalList(components) + ")";
    }
    return {};
}

bool AbiType::isDynamic() const {
    switch (kind) {
    case Kind::Bytes:
    case Kind::String:
    case Kind::Array:
        return true;
    case Kind::FixedArray:
        return element().isDynamic();
    case Kind::Tuple:
        for (const auto& c : components)
            if (c.isDynamic()) return true;
        return false;
    default:
        return false;
    }
}

std::size_t AbiType::headSize() const {
    if (isDynamic()) return 32;
    if (kind == Kind::FixedArray) return length * element().headSize();
    if (kind == Kind::Tuple) {
        std::size_t sum = 0;
        for (const auto& c : components)
            sum += c.headSize();
        return sum;
    }
    return 32;
}

std::string_view trimBlanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string canonicalList(const std::vector<AbiType>& types) {
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (i) out += ",";
        out += types[i].canonical();
    }
    return out;
}

} // namespace tao::chain
