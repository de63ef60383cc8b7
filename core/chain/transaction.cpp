#include "core/chain/transaction.hpp"

#include <stdexcept>

namespace tao::chain {

namespace {
RlpItem::List fieldList(const Eip1559Transaction& tx) {
    RlpItem::List fields;
    fields.push_back(RlpItem::integer(tx.chainId));
    fields.push_back(RlpItem::integer(tx.nonce));
    fields.push_back(RlpItem::integer(tx.maxPriorityFeePerGas));
    fields.push_back(RlpItem::integer(tx.maxFeePerGas));
    fields.push_back(RlpItem::integer(tx.gasLimit));
    fields.push_back(tx.to ? RlpItem(commit::Bytes(tx.to->bytes.begin(), tx.to->bytes.end()))
                           : RlpItem(commit::Bytes{}));
    fields.push_back(RlpItem::integer(tx.value));
    fields.push_back(RlpItem(tx.data));
    fields.push_back(RlpItem(RlpItem::List{}));
    return fields;
}

commit::Bytes typed(const RlpItem::List& fields) {
    commit::Bytes out{0x02};
    commit::Bytes body = rlpEncode(RlpItem(fields));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

RlpItem hashItem(const commit::Hash32& h) {
    return RlpItem::integer(Uint256::fromBigEndian(h.bytes));
}

Uint256 intField(const RlpItem& item, const char* name) {
    const auto& b = item.bytes();
    if (b.size() > 32)
        throw std::invalid_argument(std::string("transaction: ") + name + " exceeds 32 bytes");
    if (!b.empty() && b[0] == 0)
        throw std::invalid_argument(std::string("transaction: ") + name + " has leading zeros");
    return Uint256::fromBigEndian(b);
}

commit::Hash32 wordField(const RlpItem& item, const char* name) {
    commit::Hash32 h;
    h.bytes = intField(item, name).toBigEndian();
    return h;
}
} // namespace

commit::Bytes Eip1559Transaction::signingPayload() const {
    return typed(fieldList(*this));
}

commit::Hash32 Eip1559Transaction::signingHash() const {
    return commit::keccak256(signingPayload());
}

SignedTransaction Eip1559Transaction::sign(const PrivateKey& key) const {
    SignedTransaction s;
    s.tx = *this;
    s.signature = key.sign(signingHash());
    RlpItem::List fields = fieldList(*this);
    fields.push_back(RlpItem::integer(s.signature.yParity));
    fields.push_back(hashItem(s.signature.r));
    fields.push_back(hashItem(s.signature.s));
    s.raw = typed(fields);
    s.hash = commit::keccak256(s.raw);
    return s;
}

SignedTransaction SignedTransaction::decode(commit::ByteSpan raw) {
    if (raw.empty() || raw[0] != 0x02)
        throw std::invalid_argument("transaction: not an EIP-1559 (type 2) transaction");
    RlpItem item = rlpDecode(raw.subspan(1));
    const auto& f = item.list();
    if (f.size() != 12)
        throw std::invalid_argument("transaction: expected 12 fields, got " +
                                    std::to_string(f.size()));
    SignedTransaction s;
    s.tx.chainId = intField(f[0], "chainId").toU64();
    s.tx.nonce = intField(f[1], "nonce").toU64();
    s.tx.maxPriorityFeePerGas = intField(f[2], "maxPriorityFeePerGas");
    s.tx.maxFeePerGas = intField(f[3], "maxFeePerGas");
    s.tx.gasLimit = intField(f[4], "gas").toU64();
    const auto& to = f[5].bytes();
    if (to.size() == 20) {
        Address a;
        std::copy(to.begin(), to.end(), a.bytes.begin());
        s.tx.to = a;
    } else if (!to.empty()) {
        throw std::invalid_argument("transaction: 'to' must be 20 bytes or empty");
    }
    s.tx.value = intField(f[6], "value");
    s.tx.data = f[7].bytes();
    if (!f[8].list().empty())
        throw std::invalid_argument("transaction: non-empty access lists are not supported");
    Uint256 parity = intField(f[9], "yParity");
    if (parity > Uint256(1)) throw std::invalid_argument("transaction: yParity must be 0 or 1");
    s.signature.yParity = static_cast<std::uint8_t>(parity.toU64());
    s.signature.r = wordField(f[10], "r");
    s.signature.s = wordField(f[11], "s");
    s.raw.assign(raw.begin(), raw.end());
    s.hash = commit::keccak256(raw);
    return s;
}

Address SignedTransaction::sender() const {
    return recoverSigner(tx.signingHash(), signature);
}

} // namespace tao::chain
