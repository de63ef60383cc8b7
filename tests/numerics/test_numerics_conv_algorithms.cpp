// Soundness tests of the convolution bounds for the fast algorithms an honest library may
// pick (issue 13): Winograd F(2,3), F(4,3), F(6,3), F(2,5), F(4,5) and FFT convolution,
// each emulated here in FP32 exactly as its derivation in docs/numerics.md describes
// (transform constants rounded to FP32, every step rounded). Adversarial inputs: sparse
// spikes, mixed magnitudes, cancellation, random signs and tiny values. Every emulated
// output must lie within the algorithm's bound and within the operator bound drawn with
// BoundParams::fastConvolution; the direct bound must fail for some Winograd F(4,3) and
// F(6,3) outputs, which is why the new bounds are needed.
#include "core/numerics/conv_algorithms.hpp"
#include "numerics/bound_check.hpp"

#include <ATen/Parallel.h>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

using namespace tao::numerics;
using namespace tao::test;
namespace nd = tao::numerics::detail;

namespace {

using IV = c10::IValue;

// A plain row-major FP32 matrix for the emulations.
struct Mat {
    std::int64_t rows = 0, cols = 0;
    std::vector<float> v;
    Mat(std::int64_t r, std::int64_t c)
        : rows(r)
        , cols(c)
        , v(static_cast<std::size_t>(r * c), 0.0f) {}
    float& operator()(std::int64_t i, std::int64_t j) {
        return v[static_cast<std::size_t>(i * cols + j)];
    }
    float operator()(std::int64_t i, std::int64_t j) const {
        return v[static_cast<std::size_t>(i * cols + j)];
    }
};

// The FP64 Toom-Cook matrix rounded to FP32, as a kernel stores its constants.
Mat toFloat(const at::Tensor& t) {
    auto f = t.to(at::kFloat).contiguous();
    Mat m(f.size(0), f.size(1));
    std::copy(f.data_ptr<float>(), f.data_ptr<float>() + f.numel(), m.v.begin());
    return m;
}

// a * b in FP32, each entry summed left to right.
Mat mul(const Mat& a, const Mat& b) {
    Mat c(a.rows, b.cols);
    for (std::int64_t i = 0; i < a.rows; ++i)
        for (std::int64_t j = 0; j < b.cols; ++j) {
            float s = 0.0f;
            for (std::int64_t k = 0; k < a.cols; ++k)
                s += a(i, k) * b(k, j);
            c(i, j) = s;
        }
    return c;
}

Mat transpose(const Mat& a) {
    Mat t(a.cols, a.rows);
    for (std::int64_t i = 0; i < a.rows; ++i)
        for (std::int64_t j = 0; j < a.cols; ++j)
            t(j, i) = a(i, j);
    return t;
}

std::vector<float> biasValues(const at::Tensor& b, std::int64_t o) {
    std::vector<float> v(static_cast<std::size_t>(o), 0.0f);
    if (b.defined()) std::copy(b.data_ptr<float>(), b.data_ptr<float>() + o, v.begin());
    return v;
}

// Winograd F(m x m, r x r) in FP32 on the padded input xp (N, C, H, W) with weights w
// (O, C, r, r) and bias b (O, or undefined); channel sums forwards or backwards.
at::Tensor winogradFp32(const at::Tensor& xp, const at::Tensor& w, const at::Tensor& b, int m,
                        bool reverse) {
    const auto r = w.size(2);
    const auto mats = nd::winogradMatrices(m, static_cast<int>(r));
    const Mat at = toFloat(mats.AT), g = toFloat(mats.G), bt = toFloat(mats.BT);
    const Mat a = transpose(at), gt = transpose(g), bm = transpose(bt);
    const auto alpha = m + r - 1;
    const auto n = xp.size(0), c = xp.size(1), h = xp.size(2), wd = xp.size(3), o = w.size(0);
    const auto ho = h - r + 1, wo = wd - r + 1;
    auto x = xp.contiguous();
    auto wc = w.contiguous();
    const float* xd = x.data_ptr<float>();
    const float* wdp = wc.data_ptr<float>();
    std::vector<Mat> u; // filter transforms, o-major
    for (std::int64_t oi = 0; oi < o; ++oi)
        for (std::int64_t ci = 0; ci < c; ++ci) {
            Mat gg(r, r);
            for (std::int64_t i = 0; i < r * r; ++i)
                gg.v[static_cast<std::size_t>(i)] = wdp[(oi * c + ci) * r * r + i];
            u.push_back(mul(mul(g, gg), gt));
        }
    auto y = at::zeros({n, o, ho, wo}, at::kFloat);
    auto ya = y.accessor<float, 4>();
    const auto bias = biasValues(b, o);
    std::vector<Mat> v(static_cast<std::size_t>(c), Mat(alpha, alpha));
    for (std::int64_t ni = 0; ni < n; ++ni)
        for (std::int64_t ty = 0; ty < ho; ty += m)
            for (std::int64_t tx = 0; tx < wo; tx += m) {
                for (std::int64_t ci = 0; ci < c; ++ci) {
                    Mat d(alpha, alpha);
                    for (std::int64_t i = 0; i < alpha; ++i)
                        for (std::int64_t j = 0; j < alpha; ++j)
                            if (ty + i < h && tx + j < wd)
                                d(i, j) = xd[((ni * c + ci) * h + ty + i) * wd + tx + j];
                    v[static_cast<std::size_t>(ci)] = mul(mul(bt, d), bm);
                }
                for (std::int64_t oi = 0; oi < o; ++oi) {
                    Mat prod(alpha, alpha);
                    for (std::int64_t k = 0; k < c; ++k) {
                        const auto ci = reverse ? c - 1 - k : k;
                        const Mat& uu = u[static_cast<std::size_t>(oi * c + ci)];
                        const Mat& vv = v[static_cast<std::size_t>(ci)];
                        for (std::size_t e = 0; e < prod.v.size(); ++e)
                            prod.v[e] += uu.v[e] * vv.v[e];
                    }
                    const Mat out = mul(mul(at, prod), a);
                    for (std::int64_t i = 0; i < m && ty + i < ho; ++i)
                        for (std::int64_t j = 0; j < m && tx + j < wo; ++j) {
                            float val = out(i, j);
                            if (b.defined()) val += bias[static_cast<std::size_t>(oi)];
                            ya[ni][oi][ty + i][tx + j] = val;
                        }
                }
            }
    return y;
}

// FP32 complex arithmetic written out (std::complex multiplication may call __mulsc3).
struct Cf {
    float re = 0, im = 0;
};
Cf operator+(Cf a, Cf b) {
    return {a.re + b.re, a.im + b.im};
}
Cf operator-(Cf a, Cf b) {
    return {a.re - b.re, a.im - b.im};
}
Cf operator*(Cf a, Cf b) {
    return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

// exp(-+2 pi i k / n), k < n / 2, computed in FP64 and rounded to FP32 (error <= u).
const std::vector<Cf>& twiddles(std::int64_t n, bool inverse) {
    static std::map<std::pair<std::int64_t, bool>, std::vector<Cf>> cache;
    auto& t = cache[{n, inverse}];
    if (t.empty())
        for (std::int64_t k = 0; k < n / 2; ++k) {
            const double ang =
                (inverse ? 2 : -2) * M_PI * static_cast<double>(k) / static_cast<double>(n);
            t.push_back({static_cast<float>(std::cos(ang)), static_cast<float>(std::sin(ang))});
        }
    return t;
}

// In-place radix-2 decimation-in-time FFT of length n (a power of two) over elements
// spaced `stride` apart, with precomputed twiddles.
void fft1(Cf* data, std::int64_t n, std::int64_t stride, bool inverse) {
    const auto& tws = twiddles(n, inverse);
    for (std::int64_t i = 1, j = 0; i < n; ++i) {
        std::int64_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) std::swap(data[i * stride], data[j * stride]);
    }
    for (std::int64_t len = 2; len <= n; len <<= 1)
        for (std::int64_t i = 0; i < n; i += len)
            for (std::int64_t k = 0; k < len / 2; ++k) {
                const Cf tw = tws[static_cast<std::size_t>(k * (n / len))];
                const Cf a = data[(i + k) * stride];
                const Cf bb = data[(i + k + len / 2) * stride] * tw;
                data[(i + k) * stride] = a + bb;
                data[(i + k + len / 2) * stride] = a - bb;
            }
}

void fft2(std::vector<Cf>& a, std::int64_t n, bool inverse) {
    for (std::int64_t row = 0; row < n; ++row)
        fft1(a.data() + row * n, n, 1, inverse);
    for (std::int64_t col = 0; col < n; ++col)
        fft1(a.data() + col, n, n, inverse);
}

// FFT convolution in FP32: y = IFFT(sum_c FFT(x_c) .* conj(FFT(w_c))) / n^2, n the
// smallest power of two holding the padded input (circular correlation does not wrap
// into the valid outputs then).
at::Tensor fftFp32(const at::Tensor& xp, const at::Tensor& w, const at::Tensor& b, bool reverse) {
    const auto r = w.size(2);
    const auto nb = xp.size(0), c = xp.size(1), h = xp.size(2), wd = xp.size(3), o = w.size(0);
    std::int64_t n = 1;
    while (n < std::max(h, wd))
        n <<= 1;
    const auto ho = h - r + 1, wo = wd - r + 1;
    const auto sz = static_cast<std::size_t>(n * n);
    auto x = xp.contiguous();
    auto wc = w.contiguous();
    auto xa = x.accessor<float, 4>();
    auto wa = wc.accessor<float, 4>();
    std::vector<std::vector<Cf>> wf;
    for (std::int64_t oi = 0; oi < o; ++oi)
        for (std::int64_t ci = 0; ci < c; ++ci) {
            std::vector<Cf> t(sz);
            for (std::int64_t i = 0; i < r; ++i)
                for (std::int64_t j = 0; j < r; ++j)
                    t[static_cast<std::size_t>(i * n + j)].re = wa[oi][ci][i][j];
            fft2(t, n, false);
            for (auto& e : t)
                e.im = -e.im; // conj: correlation
            wf.push_back(std::move(t));
        }
    auto y = at::zeros({nb, o, ho, wo}, at::kFloat);
    auto ya = y.accessor<float, 4>();
    const float scale = 1.0f / static_cast<float>(n * n); // exact: a power of two
    const auto bias = biasValues(b, o);
    std::vector<std::vector<Cf>> xf(static_cast<std::size_t>(c));
    for (std::int64_t ni = 0; ni < nb; ++ni) {
        for (std::int64_t ci = 0; ci < c; ++ci) {
            auto& t = xf[static_cast<std::size_t>(ci)];
            t.assign(sz, Cf{});
            for (std::int64_t i = 0; i < h; ++i)
                for (std::int64_t j = 0; j < wd; ++j)
                    t[static_cast<std::size_t>(i * n + j)].re = xa[ni][ci][i][j];
            fft2(t, n, false);
        }
        for (std::int64_t oi = 0; oi < o; ++oi) {
            std::vector<Cf> p(sz);
            for (std::int64_t k = 0; k < c; ++k) {
                const auto ci = reverse ? c - 1 - k : k;
                const auto& xv = xf[static_cast<std::size_t>(ci)];
                const auto& wv = wf[static_cast<std::size_t>(oi * c + ci)];
                for (std::size_t e = 0; e < sz; ++e)
                    p[e] = p[e] + xv[e] * wv[e];
            }
            fft2(p, n, true);
            for (std::int64_t i = 0; i < ho; ++i)
                for (std::int64_t j = 0; j < wo; ++j) {
                    float val = p[static_cast<std::size_t>(i * n + j)].re * scale;
                    if (b.defined()) val += bias[static_cast<std::size_t>(oi)];
                    ya[ni][oi][i][j] = val;
                }
        }
    }
    return y;
}

// One adversarial batch: every sample gets its own input of the regime.
at::Tensor adversarialInput(int regime, std::int64_t n, std::int64_t c, std::int64_t h) {
    switch (regime % 5) {
    case 0: { // sparse spikes of 1e2..1e4 on a faint background (zero for half the batch)
        auto x = f32({n, c, h, h}) * 1e-4f;
        x.narrow(0, 0, n / 2).zero_();
        auto spikes = (at::rand({n, c, h, h}) < 0.04).to(at::kFloat);
        return x + spikes * wide({n, c, h, h}, 2, 4);
    }
    case 1: // magnitudes spread over 1e-3..1e3
        return wide({n, c, h, h}, -3, 3);
    case 2: // near-constant positive input: zero-sum kernels cancel it (weights below)
        return 1.0f + 1e-3f * f32({n, c, h, h});
    case 3: // random signs, uniform magnitudes
        return at::rand({n, c, h, h}) * 2.0f - 1.0f;
    default: // tiny values: transformed products round in the subnormal range
        return wide({n, c, h, h}, -38, -30);
    }
}

at::Tensor adversarialWeight(int regime, std::int64_t o, std::int64_t c, std::int64_t r) {
    auto w = f32({o, c, r, r});
    if (regime % 5 == 2) { // zero-sum kernels (up to FP32 rounding of the mean)
        w = w - w.mean({2, 3}, true);
    } else if (regime % 5 == 1) {
        w = w * wide({o, c, 1, 1}, -1, 1);
    }
    return w;
}

struct Looseness {
    std::int64_t samples = 0, directViolations = 0;
    std::vector<at::Tensor> ratios;
};

// bound / |y - r| over elements with a nonzero error.
void addRatios(Looseness& l, const at::Tensor& y, const at::Tensor& ref, const at::Tensor& bound) {
    auto err = (y.to(at::kDouble) - ref).abs();
    auto sel = (err > 0) & at::isfinite(bound);
    if (sel.any().item<bool>())
        l.ratios.push_back(bound.masked_select(sel) / err.masked_select(sel));
}

void printLooseness(const std::string& label, const Looseness& l) {
    auto all = l.ratios.empty() ? at::zeros({1}, at::kDouble) : at::cat(l.ratios);
    qInfo("%s: %lld cases, bound/error median %.3g, min %.3g, max %.3g over %lld elements "
          "with nonzero error; %lld elements beyond the direct bound",
          label.c_str(), static_cast<long long>(l.samples), all.median().item<double>(),
          all.min().item<double>(), all.max().item<double>(), static_cast<long long>(all.numel()),
          static_cast<long long>(l.directViolations));
}

constexpr std::int64_t kBatch = 125;
constexpr std::int64_t kMinCases = 10000;

} // namespace

