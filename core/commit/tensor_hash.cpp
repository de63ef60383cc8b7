#include "core/commit/tensor_hash.hpp"

#include <algorithm>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <stdexcept>
#include <string>

namespace tao::commit {

namespace {
// Hashes `data` a chunk at a time, each chunk's successor fetched ahead with the
// non-temporal hint. A capture hashes each output on a second core while the forward goes
// on; lines that core kept in its caches had to be taken back when the forward wrote the
// memory again, and resnet18's capture cost 1.092x a plain forward instead of 1.081x
// (means of ten interleaved pairs, bench_capture, in a half hour when the cores shared lines
// slowly; where the capture cost 1.02x, both ways did).
void updateStreaming(Sha256Stream& s, ByteSpan data) {
    constexpr std::size_t kChunk = 8192, kLine = 64;
    for (std::size_t at = 0; at < data.size(); at += kChunk) {
#if defined(__x86_64__)
        const auto next = std::min(data.size(), at + kChunk);
        const auto end = std::min(data.size(), next + kChunk);
        const auto* base = reinterpret_cast<const char*>(data.data());
        for (auto line = next; line < end; line += kLine)
            _mm_prefetch(base + line, _MM_HINT_NTA);
#endif
        s.update(data.subspan(at, std::min(kChunk, data.size() - at)));
    }
}

void putLe(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
} // namespace

Hash32 tensorHash(DType dtype, std::span<const std::int64_t> shape, ByteSpan data,
                  const std::function<void(ByteSpan)>& hashed) {
    if (dtype == DType::None && !shape.empty())
        throw std::invalid_argument("tensor hash: an undefined (NONE) tensor has no shape");
    std::uint64_t count = 1;
    for (auto d : shape) {
        if (d < 0) throw std::invalid_argument("tensor hash: negative dimension");
        count *= static_cast<std::uint64_t>(d);
    }
    if (count * elementSize(dtype) != data.size())
        throw std::invalid_argument("tensor hash: " + std::to_string(data.size()) +
                                    " bytes do not match the shape (" +
                                    std::to_string(count * elementSize(dtype)) + " expected)");
    std::vector<std::uint8_t> header;
    header.push_back(static_cast<std::uint8_t>(dtype));
    putLe(header, shape.size(), 4);
    for (auto d : shape)
        putLe(header, static_cast<std::uint64_t>(d), 8);
    Sha256Stream s;
    s.update(header);
    constexpr std::size_t kPiece = std::size_t(16) << 20;
    for (std::size_t at = 0; at < data.size(); at += kPiece) {
        const auto piece = data.subspan(at, std::min(kPiece, data.size() - at));
        updateStreaming(s, piece);
        if (hashed) hashed(piece);
    }
    return s.finish();
}

Hash32 outputsHash(const std::vector<Hash32>& tensorHashes) {
    if (tensorHashes.size() == 1) return tensorHashes.front();
    std::vector<std::uint8_t> buf{'t', 'a', 'o', '.', 'o', 'u', 't', 'p', 'u', 't', 's'};
    putLe(buf, tensorHashes.size(), 4);
    for (const auto& h : tensorHashes)
        buf.insert(buf.end(), h.bytes.begin(), h.bytes.end());
    return sha256(buf);
}

} // namespace tao::commit
