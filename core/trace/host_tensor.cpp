#include "core/trace/host_tensor.hpp"

#include "core/commit/tensor_hash.hpp"

namespace tao::trace {

std::int64_t HostTensor::numel() const {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

commit::Hash32 HostTensor::hash() const {
    return commit::tensorHash(dtype, shape, data);
}

std::string describeShape(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string HostTensor::describe() const {
    return std::string(commit::safetensorsName(dtype)) + describeShape(shape);
}

bool TensorLayout::isRowMajor(const std::vector<std::int64_t>& shape) const {
    if (storageOffset != 0 || strides.size() != shape.size()) return false;
    std::int64_t expected = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
        if (shape[i] != 1 && strides[i] != expected) return false;
        expected *= shape[i];
    }
    return true;
}

} // namespace tao::trace