class TestNumericsConvAlgorithms : public QObject {
    Q_OBJECT

    // One algorithm: batches of adversarial samples over the five regimes, channel
    // counts, sizes, paddings and bias, until kMinCases samples; every emulated output is
    // checked against the algorithm's own bound and against the aten::conv2d bound with
    // fastConvolution, and compared with the direct bound.
    Looseness runAlgorithm(
        const std::string& label, std::int64_t r,
        const std::function<at::Tensor(const at::Tensor&, const at::Tensor&, const at::Tensor&,
                                       bool)>& emulate,
        const std::function<at::Tensor(const nd::Ctx&, const at::Tensor&, const at::Tensor&,
                                       const c10::optional<at::Tensor>&, const at::Tensor&)>&
            ownBound) {
        Looseness l;
        BoundParams fast;
        fast.fastConvolution = true;
        const nd::Ctx ctx(fast);
        const std::int64_t channels[] = {1, 3, 8};
        for (int batch = 0; l.samples < kMinCases; ++batch) {
            const int regime = batch % 5;
            const auto c = channels[(batch / 5) % 3];
            const std::int64_t o = 1 + (batch / 15) % 3;
            const std::int64_t h = r + 2 + (batch * 7) % 9;
            const std::int64_t pad = (batch / 3) % 3 == 0 ? 0 : (r - 1) / 2;
            const bool withBias = batch % 2 == 1;
            const bool reverse = (batch / 2) % 2 == 1;
            auto x = adversarialInput(regime, kBatch, c, h);
            auto w = adversarialWeight(regime, o, c, r);
            auto b = withBias ? f32({o}) : at::Tensor();
            auto xp = at::constant_pad_nd(x, {pad, pad, pad, pad});
            auto y = emulate(xp, w, b, reverse);
            std::vector<IV> args{IV(x),
                                 IV(w),
                                 withBias ? IV(b) : IV(),
                                 IV(std::vector<std::int64_t>{1, 1}),
                                 IV(std::vector<std::int64_t>{pad, pad}),
                                 IV(std::vector<std::int64_t>{1, 1}),
                                 IV(std::int64_t{1})};
            auto op = referenceAndBound("aten::conv2d", args, fast);
            auto direct = referenceAndBound("aten::conv2d", args);
            if (op.status != BoundStatus::Bounded || direct.status != BoundStatus::Bounded) {
                QTest::qFail(("conv2d bound: " + op.reason + direct.reason).c_str(), __FILE__,
                             __LINE__);
                return l;
            }
            const auto& ref = op.reference[0];
            c10::optional<at::Tensor> b64;
            if (withBias) b64 = b.to(at::kDouble);
            OpBound own;
            own.status = BoundStatus::Bounded;
            own.reference = {ref};
            own.bound = {nd::finalizeBound(
                ref, ownBound(ctx, xp.to(at::kDouble), w.to(at::kDouble), b64, ref))};
            check(label, own, y, 0, ("regime " + std::to_string(regime)).c_str());
            check(label + " (conv2d, fastConvolution)", op, y, 0,
                  ("regime " + std::to_string(regime)).c_str());
            countElements(label, y.numel());
            countElements(label + " (conv2d, fastConvolution)", y.numel());
            l.directViolations += withinBound(y, direct.reference[0], direct.bound[0])
                                      .logical_not()
                                      .sum()
                                      .item<std::int64_t>();
            addRatios(l, y, ref, own.bound[0]);
            l.samples += kBatch;
        }
        report(label, kMinCases);
        report(label + " (conv2d, fastConvolution)", kMinCases);
        printLooseness(label, l);
        return l;
    }

private slots:
    void initTestCase() {
        at::manual_seed(20261201);
        at::set_num_threads(1);
    }

