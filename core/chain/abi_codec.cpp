#include "core/chain/abi_codec.hpp"

#include <stdexcept>

namespace tao::chain {

using commit::Bytes;
using commit::ByteSpan;
using Word = std::array<std::uint8_t, 32>;

namespace {

// ---------- encoding ----------

[[noreturn]] void encodeFail(const std::string& path, const AbiType& type, const std::string& why) {
    throw std::invalid_argument("ABI encode: " + path + " (" + type.canonical() + "): " + why);
}

void appendWord(Bytes& out, const Word& w) {
    out.insert(out.end(), w.begin(), w.end());
}

Word uintWord(std::size_t v) {
    return Uint256(static_cast<std::uint64_t>(v)).toBigEndian();
}

void appendPadded(Bytes& out, const Bytes& data) {
    out.insert(out.end(), data.begin(), data.end());
    out.resize(out.size() + (32 - data.size() % 32) % 32, 0);
}

Bytes encodeValue(const AbiType& type, const AbiValue& value, const std::string& path);

// Encodes a sequence of values as a tuple (also used for arrays).
Bytes encodeSequence(const std::vector<const AbiType*>& types, const std::vector<AbiValue>& values,
                     const std::string& path) {
    std::size_t headSize = 0;
    for (auto* t : types)
        headSize += t->headSize();
    Bytes head, tail;
    for (std::size_t i = 0; i < types.size(); ++i) {
        std::string sub =
            path.empty() ? "arg " + std::to_string(i) : path + "." + std::to_string(i);
        Bytes enc = encodeValue(*types[i], values[i], sub);
        if (types[i]->isDynamic()) {
            appendWord(head, uintWord(headSize + tail.size()));
            tail.insert(tail.end(), enc.begin(), enc.end());
        } else {
            head.insert(head.end(), enc.begin(), enc.end());
        }
    }
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

template <typename T>
const T& held(const AbiType& type, const AbiValue& v, const std::string& path, const char* kind) {
    if (auto* p = std::get_if<T>(&v.value)) return *p;
    encodeFail(path, type, std::string("value is not a ") + kind);
}

Bytes encodeValue(const AbiType& type, const AbiValue& value, const std::string& path) {
    Bytes out;
    switch (type.kind) {
    case AbiType::Kind::Uint: {
        const auto& v = held<Uint256>(type, value, path, "uint");
        if (v.bitLength() > type.bits)
            encodeFail(path, type,
                       v.toDecimal() + " does not fit in " + std::to_string(type.bits) + " bits");
        appendWord(out, v.toBigEndian());
        return out;
    }
    case AbiType::Kind::Int: {
        const auto& v = held<Int256>(type, value, path, "int");
        if (!v.fitsBits(type.bits))
            encodeFail(path, type,
                       v.toDecimal() + " is outside the signed " + std::to_string(type.bits) +
                           "-bit range");
        appendWord(out, v.toTwosComplement().toBigEndian());
        return out;
    }
    case AbiType::Kind::Bool:
        appendWord(out, uintWord(held<bool>(type, value, path, "bool") ? 1 : 0));
        return out;
    case AbiType::Kind::Address: {
        Word w{};
        const auto& a = held<Address>(type, value, path, "address");
        std::copy(a.bytes.begin(), a.bytes.end(), w.begin() + 12);
        appendWord(out, w);
        return out;
    }
    case AbiType::Kind::FixedBytes: {
        const auto& b = held<Bytes>(type, value, path, "byte string");
        if (b.size() != type.size)
            encodeFail(path, type,
                       "expected " + std::to_string(type.size) + " bytes, got " +
                           std::to_string(b.size()));
        appendPadded(out, b);
        return out;
    }
    case AbiType::Kind::Bytes:
    case AbiType::Kind::String: {
        Bytes data;
        if (type.kind == AbiType::Kind::Bytes) {
            data = held<Bytes>(type, value, path, "byte string");
        } else {
            const auto& s = held<std::string>(type, value, path, "string");
            data.assign(s.begin(), s.end());
        }
        appendWord(out, uintWord(data.size()));
        appendPadded(out, data);
        return out;
    }
    case AbiType::Kind::Array:
    case AbiType::Kind::FixedArray:
    case AbiType::Kind::Tuple: {
        const auto& list = held<AbiValue::List>(type, value, path, "list");
        std::vector<const AbiType*> types;
        if (type.kind == AbiType::Kind::Tuple) {
            if (list.size() != type.components.size())
                encodeFail(path, type,
                           "tuple has " + std::to_string(type.components.size()) +
                               " members, value has " + std::to_string(list.size()));
            for (const auto& c : type.components)
                types.push_back(&c);
        } else {
            if (type.kind == AbiType::Kind::FixedArray && list.size() != type.length)
                encodeFail(path, type,
                           "expected " + std::to_string(type.length) + " elements, got " +
                               std::to_string(list.size()));
            types.assign(list.size(), &type.element());
        }
        if (type.kind == AbiType::Kind::Array) appendWord(out, uintWord(list.size()));
        Bytes body = encodeSequence(types, list, path.empty() ? "value" : path);
        out.insert(out.end(), body.begin(), body.end());
        return out;
    }
    }
    encodeFail(path, type, "unsupported type");
}

// ---------- decoding ----------

[[noreturn]] void decodeFail(const std::string& path, const AbiType& type, const std::string& why) {
    throw std::invalid_argument("ABI decode: " + path + " (" + type.canonical() + "): " + why);
}

Word readWord(ByteSpan region, std::size_t at, const std::string& path, const AbiType& type) {
    if (at > region.size() || region.size() - at < 32)
        decodeFail(path, type,
                   "data ends at byte " + std::to_string(region.size()) + ", word needed at " +
                       std::to_string(at));
    Word w;
    std::copy(region.begin() + at, region.begin() + at + 32, w.begin());
    return w;
}

std::size_t readSize(ByteSpan region, std::size_t at, const std::string& path, const AbiType& type,
                     const char* what) {
    Uint256 v = Uint256::fromBigEndian(readWord(region, at, path, type));
    if (v > Uint256(region.size()))
        decodeFail(path, type,
                   std::string(what) + " " + v.toDecimal() + " exceeds the " +
                       std::to_string(region.size()) + " bytes available");
    return static_cast<std::size_t>(v.toU64());
}

AbiValue decodeValue(const AbiType& type, ByteSpan region, std::size_t at, const std::string& path);

AbiValue::List decodeSequence(const std::vector<const AbiType*>& types, ByteSpan region,
                              const std::string& path) {
    AbiValue::List out;
    out.reserve(types.size());
    std::size_t head = 0;
    for (std::size_t i = 0; i < types.size(); ++i) {
        std::string sub =
            path.empty() ? "arg " + std::to_string(i) : path + "." + std::to_string(i);
        const AbiType& t = *types[i];
        if (t.isDynamic()) {
            std::size_t offset = readSize(region, head, sub, t, "offset");
            out.push_back(decodeValue(t, region.subspan(offset), 0, sub));
        } else {
            out.push_back(decodeValue(t, region, head, sub));
        }
        head += t.headSize();
    }
    return out;
}

bool allZero(const std::uint8_t* begin, const std::uint8_t* end) {
    for (auto* p = begin; p != end; ++p)
        if (*p) return false;
    return true;
}

AbiValue decodeValue(const AbiType& type, ByteSpan region, std::size_t at,
                     const std::string& path) {
    switch (type.kind) {
    case AbiType::Kind::Uint: {
        Uint256 v = Uint256::fromBigEndian(readWord(region, at, path, type));
        if (v.bitLength() > type.bits) decodeFail(path, type, "value has bits above its size");
        return v;
    }
    case AbiType::Kind::Int: {
        Int256 v =
            Int256::fromTwosComplement(Uint256::fromBigEndian(readWord(region, at, path, type)));
        if (!v.fitsBits(type.bits)) decodeFail(path, type, "value is not properly sign-extended");
        return v;
    }
    case AbiType::Kind::Bool: {
        Uint256 v = Uint256::fromBigEndian(readWord(region, at, path, type));
        if (v > Uint256(1)) decodeFail(path, type, "bool word is neither 0 nor 1");
        return AbiValue(!v.isZero());
    }
    case AbiType::Kind::Address: {
        Word w = readWord(region, at, path, type);
        if (!allZero(w.data(), w.data() + 12))
            decodeFail(path, type, "upper 12 bytes of an address word are not zero");
        return Address::fromWordTail(w);
    }
    case AbiType::Kind::FixedBytes: {
        Word w = readWord(region, at, path, type);
        if (!allZero(w.data() + type.size, w.data() + 32))
            decodeFail(path, type, "padding after the value is not zero");
        return Bytes(w.begin(), w.begin() + type.size);
    }
    case AbiType::Kind::Bytes:
    case AbiType::Kind::String: {
        std::size_t len = readSize(region, at, path, type, "length");
        if (region.size() - at - 32 < len)
            decodeFail(path, type, "length " + std::to_string(len) + " runs past the data end");
        auto* begin = region.data() + at + 32;
        if (type.kind == AbiType::Kind::String) return std::string(begin, begin + len);
        return Bytes(begin, begin + len);
    }
    case AbiType::Kind::Array:
    case AbiType::Kind::FixedArray: {
        if (at > region.size()) decodeFail(path, type, "data ends before the value");
        std::size_t count = type.length;
        ByteSpan body = region.subspan(at);
        if (type.kind == AbiType::Kind::Array) {
            count = readSize(region, at, path, type, "array length");
            body = region.subspan(at + 32);
            // Every element takes at least one head word: refuse lengths the data cannot hold.
            if (count > body.size() / std::max<std::size_t>(type.element().headSize(), 32))
                decodeFail(path, type,
                           "array length " + std::to_string(count) +
                               " exceeds what the data can hold");
        }
        std::vector<const AbiType*> types(count, &type.element());
        return decodeSequence(types, body, path.empty() ? "value" : path);
    }
    case AbiType::Kind::Tuple: {
        if (at > region.size()) decodeFail(path, type, "data ends before the value");
        std::vector<const AbiType*> types;
        for (const auto& c : type.components)
            types.push_back(&c);
        return decodeSequence(types, region.subspan(at), path.empty() ? "value" : path);
    }
    }
    decodeFail(path, type, "unsupported type");
}

// Splits "name(args)" and returns name and the text inside the outer parentheses.
std::pair<std::string, std::string_view> splitSignature(std::string_view sig, const char* what) {
    auto open = sig.find('(');
    if (open == std::string_view::npos || sig.back() != ')')
        throw std::invalid_argument(std::string(what) + " '" + std::string(sig) +
                                    "': expected name(types)");
    std::string name(trimBlanks(sig.substr(0, open)));
    if (name.empty())
        throw std::invalid_argument(std::string(what) + " '" + std::string(sig) + "': empty name");
    return {name, sig.substr(open + 1, sig.size() - open - 2)};
}

} // namespace

Bytes abiEncode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values) {
    if (types.size() != values.size())
        throw std::invalid_argument("ABI encode: " + std::to_string(types.size()) + " types but " +
                                    std::to_string(values.size()) + " values");
    std::vector<const AbiType*> ptrs;
    for (const auto& t : types)
        ptrs.push_back(&t);
    return encodeSequence(ptrs, values, "");
}

std::vector<AbiValue> abiDecode(const std::vector<AbiType>& types, ByteSpan data) {
    std::vector<const AbiType*> ptrs;
    for (const auto& t : types)
        ptrs.push_back(&t);
    return decodeSequence(ptrs, data, "");
}

FunctionSignature FunctionSignature::parse(std::string_view signature) {
    auto [name, args] = splitSignature(trimBlanks(signature), "function signature");
    FunctionSignature f;
    f.name = name;
    try {
        f.inputs = AbiType::parseList(args);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("function signature '" + std::string(signature) +
                                    "': " + e.what());
    }
    return f;
}

std::string FunctionSignature::canonical() const {
    return name + "(" + canonicalList(inputs) + ")";
}

std::array<std::uint8_t, 4> FunctionSignature::selector() const {
    auto h = commit::keccak256(std::string_view(canonical()));
    return {h.bytes[0], h.bytes[1], h.bytes[2], h.bytes[3]};
}

std::array<std::uint8_t, 4> functionSelector(std::string_view signature) {
    return FunctionSignature::parse(signature).selector();
}

Bytes encodeCall(std::string_view signature, const std::vector<AbiValue>& args) {
    auto f = FunctionSignature::parse(signature);
    auto sel = f.selector();
    Bytes out(sel.begin(), sel.end());
    Bytes body = abiEncode(f.inputs, args);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

EventSignature EventSignature::parse(std::string_view declaration) {
    std::string_view decl = trimBlanks(declaration);
    EventSignature e;
    if (decl.ends_with(" anonymous")) {
        e.anonymous = true;
        decl = trimBlanks(decl.substr(0, decl.size() - 10));
    }
    auto [name, args] = splitSignature(decl, "event signature");
    e.name = name;
    // Split at top-level commas, then peel optional "indexed" and a name off each part.
    int depth = 0;
    std::size_t start = 0;
    std::vector<std::string_view> parts;
    for (std::size_t i = 0; i <= args.size(); ++i) {
        if (i < args.size() && (args[i] == '(' || args[i] == '[')) ++depth;
        if (i < args.size() && (args[i] == ')' || args[i] == ']')) --depth;
        if (i == args.size() || (args[i] == ',' && depth == 0)) {
            parts.push_back(trimBlanks(args.substr(start, i - start)));
            start = i + 1;
        }
    }
    if (parts.size() == 1 && parts[0].empty()) parts.clear();
    for (auto part : parts) {
        Param p;
        // The type ends at the first space outside parentheses.
        std::size_t end = 0;
        int d = 0;
        while (end < part.size() && !(part[end] == ' ' && d == 0)) {
            if (part[end] == '(') ++d;
            if (part[end] == ')') --d;
            ++end;
        }
        try {
            p.type = AbiType::parse(part.substr(0, end));
        } catch (const std::invalid_argument& ex) {
            throw std::invalid_argument("event signature '" + std::string(declaration) +
                                        "': " + ex.what());
        }
        std::string_view rest = trimBlanks(part.substr(end));
        if (rest == "indexed" || rest.starts_with("indexed ")) {
            p.indexed = true;
            rest = trimBlanks(rest.substr(7));
        }
        p.name = std::string(rest);
        e.params.push_back(std::move(p));
    }
    return e;
}

std::string EventSignature::canonical() const {
    std::vector<AbiType> types;
    for (const auto& p : params)
        types.push_back(p.type);
    return name + "(" + canonicalList(types) + ")";
}

commit::Hash32 EventSignature::topic() const {
    return commit::keccak256(std::string_view(canonical()));
}

commit::Hash32 eventTopic(std::string_view signature) {
    return EventSignature::parse(signature).topic();
}

std::vector<AbiValue> decodeEventLog(const EventSignature& event,
                                     const std::vector<commit::Hash32>& topics, ByteSpan data) {
    const std::string what = "event " + event.canonical();
    std::size_t indexedCount = 0;
    for (const auto& p : event.params)
        indexedCount += p.indexed ? 1 : 0;
    std::size_t first = event.anonymous ? 0 : 1;
    if (topics.size() != indexedCount + first)
        throw std::invalid_argument(what + ": log has " + std::to_string(topics.size()) +
                                    " topics, expected " + std::to_string(indexedCount + first));
    if (!event.anonymous && topics[0] != event.topic())
        throw std::invalid_argument(what + ": topic 0 " + topics[0].hex() +
                                    " is not this event's topic " + event.topic().hex());
    std::vector<AbiType> dataTypes;
    for (const auto& p : event.params)
        if (!p.indexed) dataTypes.push_back(p.type);
    std::vector<AbiValue> dataValues;
    try {
        dataValues = abiDecode(dataTypes, data);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(what + ": log data: " + e.what());
    }
    std::vector<AbiValue> out;
    std::size_t topicIndex = first, dataIndex = 0;
    for (const auto& p : event.params) {
        if (!p.indexed) {
            out.push_back(std::move(dataValues[dataIndex++]));
            continue;
        }
        const auto& topic = topics[topicIndex++];
        if (p.type.isDynamic() || p.type.kind == AbiType::Kind::Tuple ||
            p.type.kind == AbiType::Kind::FixedArray) {
            out.push_back(AbiValue(topic));
        } else {
            try {
                out.push_back(abiDecode({p.type}, topic.bytes).front());
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(what + ": topic " + std::to_string(topicIndex - 1) +
                                            ": " + e.what());
            }
        }
    }
    return out;
}

} // namespace tao::chain
