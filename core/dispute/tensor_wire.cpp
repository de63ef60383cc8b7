#include "core/dispute/tensor_wire.hpp"

#include "core/trace/safetensors.hpp"

#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tao::dispute {

std::string
encodeSafetensors(const std::vector<std::pair<std::string, trace::HostTensor>>& tensors) {
    nlohmann::json header = nlohmann::json::object();
    std::uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        header[name] = {{"dtype", std::string(commit::safetensorsName(t.dtype))},
                        {"shape", t.shape},
                        {"data_offsets", {offset, offset + t.data.size()}}};
        offset += t.data.size();
    }
    std::string h = header.dump();
    while (h.size() % 8)
        h.push_back(' '); // the format pads the header to 8 bytes
    std::string out(8, '\0');
    std::uint64_t len = h.size();
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((len >> (8 * i)) & 0xff);
    out += h;
    for (const auto& [name, t] : tensors)
        out.append(reinterpret_cast<const char*>(t.data.data()), t.data.size());
    return out;
}

std::map<std::string, trace::HostTensor> decodeSafetensors(std::string_view bytes,
                                                           const std::string& what) {
    if (bytes.size() < 8) throw std::runtime_error(what + ": truncated safetensors data");
    std::uint64_t len = 0;
    for (int i = 0; i < 8; ++i)
        len |= std::uint64_t(static_cast<unsigned char>(bytes[i])) << (8 * i);
    if (len > bytes.size() - 8) throw std::runtime_error(what + ": safetensors header too long");
    const std::uint64_t dataStart = 8 + len;
    trace::SafetensorsHeader header;
    try {
        header = trace::parseSafetensorsHeader(bytes.substr(8, len), bytes.size() - dataStart);
    } catch (const std::exception& e) {
        throw std::runtime_error(what + ": " + e.what());
    }
    std::map<std::string, trace::HostTensor> out;
    for (const auto& [name, e] : header.entries) {
        trace::HostTensor t;
        t.dtype = e.dtype;
        t.shape = e.shape;
        t.data.resize(e.end - e.begin);
        std::memcpy(t.data.data(), bytes.data() + dataStart + e.begin, t.data.size());
        out.emplace(name, std::move(t));
    }
    return out;
}

} // namespace tao::dispute
