// Soundness tests of the per-operator error bounds: every FP32 output that a correct
// implementation may produce (LibTorch under 1 and 2 threads with oneDNN on and off, and
// emulated summation orders, FMA, split-K and TF32 inputs) must lie within the bound of the
// FP64 reference. Each kind prints how loose its bound is.
#include "core/numerics/bf16_dot.hpp"
#include "core/numerics/dot_bound.hpp"
#include "core/numerics/exact_checks.hpp"
#include "core/numerics/op_bound.hpp"
#include "core/numerics/operand_staging.hpp"
#include "core/numerics/value_error.hpp"
#include "core/numerics/vector_math.hpp"
#include "numerics/bound_check.hpp"
#include "numerics/emulate.hpp"

#include <ATen/Parallel.h>
#include <QScopeGuard>
#include <QTest>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <thread>

using namespace tao::numerics;
using tao::test::Order;

using namespace tao::test;

namespace {
using IV = c10::IValue;
constexpr double kU = 0x1p-24;

// The bound of a whole input equals, element for element, the bounds of its two halves
// along the first dimension (each too small to be split itself); firstOnly halves only the
// first argument.
void checkPieces(const char* kind, const std::vector<IV>& in, bool firstOnly) {
    const auto n = in[0].toTensor().size(0);
    const auto whole = referenceAndBound(kind, in);
    QVERIFY2(whole.status == BoundStatus::Bounded, (kind + (": " + whole.reason)).c_str());
    std::vector<at::Tensor> refs, bounds;
    std::int64_t infinite = 0;
    for (std::int64_t lo : {std::int64_t(0), n / 2}) {
        auto half = in;
        for (std::size_t i = 0; i < half.size(); ++i)
            if (half[i].isTensor() && (i == 0 || !firstOnly))
                half[i] = half[i].toTensor().narrow(0, lo, lo == 0 ? n / 2 : n - n / 2);
        const auto part = referenceAndBound(kind, half);
        QVERIFY2(part.status == BoundStatus::Bounded, kind);
        refs.push_back(part.reference[0]);
        bounds.push_back(part.bound[0]);
        infinite += at::isinf(part.bound[0]).sum().item<std::int64_t>();
    }
    const auto ref = at::cat(refs), bound = at::cat(bounds);
    const auto same = [](const at::Tensor& a, const at::Tensor& b) {
        return ((a == b) | (at::isnan(a) & at::isnan(b))).all().item<bool>();
    };
    QVERIFY2(same(whole.reference[0], ref.view_as(whole.reference[0])), kind);
    QVERIFY2(same(whole.bound[0], bound.view_as(whole.bound[0])), kind);
    QCOMPARE(whole.reason.empty(), infinite == 0);
    if (infinite > 0)
        QVERIFY2(whole.reason.rfind(std::to_string(infinite) + " of " +
                                        std::to_string(whole.bound[0].numel()),
                                    0) == 0,
                 whole.reason.c_str());
}

} // namespace

