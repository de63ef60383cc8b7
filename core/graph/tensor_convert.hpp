#pragma once
// Moving tensors between LibTorch and the plain host form that traces store.
#include "core/commit/hash.hpp"
#include "core/trace/host_tensor.hpp"
#include "core/trace/safetensors.hpp"

#include <torch/script.h>

namespace tao::graph {

// Throws std::invalid_argument for element types traces cannot hold (complex, quantised).
commit::DType dtypeOf(at::ScalarType type);
at::ScalarType scalarTypeOf(commit::DType type);

// Canonical hash of a tensor (any device, any layout: copied to a contiguous CPU tensor if
// needed), calling `hashed`, when given, with each piece of its bytes once hashed (16 MiB at
// most; commit::tensorHash).
commit::Hash32 tensorHash(const at::Tensor& t,
                          const std::function<void(commit::ByteSpan)>& hashed = {});
// A contiguous CPU copy (or the tensor itself when it already is one).
at::Tensor hostContiguous(const at::Tensor& t);
// A borrowed view of a contiguous CPU tensor; `t` must outlive the view.
trace::TensorView viewOf(const at::Tensor& t, std::string name);
trace::HostTensor toHost(const at::Tensor& t);
// Copies into a new CPU tensor; a DType::None host tensor becomes an undefined tensor
// (and an undefined tensor hashes, converts and views as DType::None).
at::Tensor fromHost(const trace::HostTensor& t);
// The same, taking over t's bytes instead of copying them (t.data is left empty): the
// tensor's storage is t's buffer, freed with the tensor.
at::Tensor fromHost(trace::HostTensor&& t);
// The same values laid out in memory as `layout` says (strides, storage offset), so
// that kernels take the path they took at capture. Returns `rowMajor` itself and
// sets `why` when the layout cannot be reproduced: overlapping strides whose
// elements differ, or a storage more than 256 Mi elements larger than the tensor.
at::Tensor withLayout(const at::Tensor& rowMajor, const trace::TensorLayout& layout,
                      std::string& why);

// Every tensor inside an interpreter value (tensor, list or tuple of tensors), flattened in order.
std::vector<at::Tensor> flattenTensors(const c10::IValue& v);

} // namespace tao::graph
