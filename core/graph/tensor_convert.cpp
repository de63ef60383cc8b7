#include "core/graph/tensor_convert.hpp"

#include "core/commit/tensor_hash.hpp"

#include <cstring>

namespace tao::graph {

using commit::DType;

DType dtypeOf(at::ScalarType type) {
    switch (type) {
    case at::kFloat:
        return DType::Float32;
    case at::kDouble:
        return DType::Float64;
    case at::kHalf:
        return DType::Float16;
    case at::kBFloat16:
        return DType::BFloat16;
    case at::kLong:
        return DType::Int64;
    case at::kInt:
        return DType::Int32;
    case at::kShort:
        return DType::Int16;
    case at::kChar:
        return DType::Int8;
    case at::kByte:
        return DType::UInt8;
    case at::kBool:
        return DType::Bool;
    default:
        throw std::invalid_argument(std::string("tensor element type ") + c10::toString(type) +
                                    " cannot be stored in a trace");
    }
}

at::ScalarType scalarTypeOf(DType type) {
    switch (type) {
    case DType::Float32:
        return at::kFloat;
    case DType::Float64:
        return at::kDouble;
    case DType::Float16:
        return at::kHalf;
    case DType::BFloat16:
        return at::kBFloat16;
    case DType::Int64:
        return at::kLong;
    case DType::Int32:
        return at::kInt;
    case DType::Int16:
        return at::kShort;
    case DType::Int8:
        return at::kChar;
    case DType::UInt8:
        return at::kByte;
    case DType::Bool:
        return at::kBool;
    }
    return at::kFloat;
}

at::Tensor hostContiguous(const at::Tensor& t) {
    auto c = t.device().is_cpu() ? t : t.cpu();
    return c.is_contiguous() ? c : c.contiguous();
}

trace::TensorView viewOf(const at::Tensor& t, std::string name) {
    return {std::move(name), dtypeOf(t.scalar_type()), t.sizes().vec(),
            commit::ByteSpan(static_cast<const std::uint8_t*>(t.data_ptr()), t.nbytes())};
}

commit::Hash32 tensorHash(const at::Tensor& t) {
    auto c = hostContiguous(t);
    auto shape = c.sizes().vec();
    return commit::tensorHash(
        dtypeOf(c.scalar_type()), shape,
        commit::ByteSpan(static_cast<const std::uint8_t*>(c.data_ptr()), c.nbytes()));
}

trace::HostTensor toHost(const at::Tensor& t) {
    auto c = hostContiguous(t);
    trace::HostTensor h{dtypeOf(c.scalar_type()), c.sizes().vec(),
                        std::vector<std::uint8_t>(c.nbytes())};
    if (c.nbytes()) std::memcpy(h.data.data(), c.data_ptr(), c.nbytes());
    return h;
}

at::Tensor fromHost(const trace::HostTensor& h) {
    auto t = at::empty(h.shape, at::TensorOptions().dtype(scalarTypeOf(h.dtype)));
    if (t.nbytes() != h.data.size())
        throw std::invalid_argument("tensor " + h.describe() + " holds " +
                                    std::to_string(h.data.size()) + " bytes, expected " +
                                    std::to_string(t.nbytes()));
    if (t.nbytes()) std::memcpy(t.data_ptr(), h.data.data(), h.data.size());
    return t;
}

std::vector<at::Tensor> flattenTensors(const c10::IValue& v) {
    std::vector<at::Tensor> out;
    if (v.isTensor()) {
        out.push_back(v.toTensor());
    } else if (v.isTensorList()) {
        for (const at::Tensor& t : v.toTensorVector())
            out.push_back(t);
    } else if (v.isList()) {
        for (const auto& e : v.toListRef())
            for (auto& t : flattenTensors(e))
                out.push_back(t);
    } else if (v.isTuple()) {
        for (const auto& e : v.toTupleRef().elements())
            for (auto& t : flattenTensors(e))
                out.push_back(t);
    }
    return out;
}

} // namespace tao::graph
