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

// Where a tensor's elements lay in memory when the operators that consumed it
// ran. Kernels pick their code path (and so their summation order) by layout,
// so replay rebuilds committed tensors with it. Metadata only: hashes and
// Merkle leaves cover the values in row-major order, never the layout.
struct TensorLayout {
    std::vector<std::int64_t> strides; // in elements, one per dimension
    std::int64_t storageOffset = 0;    // in elements
    // The earliest committed value sharing this tensor's storage ("op:<i>.<j>" with j
    // the flattened output, "input:<name>", "param:<name>"); empty when it owns its storage.
    std::string viewOf;

    // True when the elements are row-major from offset 0 (strides of size-1
    // dimensions do not matter): such a tensor needs no rebuilding.
    bool isRowMajor(const std::vector<std::int64_t>& shape) const;
    bool operator==(const TensorLayout&) const = default;
};

} // namespace tao::trace