    // The generated Toom-Cook matrices compute the correlation exactly (in FP64), and the
    // input transforms are dyadic: BT is exact in FP32, only G carries rounded constants.
    void toomCookMatricesAreExact() {
        for (auto [m, r] : {std::pair{2, 3}, {4, 3}, {6, 3}, {2, 5}, {4, 5}}) {
            const auto mats = nd::winogradMatrices(m, r);
            const auto alpha = m + r - 1;
            QVERIFY(mats.AT.size(0) == m && mats.AT.size(1) == alpha);
            QVERIFY(mats.G.size(0) == alpha && mats.G.size(1) == r);
            QVERIFY(mats.BT.size(0) == alpha && mats.BT.size(1) == alpha);
            QVERIFY(at::equal(mats.BT, mats.BT.to(at::kFloat).to(at::kDouble)));
            auto d = at::randn({alpha}, at::kDouble), g = at::randn({r}, at::kDouble);
            auto y = at::matmul(mats.AT, at::matmul(mats.G, g) * at::matmul(mats.BT, d));
            auto direct = at::conv1d(d.reshape({1, 1, alpha}), g.reshape({1, 1, r})).reshape({m});
            QVERIFY2(at::allclose(y, direct, 1e-12, 1e-12),
                     ("F(" + std::to_string(m) + "," + std::to_string(r) + ")").c_str());
        }
        // F(2,3) from the points 0, 1, -1, infinity is Lavin and Gray's, up to row signs.
        const auto f23 = nd::winogradMatrices(2, 3);
        auto lavinBT =
            at::tensor({1., 0., -1., 0., 0., 1., 1., 0., 0., -1., 1., 0., 0., 1., 0., -1.},
                       at::kDouble)
                .reshape({4, 4});
        QVERIFY(at::equal(f23.BT.abs(), lavinBT.abs()));
    }

