#pragma once
// Element types that can appear in a committed tensor. The numeric tag is part
// of the canonical tensor encoding, so values must never change.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tao::commit {

enum class DType : std::uint8_t {
    // An operator output that is an undefined tensor (a fused kernel's unused
    // second result): no shape, no bytes. Hash = SHA-256(0x00 || u32_le 0).
    None = 0,
    Float32 = 1,
    Float64 = 2,
    Float16 = 3,
    BFloat16 = 4,
    Int64 = 5,
    Int32 = 6,
    Int16 = 7,
    Int8 = 8,
    UInt8 = 9,
    Bool = 10,
};

// Bytes per element.
std::size_t elementSize(DType t);
// The safetensors name ("F32", "I64", "BOOL", ...); "NONE" for DType::None, which
// manifests use but safetensors files never hold.
std::string_view safetensorsName(DType t);
// Inverse of safetensorsName; nullopt for a name this program does not handle.
std::optional<DType> dtypeFromSafetensorsName(std::string_view name);

} // namespace tao::commit
