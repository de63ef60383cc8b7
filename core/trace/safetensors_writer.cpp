#include "core/trace/safetensors_writer.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace tao::trace {

namespace fs = std::filesystem;

namespace {
constexpr std::uint64_t kLengthBytes = 8;

std::uint64_t roundUp8(std::uint64_t n) {
    return (n + 7) / 8 * 8;
}
} // namespace

SafetensorsWriter::SafetensorsWriter(fs::path path, std::uint64_t headerReserve)
    : path_(std::move(path))
    , reserve_(roundUp8(std::max<std::uint64_t>(headerReserve, 8))) {
    const auto dir = path_.parent_path().empty() ? fs::path(".") : path_.parent_path();
    std::string tmpl = (dir / ("." + path_.filename().string() + ".partial-XXXXXX")).string();
    fd_ = ::mkstemp(tmpl.data());
    if (fd_ < 0)
        throw std::runtime_error(path_.string() + ": cannot create file: " + std::strerror(errno));
    tmp_ = tmpl;
    ::fchmod(fd_, 0644);
}

SafetensorsWriter::~SafetensorsWriter() {
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(tmp_.c_str());
    }
}

void SafetensorsWriter::writeAll(const void* data, std::size_t size, std::uint64_t offset,
                                 const char* what) const {
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t n = ::pwrite(fd_, p, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw std::runtime_error(path_.string() + ": cannot write " + what + ": " +
                                     std::strerror(n < 0 ? errno : ENOSPC));
        p += n;
        size -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
}

namespace {
std::invalid_argument sizeMismatch(const fs::path& path, const std::string& name,
                                   std::uint64_t given, std::uint64_t needed) {
    return std::invalid_argument(path.string() + ": tensor '" + name + "' has " +
                                 std::to_string(given) + " bytes, shape needs " +
                                 std::to_string(needed));
}
} // namespace

void SafetensorsWriter::add(const TensorView& t) {
    write(reserveChecked(t.name, t.dtype, t.shape, t.data.size()), t.data);
}

SafetensorsWriter::Slot SafetensorsWriter::reserve(const std::string& name, commit::DType dtype,
                                                   std::vector<std::int64_t> shape) {
    return reserveChecked(name, dtype, std::move(shape), std::nullopt);
}

SafetensorsWriter::Slot SafetensorsWriter::reserveChecked(const std::string& name,
                                                          commit::DType dtype,
                                                          std::vector<std::int64_t> shape,
                                                          std::optional<std::uint64_t> dataBytes) {
    if (fd_ < 0) throw std::runtime_error(path_.string() + ": already finished");
    const auto size = safetensorsBytes(dtype, shape);
    // Every check comes before anything is recorded: a refused tensor leaves no entry.
    if (dataBytes && *dataBytes != size) throw sizeMismatch(path_, name, *dataBytes, size);
    if (!names_.insert(name).second)
        throw std::invalid_argument(path_.string() + ": duplicate tensor name '" + name + "'");
    entries_.push_back({name, dtype, std::move(shape), size_, size_ + size});
    Slot slot{name, kLengthBytes + reserve_ + size_, size};
    size_ += size;
    return slot;
}

void SafetensorsWriter::write(const Slot& slot, commit::ByteSpan data) const {
    if (data.size() != slot.size) throw sizeMismatch(path_, slot.name, data.size(), slot.size);
    writeAll(data.data(), data.size(), slot.offset, "tensor data");
}

std::string SafetensorsWriter::headerOf(const std::vector<Entry>& entries,
                                        const std::map<std::string, std::string>& metadata) {
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    for (const auto& e : entries)
        header[e.name] = {{"dtype", commit::safetensorsName(e.dtype)},
                          {"shape", e.shape},
                          {"data_offsets", {e.begin, e.end}}};
    std::string text = header.dump();
    text.append(roundUp8(text.size()) - text.size(), ' ');
    return text;
}

std::string SafetensorsWriter::headerText(const std::vector<TensorView>& tensors,
                                          const std::map<std::string, std::string>& metadata) {
    std::vector<Entry> entries;
    std::uint64_t offset = 0;
    for (const auto& t : tensors) {
        const auto size = safetensorsBytes(t.dtype, t.shape);
        entries.push_back({t.name, t.dtype, t.shape, offset, offset + size});
        offset += size;
    }
    return headerOf(entries, metadata);
}

void SafetensorsWriter::copyDataInto(int fd, std::uint64_t from, std::uint64_t to) {
    std::vector<char> buf(8u << 20);
    for (std::uint64_t done = 0; done < size_;) {
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size_ - done));
        ssize_t n = ::pread(fd_, buf.data(), want, static_cast<off_t>(from + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(path_.string() + ": cannot read back tensor data");
        const char* p = buf.data();
        for (ssize_t left = n; left > 0;) {
            ssize_t w =
                ::pwrite(fd, p, static_cast<std::size_t>(left),
                         static_cast<off_t>(to + done + static_cast<std::uint64_t>(n - left)));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) throw std::runtime_error(path_.string() + ": cannot write tensor data");
            p += w;
            left -= w;
        }
        done += static_cast<std::uint64_t>(n);
    }
}

void SafetensorsWriter::finish(const std::map<std::string, std::string>& metadata) {
    if (fd_ < 0) throw std::runtime_error(path_.string() + ": already finished");
    std::string text = headerOf(entries_, metadata);
    if (text.size() > reserve_) {
        // The reservation was too small: write the header and a copy of the data to a
        // second file, which then replaces the first.
        const auto bigger = path_.parent_path() / ("." + path_.filename().string() + ".grown");
        int fd = ::open(bigger.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            throw std::runtime_error(path_.string() +
                                     ": cannot create file: " + std::strerror(errno));
        try {
            copyDataInto(fd, kLengthBytes + reserve_, kLengthBytes + text.size());
        } catch (...) {
            ::close(fd);
            ::unlink(bigger.c_str());
            throw;
        }
        ::close(fd_);
        ::unlink(tmp_.c_str());
        fd_ = fd;
        tmp_ = bigger;
        reserve_ = text.size();
    }
    text.append(reserve_ - text.size(), ' ');
    std::uint8_t length[kLengthBytes];
    for (std::size_t i = 0; i < kLengthBytes; ++i)
        length[i] = static_cast<std::uint8_t>(std::uint64_t(text.size()) >> (8 * i));
    writeAll(length, kLengthBytes, 0, "the header");
    writeAll(text.data(), text.size(), kLengthBytes, "the header");
    if (::close(fd_) != 0) {
        fd_ = -1;
        ::unlink(tmp_.c_str());
        throw std::runtime_error(path_.string() + ": write failed: " + std::strerror(errno));
    }
    fd_ = -1;
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
        auto why = std::strerror(errno);
        ::unlink(tmp_.c_str());
        throw std::runtime_error(path_.string() + ": cannot move the file in place: " + why);
    }
}

} // namespace tao::trace