    void winogradF23() {
        runAlgorithm(
            "winograd F(2,3)", 3,
            [](auto& xp, auto& w, auto& b, bool rev) { return winogradFp32(xp, w, b, 2, rev); },
            [](auto& c, auto& x, auto& w, auto& b, auto&) {
                return nd::winogradConvBound(c, x, w, b, 1, 2);
            });
    }

    void winogradF43() {
        auto l = runAlgorithm(
            "winograd F(4,3)", 3,
            [](auto& xp, auto& w, auto& b, bool rev) { return winogradFp32(xp, w, b, 4, rev); },
            [](auto& c, auto& x, auto& w, auto& b, auto&) {
                return nd::winogradConvBound(c, x, w, b, 1, 4);
            });
        QVERIFY2(l.directViolations > 0, "F(4,3) never left the direct bound: the test is weak");
    }

    void winogradF63() {
        auto l = runAlgorithm(
            "winograd F(6,3)", 3,
            [](auto& xp, auto& w, auto& b, bool rev) { return winogradFp32(xp, w, b, 6, rev); },
            [](auto& c, auto& x, auto& w, auto& b, auto&) {
                return nd::winogradConvBound(c, x, w, b, 1, 6);
            });
        QVERIFY2(l.directViolations > 0, "F(6,3) never left the direct bound: the test is weak");
    }

