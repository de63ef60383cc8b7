#pragma once
// A tensor as plain bytes on the host: what trace bundles store and hash, with
// no dependency on LibTorch.
#include "core/commit/dtype.hpp"
#include "core/commit/hash.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tao::trace {

struct HostTensor {
    commit::DType dtype = commit::DType::Float32;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> data; // row-major, little-endian

    std::int64_t numel() const;
    // Canonical hash (core/commit/tensor_hash.hpp).
    commit::Hash32 hash() const;
    // "F32[2, 3]"
    std::string describe() const;
};

std::string describeShape(const std::vector<std::int64_t>& shape);

} // namespace tao::trace