class TestNumerics : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { at::manual_seed(20240601); }

    void linearFamily() {
        for (int variant = 0; variant < 4; ++variant) {
            for (std::int64_t k : {1, 33, 300}) {
                const std::int64_t m = 24, n = 40;
                auto x = matrixVariant(variant, m, k, true);
                auto w = matrixVariant(variant + 1, n, k, false);
                if (variant == 3) { // exact cancellation: second half negates the first
                    auto h = k / 2;
                    if (h > 0) w.narrow(1, k - h, h).copy_(-w.narrow(1, 0, h));
                    if (h > 0) x.narrow(1, k - h, h).copy_(x.narrow(1, 0, h));
                }
                auto bias = f32({n});
                auto ob = referenceAndBound("aten::linear", {IV(x), IV(w), IV(bias)});
                countElements("aten::linear", m * n);
                forConfigs([&](const std::string& cfg) {
                    check("aten::linear", ob, at::linear(x, w, bias), 0, cfg.c_str());
                });
                for (auto o : tao::test::kAllOrders) {
                    auto acc = tao::test::emulatedMatmul(x, w.t().contiguous(), o, rng());
                    check("aten::linear", ob, acc + bias, 0, tao::test::orderName(o));
                }
                // addmm / mm / matmul on the same data.
                auto wt = w.t().contiguous();
                const double alpha = variant == 1 ? 0.5 : 1.0, beta = variant == 2 ? 0.3 : 1.0;
                auto c = f32({m, n});
                auto oa =
                    referenceAndBound("aten::addmm", {IV(c), IV(x), IV(wt), IV(beta), IV(alpha)});
                auto om = referenceAndBound("aten::mm", {IV(x), IV(wt)});
                auto omm = referenceAndBound("aten::matmul", {IV(x), IV(wt)});
                countElements("aten::addmm", m * n);
                countElements("aten::mm", m * n);
                countElements("aten::matmul", m * n);
                forConfigs([&](const std::string& cfg) {
                    check("aten::addmm", oa, at::addmm(c, x, wt, beta, alpha), 0, cfg.c_str());
                    check("aten::mm", om, at::mm(x, wt), 0, cfg.c_str());
                    check("aten::matmul", omm, at::matmul(x, wt), 0, cfg.c_str());
                });
                for (auto o : tao::test::kAllOrders) {
                    auto p = tao::test::emulatedMatmul(x, wt, o, rng());
                    check("aten::mm", om, p, 0, tao::test::orderName(o));
                    check("aten::matmul", omm, p, 0, tao::test::orderName(o));
                    auto sc = (c * static_cast<float>(beta)) + p * static_cast<float>(alpha);
                    check("aten::addmm", oa, sc, 0, tao::test::orderName(o));
                }
            }
        }
        report("aten::linear");
        report("aten::addmm");
        report("aten::mm");
        report("aten::matmul");
    }

    void batchedMatmul() {
        for (int variant = 0; variant < 4; ++variant) {
            const std::int64_t bsz = 4, m = 20, k = 64, n = 32;
            auto a = at::stack({matrixVariant(variant, m, k, true), f32({m, k}),
                                matrixVariant(variant, m, k, true), f32({m, k}) * 1e3f});
            auto b = at::stack({matrixVariant(variant + 1, k, n, false), f32({k, n}), f32({k, n}),
                                matrixVariant(variant, k, n, false)});
            auto c = f32({bsz, m, n});
            auto ob = referenceAndBound("aten::bmm", {IV(a), IV(b)});
            auto obb = referenceAndBound("aten::baddbmm", {IV(c), IV(a), IV(b), IV(0.5), IV(2.0)});
            auto obm = referenceAndBound("aten::matmul", {IV(a), IV(b)});
            countElements("aten::bmm", bsz * m * n);
            countElements("aten::baddbmm", bsz * m * n);
            forConfigs([&](const std::string& cfg) {
                check("aten::bmm", ob, at::bmm(a, b), 0, cfg.c_str());
                check("aten::bmm", obm, at::matmul(a, b), 0, cfg.c_str());
                check("aten::baddbmm", obb, at::baddbmm(c, a, b, 0.5, 2.0), 0, cfg.c_str());
            });
            for (auto o : tao::test::kAllOrders) {
                std::vector<at::Tensor> ps;
                for (int i = 0; i < bsz; ++i)
                    ps.push_back(tao::test::emulatedMatmul(a[i], b[i], o, rng()));
                auto p = at::stack(ps);
                check("aten::bmm", ob, p, 0, tao::test::orderName(o));
                check("aten::baddbmm", obb, c * 0.5f + p * 2.0f, 0, tao::test::orderName(o));
            }
        }
        report("aten::bmm");
        report("aten::baddbmm");
    }

    // oneDNN told to compute FP32 convolutions in BF16 or TF32 (its environment) would
    // round |x| and |w|, possibly down: the direct magnitude then comes from the FP64
    // convolution, which is at most the FP32 one rounded up, and differs from it. The
    // column magnitude's operands are BF16 already, so it does not change.
    void convolutionMagnitudeLeavesOneDnnUnderReducedMath() {
        if (!at::hasMKLDNN()) QSKIP("this LibTorch has no oneDNN: the FP64 path is the only one");
        auto x = f32({2, 4, 9, 9}), wt = f32({6, 4, 3, 3}), bias = f32({6});
        std::vector<std::int64_t> s1{1, 1}, p1{1, 1}, d1{1, 1};
        const std::vector<IV> in{IV(x), IV(wt), IV(bias), IV(s1), IV(p1), IV(d1), IV(1)};
        BoundParams direct;
        direct.convolutionColumns = false;
        const auto strict = referenceAndBound("aten::conv2d", in, direct);
        const auto columns = referenceAndBound("aten::conv2d", in);
        for (const char* name : {"ONEDNN_DEFAULT_FPMATH_MODE", "DNNL_DEFAULT_FPMATH_MODE"}) {
            ::setenv(name, "bf16", 1);
            const auto reduced = referenceAndBound("aten::conv2d", in, direct);
            const auto columnsReduced = referenceAndBound("aten::conv2d", in);
            ::setenv(name, "STRICT", 1);
            const auto again = referenceAndBound("aten::conv2d", in, direct);
            ::unsetenv(name);
            QVERIFY2(at::equal(columnsReduced.bound[0], columns.bound[0]), name);
            QVERIFY(at::equal(again.bound[0], strict.bound[0]));
            QVERIFY2(!at::equal(reduced.bound[0], strict.bound[0]), name);
            QVERIFY(at::all(reduced.bound[0] <= strict.bound[0] * (1 + 1e-12)).item<bool>());
            check("aten::conv2d", reduced, at::conv2d(x, wt, bias, s1, p1, d1, 1), 0, name);
        }
    }

    void convolution() {
        for (int variant = 0; variant < 4; ++variant) {
            const std::int64_t nb = 3, cin = 8, cout = 12, h = 14, w = 14;
            auto scale = variant == 1 ? wide({1, cin, 1, 1}, -12, 12) : at::ones({1}, at::kFloat);
            auto x =
                (variant == 2 ? wide({nb, cin, h, w}, -44, -36) : f32({nb, cin, h, w})) * scale;
            if (variant == 3) x = x + 2.0f;
            auto wt = f32({cout, cin, 3, 3});
            auto bias = f32({cout});
            std::vector<std::int64_t> s1{1, 1}, p1{1, 1}, d1{1, 1}, op{0, 0};
            auto o2 = referenceAndBound("aten::conv2d",
                                        {IV(x), IV(wt), IV(bias), IV(s1), IV(p1), IV(d1), IV(1)});
            auto o3 = referenceAndBound("aten::_convolution",
                                        {IV(x), IV(wt), IV(bias), IV(s1), IV(p1), IV(d1), IV(false),
                                         IV(op), IV(1), IV(false), IV(false), IV(true), IV(true)});
            countElements("aten::conv2d", nb * cout * h * w);
            countElements("aten::_convolution", nb * cout * h * w);
            forConfigs([&](const std::string& cfg) {
                auto y = at::conv2d(x, wt, bias, s1, p1, d1, 1);
                check("aten::conv2d", o2, y, 0, cfg.c_str());
                check("aten::_convolution", o3, y, 0, cfg.c_str());
            });
            // im2col + emulated GEMM orders.
            auto cols = at::im2col(x, {3, 3}, d1, p1, s1); // (nb, cin*9, h*w)
            auto wm = wt.reshape({cout, cin * 9});
            for (auto o : tao::test::kAllOrders) {
                std::vector<at::Tensor> ys;
                for (int i = 0; i < nb; ++i)
                    ys.push_back(tao::test::emulatedMatmul(wm, cols[i], o, rng()) +
                                 bias.unsqueeze(1));
                auto y = at::stack(ys).reshape({nb, cout, h, w});
                check("aten::conv2d", o2, y, 0, tao::test::orderName(o));
                check("aten::_convolution", o3, y, 0, tao::test::orderName(o));
            }
            // Depthwise (groups = channels) and conv1d, under library configurations.
            auto wd = f32({cin, 1, 5, 5});
            std::vector<std::int64_t> p2{2, 2};
            auto od = referenceAndBound("aten::conv2d",
                                        {IV(x), IV(wd), IV(), IV(s1), IV(p2), IV(d1), IV(cin)});
            auto x1 = x.reshape({nb, cin, h * w});
            auto w1 = f32({cout, cin, 7});
            std::vector<std::int64_t> s, p, d{1};
            s = {2}, p = {3};
            auto o1 = referenceAndBound("aten::conv1d",
                                        {IV(x1), IV(w1), IV(bias), IV(s), IV(p), IV(d), IV(1)});
            auto osame = referenceAndBound(
                "aten::conv2d", {IV(x), IV(wt), IV(bias), IV(s1), IV("same"), IV(d1), IV(1)});
            check("aten::conv2d", osame, at::conv2d(x, wt, bias, s1, p1, d1, 1), 0, "padding=same");
            countElements("aten::conv2d", nb * cin * h * w);
            countElements("aten::conv1d", nb * cout * ((h * w + 6 - 7) / 2 + 1));
            forConfigs([&](const std::string& cfg) {
                check("aten::conv2d", od, at::conv2d(x, wd, {}, s1, p2, d1, cin), 0, cfg.c_str());
                check("aten::conv1d", o1, at::conv1d(x1, w1, bias, s, p, d, 1), 0, cfg.c_str());
            });
        }
        report("aten::conv2d");
        report("aten::_convolution");
        report("aten::conv1d");
    }

    void tf32MustPassTf32BoundAndFailFp32() {
        // Appendix B4: TF32-rounded inputs pass the TF32 bound and, for large K, fail FP32's.
        const std::int64_t m = 16, k = 4096, n = 16;
        auto a = f32({m, k}) + 1.0f, b = f32({k, n}) + 1.0f;
        BoundParams tf;
        tf.tf32 = true;
        auto obT = referenceAndBound("aten::mm", {IV(a), IV(b)}, tf);
        auto obF = referenceAndBound("aten::mm", {IV(a), IV(b)});
        std::int64_t fp32Violations = 0;
        for (bool trunc : {false, true})
            for (auto o : {Order::Sequential, Order::Blocked, Order::Pairwise}) {
                auto y = tao::test::emulatedMatmul(tao::test::roundTf32(a, trunc),
                                                   tao::test::roundTf32(b, trunc), o, rng());
                countElements("aten::mm (tf32)", m * n);
                check("aten::mm (tf32)", obT, y, 0, tao::test::orderName(o));
                fp32Violations += withinBound(y, obF.reference[0], obF.bound[0])
                                      .logical_not()
                                      .sum()
                                      .item<std::int64_t>();
            }
        report("aten::mm (tf32)", 1000);
        QVERIFY(fp32Violations > 0);
    }

    // Dot-product bounds take the magnitude |x||w| from an FP32 product rounded up
    // (linear_bounds.cpp). These cases are built to make the FP32 sum fall short of the
    // exact one: small terms absorbed by a large one summed first, a long sum, products that
    // underflow, and subnormal inputs under flush-to-zero left on by the caller (read as zero,
    // they would drop every product). Every bound must still be at least gamma_k(u) times the
    // exact magnitude (the FP64 one, raised by its own gamma_k).
    void dotMagnitudeNeverFallsShort() {
        struct Case {
            const char* name;
            at::Tensor x, w; // [m, k] and [n, k]
            bool flushing;
        };
        const std::int64_t k = 4096;
        auto absorbed = at::full({4, k}, 0x1p-25f);
        absorbed.select(1, 0).fill_(1.0f);
        const std::vector<Case> cases = {
            {"absorbed", absorbed, at::ones({8, k}), false},
            {"long", at::rand({2, 1 << 16}), at::rand({3, 1 << 16}), false},
            {"underflowing products", at::full({2, k}, 5e-30f), at::full({3, k}, 1e-16f), false},
            {"subnormal inputs under FTZ/DAZ", at::full({2, k}, 1e-39f), at::full({3, k}, 1e30f),
             true},
            // BF16 rounding (linear's magnitude) takes 2^-8 off each operand.
            {"rounded down to BF16", at::full({2, k}, 1.0f + 0x1p-8f - 0x1p-20f),
             at::full({3, k}, -(1.0f + 0x1p-8f - 0x1p-20f)), false},
            {"subnormal inputs", at::full({2, k}, 1e-40f), at::full({3, k}, 1e30f), false},
        };
        for (const auto& c : cases) {
            const auto kk = static_cast<double>(c.x.size(1));
            const double g64 = kk * 0x1p-53 / (1 - kk * 0x1p-53);
            const auto exact =
                at::linear(c.x.abs().to(at::kDouble), c.w.abs().to(at::kDouble)) * (1 + g64);
            const auto need = exact * (kk * kU / (1 - kk * kU));
            const auto wt = c.w.t().contiguous();
            const std::vector<std::pair<const char*, std::vector<IV>>> kinds = {
                {"aten::linear", {IV(c.x), IV(c.w), IV()}},
                {"aten::mm", {IV(c.x), IV(wt)}},
                {"aten::matmul", {IV(c.x), IV(wt)}},
                {"aten::bmm", {IV(c.x.unsqueeze(0)), IV(wt.unsqueeze(0))}},
                {"aten::addmm",
                 {IV(at::zeros({c.x.size(0), c.w.size(0)})), IV(c.x), IV(wt), IV(0.0), IV(1.0)}},
                // 1x1 kernels: channels are the k terms of each output's sum.
                {"aten::conv2d",
                 {IV(c.x.view({c.x.size(0), -1, 1, 1})), IV(c.w.view({c.w.size(0), -1, 1, 1})),
                  IV(), IV(std::vector<std::int64_t>{1, 1}), IV(std::vector<std::int64_t>{0, 0}),
                  IV(std::vector<std::int64_t>{1, 1}), IV(1)}},
            };
            for (const auto& [kind, in] : kinds) {
                if (c.flushing && !at::globalContext().setFlushDenormal(true))
                    QSKIP("this CPU cannot flush denormals (no FTZ/DAZ), so there is nothing to "
                          "test");
                const auto ob = referenceAndBound(kind, in);
                at::globalContext().setFlushDenormal(false);
                QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
                const auto bound = ob.bound[0].reshape(need.sizes());
                const auto shortBy = (need / bound).max().item<double>();
                QVERIFY2((bound >= need).all().item<bool>(),
                         qPrintable(QString("%1, %2: the bound is %3x short of gamma_k |x||w|")
                                        .arg(kind, c.name)
                                        .arg(shortBy, 0, 'g', 8)));
            }
        }
    }

    // beta(v) (bf16_dot.hpp) is |v| rounded to nearest BF16, raised to 2^-126 where |v| is
    // subnormal, so it is never short of |v| by more than 2^-8 relative and never a BF16
    // subnormal (which BF16 dot products flush to zero).
    void bf16MagnitudeRounding() {
        using tao::numerics::detail::magnitudeBf16;
        using tao::numerics::detail::magnitudeBf16AsFloat;
        QCOMPARE(magnitudeBf16(0.0f), std::uint16_t(0));
        QCOMPARE(magnitudeBf16(-0.0f), std::uint16_t(0));
        QCOMPARE(magnitudeBf16(-1.5f), std::uint16_t(0x3fc0));
        QCOMPARE(magnitudeBf16(1.0f + 0x1p-8f), std::uint16_t(0x3f80)); // a tie, to even
        QCOMPARE(magnitudeBf16(1.0f + 0x1p-8f + 0x1p-23f), std::uint16_t(0x3f81));
        QCOMPARE(magnitudeBf16(1e-40f), std::uint16_t(0x0080));  // 2^-126
        QCOMPARE(magnitudeBf16(FLT_MAX), std::uint16_t(0x7f80)); // rounds past the range
        QCOMPARE(magnitudeBf16(-std::numeric_limits<float>::infinity()), std::uint16_t(0x7f80));
        QVERIFY(std::isnan(magnitudeBf16AsFloat(std::numeric_limits<float>::quiet_NaN())));
        std::mt19937 gen(7);
        std::uniform_int_distribution<std::uint32_t> bits(0x00800000u, 0x7f000000u);
        for (int i = 0; i < 100000; ++i) {
            const float v = std::bit_cast<float>(bits(gen) | (i % 2 ? 0x80000000u : 0u));
            const double b = magnitudeBf16AsFloat(v), a = std::fabs(static_cast<double>(v));
            QVERIFY2(b >= (1 - 0x1p-8) * a && b <= (1 + 0x1p-8) * a,
                     qPrintable(QString("beta(%1) = %2").arg(v, 0, 'g', 9).arg(b, 0, 'g', 9)));
        }
    }

    // oneDNN's BF16 products (native BF16 dot products where the CPU has them, an AVX-512
    // FP32 kernel on other AVX-512 CPUs) equal BLAS's FP32 product of the same values up to
    // the order of the FP32 sums, written with the output's row stride and nothing past it.
    void bf16DotProductsMatchFp32Products() {
        using namespace tao::numerics::detail;
        const std::int64_t m = 5, n = 37, k = 300, ldc = 40;
        const auto a = at::randn({m, k}) * 100, b = at::rand({n, k});
        std::vector<std::uint16_t> ab(m * k), bb(n * k);
        auto af = at::empty_like(a), bf = at::empty_like(b);
        for (std::int64_t i = 0; i < m * k; ++i) {
            ab[i] = magnitudeBf16(a.data_ptr<float>()[i]);
            af.data_ptr<float>()[i] = magnitudeBf16AsFloat(a.data_ptr<float>()[i]);
        }
        for (std::int64_t i = 0; i < n * k; ++i) {
            bb[i] = magnitudeBf16(b.data_ptr<float>()[i]);
            bf.data_ptr<float>()[i] = magnitudeBf16AsFloat(b.data_ptr<float>()[i]);
        }
        auto c = at::full({m, ldc}, -1.0f);
        try {
            bf16DotProducts(ab.data(), bb.data(), m, n, k, c.data_ptr<float>(), ldc);
        } catch (const std::runtime_error& e) {
            // oneDNN 2.6 has no BF16 product below AVX-512; linear then never calls it.
            QVERIFY2(!hasNativeBf16Dot(), e.what());
            QSKIP(qPrintable(QString("oneDNN has no BF16 product on this CPU, so linear bounds "
                                     "multiply the rounded values in FP32 (%1)")
                                 .arg(e.what())));
        }
        const auto want = at::linear(af.to(at::kDouble), bf.to(at::kDouble));
        const auto got = c.narrow(1, 0, n).to(at::kDouble);
        const double apart = ((got - want).abs() / want).max().item<double>();
        QVERIFY2(apart <= k * kU, qPrintable(QString("%1 apart").arg(apart)));
        QVERIFY((c.narrow(1, n, ldc - n) == -1.0f).all().item<bool>());
    }

    // Linear's bound is gamma_k |x||w| widened by BF16 rounding at most: under 2 % above
    // the exact need where every operand rounds up by nearly 2^-8 (a factor applied twice
    // or a coarser rounding would exceed it).
    void linearBoundStaysTight() {
        const std::int64_t k = 768;
        const auto x = at::full({2, k}, 1.0f + 0x1p-8f + 0x1p-20f);
        const auto w = at::full({3, k}, 1.0f + 0x1p-8f + 0x1p-20f);
        const double kk = static_cast<double>(k);
        const auto need = at::linear(x.abs().to(at::kDouble), w.abs().to(at::kDouble)) *
                          (kk * kU / (1 - kk * kU));
        const auto ob = referenceAndBound("aten::linear", {IV(x), IV(w), IV()});
        QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
        const double over = (ob.bound[0] / need).max().item<double>();
        QVERIFY2(over >= 1.0 && over <= 1.02, qPrintable(QString("bound / need = %1").arg(over)));
    }

    // 2-d convolutions of FP32 operands take |x||w| from BF16 im2col columns
    // (BoundParams::convolutionColumns); false takes oneDNN's FP32 convolution of |x| and
    // |w|. Over strides, paddings, dilations, groups, batches, bias and a layer split into
    // bands of output rows, both paths must give the same reference, each bound must cover
    // the exact need coef(k) conv(|x|, |w|) + |b| terms, and the column bound may exceed the
    // FP32 one by the BF16 rounding only (under 2 %); inf and NaN inputs must leave the
    // same elements without a finite bound.
    void convolutionColumnsAgreeWithDirectMagnitude() {
        struct Case {
            const char* what;
            std::vector<std::int64_t> x, w, stride, padding, dilation;
            std::int64_t groups;
            bool bias;
        };
        const std::vector<Case> cases = {
            {"7x7 stride 2 pad 3", {1, 3, 40, 36}, {8, 3, 7, 7}, {2, 2}, {3, 3}, {1, 1}, 1, false},
            {"3x3 stride 1 pad 1, bias",
             {2, 6, 17, 19},
             {5, 6, 3, 3},
             {1, 1},
             {1, 1},
             {1, 1},
             1,
             true},
            {"1x1 stride 2", {1, 16, 15, 15}, {12, 16, 1, 1}, {2, 2}, {0, 0}, {1, 1}, 1, false},
            {"3x5 dilated, unequal strides",
             {1, 4, 23, 29},
             {6, 4, 3, 5},
             {2, 1},
             {2, 0},
             {2, 3},
             1,
             true},
            {"grouped", {2, 8, 12, 12}, {6, 4, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 2, true},
            {"depthwise stride 2", {1, 8, 13, 13}, {8, 1, 3, 3}, {2, 2}, {1, 1}, {1, 1}, 8, false},
            {"kernel wider than the padded image's tail",
             {1, 2, 5, 5},
             {3, 2, 5, 5},
             {3, 3},
             {4, 4},
             {1, 1},
             1,
             false},
            {"several bands of output rows",
             {1, 64, 130, 130},
             {4, 64, 3, 3},
             {1, 1},
             {1, 1},
             {1, 1},
             1,
             false},
            {"operands rounded down",
             {1, 32, 9, 9},
             {4, 32, 3, 3},
             {1, 1},
             {0, 0},
             {1, 1},
             1,
             false},
        };
        // The last case's operands all round down to BF16 by nearly 2^-8.
        const float down = 1.0f + 0x1p-8f - 0x1p-20f;
        for (const auto& k : cases) {
            const bool last = &k == &cases.back();
            auto x = last ? at::full(k.x, down) : at::randn(k.x);
            const auto w = last ? at::full(k.w, down) : at::randn(k.w);
            const auto b = at::randn({k.w[0]});
            x.view(-1)[5] = INFINITY;
            x.view(-1)[x.numel() - 3] = NAN;
            x.view(-1)[7] *= 1e-40f; // subnormal
            const std::vector<IV> in = {IV(x),
                                        IV(w),
                                        k.bias ? IV(b) : IV(),
                                        IV(k.stride),
                                        IV(k.padding),
                                        IV(k.dilation),
                                        IV(false),
                                        IV(std::vector<std::int64_t>{0, 0}),
                                        IV(k.groups),
                                        IV(false),
                                        IV(false),
                                        IV(true)};
            const auto columns = referenceAndBound("aten::_convolution", in);
            BoundParams direct;
            direct.convolutionColumns = false;
            const auto fp32 = referenceAndBound("aten::_convolution", in, direct);
            QVERIFY2(columns.status == BoundStatus::Bounded, columns.reason.c_str());
            QVERIFY2(fp32.status == BoundStatus::Bounded, fp32.reason.c_str());
            const double terms = static_cast<double>(k.w[1] * k.w[2] * k.w[3]);
            const auto x64 = at::where(at::isfinite(x), x, at::zeros_like(x)).to(at::kDouble);
            const auto magnitude = at::conv2d(x64.abs(), w.to(at::kDouble).abs(), {}, k.stride,
                                              k.padding, k.dilation, k.groups);
            // The columns' FP64 reference sums the same products in bands of output rows:
            // the same non-finite results, and finite ones within the FP64 error of two
            // summation orders of `terms` products (plus the bias).
            const auto& r = columns.reference[0];
            const auto& rd = fp32.reference[0];
            const auto rFinite = at::isfinite(r);
            QVERIFY2(at::equal(rFinite, at::isfinite(rd)), k.what);
            QVERIFY2(at::allclose(r.masked_select(~rFinite), rd.masked_select(~rFinite), 0, 0,
                                  /*equal_nan=*/true),
                     k.what);
            const auto apart = (r - rd).abs().masked_select(rFinite);
            auto scale = magnitude;
            if (k.bias) scale = scale + b.abs().to(at::kDouble).view({1, -1, 1, 1});
            const auto allowed = (scale * (2 * (terms + 2) * 0x1p-53)).masked_select(rFinite);
            QVERIFY2((apart <= allowed).all().item<bool>(), k.what);
            const auto fin = at::isfinite(fp32.bound[0]);
            QVERIFY2(at::equal(fin, at::isfinite(columns.bound[0])), k.what);
            QVERIFY2(fin.any().item<bool>() && !fin.all().item<bool>(), k.what);
            auto need = magnitude * (terms * kU / (1 - terms * kU));
            const auto bc = columns.bound[0].masked_select(fin);
            const auto bd = fp32.bound[0].masked_select(fin);
            const double under = (bc / need.masked_select(fin)).min().item<double>();
            const double low = (bc / bd).min().item<double>(),
                         high = (bc / bd).max().item<double>();
            QVERIFY2(under >= 1.0,
                     qPrintable(QString("%1: bound / need %2").arg(k.what).arg(under)));
            QVERIFY2(low >= 0.999 && high <= 1.02,
                     qPrintable(QString("%1: columns / FP32 bound in [%2, %3]")
                                    .arg(k.what)
                                    .arg(low)
                                    .arg(high)));
        }
    }

    // A convolution large enough that its BF16 magnitude runs on the staging thread (band
    // by band, beside the caller's FP64 product) gives the reference and bound it gives with
    // everything on the caller, bit for bit at one LibTorch thread: the same code on the
    // same inputs, and oneDNN on one thread either way. Several bands, a bias and
    // non-finite inputs go through both.
    void convolutionMagnitudeOnTheHelperIsTheSame() {
        const int threads = at::get_num_threads();
        const auto restore = qScopeGuard([threads] {
            at::set_num_threads(threads);
            ::unsetenv("TAO_STAGING");
        });
        at::set_num_threads(1);
        auto x = at::randn({2, 32, 70, 70});
        x.view(-1)[11] = INFINITY;
        x.view(-1)[x.numel() - 5] = NAN;
        const std::vector<IV> in = {IV(x),
                                    IV(at::randn({48, 32, 3, 3})),
                                    IV(at::randn({48})),
                                    IV(std::vector<std::int64_t>{1, 1}),
                                    IV(std::vector<std::int64_t>{1, 1}),
                                    IV(std::vector<std::int64_t>{1, 1}),
                                    IV(1)};
        std::vector<OpBound> results;
        for (const char* staging : {"1", "0"}) {
            ::setenv("TAO_STAGING", staging, 1);
            results.push_back(referenceAndBound("aten::conv2d", in));
            QVERIFY2(results.back().status == BoundStatus::Bounded, results.back().reason.c_str());
        }
        const auto& [helper, caller] = std::tie(results[0], results[1]);
        QVERIFY(at::allclose(helper.reference[0], caller.reference[0], 0, 0, /*equal_nan=*/true));
        QVERIFY(at::allclose(helper.bound[0], caller.bound[0], 0, 0, /*equal_nan=*/true));
        const auto finite = at::isfinite(helper.bound[0]);
        QVERIFY(finite.any().item<bool>() && !finite.all().item<bool>());
    }

    // layer_norm of FP32 inputs runs one fused pass per row; BoundParams::fusedRows = false
    // takes the tensor expressions. Both must give every element the same reference and
    // bound up to FP64 rounding, and the same infinities: ill-conditioned rows (mean far
    // above the spread), rows with inf or NaN, rows near overflow, constant rows, with and
    // without weight and bias, over one and two normalised dimensions.
    // The one-pass checks of max_pool2d and relu stand in for re-executing them, so they
    // must accept exactly what the re-execution rule accepts: every claim LibTorch itself
    // produces (ties, -0 and +0, -inf, every window shape and padding allowed), and no claim
    // that differs from it anywhere: another element of the window, one ulp off, a NaN in
    // the claim or the input, a wrong shape. Arguments they do not handle defer (false).
    void oneExactPassAgreesWithReexecution() {
        using tao::numerics::detail::agreesWithoutReexecution;
        std::mt19937 rng(7);
        int checked = 0;
        for (std::int64_t k : {1, 2, 3, 4, 5})
            for (std::int64_t s : {1, 2, 3})
                for (std::int64_t p = 0; 2 * p <= k; ++p)
                    for (auto [h, w] : {std::pair{1, 1}, {5, 7}, {9, 4}, {16, 13}}) {
                        if (h + 2 * p < k || w + 2 * p < k) continue;
                        // Values on a coarse grid make ties; signed zeros and -inf appear.
                        auto x = (at::randn({2, 3, h, w}) * 2).round();
                        x.view(-1)[0] = -0.0f;
                        x.view(-1)[x.numel() - 1] = -INFINITY;
                        const std::vector<std::int64_t> kernel{k, k}, stride{s, s}, pad{p, p},
                            one{1, 1};
                        std::vector<c10::IValue> args{x, kernel, stride, pad, one, false};
                        const auto y = at::max_pool2d(x, kernel, stride, pad, one, false);
                        const auto what =
                            QString("k%1 s%2 p%3 %4x%5").arg(k).arg(s).arg(p).arg(h).arg(w);
                        QVERIFY2(agreesWithoutReexecution("aten::max_pool2d", args, y),
                                 qPrintable(what));
                        // Each single-element change that the re-execution rule refuses.
                        const auto i =
                            std::uniform_int_distribution<std::int64_t>(0, y.numel() - 1)(rng);
                        const float v = y.view(-1)[i].item<float>();
                        for (float wrong : {std::nextafter(v, INFINITY),
                                            std::nextafter(v, -INFINITY), v - 1.0f, NAN}) {
                            if (wrong == v) continue; // -inf - 1 or nextafter(-inf, -inf)
                            auto claim = y.clone();
                            claim.view(-1)[i] = wrong;
                            QVERIFY2(
                                !agreesWithoutReexecution("aten::max_pool2d", args, claim),
                                qPrintable(
                                    what +
                                    QString(" element %1: %2 for %3").arg(i).arg(wrong).arg(v)));
                        }
                        ++checked;
                    }
        QVERIFY(checked > 60);
        const auto x = at::randn({1, 4, 12, 12});
        const std::vector<std::int64_t> three{3, 3}, two{2, 2}, oneOne{1, 1}, none{};
        // The default stride (the kernel) and a NaN input, whose window's result is NaN.
        QVERIFY(agreesWithoutReexecution("aten::max_pool2d", {x, three, none},
                                         at::max_pool2d(x, three)));
        auto withNan = x.clone();
        withNan[0][1][5][5] = NAN;
        QVERIFY(!agreesWithoutReexecution("aten::max_pool2d", {withNan, three, two, oneOne},
                                          at::max_pool2d(withNan, three, two, oneOne)));
        // Not handled, so deferred: ceil mode, dilation, a non-contiguous input, a shape
        // that is not the output's.
        QVERIFY(!agreesWithoutReexecution("aten::max_pool2d", {x, three, two, oneOne, oneOne, true},
                                          at::max_pool2d(x, three, two, oneOne, oneOne, true)));
        QVERIFY(!agreesWithoutReexecution("aten::max_pool2d", {x, three, two, oneOne, two, false},
                                          at::max_pool2d(x, three, two, oneOne, two, false)));
        const auto strided = x.transpose(2, 3);
        QVERIFY(!agreesWithoutReexecution("aten::max_pool2d", {strided, three, two, oneOne},
                                          at::max_pool2d(strided, three, two, oneOne)));
        QVERIFY(!agreesWithoutReexecution("aten::max_pool2d", {x, three, two, oneOne},
                                          at::max_pool2d(x, three, two, oneOne).view({1, 4, -1})));

        auto r = at::randn({3, 1000});
        r.view(-1)[0] = -0.0f;
        r.view(-1)[1] = 0.0f;
        QVERIFY(agreesWithoutReexecution("aten::relu", {r}, at::relu(r)));
        auto signedZero = at::relu(r);
        signedZero.view(-1)[1] = -0.0f; // -0 == +0: the re-execution rule accepts it too
        QVERIFY(agreesWithoutReexecution("aten::relu", {r}, signedZero));
        QVERIFY(!agreesWithoutReexecution("aten::relu", {r}, r)); // negatives passed through
        for (float wrong : {1e-30f, -1e-30f, NAN}) {
            auto claim = at::relu(r);
            const auto i = (r < 0).nonzero()[0][0].item<std::int64_t>() * 1000 +
                           (r < 0).nonzero()[0][1].item<std::int64_t>();
            claim.view(-1)[i] = wrong;
            QVERIFY(!agreesWithoutReexecution("aten::relu", {r}, claim));
        }
        auto nanInput = r.clone();
        nanInput.view(-1)[7] = NAN;
        QVERIFY(!agreesWithoutReexecution("aten::relu", {nanInput}, at::relu(nanInput)));
        QVERIFY(!agreesWithoutReexecution("aten::relu", {r}, at::relu(r).view({1000, 3})));
        QVERIFY(!agreesWithoutReexecution("aten::gelu", {r}, at::relu(r)));
    }

    void layerNormRowsAgreeWithTensorForm() {
        auto x = at::randn({3, 5, 64});
        x[0][1] += 1e6f;       // ill-conditioned
        x[0][2][3] = INFINITY; // an infinite element
        x[1][0][7] = NAN;      // a NaN element
        x[1][1] *= 1e18f;      // squares near FP32 overflow
        x[1][2].fill_(2.5f);   // constant: variance 0
        x[2][3] *= 1e-30f;     // tiny values
        const auto w = at::randn({64}), b = at::randn({64});
        const auto w2 = at::randn({5, 64}), b2 = at::randn({5, 64});
        // Where `where` holds: equal finiteness, and finite values within FP64 rounding.
        auto close = [](const at::Tensor& a, const at::Tensor& e, const at::Tensor& where) {
            const auto fin = at::isfinite(e) & where;
            if (!at::equal(fin, at::isfinite(a) & where)) return false;
            const auto d = (a - e).abs().masked_select(fin);
            const auto m = e.abs().masked_select(fin);
            return (d <= m * 1e-12 + 1e-300).all().item<bool>();
        };
        using Opt = c10::optional<at::Tensor>;
        struct Case {
            std::vector<std::int64_t> shape;
            Opt w, b;
        };
        const std::vector<Case> cases = {{{64}, w, b},
                                         {{64}, c10::nullopt, c10::nullopt},
                                         {{64}, w, c10::nullopt},
                                         {{5, 64}, w2, b2}};
        for (const auto& k : cases) {
            const auto opt = [](const Opt& t) { return t ? IV(*t) : IV(); };
            const auto fused = referenceAndBound(
                "aten::layer_norm", {IV(x), IV(k.shape), opt(k.w), opt(k.b), IV(1e-5), IV(false)});
            BoundParams tensorForm;
            tensorForm.fusedRows = false;
            const auto tensors = referenceAndBound(
                "aten::layer_norm", {IV(x), IV(k.shape), opt(k.w), opt(k.b), IV(1e-5), IV(false)},
                tensorForm);
            QVERIFY2(int(fused.status) == int(tensors.status), tensors.reason.c_str());
            const auto what = QString("normalised over %1 dims, weight %2, bias %3")
                                  .arg(k.shape.size())
                                  .arg(bool(k.w))
                                  .arg(bool(k.b));
            // at::layer_norm's FP64 reference folds x r - mu r, which loses digits on the
            // ill-conditioned row; rows without a bound are not judged, so references are
            // compared where there is one.
            const auto bounded = at::isfinite(tensors.bound[0]);
            QVERIFY2(close(fused.reference[0], tensors.reference[0], bounded),
                     qPrintable("reference, " + what));
            QVERIFY2(close(fused.bound[0], tensors.bound[0], at::ones_like(bounded)),
                     qPrintable("bound, " + what));
            // The ill-conditioned, infinite and NaN rows have no finite bound; the others do.
            QVERIFY(!at::isfinite(fused.bound[0][0][1]).any().item<bool>());
            QVERIFY(at::isfinite(fused.bound[0][2]).all().item<bool>());
        }
    }

    // softmax and log_softmax of FP32 inputs along the last dimension run one fused pass per
    // row; BoundParams::fusedRows = false takes the tensor expressions. Every element must
    // get the same reference and bound up to FP64 rounding, and the same infinities and
    // NaNs: masked logits (-inf, and the -3.4e38 of finfo.min masks), a fully masked row, a
    // row with +inf, a row with NaN, huge logits, and a row of one element.
    void softmaxRowsAgreeWithTensorForm() {
        auto x = at::randn({7, 50}) * 4;
        x[0].narrow(0, 10, 20).fill_(-INFINITY);
        x[1].narrow(0, 0, 25).fill_(-FLT_MAX);
        x[2].fill_(-INFINITY);
        x[3][5] = INFINITY;
        x[4][9] = NAN;
        x[5] *= 1e30f;
        const auto single = at::randn({3, 1});
        // log_softmax of a row's largest entry is near 0, while the two forms' FP64
        // roundings are relative to the row's values (units here): hence the 1e-12 floor.
        auto close = [](const at::Tensor& a, const at::Tensor& e) {
            if (!at::equal(at::isnan(a), at::isnan(e)) || !at::equal(at::isinf(a), at::isinf(e)))
                return false;
            const auto fin = at::isfinite(e);
            const auto d = (a - e).abs().masked_select(fin);
            return (d <= (e.abs().masked_select(fin) + 1) * 1e-12).all().item<bool>() &&
                   at::equal(a.masked_select(at::isinf(e)), e.masked_select(at::isinf(e)));
        };
        BoundParams tensorForm;
        tensorForm.fusedRows = false;
        for (const char* kind :
             {"aten::softmax", "aten::log_softmax", "aten::_softmax", "aten::_log_softmax"}) {
            const bool underscore = kind[6] == '_';
            for (const auto& t : {x, single}) {
                const std::vector<IV> in = {IV(t), IV(-1), underscore ? IV(false) : IV()};
                const auto fused = referenceAndBound(kind, in);
                const auto tensors = referenceAndBound(kind, in, tensorForm);
                QVERIFY2(fused.status == BoundStatus::Bounded, fused.reason.c_str());
                QVERIFY2(tensors.status == BoundStatus::Bounded, tensors.reason.c_str());
                QVERIFY2(close(fused.reference[0], tensors.reference[0]),
                         qPrintable(QString("%1 reference, %2 columns").arg(kind).arg(t.size(1))));
                QVERIFY2(close(fused.bound[0], tensors.bound[0]),
                         qPrintable(QString("%1 bound, %2 columns").arg(kind).arg(t.size(1))));
            }
        }
    }

    // Staged work runs once per start, in order, and wait() hands back what a task threw;
    // where staging is not on the helper, start() runs the task at once on the caller.
    void stagedTasksRunInOrderAndRethrow() {
        using tao::numerics::detail::Staging;
        for (const bool onHelper : {true, false}) {
            std::vector<int> done;
            const auto caller = std::this_thread::get_id();
            std::thread::id ranOn;
            {
                Staging staging(onHelper);
                QCOMPARE(staging.onHelper(), onHelper);
                for (int i = 0; i < 50; ++i)
                    staging.start([&, i] {
                        done.push_back(i);
                        ranOn = std::this_thread::get_id();
                    });
                staging.wait();
                QCOMPARE(done.size(), std::size_t(50));
                for (int i = 0; i < 50; ++i)
                    QCOMPARE(done[i], i);
                QCOMPARE(ranOn == caller, !onHelper);
                staging.start([] { throw std::runtime_error("panel 3: unreadable"); });
                QVERIFY_THROWS_EXCEPTION(std::runtime_error, staging.wait());
                staging.wait(); // nothing in flight any more
                staging.start([&] { done.push_back(50); });
            } // the destructor waits for the last task
            QCOMPARE(done.size(), std::size_t(51));
        }
        ::setenv("TAO_STAGING", "0", 1);
        QVERIFY(!tao::numerics::detail::stagingOnHelper(1));
        ::setenv("TAO_STAGING", "1", 1);
        QVERIFY(tao::numerics::detail::stagingOnHelper(1 << 20));
        ::unsetenv("TAO_STAGING");
        QVERIFY(!tao::numerics::detail::stagingOnHelper(1 << 20)); // no machine has that many
    }

    // A linear layer whose weight spans several panels (1024, 1024 and a partial 452 rows
    // at k = 512) must give each output feature the reference and bound it gets when its
    // rows are bounded on their own: panels split output features, never an output's sum.
    // BLAS libraries may pick another kernel for a smaller product, so references agree to
    // FP64 rounding and bounds to the FP32 rounding of the magnitude's sums (k u relative);
    // an offset or a dropped panel would differ by far more.
    void linearPanelsMatchRowsBoundAlone() {
        const std::int64_t k = 512, rows = 2500, block = 500;
        const auto x = at::randn({2, 3, k}), w = at::randn({rows, k}), b = at::randn({rows});
        const auto whole = referenceAndBound("aten::linear", {IV(x), IV(w), IV(b)});
        QVERIFY2(whole.status == BoundStatus::Bounded, whole.reason.c_str());
        const auto exact = at::linear(x.to(at::kDouble), w.to(at::kDouble), b.to(at::kDouble));
        const auto same = [](const at::Tensor& a, const at::Tensor& e) {
            const double scale = e.abs().max().item<double>();
            return a.sizes() == e.sizes() && at::allclose(a, e, 1e-13, 1e-13 * scale);
        };
        QVERIFY(same(whole.reference[0], exact));
        for (std::int64_t j = 0; j < rows; j += block) {
            const auto part = referenceAndBound(
                "aten::linear", {IV(x), IV(w.narrow(0, j, block)), IV(b.narrow(0, j, block))});
            QVERIFY2(part.status == BoundStatus::Bounded, part.reason.c_str());
            QVERIFY2(same(whole.reference[0].narrow(-1, j, block), part.reference[0]),
                     qPrintable(QString("reference of rows %1..%2").arg(j).arg(j + block)));
            const auto wb = whole.bound[0].narrow(-1, j, block);
            const double apart = ((wb - part.bound[0]).abs() / part.bound[0]).max().item<double>();
            QVERIFY2(
                wb.sizes() == part.bound[0].sizes() && apart <= k * kU,
                qPrintable(
                    QString("bound of rows %1..%2: %3 apart").arg(j).arg(j + block).arg(apart)));
        }
    }

    // The bound primitives are written once for FP64 tensors, for doubles (fused per-row
    // loops) and for four doubles at once (el::D4, fused per-element loops such as GELU's).
    // All three instantiations must give the same value and error for every element:
    // exactly for arithmetic, within a few FP64 ulps where the math libraries differ. Operands
    // include exact values (e = 0), infinities, NaN, values near the FP32 overflow and underflow
    // ranges, and errors that reach +inf.
    void valueErrorPrimitivesAgreeOnAllElementTypes() {
        using namespace tao::numerics::detail;
        const std::int64_t n = 4096;
        auto v = at::randn({n}, at::kDouble) * 3;
        v.index_put_({at::arange(0, n, 17)}, 3e38);
        v.index_put_({at::arange(1, n, 19)}, 1e-40);
        v.index_put_({at::arange(2, n, 23)}, 0.0);
        v.index_put_({at::arange(3, n, 29)}, 120.0);
        v[4] = INFINITY;
        v[5] = -INFINITY;
        v[6] = NAN;
        auto e = at::rand({n}, at::kDouble) * 1e-6;
        e.index_put_({at::arange(0, n, 5)}, 0.0);
        e[7] = INFINITY;
        auto w = at::randn({n}, at::kDouble);
        const auto ef = e.flip(0).contiguous();
        const BasicVE<at::Tensor> a{v, e}, b{w, ef};
        const Ctx c(BoundParams{});
        using Scalar = BasicVE<double>;
        using Lanes = BasicVE<el::D4>;
        auto elem = [](const at::Tensor& t, std::int64_t i) { return t.data_ptr<double>()[i]; };
        auto same = [](double x, double y, double tol) {
            if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
            if (x == y) return true;
            return std::abs(x - y) <= tol * std::max(std::abs(x), std::abs(y));
        };
        // s(i) gives element i as a double; l(i) elements i..i+3 as one el::D4.
        auto check = [&](const char* name, const BasicVE<at::Tensor>& t,
                         const std::function<Scalar(std::int64_t)>& s,
                         const std::function<Lanes(std::int64_t)>& l, double tol) {
            const auto tv = t.v.expand({n}).contiguous(), te = t.e.expand({n}).contiguous();
            auto agree = [&](const char* type, std::int64_t i, double yv, double ye) {
                QVERIFY2(same(elem(tv, i), yv, tol) && same(elem(te, i), ye, tol),
                         qPrintable(QString("%1 at %2: tensor (%3, %4), %5 (%6, %7)")
                                        .arg(name)
                                        .arg(i)
                                        .arg(elem(tv, i), 0, 'g', 17)
                                        .arg(elem(te, i), 0, 'g', 17)
                                        .arg(type)
                                        .arg(yv, 0, 'g', 17)
                                        .arg(ye, 0, 'g', 17)));
            };
            for (std::int64_t i = 0; i < n; ++i) {
                const auto y = s(i);
                agree("double", i, y.v, y.e);
                if (QTest::currentTestFailed()) return;
            }
            for (std::int64_t i = 0; i < n; i += 4) {
                const auto y = l(i);
                for (int k = 0; k < 4; ++k) {
                    agree("D4 lane", i + k, y.v[k], y.e[k]);
                    if (QTest::currentTestFailed()) return;
                }
            }
        };
        auto sa = [&](std::int64_t i) { return Scalar{elem(v, i), elem(e, i)}; };
        auto sb = [&](std::int64_t i) { return Scalar{elem(w, i), elem(ef, i)}; };
        auto lanes = [&](const at::Tensor& t, std::int64_t i) {
            return el::D4{elem(t, i), elem(t, i + 1), elem(t, i + 2), elem(t, i + 3)};
        };
        auto la = [&](std::int64_t i) { return Lanes{lanes(v, i), lanes(e, i)}; };
        auto lb = [&](std::int64_t i) { return Lanes{lanes(w, i), lanes(ef, i)}; };
        const double lib = 1e-13;
        check(
            "add", add(c, a, b), [&](auto i) { return add(c, sa(i), sb(i)); },
            [&](auto i) { return add(c, la(i), lb(i)); }, 0);
        check(
            "sub", sub(c, a, b), [&](auto i) { return sub(c, sa(i), sb(i)); },
            [&](auto i) { return sub(c, la(i), lb(i)); }, 0);
        check(
            "mul", mul(c, a, b), [&](auto i) { return mul(c, sa(i), sb(i)); },
            [&](auto i) { return mul(c, la(i), lb(i)); }, 0);
        check(
            "div", div(c, a, b), [&](auto i) { return div(c, sa(i), sb(i)); },
            [&](auto i) { return div(c, la(i), lb(i)); }, 0);
        check(
            "constant", mul(c, a, constant(0.1, v)),
            [&](auto i) { return mul(c, sa(i), constant(0.1, 0.0)); },
            [&](auto i) { return mul(c, la(i), constant(0.1, el::D4{})); }, 0);
        check(
            "exp", expVE(c, a, 1e-7), [&](auto i) { return expVE(c, sa(i), 1e-7); },
            [&](auto i) { return expVE(c, la(i), 1e-7); }, lib);
        check(
            "tanh", tanhVE(c, a, 1e-7), [&](auto i) { return tanhVE(c, sa(i), 1e-7); },
            [&](auto i) { return tanhVE(c, la(i), 1e-7); }, lib);
        check(
            "erf", erfVE(c, a, 1e-7), [&](auto i) { return erfVE(c, sa(i), 1e-7); },
            [&](auto i) { return erfVE(c, la(i), 1e-7); }, lib);
        check(
            "erfc", erfcVE(c, a, 1e-7), [&](auto i) { return erfcVE(c, sa(i), 1e-7); },
            [&](auto i) { return erfcVE(c, la(i), 1e-7); }, lib);
        check(
            "tanhAny", tanhAny(c, a), [&](auto i) { return tanhAny(c, sa(i)); },
            [&](auto i) { return tanhAny(c, la(i)); }, lib);
        check(
            "sigmoidAny", sigmoidAny(c, a), [&](auto i) { return sigmoidAny(c, sa(i)); },
            [&](auto i) { return sigmoidAny(c, la(i)); }, lib);
        for (const bool second : {false, true}) {
            auto pick = [second](const auto& p) { return second ? p.second : p.first; };
            check(
                second ? "erfcOfNeg" : "erfOf", pick(erfAndErfcOfNegVE(a, 1e-7, 2e-7)),
                [&](auto i) { return pick(erfAndErfcOfNegVE(sa(i), 1e-7, 2e-7)); },
                [&](auto i) { return pick(erfAndErfcOfNegVE(la(i), 1e-7, 2e-7)); }, lib);
        }
    }

    // fusedDotBound takes a 1-d extra (|bias|) along one dimension by stepping its index
    // through each parallel chunk. On three threads (chunks start mid-row) that must equal,
    // to the bit, the extra expanded to the output's shape on one thread (one chunk from
    // element 0), along every dimension.
    void fusedDotBoundExtraAlongEachDimension() {
        using namespace tao::numerics::detail;
        const int threads = at::get_num_threads();
        const auto restore = qScopeGuard([threads] { at::set_num_threads(threads); });
        const Ctx c(BoundParams{});
        const auto ref = at::randn({2, 5, 7, 1999}, at::kDouble); // 139,930: thirds end mid-row
        const auto s32 = at::rand({2, 5, 7, 1999}) * 4;
        for (std::int64_t dim = 0; dim < ref.dim(); ++dim) {
            const auto extra = at::rand({ref.size(dim)}, at::kDouble) + 0.5;
            std::vector<std::int64_t> shape(ref.dim(), 1);
            shape[dim] = ref.size(dim);
            at::set_num_threads(1);
            const auto full =
                fusedDotBound(ref, s32, 64, 1.5, extra.view(shape).expand(ref.sizes()), 66, c);
            at::set_num_threads(3);
            const auto along = fusedDotBound(ref, s32, 64, 1.5, extra, 66, c, 1.0, dim - ref.dim());
            QVERIFY(along.status == BoundStatus::Bounded && full.status == BoundStatus::Bounded);
            QVERIFY2(at::equal(along.bound[0], full.bound[0]), qPrintable(QString::number(dim)));
            // The extra is really there: without it every bound is smaller.
            const auto none = fusedDotBound(ref, s32, 64, 1.5, at::Tensor(), 66, c);
            QVERIFY((none.bound[0] < full.bound[0]).all().item<bool>());
        }
    }

    // The four-element math functions (glibc's vector library) stay within a few ulp of the
    // scalar ones over the ranges the bounds use, and give the same special values.
    void vectorMathAgreesWithScalarLibm() {
        using namespace tao::numerics::detail;
        qInfo("vector math: %s", vecmath::implementation());
        struct Fn {
            const char* name;
            void (*lanes)(const double*, double*);
            double (*scalar)(double);
        };
        const Fn fns[] = {{"exp", vecmath::exp4, [](double x) { return std::exp(x); }},
                          {"expm1", vecmath::expm1_4, [](double x) { return std::expm1(x); }},
                          {"erf", vecmath::erf4, [](double x) { return std::erf(x); }},
                          {"erfc", vecmath::erfc4, [](double x) { return std::erfc(x); }},
                          {"tanh", vecmath::tanh4, [](double x) { return std::tanh(x); }}};
        std::vector<double> xs = {0.0,  -0.0,  1e-310, -1e-310, 1e-300, 0.5,      -0.5,      1.0,
                                  20.0, -20.0, 27.0,   -27.0,   700,    709.7,    710,       -745,
                                  -746, 80.0,  -80.0,  1e30,    -1e30,  INFINITY, -INFINITY, NAN};
        std::mt19937_64 gen(7);
        std::uniform_real_distribution<double> u(-1, 1);
        for (int i = 0; i < 200000; ++i)
            xs.push_back(u(gen) * std::pow(10.0, (i % 7) - 4)); // 1e-4 .. 100
        while (xs.size() % 4 != 0)
            xs.push_back(0.25);
        auto ulpsApart = [](double a, double b) {
            if (a == b || (std::isnan(a) && std::isnan(b))) return 0.0;
            if (!std::isfinite(a) || !std::isfinite(b))
                return std::numeric_limits<double>::infinity();
            const double m = std::max(std::abs(a), std::abs(b));
            return std::abs(a - b) / std::max(m * 0x1p-52, 0x1p-1074);
        };
        for (const auto& f : fns) {
            double worst = 0, at = 0;
            std::vector<double> ys(xs.size());
            for (size_t i = 0; i < xs.size(); i += 4)
                f.lanes(xs.data() + i, ys.data() + i);
            for (size_t i = 0; i < xs.size(); ++i) {
                const double d = ulpsApart(ys[i], f.scalar(xs[i]));
                if (d > worst) worst = d, at = xs[i];
            }
            qInfo("%s: at most %.1f ulp from libm (at %g)", f.name, worst, at);
            QVERIFY2(worst <= 5,
                     qPrintable(QString("%1: %2 ulp at %3").arg(f.name).arg(worst).arg(at)));
        }
    }

    // Element-wise kinds take one fused pass of el::D4 formulas for FP32 inputs of one shape,
    // and the tensor formulas for integer inputs and for broadcasting. Both must give the
    // same reference and bound, here on small integers (exact in FP32) and on values near
    // the FP32 overflow range, with a last step of fewer than four elements.
    void fusedElementwiseAgreesWithTensorForm() {
        const std::int64_t n = 1003;
        const auto xi = at::randint(-12, 13, {n}, at::kLong);
        const auto xf = xi.to(at::kFloat);
        auto y = at::randn({n});
        y.index_put_({at::arange(0, n, 7)}, 3e38f);
        y.index_put_({at::arange(1, n, 11)}, 1e-40f);
        y[2] = std::numeric_limits<float>::infinity();
        const std::vector<std::pair<const char*, std::vector<IV>>> unary = {
            {"aten::gelu", {IV(std::string("none"))}},
            {"aten::gelu", {IV(std::string("tanh"))}},
            {"aten::tanh", {}},
            {"aten::sigmoid", {}}};
        // References agree far inside the bound (GELU's tanh form cancels in 1 + tanh for
        // large negative x, in both forms alike), bounds within FP64 roundings; infinite
        // references are equal; elements without a finite bound are the same.
        auto close = [](const at::Tensor& a, const at::Tensor& b, const at::Tensor& bound,
                        double tol) {
            const auto finite = at::isfinite(bound);
            const auto near = ((a - b).abs() <= tol * bound).logical_or(a == b);
            return near.logical_or(~finite).all().item<bool>();
        };
        auto compare = [&](const char* kind, std::vector<IV> tensorForm,
                           std::vector<IV> fusedForm) {
            const auto tensors = referenceAndBound(kind, tensorForm);
            const auto fused = referenceAndBound(kind, fusedForm);
            QVERIFY2(tensors.status == BoundStatus::Bounded, tensors.reason.c_str());
            QVERIFY2(fused.status == BoundStatus::Bounded, fused.reason.c_str());
            const auto bound = tensors.bound[0].reshape({-1});
            const auto fusedBound = fused.bound[0].reshape({-1});
            QVERIFY2(at::equal(at::isfinite(bound), at::isfinite(fusedBound)), kind);
            QVERIFY2(close(fused.reference[0].reshape({-1}), tensors.reference[0].reshape({-1}),
                           bound, 1e-6),
                     kind);
            QVERIFY2(close(fusedBound, bound, bound, 1e-12), kind);
            const auto finiteRef = at::isfinite(fused.reference[0].reshape({-1}));
            QVERIFY2((fusedBound > 0).logical_or(~finiteRef).all().item<bool>(), kind);
        };
        for (const auto& [kind, extra] : unary) {
            std::vector<IV> a{IV(xi)}, b{IV(xf)};
            a.insert(a.end(), extra.begin(), extra.end());
            b.insert(b.end(), extra.begin(), extra.end());
            compare(kind, a, b);
        }
        // A second operand of shape {1, n} broadcasts, which takes the tensor formulas.
        const auto yRow = y.view({1, n});
        for (const char* kind : {"aten::add", "aten::sub", "aten::rsub"})
            compare(kind, {IV(xf), IV(yRow), IV(3)}, {IV(xf), IV(y), IV(3)});
        compare("aten::mul", {IV(xf), IV(yRow)}, {IV(xf), IV(y)});
        compare("aten::mul", {IV(y), IV(xf.view({1, n}))}, {IV(y), IV(xf)});
    }

    // Large element-wise operators are bounded chunk by chunk (op_bound.cpp); the result
    // must be the bound of the whole, element for element, for every such kind: here the
    // bound of 100,003 elements (chunked, with a short last chunk) against the bounds of
    // its two halves (each below the size that is chunked), on values that include
    // infinities, subnormals and numbers that overflow in the formulas. Softmax,
    // log_softmax and layer_norm are bounded in blocks of whole rows, checked the same way.
    void chunkedElementwiseBoundsEqualWhole() {
        const std::int64_t n = 100003;
        auto x = at::randn({n}) * 4;
        x.index_put_({at::arange(0, n, 997)}, 1e-40f);
        x.index_put_({at::arange(1, n, 1009)}, 1e30f);
        x[5] = std::numeric_limits<float>::infinity();
        const auto y = at::randn({n});
        const auto pos = x.abs() + 1e-3f;
        const std::vector<std::pair<const char*, std::vector<IV>>> cases = {
            {"aten::add", {IV(x), IV(y), IV(1)}},
            {"aten::sub", {IV(x), IV(y), IV(2)}},
            {"aten::rsub", {IV(x), IV(y), IV(1)}},
            {"aten::mul", {IV(x), IV(y)}},
            {"aten::div", {IV(x), IV(y)}},
            {"aten::reciprocal", {IV(x)}},
            {"aten::exp", {IV(x)}},
            {"aten::log", {IV(pos)}},
            {"aten::sqrt", {IV(pos)}},
            {"aten::rsqrt", {IV(pos)}},
            {"aten::erf", {IV(x)}},
            {"aten::tanh", {IV(x)}},
            {"aten::sigmoid", {IV(x)}},
            {"aten::silu", {IV(x)}},
            {"aten::gelu", {IV(x), IV(std::string("none"))}},
            {"aten::gelu", {IV(x), IV(std::string("tanh"))}},
            {"aten::pow", {IV(pos), IV(2.5)}},
            {"aten::hardsigmoid", {IV(x)}},
            {"aten::hardswish", {IV(x)}},
            {"aten::leaky_relu", {IV(x), IV(0.01)}},
            {"aten::elu", {IV(x), IV(1.0), IV(1.0), IV(1.0)}},
            {"aten::softplus", {IV(x), IV(1.0), IV(20.0)}},
            {"aten::sin", {IV(x)}},
            {"aten::cos", {IV(x)}},
        };
        // Kinds that treat rows on their own are bounded in blocks of rows; their halves
        // split the first argument only (layer_norm's weight and bias stay whole).
        // 2^20 elements and more are blocked; each half stays below.
        const auto rows =
            at::cat({x, x, x, x, x, x, x, x, x, x, x}).narrow(0, 0, 1100 * 1000).view({1100, 1000});
        const auto w = at::randn({1000}), b = at::randn({1000});
        const std::vector<std::pair<const char*, std::vector<IV>>> rowCases = {
            {"aten::softmax", {IV(rows), IV(-1), IV()}},
            {"aten::log_softmax", {IV(rows), IV(1), IV()}},
            {"aten::_softmax", {IV(rows), IV(1), IV(false)}},
            {"aten::layer_norm",
             {IV(rows), IV(std::vector<std::int64_t>{1000}), IV(w), IV(b), IV(1e-5), IV(true)}},
        };
        for (const auto& [kind, in] : cases)
            checkPieces(kind, in, false);
        for (const auto& [kind, in] : rowCases)
            checkPieces(kind, in, true);
    }

    // Flush-to-zero and denormals-are-zero as torch.set_flush_denormal(True) sets them on
    // this CPU: every result lies within the bound drawn with BoundParams::flushDenormal,
    // and where reading a subnormal input as zero moves the result (relu, max_pool, clamp,
    // mul by 1e30) some lie outside the strict IEEE bound, so the recorded flag decides.
    void flushedDenormals() {
        auto tiny = [](std::vector<std::int64_t> shape) {
            // subnormal magnitudes, a few tiny normals, one in five an ordinary value
            auto mag = at::pow(10.0, at::empty(shape, at::kDouble).uniform_(-45, -37));
            auto sign = at::where(at::rand(shape) < 0.5, -1.0, 1.0).to(at::kDouble);
            auto x = (mag * sign).to(at::kFloat);
            return at::where(at::rand(shape) < 0.2, at::randn(shape), x).contiguous();
        };
        using Run = std::function<at::Tensor(const std::vector<IV>&)>;
        struct Case {
            const char* kind;
            std::vector<IV> in;
            Run run;
            bool strictFails;
        };
        auto t = [](const IV& v) { return v.toTensor(); };
        const std::vector<std::int64_t> k2{2, 2}, p0{0, 0}, d1{1, 1};
        std::vector<Case> cases = {
            {"aten::relu",
             {IV(tiny({64, 64}))},
             [&](auto& in) { return at::relu(t(in[0])); },
             true},
            {"aten::max_pool2d",
             {IV(tiny({2, 3, 16, 16})), IV(k2), IV(k2), IV(p0), IV(d1), IV(false)},
             [&](auto& in) { return at::max_pool2d(t(in[0]), k2, k2, p0, d1, false); },
             true},
            {"aten::clamp",
             {IV(tiny({64, 64})), IV(0.0), IV(1.0)},
             [&](auto& in) { return at::clamp(t(in[0]), 0.0, 1.0); },
             true},
            {"aten::mul",
             {IV(tiny({64, 64})), IV(at::full({64, 64}, 1e30f))},
             [&](auto& in) { return at::mul(t(in[0]), t(in[1])); },
             true},
            {"aten::add",
             {IV(tiny({64, 64})), IV(tiny({64, 64})), IV(1)},
             [&](auto& in) { return at::add(t(in[0]), t(in[1])); },
             false},
            {"aten::linear",
             {IV(tiny({16, 48})), IV(tiny({24, 48})), IV(tiny({24}))},
             [&](auto& in) { return at::linear(t(in[0]), t(in[1]), t(in[2])); },
             false},
            {"aten::softmax",
             {IV(tiny({16, 40}) * 1e3f), IV(1), IV()},
             [&](auto& in) { return at::softmax(t(in[0]), 1); },
             false},
        };
        BoundParams daz;
        daz.flushDenormal = true;
        for (auto& c : cases) {
            if (!at::globalContext().setFlushDenormal(true))
                QSKIP("this CPU cannot flush denormals (no FTZ/DAZ), so there is nothing to test");
            const auto y = c.run(c.in);
            at::globalContext().setFlushDenormal(false);
            const auto ieee = c.run(c.in);
            const auto ob = referenceAndBound(c.kind, c.in, daz);
            QVERIFY2(ob.status != BoundStatus::NoBound, ob.reason.c_str());
            countElements(std::string(c.kind) + " (ftz)", y.numel());
            check(std::string(c.kind) + " (ftz)", ob, y, 0, "ftz");
            check(std::string(c.kind) + " (ftz)", ob, ieee, 0, "ieee");
            const auto strict = referenceAndBound(c.kind, c.in);
            const auto outside =
                withinBound(y, strict.reference[0], strict.bound[0]).logical_not().sum();
            if (c.strictFails)
                QVERIFY2(outside.item<std::int64_t>() > 0,
                         qPrintable(QString("%1: FTZ run within the IEEE bound").arg(c.kind)));
            report(std::string(c.kind) + " (ftz)", 256);
        }
    }

    void reductions() {
        for (std::int64_t n : {1, 2, 10, 1000, 20000, 100000}) {
            const std::int64_t rows = std::max<std::int64_t>(4, 40000 / n);
            for (int variant = 0; variant < 4; ++variant) {
                auto x = matrixVariant(variant, rows, n, true);
                if (variant == 3 && n > 1) { // cancellation: x and -x pairs, shuffled
                    auto h = n / 2;
                    x.narrow(1, n - h, h).copy_(-x.narrow(1, 0, h));
                    x = x.index_select(1, at::randperm(n, at::kLong));
                }
                std::vector<std::int64_t> dim{1};
                auto os = referenceAndBound("aten::sum", {IV(x), IV(dim), IV(false), IV()});
                auto om = referenceAndBound("aten::mean", {IV(x), IV(dim), IV(false), IV()});
                countElements("aten::sum", rows);
                countElements("aten::mean", rows);
                forConfigs([&](const std::string& cfg) {
                    check("aten::sum", os, x.sum(1), 0, cfg.c_str());
                    check("aten::mean", om, x.mean(1), 0, cfg.c_str());
                });
                for (auto o : {Order::Sequential, Order::Pairwise, Order::Blocked}) {
                    if (o == Order::Sequential && n > 20000) continue;
                    auto s = tao::test::emulatedSum(x, o, rng());
                    check("aten::sum", os, s, 0, tao::test::orderName(o));
                    check("aten::mean", om, s / static_cast<float>(n), 0, tao::test::orderName(o));
                    check("aten::mean", om, s * (1.0f / static_cast<float>(n)), 0, "reciprocal");
                }
            }
        }
        // Full reduction overload.
        auto x = f32({300, 70});
        auto of = referenceAndBound("aten::sum", {IV(x), IV()});
        check("aten::sum", of, x.sum(), 0, "full");
        report("aten::sum");
        report("aten::mean");
    }

    void nearTightSum() {
        // Appendix B2: [1, u, u, ...] summed left to right gives exactly 1 (each 1 + u ties
        // to even); the error is within the bound and nearly attains it.
        const std::int64_t n = 10001;
        auto x = at::full({1, n}, static_cast<float>(kU));
        x[0][0] = 1.0f;
        float acc = 0.0f;
        auto xa = x.accessor<float, 2>();
        for (std::int64_t i = 0; i < n; ++i)
            acc += xa[0][i];
        QCOMPARE(acc, 1.0f);
        std::vector<std::int64_t> dim{1};
        auto ob = referenceAndBound("aten::sum", {IV(x), IV(dim), IV(false), IV()});
        const double err = std::abs(double(acc) - ob.reference[0].item<double>());
        const double b = ob.bound[0].item<double>();
        std::printf("near-tight sum: error %.4e bound %.4e ratio %.5f\n", err, b, err / b);
        QVERIFY(err <= b);
        QVERIFY(err / b > 0.99);
        QVERIFY(err > 6.0 * std::sqrt(double(n)) * kU); // a sqrt(n) "probabilistic" bound fails
    }

    void pooling() {
        for (int variant = 0; variant < 4; ++variant) {
            auto x = matrixVariant(variant, 4 * 16, 15 * 15, true).reshape({4, 16, 15, 15});
            std::vector<std::int64_t> k{3, 3}, s{2, 2}, p{1, 1}, d{1, 1}, out{4, 4};
            auto oa = referenceAndBound("aten::avg_pool2d",
                                        {IV(x), IV(k), IV(s), IV(p), IV(false), IV(true), IV()});
            auto oad = referenceAndBound("aten::adaptive_avg_pool2d", {IV(x), IV(out)});
            auto om = referenceAndBound("aten::max_pool2d",
                                        {IV(x), IV(k), IV(s), IV(p), IV(d), IV(false)});
            QCOMPARE(int(om.status), int(BoundStatus::Exact));
            countElements("aten::avg_pool2d", 4 * 16 * 8 * 8 * 4);
            countElements("aten::adaptive_avg_pool2d", 4 * 16 * 16 * 4);
            countElements("aten::max_pool2d", 4 * 16 * 8 * 8 * 4);
            forConfigs([&](const std::string& cfg) {
                check("aten::avg_pool2d", oa, at::avg_pool2d(x, k, s, p, false, true), 0,
                      cfg.c_str());
                check("aten::adaptive_avg_pool2d", oad, at::adaptive_avg_pool2d(x, out), 0,
                      cfg.c_str());
                auto ym = at::max_pool2d(x, k, s, p, d, false);
                QVERIFY(at::equal(ym.to(at::kDouble), om.reference[0]));
                check("aten::max_pool2d", om, ym, 0, cfg.c_str());
            });
        }
        report("aten::avg_pool2d");
        report("aten::adaptive_avg_pool2d");
        auto& t = tallies()["aten::max_pool2d"];
        QCOMPARE(t.violations, std::int64_t{0});
        QVERIFY(t.elements >= 10000);
    }

    void softmaxFamily() {
        auto run = [&](const at::Tensor& x) {
            const std::int64_t rows = x.size(0);
            auto os = referenceAndBound("aten::softmax", {IV(x), IV(1), IV()});
            auto ol = referenceAndBound("aten::log_softmax", {IV(x), IV(1), IV()});
            countElements("aten::softmax", x.numel());
            countElements("aten::log_softmax", x.numel());
            forConfigs([&](const std::string& cfg) {
                check("aten::softmax", os, at::softmax(x, 1), 0, cfg.c_str());
                check("aten::log_softmax", ol, at::log_softmax(x, 1), 0, cfg.c_str());
            });
            // Emulated: d = x - max, t = exp(d), S in several orders, t / S or t * (1/S).
            auto m = std::get<0>(x.max(1, true));
            auto d = x - m;
            auto t = at::exp(d);
            for (auto o : {Order::Sequential, Order::Pairwise, Order::Blocked}) {
                if (o == Order::Sequential && x.size(1) > 20000) continue;
                auto s = tao::test::emulatedSum(t, o, rng()).reshape({rows, 1});
                check("aten::softmax", os, t / s, 0, tao::test::orderName(o));
                check("aten::softmax", os, t * (1.0f / s), 0, "reciprocal");
                check("aten::log_softmax", ol, d - at::log(s), 0, tao::test::orderName(o));
                check("aten::log_softmax", ol, x - (m + at::log(s)), 0, "x - lse");
            }
        };
        for (std::int64_t n : {1, 2, 7, 1000, 100000}) {
            const std::int64_t rows = std::max<std::int64_t>(2, 20000 / n);
            run(f32({rows, n}) * 3.0f);
            run(f32({rows, n}) * 1e3f);      // spreads up to 1e4
            run(at::full({rows, n}, 0.75f)); // equal logits
            auto masked = f32({rows, n}) * 5.0f;
            if (n > 1) masked.masked_fill_(at::rand({rows, n}) < 0.4, -INFINITY);
            masked.select(1, 0).fill_(1.0f); // every row keeps one element
            run(masked);
            // Hugging Face masks: scores + finfo.min (FP32 rounds them to -FLT_MAX), the
            // overflowed finfo.min + finfo.min = -inf, and whole rows masked (uniform).
            auto hf = f32({rows, n}) * 5.0f;
            if (n > 1) {
                auto pick = at::rand({rows, n});
                hf = hf + at::where(pick < 0.4, at::full_like(hf, -FLT_MAX), at::zeros_like(hf));
                hf.masked_fill_(pick < 0.1, -INFINITY);
                hf.select(0, 0).fill_(-FLT_MAX);
                hf.select(0, 0)[n - 1] = -INFINITY;
            }
            run(hf);
        }
        report("aten::softmax");
        report("aten::log_softmax");
    }

    void layerNorm() {
        for (double offset : {0.0, 3.0, 30.0, 1e4})
            for (std::int64_t n : {8, 64, 768}) {
                const std::int64_t rows = 20000 / n + 2;
                auto x = (f32({rows, n}) + static_cast<float>(offset)).contiguous();
                auto w = f32({n}), b = f32({n});
                std::vector<std::int64_t> shape{n};
                auto ob = referenceAndBound("aten::layer_norm",
                                            {IV(x), IV(shape), IV(w), IV(b), IV(1e-5), IV(true)});
                const std::string kind = "aten::layer_norm";
                countElements(kind, x.numel());
                forConfigs([&](const std::string& cfg) {
                    check(kind, ob, at::layer_norm(x, shape, w, b, 1e-5), 0, cfg.c_str());
                });
                // Emulated two-pass, one-pass E[x^2] - mu^2, and folded x*r - mu*r forms.
                auto mu = x.sum(1, true) / static_cast<float>(n);
                auto dev = x - mu;
                auto v2 = (dev * dev).sum(1, true) / static_cast<float>(n);
                auto v1 = (x * x).sum(1, true) / static_cast<float>(n) - mu * mu;
                for (auto v : {v2, v1}) {
                    auto r = at::rsqrt(v + 1e-5f);
                    check(kind, ob, (x - mu) * r * w + b, 0, "two-pass/one-pass direct");
                    check(kind, ob, (x * r - mu * r) * w + b, 0, "folded");
                }
                const auto inf = at::isinf(ob.bound[0]).sum().item<std::int64_t>();
                std::printf("layer_norm offset %g n %lld: %lld of %lld bounds infinite%s\n", offset,
                            static_cast<long long>(n), static_cast<long long>(inf),
                            static_cast<long long>(x.numel()),
                            inf ? " (ill-conditioned rows)" : "");
                if (offset <= 3.0) QCOMPARE(inf, std::int64_t{0});
                if (inf > 0) QVERIFY(!ob.reason.empty());
            }
        report("aten::layer_norm");
    }

    void batchNorm() {
        const std::int64_t c = 16;
        for (double meanScale : {0.0, 1.0, 1e3}) {
            auto rm = f32({c}) * static_cast<float>(meanScale);
            auto rv = at::rand({c}) * 4.0f + 0.01f;
            auto x = (f32({8, c, 10, 10}) + rm.reshape({1, c, 1, 1}) * 1.0001f).contiguous();
            auto w = f32({c}), b = f32({c});
            auto ob =
                referenceAndBound("aten::batch_norm", {IV(x), IV(w), IV(b), IV(rm), IV(rv),
                                                       IV(false), IV(0.1), IV(1e-5), IV(true)});
            countElements("aten::batch_norm", x.numel());
            forConfigs([&](const std::string& cfg) {
                check("aten::batch_norm", ob,
                      at::batch_norm(x, w, b, rm, rv, false, 0.1, 1e-5, true), 0, cfg.c_str());
            });
            auto r = at::rsqrt(rv + 1e-5f).reshape({1, c, 1, 1});
            auto s = w.reshape({1, c, 1, 1}) * r;
            auto shift = b.reshape({1, c, 1, 1}) - rm.reshape({1, c, 1, 1}) * s;
            check("aten::batch_norm", ob, x * s + shift, 0, "folded");
            check("aten::batch_norm", ob,
                  (x - rm.reshape({1, c, 1, 1})) * r * w.reshape({1, c, 1, 1}) +
                      b.reshape({1, c, 1, 1}),
                  0, "direct");
        }
        report("aten::batch_norm");
        auto train = referenceAndBound("aten::batch_norm", {IV(f32({2, 3})), IV(), IV(), IV(), IV(),
                                                            IV(true), IV(0.1), IV(1e-5), IV(true)});
        QCOMPARE(int(train.status), int(BoundStatus::NoBound));
    }

    void activations() {
        // Inputs: typical values, a wide magnitude sweep, subnormals, and special points.
        auto x = at::cat({f32({12000}) * 3.0f, wide({6000}, -30, 30), wide({1000}, -44, -38),
                          at::linspace(-100, 100, 2001, at::kFloat),
                          at::tensor({0.0f, -0.0f, 1.0f, -1.0f, 88.7f, -88.7f, -103.0f})});
        auto pos = x.abs();
        struct Case {
            std::string kind;
            std::vector<IV> args;
            std::function<std::vector<at::Tensor>(const at::Tensor&)> impls;
            at::Tensor in;
        };
        std::vector<Case> cases = {
            {"aten::exp",
             {},
             [](const at::Tensor& t) { return std::vector<at::Tensor>{at::exp(t)}; },
             x},
            {"aten::log",
             {},
             [](const at::Tensor& t) { return std::vector<at::Tensor>{at::log(t)}; },
             pos},
            {"aten::sqrt",
             {},
             [](const at::Tensor& t) { return std::vector<at::Tensor>{at::sqrt(t)}; },
             pos},
            {"aten::rsqrt",
             {},
             [](const at::Tensor& t) {
                 return std::vector<at::Tensor>{at::rsqrt(t), 1.0f / at::sqrt(t)};
             },
             pos},
            {"aten::tanh",
             {},
             [](const at::Tensor& t) {
                 auto e = at::exp(-2.0f * t.abs());
                 return std::vector<at::Tensor>{at::tanh(t),
                                                at::sign(t) * ((1.0f - e) / (1.0f + e))};
             },
             x},
            {"aten::sigmoid",
             {},
             [](const at::Tensor& t) {
                 return std::vector<at::Tensor>{at::sigmoid(t), 1.0f / (1.0f + at::exp(-t)),
                                                0.5f + 0.5f * at::tanh(0.5f * t)};
             },
             x},
            {"aten::silu",
             {},
             [](const at::Tensor& t) {
                 return std::vector<at::Tensor>{at::silu(t), t * at::sigmoid(t),
                                                t / (1.0f + at::exp(-t))};
             },
             x},
            {"aten::relu",
             {},
             [](const at::Tensor& t) { return std::vector<at::Tensor>{at::relu(t)}; },
             x},
            {"aten::gelu",
             {IV("none")},
             [](const at::Tensor& t) {
                 return std::vector<at::Tensor>{at::gelu(t),
                                                0.5f * t * (1.0f + at::erf(t * float(M_SQRT1_2)))};
             },
             x},
            {"aten::gelu:tanh",
             {IV("tanh")},
             [](const at::Tensor& t) {
                 auto inner = float(std::sqrt(2.0 / M_PI)) * (t + 0.044715f * t * t * t);
                 return std::vector<at::Tensor>{at::gelu(t, "tanh"),
                                                0.5f * t * (1.0f + at::tanh(inner))};
             },
             x},
        };
        for (auto& cs : cases) {
            std::string kind = cs.kind.substr(0, cs.kind.find(':', 6));
            std::vector<IV> args{IV(cs.in)};
            for (auto& a : cs.args)
                args.push_back(a);
            auto ob = referenceAndBound(kind, args);
            countElements(cs.kind, cs.in.numel());
            forConfigs([&](const std::string& cfg) {
                for (auto& y : cs.impls(cs.in))
                    check(cs.kind, ob, y, 0, cfg.c_str());
            });
            if (kind == "aten::relu") QCOMPARE(int(ob.status), int(BoundStatus::Exact));
        }
        for (auto& cs : cases) {
            if (cs.kind == "aten::relu") {
                QCOMPARE(tallies()[cs.kind].violations, std::int64_t{0});
                continue;
            }
            report(cs.kind);
        }
    }

    void arithmetic() {
        auto a = at::cat({f32({8000}) * 10.0f, wide({4000}, -30, 30), wide({1000}, -44, -38)});
        auto b = at::cat({f32({8000}), wide({4000}, -30, 30), wide({1000}, -44, -38)});
        b = b.index_select(0, at::randperm(b.numel(), at::kLong));
        const double alpha = 0.3;
        struct Case {
            std::string kind;
            std::vector<IV> args;
            std::vector<at::Tensor> ys;
        };
        std::vector<Case> cases = {
            {"aten::add", {IV(a), IV(b), IV(1)}, {at::add(a, b)}},
            {"aten::add (alpha)",
             {IV(a), IV(b), IV(alpha)},
             {at::add(a, b, alpha), a + b * float(alpha)}},
            {"aten::add (scalar)", {IV(a), IV(0.1), IV(1)}, {at::add(a, 0.1)}},
            {"aten::sub", {IV(a), IV(b), IV(1)}, {at::sub(a, b)}},
            {"aten::rsub", {IV(a), IV(b), IV(2.0)}, {at::rsub(a, b, 2.0)}},
            {"aten::mul", {IV(a), IV(b)}, {at::mul(a, b)}},
            {"aten::mul (scalar)", {IV(a), IV(0.1)}, {at::mul(a, 0.1)}},
            {"aten::div", {IV(a), IV(b)}, {at::div(a, b), a * (1.0f / b)}},
            {"aten::div (scalar)", {IV(a), IV(3.0)}, {at::div(a, 3.0), a * (1.0f / 3.0f)}},
            {"aten::pow (2)", {IV(a), IV(2)}, {at::pow(a, 2), a * a}},
            {"aten::pow (3)", {IV(a), IV(3)}, {at::pow(a, 3), a * a * a, at::pow(a, 3.0f)}},
        };
        for (auto& cs : cases) {
            auto kind = cs.kind.substr(0, cs.kind.find(' '));
            auto ob = referenceAndBound(kind, cs.args);
            countElements(cs.kind, a.numel());
            for (auto& y : cs.ys)
                check(cs.kind, ob, y, 0, cs.kind.c_str());
            report(cs.kind);
        }
    }

    void exactOperators() {
        auto x = f32({40, 30, 25});
        x[0][0][0] = INFINITY;
        x[1][1][1] = NAN;
        auto mask = at::rand({40, 30, 25}) < 0.3;
        auto idx = at::randint(0, 4, {7, 3}, at::kLong);
        auto table = f32({4, 16});
        std::vector<std::int64_t> perm{2, 0, 1}, shape{300, 100}, sh2{-1}, ex{3, 4, 30, 25};
        struct Case {
            std::string kind;
            std::vector<IV> args;
            at::Tensor y;
        };
        auto list = c10::List<at::Tensor>({x, x * 2.0f});
        std::vector<Case> cases = {
            {"aten::view", {IV(x), IV(sh2)}, x.view(-1)},
            {"aten::reshape", {IV(x), IV(shape)}, x.reshape(shape)},
            {"aten::permute", {IV(x), IV(perm)}, x.permute(perm)},
            {"aten::transpose", {IV(x), IV(0), IV(2)}, x.transpose(0, 2)},
            {"aten::contiguous", {IV(x.transpose(0, 1)), IV(0)}, x.transpose(0, 1).contiguous()},
            {"aten::slice", {IV(x), IV(1), IV(1), IV(25), IV(2)}, x.slice(1, 1, 25, 2)},
            {"aten::select", {IV(x), IV(2), IV(3)}, x.select(2, 3)},
            {"aten::expand",
             {IV(x.select(0, 0).unsqueeze(0)), IV(ex), IV(false)},
             x.select(0, 0).unsqueeze(0).expand(ex)},
            {"aten::flatten", {IV(x), IV(1), IV(2)}, x.flatten(1, 2)},
            {"aten::unsqueeze", {IV(x), IV(1)}, x.unsqueeze(1)},
            {"aten::squeeze", {IV(x.unsqueeze(0)), IV(0)}, x},
            {"aten::t", {IV(x[0])}, x[0].t()},
            {"aten::to", {IV(x), IV(int(at::kFloat)), IV(false), IV(false), IV()}, x},
            {"aten::clone", {IV(x), IV()}, x.clone()},
            {"aten::dropout", {IV(x), IV(0.5), IV(false)}, x},
            {"aten::relu_", {IV(x)}, at::relu(x)},
            {"aten::neg", {IV(x)}, -x},
            {"aten::abs", {IV(x)}, x.abs()},
            {"aten::clamp", {IV(x), IV(-0.5), IV(0.7)}, x.clamp(-0.5, 0.7)},
            {"aten::hardtanh", {IV(x), IV(-1.0), IV(1.0)}, at::hardtanh(x)},
            {"aten::masked_fill", {IV(x), IV(mask), IV(-1e9)}, x.masked_fill(mask, -1e9)},
            {"aten::masked_fill", {IV(x), IV(mask), IV(0.1)}, x.masked_fill(mask, 0.1)},
            {"aten::where", {IV(mask), IV(x), IV(x * 3.0f)}, at::where(mask, x, x * 3.0f)},
            {"aten::embedding",
             {IV(table), IV(idx), IV(-1), IV(false), IV(false)},
             at::embedding(table, idx)},
            {"aten::cat", {IV(list), IV(1)}, at::cat({x, x * 2.0f}, 1)},
            {"aten::stack", {IV(list), IV(0)}, at::stack({x, x * 2.0f}, 0)},
        };
        std::int64_t elements = 0;
        for (auto& cs : cases) {
            auto ob = referenceAndBound(cs.kind, cs.args);
            QVERIFY2(ob.status == BoundStatus::Exact, (cs.kind + ": " + ob.reason).c_str());
            QCOMPARE(ob.reference[0].sizes(), cs.y.sizes());
            auto ok = withinBound(cs.y, ob.reference[0], ob.bound[0]);
            QVERIFY2(ok.all().item<bool>(), cs.kind.c_str());
            // Exact means exact: the neighbouring float is rejected wherever finite.
            auto next = at::nextafter(cs.y, at::full_like(cs.y, INFINITY));
            auto fin = at::isfinite(cs.y);
            QVERIFY2((withinBound(next, ob.reference[0], ob.bound[0]) & fin)
                             .sum()
                             .item<std::int64_t>() == 0,
                     cs.kind.c_str());
            elements += cs.y.numel();
        }
        std::printf("exact operators: %zu kinds, %lld elements, all accepted exactly\n",
                    cases.size(), static_cast<long long>(elements));
        auto train = referenceAndBound("aten::dropout", {IV(x), IV(0.5), IV(true)});
        QCOMPARE(int(train.status), int(BoundStatus::NoBound));
    }

    void attention() {
        const std::int64_t b = 2, h = 3, l = 24, s = 40, d = 32;
        for (int variant = 0; variant < 3; ++variant) {
            auto q = f32({b, h, l, d}) * (variant == 1 ? 4.0f : 1.0f);
            auto k = f32({b, h, s, d});
            auto v = f32({b, h, s, d}) + (variant == 2 ? 10.0f : 0.0f);
            std::optional<at::Tensor> mask;
            if (variant == 2) mask = (at::rand({l, s}) < 0.7) | at::eye(l, s, at::kBool);
            auto ob = attentionBound(q, k, v, mask, variant == 1, std::nullopt);
            QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
            countElements("attention (composite)", b * h * l * d);
            const float scale = 1.0f / std::sqrt(float(d));
            forConfigs([&](const std::string& cfg) {
                for (bool scaleFirst : {false, true}) {
                    auto logits = scaleFirst ? at::matmul(q * scale, k.transpose(-2, -1))
                                             : at::matmul(q, k.transpose(-2, -1)) * scale;
                    if (variant == 1)
                        logits = logits.masked_fill(at::ones({l, s}, at::kBool).triu(1), -INFINITY);
                    if (mask) logits = logits.masked_fill(mask->logical_not(), -INFINITY);
                    auto p = at::softmax(logits, -1);
                    check("attention (composite)", ob, at::matmul(p, v), 0, cfg.c_str());
                    // Normalising after PV, as FlashAttention does.
                    auto t = at::exp(logits - std::get<0>(logits.max(-1, true)));
                    check("attention (composite)", ob, at::matmul(t, v) / t.sum(-1, true), 0,
                          "post-normalised");
                }
            });
        }
        report("attention (composite)");
        // The registered kind (later LibTorch schema) reaches the same bound.
        auto q = f32({2, 5, 8}), k = f32({2, 6, 8}), v = f32({2, 6, 8});
        auto viaKind = referenceAndBound("aten::scaled_dot_product_attention",
                                         {IV(q), IV(k), IV(v), IV(), IV(0.0), IV(false), IV()});
        QVERIFY2(viaKind.status == BoundStatus::Bounded, viaKind.reason.c_str());
        auto direct = attentionBound(q, k, v, std::nullopt, false, std::nullopt);
        QVERIFY(at::allclose(viaKind.bound[0], direct.bound[0]));
        QVERIFY(hasBound("aten::scaled_dot_product_attention"));
    }

    void mustReject() {
        // y = r + 2 * bound is outside for every finite, nonzero bound.
        auto x = f32({64, 100}), w = f32({50, 100});
        auto ob = referenceAndBound("aten::linear", {IV(x), IV(w), IV()});
        auto b = ob.bound[0];
        auto y = ob.reference[0] + 2.0 * b;
        QCOMPARE(withinBound(y, ob.reference[0], b).sum().item<std::int64_t>(), std::int64_t{0});
        // The wrong GELU variant (tanh form passed off as erf form) exceeds the bound on
        // typical inputs.
        auto g = f32({10000}) * 2.0f;
        auto og = referenceAndBound("aten::gelu", {IV(g), IV("none")});
        auto wrong = at::gelu(g, "tanh");
        auto rejected = withinBound(wrong, og.reference[0], og.bound[0]).logical_not();
        auto typical = (g.abs() > 0.5f) & (g.abs() < 4.0f);
        const double frac =
            (rejected & typical).sum().item<double>() / typical.sum().item<double>();
        std::printf("wrong GELU variant rejected on %.1f%% of typical inputs\n", 100 * frac);
        QVERIFY(frac > 0.9);
        // Unknown kinds are never silently accepted.
        auto unk = referenceAndBound("aten::frobnicate", {IV(x)});
        QCOMPARE(int(unk.status), int(BoundStatus::NoBound));
        QVERIFY(!unk.reason.empty());
        QVERIFY(!hasBound("aten::frobnicate"));
        // Unsupported arguments give NoBound with a reason.
        auto bad = referenceAndBound("aten::softmax", {IV(x), IV(1), IV(int(at::kDouble))});
        QCOMPARE(int(bad.status), int(BoundStatus::NoBound));
        auto wrongDtype = referenceAndBound("aten::exp", {IV(x.to(at::kHalf))});
        QCOMPARE(int(wrongDtype.status), int(BoundStatus::NoBound));
        auto kinds = supportedKinds();
        for (const char* k :
             {"aten::linear", "aten::_convolution", "aten::softmax", "aten::gelu",
              "aten::layer_norm", "aten::batch_norm", "aten::embedding", "aten::cat"})
            QVERIFY2(std::find(kinds.begin(), kinds.end(), k) != kinds.end(), k);
    }

    void tooSmallBoundsAreCaught() {
        // The harness has teeth: bounds computed with a unit roundoff 2^-36 and no math
        // allowance margin are violated by real LibTorch outputs.
        BoundParams tiny;
        tiny.u = 0x1p-36;
        tiny.mathUlpMargin = 0.0;
        auto x = f32({64, 300}) + 1.0f, w = f32({40, 300});
        auto count = [](const at::Tensor& y, const OpBound& ob) {
            return withinBound(y, ob.reference[0], ob.bound[0])
                .logical_not()
                .sum()
                .item<std::int64_t>();
        };
        std::vector<std::int64_t> dim{1}, shape{300};
        const std::int64_t lin =
            count(at::linear(x, w), referenceAndBound("aten::linear", {IV(x), IV(w), IV()}, tiny));
        const std::int64_t sum = count(
            x.sum(1), referenceAndBound("aten::sum", {IV(x), IV(dim), IV(false), IV()}, tiny));
        const std::int64_t sm =
            count(at::softmax(x * 4.0f, 1),
                  referenceAndBound("aten::softmax", {IV(x * 4.0f), IV(1), IV()}, tiny));
        const std::int64_t ex = count(at::exp(x), referenceAndBound("aten::exp", {IV(x)}, tiny));
        const std::int64_t ln =
            count(at::layer_norm(x, shape),
                  referenceAndBound("aten::layer_norm",
                                    {IV(x), IV(shape), IV(), IV(), IV(1e-5), IV(true)}, tiny));
        std::printf("violations of deliberately too small bounds: linear %lld, sum %lld, softmax "
                    "%lld, exp %lld, layer_norm %lld\n",
                    static_cast<long long>(lin), static_cast<long long>(sum),
                    static_cast<long long>(sm), static_cast<long long>(ex),
                    static_cast<long long>(ln));
        QVERIFY(lin > 0);
        QVERIFY(sum > 0);
        QVERIFY(sm > 0);
        QVERIFY(ex > 0);
        QVERIFY(ln > 0);
    }

    void nonFiniteInputs() {
        // Non-finite inputs give infinite bounds exactly where they act; elsewhere finite.
        auto a = f32({8, 16}), w = f32({4, 16});
        a[2][3] = NAN;
        a[5][0] = INFINITY;
        auto ob = referenceAndBound("aten::linear", {IV(a), IV(w), IV()});
        auto inf = at::isinf(ob.bound[0]);
        QVERIFY(inf[2].all().item<bool>());
        QVERIFY(inf[5].all().item<bool>());
        QCOMPARE(inf.sum().item<std::int64_t>(), std::int64_t{8});
        QVERIFY(!ob.reason.empty());
        auto e = referenceAndBound("aten::exp", {IV(at::tensor({1.0f, 100.0f, -INFINITY}))});
        QVERIFY(std::isfinite(e.bound[0][0].item<double>()));
        // exp(100) overflows FP32 in every implementation: the bound stays finite and only
        // +inf is consistent with it (before, an infinite bound accepted any value).
        QVERIFY(std::isfinite(e.bound[0][1].item<double>()));
        auto accepts = [&](float y) {
            return withinBound(at::tensor({2.7182817f, y, 0.0f}), e.reference[0], e.bound[0])
                .all()
                .item<bool>();
        };
        QVERIFY(accepts(INFINITY));
        QVERIFY(!accepts(FLT_MAX));
        QVERIFY(!accepts(-INFINITY));
        QVERIFY(!accepts(NAN));
        QCOMPARE(e.bound[0][2].item<double>() < 1e-30, true);
    }

    // Finite Hugging Face masks (torch.finfo(float32).min) through every op of the mask
    // path: no element without a bound, masked weights with a tiny one, attacks rejected.
    void finiteMasks() {
        const std::int64_t rows = 64, n = 48;
        auto w = f32({rows, n}) * 4.0f;
        auto causal = at::ones({rows, n}, at::kBool).tril(); // rows >= n: every row keeps one
        auto pad = at::rand({n}) < 0.3;
        pad[0] = false;
        auto padF = pad.to(at::kFloat);
        auto finite = [](const OpBound& ob) {
            return at::isfinite(ob.bound[0]).all().item<bool>();
        };
        auto rejects = [](const OpBound& ob, const at::Tensor& y) {
            return !withinBound(y, ob.reference[0], ob.bound[0]).all().item<bool>();
        };
        // (1 - m) * finfo.min: a huge product, bounded.
        auto ext = padF; // (1 - attention_mask): 1 where padded
        countElements("aten::mul (finfo.min)", n);
        countElements("aten::add (finfo.min)", 2 * rows * n);
        countElements("softmax (finfo.min mask)", rows * n);
        countElements("log_softmax (finfo.min mask)", rows * n);
        auto om = referenceAndBound("aten::mul", {IV(ext), IV(double(-FLT_MAX))});
        QVERIFY2(finite(om), om.reason.c_str());
        check("aten::mul (finfo.min)", om, ext * -FLT_MAX);
        QVERIFY(rejects(om, at::zeros_like(ext))); // unpadding is caught
        // where(causal, w, finfo.min): exact.
        auto fmin = at::full({}, -FLT_MAX);
        auto wh = at::where(causal, w, fmin);
        auto ow = referenceAndBound("aten::where", {IV(causal), IV(w), IV(fmin)});
        QCOMPARE(int(ow.status), int(BoundStatus::Exact));
        QVERIFY(rejects(ow, at::where(causal, w, w)));
        // where + additive padding: finfo.min + finfo.min honestly overflows to -inf.
        auto padRow = (padF * -FLT_MAX).expand({rows, n}).contiguous();
        auto scores = wh + padRow;
        auto oa = referenceAndBound("aten::add", {IV(wh), IV(padRow), IV(1)});
        QVERIFY2(finite(oa), oa.reason.c_str());
        check("aten::add (finfo.min)", oa, scores);
        const auto overflowed = at::isinf(scores).sum().item<std::int64_t>();
        QVERIFY(overflowed > 0);
        auto unmasked = scores.clone();
        auto maskedAt = (scores <= -1e38f).flatten().nonzero()[0][0].item<std::int64_t>();
        unmasked.view(-1)[maskedAt] = 10.0f;
        QVERIFY(rejects(oa, unmasked));
        auto hidden = scores.clone();
        hidden.view(-1)[0] = -INFINITY; // a visible score claimed -inf
        QVERIFY(rejects(oa, hidden));
        // softmax and log_softmax over those scores.
        auto os = referenceAndBound("aten::softmax", {IV(scores), IV(1), IV()});
        auto ol = referenceAndBound("aten::log_softmax", {IV(scores), IV(1), IV()});
        QVERIFY2(finite(os), os.reason.c_str());
        QVERIFY2(finite(ol), ol.reason.c_str());
        forConfigs([&](const std::string& cfg) {
            check("softmax (finfo.min mask)", os, at::softmax(scores, 1), 0, cfg.c_str());
            check("log_softmax (finfo.min mask)", ol, at::log_softmax(scores, 1), 0, cfg.c_str());
        });
        auto maskedW = scores <= -1e38f;
        const double maskedBound = os.bound[0].masked_select(maskedW).max().item<double>();
        auto uniform = at::full_like(scores, 1.0f / n);
        QVERIFY(rejects(os, uniform));
        QVERIFY(rejects(os, at::softmax(unmasked, 1)));
        // The additive LLaMA form: full(finfo.min).triu(1), masked_fill with the padding.
        auto cm = at::full({rows, n}, -FLT_MAX).triu(1);
        auto ot = referenceAndBound("aten::triu", {IV(at::full({rows, n}, -FLT_MAX)), IV(1)});
        QCOMPARE(int(ot.status), int(BoundStatus::Exact));
        auto folded = cm.masked_fill(pad.expand({rows, n}), -FLT_MAX);
        auto llama = w + folded;
        auto ol2 = referenceAndBound("aten::add", {IV(w), IV(folded), IV(1)});
        QVERIFY2(finite(ol2), ol2.reason.c_str());
        check("aten::add (finfo.min)", ol2, llama);
        std::printf("finfo.min masks: %lld honest -inf sums accepted; largest bound on a "
                    "masked score %.3g (|score| ~ 3.4e38), on a masked softmax weight %.3g\n",
                    static_cast<long long>(overflowed),
                    oa.bound[0].masked_select(at::isfinite(scores) & maskedW).max().item<double>(),
                    maskedBound);
        QVERIFY(maskedBound < 1e-30);
        // Sums and products with finfo.min are exact in FP64 here (nothing to report as
        // looseness); what matters is that no honest result is outside.
        QCOMPARE(tallies()["aten::mul (finfo.min)"].violations, std::int64_t{0});
        QCOMPARE(tallies()["aten::add (finfo.min)"].violations, std::int64_t{0});
        report("softmax (finfo.min mask)", 1);
        report("log_softmax (finfo.min mask)", 1);
        // -inf masks stay exact through add and log_softmax.
        auto ninf = at::where(causal, w, at::full({}, -INFINITY));
        auto oi = referenceAndBound("aten::add", {IV(ninf), IV(w), IV(1)});
        QVERIFY(finite(oi));
        QVERIFY(rejects(oi, at::where(causal, ninf + w, w)));
        auto oli = referenceAndBound("aten::log_softmax", {IV(ninf), IV(1), IV()});
        QVERIFY(finite(oli));
        QVERIFY(!rejects(oli, at::log_softmax(ninf, 1)));
        // A claimed infinity far from FP32 overflow is refuted; honest overflow is not.
        auto small = at::tensor({1.0f, 2.0f});
        auto os2 = referenceAndBound("aten::add", {IV(small), IV(small), IV(1)});
        QVERIFY(rejects(os2, at::tensor({2.0f, INFINITY})));
        auto big = at::tensor({-FLT_MAX, FLT_MAX});
        auto ob = referenceAndBound("aten::add", {IV(big), IV(big), IV(1)});
        QVERIFY(finite(ob));
        QVERIFY(!rejects(ob, at::tensor({-INFINITY, INFINITY})));
        QVERIFY(rejects(ob, at::tensor({INFINITY, -INFINITY})));
        QVERIFY(rejects(ob, big));
    }
};

QTEST_GUILESS_MAIN(TestNumerics)
#include "test_numerics.moc"
