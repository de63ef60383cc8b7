#include "core/commit/dtype.hpp"

#include <array>
#include <utility>

namespace tao::commit {

namespace {
struct DTypeInfo {
    DType type;
    std::string_view name;
    std::size_t size;
};
constexpr std::array<DTypeInfo, 11> kTypes{{
    {DType::Float32, "F32", 4},
    {DType::Float64, "F64", 8},
    {DType::Float16, "F16", 2},
    {DType::BFloat16, "BF16", 2},
    {DType::Int64, "I64", 8},
    {DType::Int32, "I32", 4},
    {DType::Int16, "I16", 2},
    {DType::Int8, "I8", 1},
    {DType::UInt8, "U8", 1},
    {DType::Bool, "BOOL", 1},
    {DType::None, "NONE", 0},
}};

const DTypeInfo& info(DType t) {
    for (const auto& i : kTypes)
        if (i.type == t) return i;
    return kTypes[0];
}
} // namespace

std::size_t elementSize(DType t) {
    return info(t).size;
}
std::string_view safetensorsName(DType t) {
    return info(t).name;
}

std::optional<DType> dtypeFromSafetensorsName(std::string_view name) {
    for (const auto& i : kTypes)
        if (i.name == name) return i.type;
    return std::nullopt;
}

} // namespace tao::commit
