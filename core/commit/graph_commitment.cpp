#include "core/commit/graph_commitment.hpp"

namespace tao::commit {

namespace {
void putU32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}
} // namespace

Hash32 graphEntryHash(const GraphEntry& entry) {
    std::vector<std::uint8_t> buf;
    buf.reserve(37 + 4 * entry.inputs.size());
    buf.push_back(0x05);
    putU32(buf, entry.index);
    buf.insert(buf.end(), entry.schemaHash.bytes.begin(), entry.schemaHash.bytes.end());
    for (auto i : entry.inputs)
        putU32(buf, i);
    return keccak256(buf);
}

MerkleTree graphTree(const std::vector<GraphEntry>& entries) {
    std::vector<Hash32> leaves;
    leaves.reserve(entries.size());
    for (const auto& e : entries)
        leaves.push_back(graphEntryHash(e));
    return MerkleTree(std::move(leaves));
}

} // namespace tao::commit
