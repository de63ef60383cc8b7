#pragma once
// Canonical tensor hash: SHA-256 over
//   u8 dtype tag || u32_le rank || u64_le dims[rank] || raw little-endian element bytes.
// Two tensors hash equal exactly when dtype, shape and every bit of every element are equal.
#include "core/commit/dtype.hpp"
#include "core/commit/hash.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace tao::commit {

// `data` must hold exactly product(shape) * elementSize(dtype) bytes, contiguous
// in row-major order; throws std::invalid_argument otherwise. `hashed`, when given, is
// called with each consecutive piece of `data` (16 MiB at most) once it has gone into the
// hash: a caller reading `data` from a mapped file can give those pages back as it goes.
Hash32 tensorHash(DType dtype, std::span<const std::int64_t> shape, ByteSpan data,
                  const std::function<void(ByteSpan)>& hashed = {});

// Hash of an operator's outputs: the tensor hash itself for a single output,
// otherwise SHA-256("tao.outputs" || u32_le count || hash_1 || ... || hash_count).
Hash32 outputsHash(const std::vector<Hash32>& tensorHashes);

} // namespace tao::commit
