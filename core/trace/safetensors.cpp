#include "core/trace/safetensors.hpp"

#include "core/trace/safetensors_writer.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tao::trace {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr std::uint64_t kMaxHeader = 100u << 20;
} // namespace

std::uint64_t safetensorsBytes(commit::DType dtype, const std::vector<std::int64_t>& shape) {
    std::uint64_t n = commit::elementSize(dtype);
    for (auto d : shape) {
        if (d < 0) throw std::runtime_error("negative dimension");
        if (d && n > (std::uint64_t{1} << 62) / static_cast<std::uint64_t>(d))
            throw std::runtime_error("tensor too large");
        n *= static_cast<std::uint64_t>(d);
    }
    return n;
}

void writeSafetensors(const fs::path& path, const std::vector<TensorView>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    SafetensorsWriter out(path, SafetensorsWriter::headerText(tensors, metadata).size());
    for (const auto& t : tensors)
        out.add(t);
    out.finish(metadata);
}

SafetensorsHeader parseSafetensorsHeader(std::string_view text, std::uint64_t dataSize) {
    json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) throw std::runtime_error("header is not valid JSON");
    if (!doc.is_object()) throw std::runtime_error("header is not a JSON object");
    SafetensorsHeader h;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const auto& v = it.value();
        if (it.key() == "__metadata__") {
            if (!v.is_object()) throw std::runtime_error("__metadata__ is not an object");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    throw std::runtime_error("__metadata__ value '" + m.key() +
                                             "' is not a string");
                h.metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        auto where = "tensor '" + it.key() + "': ";
        if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") ||
            !v.contains("data_offsets"))
            throw std::runtime_error(where + "needs dtype, shape and data_offsets");
        if (!v["dtype"].is_string()) throw std::runtime_error(where + "dtype is not a string");
        auto dtype = commit::dtypeFromSafetensorsName(v["dtype"].get<std::string>());
        if (!dtype) throw std::runtime_error(where + "unsupported dtype " + v["dtype"].dump());
        SafetensorsEntry e{*dtype, {}, 0, 0};
        if (!v["shape"].is_array()) throw std::runtime_error(where + "shape is not an array");
        for (const auto& d : v["shape"]) {
            if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
                throw std::runtime_error(where + "shape holds a non-integer or negative entry");
            e.shape.push_back(d.get<std::int64_t>());
        }
        if (e.dtype == commit::DType::None && !e.shape.empty())
            throw std::runtime_error(where + "an undefined (NONE) tensor has no shape");
        const auto& off = v["data_offsets"];
        if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
            !off[1].is_number_unsigned())
            throw std::runtime_error(where + "data_offsets must be two non-negative integers");
        e.begin = off[0].get<std::uint64_t>();
        e.end = off[1].get<std::uint64_t>();
        if (e.begin > e.end || e.end > dataSize)
            throw std::runtime_error(where + "data_offsets outside the data (file truncated?)");
        std::uint64_t need;
        try {
            need = safetensorsBytes(e.dtype, e.shape);
        } catch (const std::runtime_error& err) {
            throw std::runtime_error(where + err.what());
        }
        if (e.end - e.begin != need)
            throw std::runtime_error(where + "holds " + std::to_string(e.end - e.begin) +
                                     " bytes but its shape " + describeShape(e.shape) + " needs " +
                                     std::to_string(need));
        if (e.end > e.begin) ranges.emplace_back(e.begin, e.end);
        h.entries.emplace(it.key(), std::move(e));
    }
    std::sort(ranges.begin(), ranges.end());
    for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second)
            throw std::runtime_error("tensor data ranges overlap");
    return h;
}

SafetensorsFile::SafetensorsFile(const fs::path& path)
    : path_(path) {
    in_.open(path, std::ios::binary);
    if (!in_) throw std::runtime_error(path.string() + ": cannot open");
    std::error_code ec;
    std::uint64_t fileSize = fs::file_size(path, ec);
    if (ec || fileSize < 8) throw std::runtime_error(path.string() + ": too short for safetensors");
    unsigned char lenBytes[8];
    in_.read(reinterpret_cast<char*>(lenBytes), 8);
    std::uint64_t len = 0;
    for (int i = 7; i >= 0; --i)
        len = len << 8 | lenBytes[i];
    if (len > kMaxHeader || len > fileSize - 8)
        throw std::runtime_error(path.string() + ": header length " + std::to_string(len) +
                                 " exceeds the file (truncated or not safetensors)");
    std::string text(len, '\0');
    in_.read(text.data(), static_cast<std::streamsize>(len));
    dataStart_ = 8 + len;
    try {
        header_ = parseSafetensorsHeader(text, fileSize - dataStart_);
    } catch (const std::exception& e) {
        throw std::runtime_error(path.string() + ": " + e.what());
    }
}

std::vector<std::string> SafetensorsFile::names() const {
    std::vector<std::string> out;
    for (const auto& [name, e] : header_.entries)
        out.push_back(name);
    return out;
}

HostTensor SafetensorsFile::read(const std::string& name) const {
    auto it = header_.entries.find(name);
    if (it == header_.entries.end())
        throw std::runtime_error(path_.string() + ": no tensor named '" + name + "'");
    const auto& e = it->second;
    HostTensor t{e.dtype, e.shape, std::vector<std::uint8_t>(e.end - e.begin)};
    std::lock_guard lock(readMutex_);
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(dataStart_ + e.begin));
    in_.read(reinterpret_cast<char*>(t.data.data()), static_cast<std::streamsize>(t.data.size()));
    if (!in_) throw std::runtime_error(path_.string() + ": cannot read tensor '" + name + "'");
    return t;
}

} // namespace tao::trace
