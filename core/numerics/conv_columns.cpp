#include "core/numerics/conv_columns.hpp"

#include "core/numerics/bf16_dot.hpp"
#include "core/numerics/operand_staging.hpp"

#include <ATen/Parallel.h>
#include <algorithm>

namespace tao::numerics::detail {

namespace {

struct Geometry {
    std::int64_t channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW;
};

// The im2col rows of channels [c0, c0 + count) for output rows [y0, y1): row
// ((c - c0) kh + i) kw + j holds image[c, y sh - ph + i dh, x sw - pw + j dw] for every
// output pixel of the band, 0 outside the image.
// On LibTorch's threads unless `serial` (on the staging thread, which must not use them).
template <class S, class T>
void bandColumns(const S* image, const Geometry& g, std::int64_t c0, std::int64_t count,
                 std::int64_t y0, std::int64_t y1, T* out, bool serial = false) {
    const std::int64_t taps = g.kh * g.kw, cols = (y1 - y0) * g.outW;
    const auto fill = [&](std::int64_t lo, std::int64_t hi) {
        for (auto r = lo; r < hi; ++r) {
            const auto c = c0 + r / taps, i = (r / g.kw) % g.kh, j = r % g.kw;
            const S* plane = image + c * g.height * g.width;
            // Output columns whose input column ox sw - pw + j dw lies inside the image.
            const auto shift = j * g.dw - g.pw;
            const auto xLo = std::clamp<std::int64_t>((-shift + g.sw - 1) / g.sw, 0, g.outW);
            const auto xHi =
                std::clamp<std::int64_t>((g.width - shift + g.sw - 1) / g.sw, xLo, g.outW);
            T* row = out + r * cols;
            for (auto y = y0; y < y1; ++y) {
                T* o = row + (y - y0) * g.outW;
                const auto iy = y * g.sh - g.ph + i * g.dh;
                if (iy < 0 || iy >= g.height) {
                    std::fill(o, o + g.outW, T{});
                    continue;
                }
                const S* in = plane + iy * g.width;
                std::fill(o, o + xLo, T{});
                if (g.sw == 1) {
#pragma omp simd
                    for (auto x = xLo; x < xHi; ++x)
                        o[x] = static_cast<T>(in[x + shift]);
                } else {
                    for (auto x = xLo; x < xHi; ++x)
                        o[x] = static_cast<T>(in[x * g.sw + shift]);
                }
                std::fill(o + xHi, o + g.outW, T{});
            }
        }
    };
    if (serial)
        fill(0, count * taps);
    else
        at::parallel_for(0, count * taps, 1, fill);
}

// Below this many multiply-adds a convolution's magnitude is computed on the caller: handing
// each band to the helper and back costs tens of microseconds.
constexpr std::int64_t kStagedMagnitudeMacs = std::int64_t(1) << 23;

std::int64_t outputSize(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                        std::int64_t padding, std::int64_t dilation) {
    return (in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

} // namespace

ConvReferenceAndMagnitude conv2dReferenceAndMagnitude(const at::Tensor& x32, const at::Tensor& w32,
                                                      const c10::optional<at::Tensor>& bias,
                                                      const Conv2dShape& shape,
                                                      std::int64_t columnElements) {
    const auto x = x32.contiguous(), w = w32.contiguous();
    const auto& st = shape.stride;
    const auto& pad = shape.padding;
    const auto& dil = shape.dilation;
    const Geometry g{x.size(1),
                     x.size(2),
                     x.size(3),
                     w.size(2),
                     w.size(3),
                     st[0],
                     st[1],
                     pad[0],
                     pad[1],
                     dil[0],
                     dil[1],
                     outputSize(x.size(2), w.size(2), st[0], pad[0], dil[0]),
                     outputSize(x.size(3), w.size(3), st[1], pad[1], dil[1])};
    const auto batch = x.size(0), outChannels = w.size(0), groups = shape.groups;
    const auto groupIn = w.size(1), groupOut = outChannels / groups;
    const auto k = groupIn * g.kh * g.kw, pixels = g.outH * g.outW;
    ConvReferenceAndMagnitude out{
        at::empty({batch, outChannels, g.outH, g.outW}, x.options().dtype(at::kDouble)),
        at::empty({batch, outChannels, g.outH, g.outW}, x.options())};
    if (out.s32.numel() == 0) return out;
    const auto band =
        std::clamp<std::int64_t>(columnElements / std::max<std::int64_t>(k * g.outW, 1), 1, g.outH);
    const bool native = hasNativeBf16Dot();
    // Each operand converted once, the weight to FP64 and BF16 in one pass; the columns
    // then only copy (taps times fewer conversions).
    const auto w64 = at::empty({outChannels, k}, w.options().dtype(at::kDouble));
    const auto columns64 = at::empty({k * band * g.outW}, w64.options());
    // BF16 bits in LibTorch's allocator: reused from the heap without being zeroed first.
    at::Tensor xBitsT, wBitsT, colBitsT;
    std::uint16_t *xBits = nullptr, *wBits = nullptr, *colBits = nullptr;
    const auto bits = [&](at::Tensor& t, std::int64_t n) {
        t = at::empty({n}, x.options().dtype(at::kShort));
        return reinterpret_cast<std::uint16_t*>(t.data_ptr<std::int16_t>());
    };
    at::Tensor xRounded, wRounded, colRounded;
    // The BF16 magnitude (columns and product) of each band runs on the helper thread where
    // a core is free beside LibTorch's, while the caller builds the band's FP64 columns and
    // multiplies them: they read the same input and write different outputs. Declared after
    // everything its tasks use, so that its destructor waits for a task an exception left.
    const bool onHelper = native && batch * outChannels * pixels * k >= kStagedMagnitudeMacs &&
                          stagingOnHelper(at::get_num_threads());
    Staging staging(onHelper);
    if (native) {
        xBits = bits(xBitsT, x.numel());
        wBits = bits(wBitsT, w.numel());
        colBits = bits(colBitsT, k * band * g.outW);
        staging.start(
            [&] { convertForMagnitude(x.data_ptr<float>(), x.numel(), nullptr, xBits, nullptr); });
        convertForMagnitude(w.data_ptr<float>(), w.numel(), w64.data_ptr<double>(), wBits, nullptr);
    } else {
        xRounded = at::empty_like(x);
        wRounded = at::empty({outChannels, k}, w.options());
        colRounded = at::empty({k * band * g.outW}, x.options());
        convertForMagnitude(x.data_ptr<float>(), x.numel(), nullptr, nullptr,
                            xRounded.data_ptr<float>());
        convertForMagnitude(w.data_ptr<float>(), w.numel(), w64.data_ptr<double>(), nullptr,
                            wRounded.data_ptr<float>());
    }
    const auto imageSize = g.channels * g.height * g.width;
    for (std::int64_t n = 0; n < batch; ++n)
        for (std::int64_t gr = 0; gr < groups; ++gr)
            for (std::int64_t y0 = 0; y0 < g.outH; y0 += band) {
                const auto y1 = std::min(g.outH, y0 + band), cols = (y1 - y0) * g.outW;
                const auto c0 = gr * groupIn;
                // Output rows [y0, y1) of the group's channels: row stride `pixels`.
                const auto rows = [&](const at::Tensor& t) {
                    return t.view({batch, outChannels, pixels})
                        .select(0, n)
                        .narrow(0, gr * groupOut, groupOut)
                        .narrow(1, y0 * g.outW, cols);
                };
                auto s = rows(out.s32);
                if (native)
                    staging.start([&, n, c0, y0, y1, cols, w0 = wBits + gr * groupOut * k,
                                   ps = s.data_ptr<float>(), serial = staging.onHelper()] {
                        bandColumns(xBits + n * imageSize, g, c0, groupIn, y0, y1, colBits, serial);
                        bf16DotProducts(w0, colBits, groupOut, cols, k, ps, pixels,
                                        Bf16Layout::KByN);
                    });
                const auto band64 = columns64.narrow(0, 0, k * cols).view({k, cols});
                bandColumns(x.data_ptr<float>() + n * imageSize, g, c0, groupIn, y0, y1,
                            band64.data_ptr<double>());
                auto ref = rows(out.ref);
                at::mm_out(ref, w64.narrow(0, gr * groupOut, groupOut), band64);
                if (native) {
                    staging.wait(); // colBits is filled anew for the next band
                } else {
                    const auto columns = colRounded.narrow(0, 0, k * cols).view({k, cols});
                    bandColumns(xRounded.data_ptr<float>() + n * imageSize, g, c0, groupIn, y0, y1,
                                columns.data_ptr<float>());
                    at::mm_out(s, wRounded.narrow(0, gr * groupOut, groupOut), columns);
                }
            }
    if (bias) out.ref.add_(bias->view({1, outChannels, 1, 1}));
    return out;
}

} // namespace tao::numerics::detail
