// libFuzzer target for the parsers that read untrusted trace data: the bundle
// manifest and the safetensors header. The first byte picks the parser. Any
// input must give either a value or a std::exception, never a crash or a hang.
#include "core/trace/manifest.hpp"
#include "core/trace/safetensors.hpp"

#include <cstdint>
#include <exception>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        if (data[0] & 1) {
            auto m = tao::trace::Manifest::fromJson(text);
            if (!m.ops.empty()) (void)m.merkleTree().root();
        } else {
            (void)tao::trace::parseSafetensorsHeader(text, data[0] * 977u);
        }
    } catch (const std::exception&) {
    }
    return 0;
}
