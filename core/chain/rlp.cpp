#include "core/chain/rlp.hpp"

#include <stdexcept>
#include <string>

namespace tao::chain {

namespace {
Bytes minimalBigEndian(std::uint64_t v) {
    Bytes out;
    while (v) {
        out.insert(out.begin(), static_cast<std::uint8_t>(v & 0xff));
        v >>= 8;
    }
    return out;
}

void appendHeader(Bytes& out, std::size_t length, std::uint8_t shortBase, std::uint8_t longBase) {
    if (length <= 55) {
        out.push_back(static_cast<std::uint8_t>(shortBase + length));
    } else {
        Bytes len = minimalBigEndian(length);
        out.push_back(static_cast<std::uint8_t>(longBase + len.size()));
        out.insert(out.end(), len.begin(), len.end());
    }
}

void encodeInto(const RlpItem& item, Bytes& out) {
    if (!item.isList()) {
        const Bytes& b = item.bytes();
        if (b.size() == 1 && b[0] < 0x80) {
            out.push_back(b[0]);
            return;
        }
        appendHeader(out, b.size(), 0x80, 0xb7);
        out.insert(out.end(), b.begin(), b.end());
        return;
    }
    Bytes payload;
    for (const auto& child : item.list())
        encodeInto(child, payload);
    appendHeader(out, payload.size(), 0xc0, 0xf7);
    out.insert(out.end(), payload.begin(), payload.end());
}

[[noreturn]] void fail(std::size_t offset, const std::string& why) {
    throw std::invalid_argument("RLP: malformed data at byte " + std::to_string(offset) + ": " +
                                why);
}

// Decodes one item starting at `pos`, returns it and advances `pos`.
RlpItem decodeAt(ByteSpan data, std::size_t& pos, int depth) {
    if (depth > 64) fail(pos, "nesting deeper than 64 lists");
    if (pos >= data.size()) fail(pos, "unexpected end of data");
    const std::size_t start = pos;
    std::uint8_t prefix = data[pos++];
    if (prefix < 0x80) return RlpItem(Bytes{prefix});

    const bool isList = prefix >= 0xc0;
    const std::uint8_t base = isList ? 0xc0 : 0x80;
    std::size_t length = 0;
    if (prefix - base <= 55) {
        length = prefix - base;
    } else {
        std::size_t lenBytes = prefix - base - 55;
        if (pos + lenBytes > data.size()) fail(start, "truncated length");
        if (data[pos] == 0) fail(start, "length has leading zero bytes");
        if (lenBytes > 8) fail(start, "length does not fit in 64 bits");
        for (std::size_t i = 0; i < lenBytes; ++i)
            length = (length << 8) | data[pos++];
        if (length <= 55) fail(start, "long form used for a short length");
    }
    if (length > data.size() - pos)
        fail(start, "payload of " + std::to_string(length) + " bytes runs past the end");
    const std::size_t end = pos + length;
    if (!isList) {
        Bytes b(data.begin() + pos, data.begin() + end);
        if (b.size() == 1 && b[0] < 0x80)
            fail(start, "single byte below 0x80 must not be prefixed");
        pos = end;
        return RlpItem(std::move(b));
    }
    RlpItem::List items;
    while (pos < end) {
        items.push_back(decodeAt(data.first(end), pos, depth + 1));
    }
    return RlpItem(std::move(items));
}
} // namespace

RlpItem RlpItem::integer(const Uint256& v) {
    auto be = v.toBigEndian();
    std::size_t first = 0;
    while (first < be.size() && be[first] == 0)
        ++first;
    return RlpItem(Bytes(be.begin() + first, be.end()));
}

const Bytes& RlpItem::bytes() const {
    if (isList()) throw std::invalid_argument("RLP: expected a byte string, found a list");
    return std::get<Bytes>(value);
}

const RlpItem::List& RlpItem::list() const {
    if (!isList()) throw std::invalid_argument("RLP: expected a list, found a byte string");
    return std::get<List>(value);
}

Bytes rlpEncode(const RlpItem& item) {
    Bytes out;
    encodeInto(item, out);
    return out;
}

RlpItem rlpDecode(ByteSpan data) {
    std::size_t pos = 0;
    RlpItem item = decodeAt(data, pos, 0);
    if (pos != data.size())
        fail(pos, std::to_string(data.size() - pos) + " trailing bytes after the item");
    return item;
}

} // namespace tao::chain
