#pragma once
// The safetensors layout: u64_le header length, a JSON header mapping each
// tensor name to {dtype, shape, data_offsets} (plus optional "__metadata__"),
// then the raw little-endian data. Files written here open with the Python
// `safetensors` package.
#include "core/trace/host_tensor.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace tao::trace {

// A tensor to write, borrowed from its owner (no copy of the data).
struct TensorView {
    std::string name;
    commit::DType dtype = commit::DType::Float32;
    std::vector<std::int64_t> shape;
    commit::ByteSpan data;
};

// Bytes of a tensor of `dtype` and `shape`. Throws std::runtime_error for a negative
// dimension or a size past 2^62 bytes.
std::uint64_t safetensorsBytes(commit::DType dtype, const std::vector<std::int64_t>& shape);

// Writes a safetensors file (atomically: temp + rename). Throws std::runtime_error
// or std::invalid_argument (duplicate name, data size not matching shape).
void writeSafetensors(const std::filesystem::path& path, const std::vector<TensorView>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

struct SafetensorsEntry {
    commit::DType dtype;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0; // offsets into the data section
    std::uint64_t end = 0;
};

struct SafetensorsHeader {
    std::map<std::string, SafetensorsEntry> entries;
    std::map<std::string, std::string> metadata;
};

// Validates a header against a data section of `dataSize` bytes: known dtypes,
// non-negative shapes, sizes matching shapes, offsets inside the data and not
// overlapping. Throws std::runtime_error with the reason (the caller adds the file name).
SafetensorsHeader parseSafetensorsHeader(std::string_view json, std::uint64_t dataSize);

// A safetensors file opened for random access; tensors are read on demand.
class SafetensorsFile {
public:
    // Throws std::runtime_error "<path>: <reason>" for a missing, truncated or malformed file.
    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    const SafetensorsHeader& header() const { return header_; }
    bool contains(const std::string& name) const { return header_.entries.count(name) > 0; }
    std::vector<std::string> names() const;
    // Throws std::runtime_error naming the file and tensor when absent or unreadable.
    // Safe to call from several threads at once (the provider server does).
    HostTensor read(const std::string& name) const;

private:
    std::filesystem::path path_;
    SafetensorsHeader header_;
    std::uint64_t dataStart_ = 0;
    mutable std::mutex readMutex_; // one seek + read at a time on the shared stream
    mutable std::ifstream in_;
};

} // namespace tao::trace
