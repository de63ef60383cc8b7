#pragma once
// Writes a safetensors file tensor by tensor, so a trace goes to disk while it is
// being captured instead of being held until the end. The data section starts
// after a reserved header area; the header (padded with spaces, as the format
// allows) is written there when the file is finished. A header that outgrows the
// reservation is written in front of a copy of the data: correct, only slower.
#include "core/trace/safetensors.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tao::trace {

class SafetensorsWriter {
public:
    // Creates a temporary file beside `path`; `headerReserve` bytes are kept for the
    // header. Throws std::runtime_error naming the path when it cannot be created.
    SafetensorsWriter(std::filesystem::path path, std::uint64_t headerReserve);
    // Removes the temporary file unless finish() succeeded.
    ~SafetensorsWriter();
    SafetensorsWriter(const SafetensorsWriter&) = delete;
    SafetensorsWriter& operator=(const SafetensorsWriter&) = delete;

    // Where one tensor's data goes in the file.
    struct Slot {
        std::string name;
        std::uint64_t offset = 0, size = 0; // bytes from the start of the file
    };

    // Appends one tensor's data. Throws std::invalid_argument for a duplicate name or
    // a data size that does not match the shape, std::runtime_error when a write fails.
    void add(const TensorView& tensor);
    // add() in two steps, so that several threads can write the data of tensors whose
    // order in the file is decided first. reserve() records the tensor after those
    // reserved before it; it throws as add() does and must not run concurrently with
    // itself, add() or finish(). write() fills a slot and may run on several threads at
    // once, for different slots; it throws std::invalid_argument when `data` is not the
    // slot's size and std::runtime_error when the write fails. Every slot must be written
    // before finish(), or the file holds zeros there.
    Slot reserve(const std::string& name, commit::DType dtype, std::vector<std::int64_t> shape);
    void write(const Slot& slot, commit::ByteSpan data) const;
    // Writes the header and renames the file to its path. Throws std::runtime_error.
    void finish(const std::map<std::string, std::string>& metadata = {});

    // The header of `tensors` laid out one after the other, padded to a multiple of 8.
    static std::string headerText(const std::vector<TensorView>& tensors,
                                  const std::map<std::string, std::string>& metadata);

private:
    struct Entry {
        std::string name;
        commit::DType dtype;
        std::vector<std::int64_t> shape;
        std::uint64_t begin, end;
    };
    // reserve(), refusing the tensor too when `dataBytes` is given and not its size.
    Slot reserveChecked(const std::string& name, commit::DType dtype,
                        std::vector<std::int64_t> shape, std::optional<std::uint64_t> dataBytes);
    static std::string headerOf(const std::vector<Entry>& entries,
                                const std::map<std::string, std::string>& metadata);
    void writeAll(const void* data, std::size_t size, std::uint64_t offset, const char* what) const;
    void copyDataInto(int fd, std::uint64_t from, std::uint64_t to);

    std::filesystem::path path_, tmp_;
    std::uint64_t reserve_;
    std::uint64_t size_ = 0; // bytes of data written
    int fd_ = -1;
    std::vector<Entry> entries_;
    std::set<std::string> names_;
};

} // namespace tao::trace