    void winogradF25() {
        runAlgorithm(
            "winograd F(2,5)", 5,
            [](auto& xp, auto& w, auto& b, bool rev) { return winogradFp32(xp, w, b, 2, rev); },
            [](auto& c, auto& x, auto& w, auto& b, auto&) {
                return nd::winogradConvBound(c, x, w, b, 1, 2);
            });
    }

    void winogradF45() {
        runAlgorithm(
            "winograd F(4,5)", 5,
            [](auto& xp, auto& w, auto& b, bool rev) { return winogradFp32(xp, w, b, 4, rev); },
            [](auto& c, auto& x, auto& w, auto& b, auto&) {
                return nd::winogradConvBound(c, x, w, b, 1, 4);
            });
    }

    void fft() {
        for (std::int64_t r : {3, 5, 1}) {
            runAlgorithm(
                "fft " + std::to_string(r) + "x" + std::to_string(r), r,
                [](auto& xp, auto& w, auto& b, bool rev) { return fftFp32(xp, w, b, rev); },
                [](auto& c, auto& x, auto& w, auto& b, auto& ref) {
                    return nd::fftConvBound(c, x, w, b, {1, 1}, 1, ref);
                });
        }
    }

    // The trace rule's other half: without fastConvolution the conv2d bound is the direct
    // one, and strided layers keep it with fastConvolution too (no library runs Winograd or
    // FFT there). A stride-1 transposed convolution gets the fast bound of its equivalent
    // correlation, which holds for Winograd F(4,3) run on that correlation.
    void ruleAndTransposed() {
        BoundParams fast;
        fast.fastConvolution = true;
        auto x = adversarialInput(0, 4, 3, 12);
        auto w = f32({2, 3, 3, 3});
        const auto conv = [&](std::int64_t stride, const BoundParams& p) {
            std::vector<IV> args{IV(x),
                                 IV(w),
                                 IV(),
                                 IV(std::vector<std::int64_t>{stride, stride}),
                                 IV(std::vector<std::int64_t>{1, 1}),
                                 IV(std::vector<std::int64_t>{1, 1}),
                                 IV(std::int64_t{1})};
            return referenceAndBound("aten::conv2d", args, p);
        };
        QVERIFY(at::equal(conv(2, fast).bound[0], conv(2, {}).bound[0]));
        QVERIFY((conv(1, fast).bound[0] >= conv(1, {}).bound[0]).all().item<bool>());
        QVERIFY((conv(1, fast).bound[0] > conv(1, {}).bound[0]).any().item<bool>());
        // conv_transpose2d(x, wt, padding 1) == conv2d(x, flip(wt) with channels swapped,
        // padding 3 - 1 - 1).
        auto wt = f32({3, 2, 3, 3}); // (in, out, k, k)
        std::vector<IV> targs{IV(x),
                              IV(wt),
                              IV(),
                              IV(std::vector<std::int64_t>{1, 1}),
                              IV(std::vector<std::int64_t>{1, 1}),
                              IV(std::vector<std::int64_t>{0, 0}),
                              IV(std::int64_t{1}),
                              IV(std::vector<std::int64_t>{1, 1})};
        auto ob = referenceAndBound("aten::conv_transpose2d", targs, fast);
        QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
        auto weq = wt.transpose(0, 1).flip({2, 3}).contiguous();
        auto xp = at::constant_pad_nd(x, {1, 1, 1, 1});
        auto y = winogradFp32(xp, weq, at::Tensor(), 4, false);
        check("conv_transpose2d (fastConvolution) by winograd F(4,3)", ob, y);
        countElements("conv_transpose2d (fastConvolution) by winograd F(4,3)", y.numel());
        report("conv_transpose2d (fastConvolution) by winograd F(4,3)", y.numel());
    }
};

QTEST_GUILESS_MAIN(TestNumericsConvAlgorithms)
#include "test_numerics_conv_algorithms.moc"
