#pragma once
// Named tensors in the safetensors layout held in memory: what the provider data API sends
// and the challenger reads, so a Python client can parse the same bytes.
#include "core/trace/host_tensor.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tao::dispute {

std::string
encodeSafetensors(const std::vector<std::pair<std::string, trace::HostTensor>>& tensors);
// Throws std::runtime_error naming `what` and the reason for malformed bytes.
std::map<std::string, trace::HostTensor> decodeSafetensors(std::string_view bytes,
                                                           const std::string& what);

} // namespace tao::dispute
