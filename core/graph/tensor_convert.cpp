#include "core/graph/tensor_convert.hpp"

#include "core/commit/tensor_hash.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

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
    case DType::None:
        break;
    }
    return at::kFloat;
}

at::Tensor hostContiguous(const at::Tensor& t) {
    if (!t.defined()) return t;
    auto c = t.device().is_cpu() ? t : t.cpu();
    return c.is_contiguous() ? c : c.contiguous();
}

trace::TensorView viewOf(const at::Tensor& t, std::string name) {
    if (!t.defined()) return {std::move(name), DType::None, {}, {}};
    return {std::move(name), dtypeOf(t.scalar_type()), t.sizes().vec(),
            commit::ByteSpan(static_cast<const std::uint8_t*>(t.data_ptr()), t.nbytes())};
}

commit::Hash32 tensorHash(const at::Tensor& t,
                          const std::function<void(commit::ByteSpan)>& hashed) {
    if (!t.defined()) return commit::tensorHash(DType::None, {}, {});
    auto c = hostContiguous(t);
    auto shape = c.sizes().vec();
    return commit::tensorHash(
        dtypeOf(c.scalar_type()), shape,
        commit::ByteSpan(static_cast<const std::uint8_t*>(c.data_ptr()), c.nbytes()), hashed);
}

trace::HostTensor toHost(const at::Tensor& t) {
    if (!t.defined()) return {DType::None, {}, {}};
    auto c = hostContiguous(t);
    trace::HostTensor h{dtypeOf(c.scalar_type()), c.sizes().vec(),
                        std::vector<std::uint8_t>(c.nbytes())};
    if (c.nbytes()) std::memcpy(h.data.data(), c.data_ptr(), c.nbytes());
    return h;
}

at::Tensor fromHost(trace::HostTensor&& h) {
    if (h.dtype == DType::None || h.data.empty()) return fromHost(std::as_const(h));
    const auto options = at::TensorOptions().dtype(scalarTypeOf(h.dtype));
    const auto expected =
        static_cast<std::size_t>(h.numel()) * at::elementSize(options.dtype().toScalarType());
    if (expected != h.data.size()) return fromHost(std::as_const(h)); // words the mismatch
    auto* bytes = new std::vector<std::uint8_t>(std::move(h.data));
    h.data.clear();
    return at::from_blob(
        bytes->data(), h.shape, [bytes](void*) { delete bytes; }, options);
}

at::Tensor fromHost(const trace::HostTensor& h) {
    if (h.dtype == DType::None) return {};
    auto t = at::empty(h.shape, at::TensorOptions().dtype(scalarTypeOf(h.dtype)));
    if (t.nbytes() != h.data.size())
        throw std::invalid_argument("tensor " + h.describe() + " holds " +
                                    std::to_string(h.data.size()) + " bytes, expected " +
                                    std::to_string(t.nbytes()));
    if (t.nbytes()) std::memcpy(t.data_ptr(), h.data.data(), h.data.size());
    return t;
}

namespace {
// True when no two index tuples address the same element: with dimensions sorted by
// stride, each stride exceeds the span of all smaller ones. (Sufficient, and it
// holds for every view PyTorch's slicing, transposing and permuting can make.)
bool stridesAreDisjoint(const std::vector<std::int64_t>& shape,
                        const std::vector<std::int64_t>& strides) {
    std::vector<std::pair<std::int64_t, std::int64_t>> dims; // (stride, size)
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] > 1) dims.emplace_back(strides[i], shape[i]);
    std::sort(dims.begin(), dims.end());
    std::int64_t span = 0; // largest offset reachable with the dimensions so far
    for (const auto& [stride, size] : dims) {
        if (stride <= span) return false;
        span += (size - 1) * stride;
    }
    return true;
}
} // namespace

at::Tensor withLayout(const at::Tensor& rowMajor, const trace::TensorLayout& layout,
                      std::string& why) {
    const auto shape = rowMajor.sizes().vec();
    if (!rowMajor.defined() || layout.isRowMajor(shape) || rowMajor.numel() == 0) return rowMajor;
    if (layout.strides.size() != shape.size()) {
        why = "layout has " + std::to_string(layout.strides.size()) + " strides for " +
              std::to_string(shape.size()) + " dimensions";
        return rowMajor;
    }
    std::int64_t extent = 1;
    for (std::size_t i = 0; i < shape.size(); ++i)
        extent += (shape[i] - 1) * layout.strides[i];
    const std::int64_t storage = layout.storageOffset + extent;
    if (storage - rowMajor.numel() > (std::int64_t{1} << 28)) {
        why = "its layout spans " + std::to_string(storage) + " elements of storage for " +
              std::to_string(rowMajor.numel());
        return rowMajor;
    }
    // Zeros, not garbage, in the gaps: no kernel should read them, but if one did
    // the replay would still be deterministic.
    auto buffer = at::zeros({storage}, rowMajor.options());
    auto laid = buffer.as_strided(shape, layout.strides, layout.storageOffset);
    // Broadcast (stride 0) dimensions hold one value per position along the others;
    // write through a view with those dimensions narrowed to one element.
    auto dst = laid, src = rowMajor;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (layout.strides[i] == 0 && shape[i] > 1) {
            dst = dst.narrow(static_cast<std::int64_t>(i), 0, 1);
            src = src.narrow(static_cast<std::int64_t>(i), 0, 1);
        }
    if (!stridesAreDisjoint(dst.sizes().vec(), dst.strides().vec())) {
        why = "its layout has overlapping strides";
        return rowMajor;
    }
    dst.copy_(src);
    // A committed "broadcast" tensor whose copies differ cannot have come from that
    // layout; replay it on the committed values rather than on a rewritten tensor.
    if (dst.sizes() != laid.sizes() && !at::equal(laid, rowMajor)) {
        why = "its values differ along broadcast (stride 0) dimensions";
        return rowMajor;
    }
    return laid;
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
