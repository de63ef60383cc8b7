#pragma once
// Alters one stored tensor of a trace bundle after its commitment, as a corrupted disk or a
// provider serving other bytes would: one bit of the first byte of an operator's output
// flips, so its hash no longer matches the manifest.
#include "core/trace/safetensors.hpp"
#include "core/trace/trace_bundle.hpp"

#include <filesystem>
#include <fstream>

namespace tao::test {

inline void alterOpOutput(const std::filesystem::path& bundle, std::uint32_t op) {
    const auto file = bundle / "tensors.safetensors";
    std::uint64_t at = 0;
    {
        trace::SafetensorsFile tensors(file);
        const auto& entry = tensors.header().entries.at(trace::opTensorName(op, 0));
        std::ifstream in(file, std::ios::binary);
        std::uint64_t headerBytes = 0; // safetensors: u64 header length, header, data
        in.read(reinterpret_cast<char*>(&headerBytes), 8);
        at = 8 + headerBytes + entry.begin;
    }
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(std::streamoff(at));
    const char byte = char(f.get());
    f.seekp(std::streamoff(at));
    f.put(char(byte ^ 0x40));
}

} // namespace tao::test
