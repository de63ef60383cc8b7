// Soundness tests of the bounds for the operator kinds of real vision models (issue 13):
// piecewise activations, trigonometric functions, pow with a tensor exponent, outer and
// einsum contractions, cumsum, vector norms, var/std, group/instance norm, bilinear
// upsampling (torchvision's segmentation heads), the exact
// data-movement and comparison kinds, arange, and the recurrent layers (LSTM, GRU, RNN).
// Every FP32 output a correct implementation may produce (LibTorch in every configuration
// here, and emulated formulas, scan orders, reduction orders, FMA and split-K) must lie
// within the bound of the FP64 reference; each kind prints its looseness.
#include "numerics/bound_check.hpp"
#include "numerics/emulate.hpp"

#include <QTest>
#include <cfloat>
#include <cmath>
#include <cstdio>

using namespace tao::numerics;
using namespace tao::test;
using tao::test::Order;

namespace {

using IV = c10::IValue;
using Impl = std::function<std::vector<at::Tensor>(const at::Tensor&)>;

// Element-wise test inputs: typical values, a wide magnitude sweep up to near overflow,
// subnormals, a dense grid over [-100, 100], and the special points of the kinds here
// (corners of relu6(x + 3), softplus thresholds, multiples of pi, signed zeros, extremes).
at::Tensor adversarial() {
    std::vector<float> special = {0.0f,    -0.0f,    1.0f,   -1.0f,   3.0f,       -3.0f,
                                  6.0f,    -6.0f,    20.0f,  -20.0f,  10.0f,      88.7f,
                                  -88.7f,  -103.0f,  1e38f,  -1e38f,  FLT_MAX,    -FLT_MAX,
                                  FLT_MIN, -FLT_MIN, 1e-45f, -1e-45f, 3.1415927f, 6.2831855f};
    for (float v : {-3.0f, 3.0f, 20.0f, 10.0f, -6.0f})
        for (float dir : {-INFINITY, INFINITY}) {
            float t = v;
            for (int i = 0; i < 3; ++i)
                special.push_back(t = std::nextafter(t, dir));
        }
    // Floats nearest k pi and k pi / 2 (sin and cos nearly cancel there).
    auto k = at::randint(1, 1 << 20, {2000}, at::kDouble);
    auto nearPi = at::cat({k * M_PI, k * M_PI_2}).to(at::kFloat);
    return at::cat({f32({12000}) * 3.0f, wide({6000}, -30, 38), wide({1000}, -45, -38),
                    at::linspace(-100, 100, 2001, at::kFloat), nearPi,
                    at::tensor(special, at::kFloat)});
}

// Runs each implementation of the kind on x under every configuration and checks it.
void checkUnary(const std::string& label, const std::string& kind, const std::vector<IV>& extra,
                const at::Tensor& x, const Impl& impls) {
    std::vector<IV> args{IV(x)};
    args.insert(args.end(), extra.begin(), extra.end());
    auto ob = referenceAndBound(kind, args);
    QVERIFY2(ob.status == BoundStatus::Bounded, (kind + ": " + ob.reason).c_str());
    countElements(label, x.numel());
    forConfigs([&](const std::string& cfg) {
        for (auto& y : impls(x))
            check(label, ob, y, 0, cfg.c_str());
    });
    // A strided view takes LibTorch's scalar (non-vectorised) kernel path.
    auto strided = x.unsqueeze(1).expand({x.numel(), 2}).select(1, 1);
    for (auto& y : impls(strided))
        check(label, ob, y, 0, "strided");
}

// A row-wise sum (R x n FP32) in the given order: emulate.hpp, or LibTorch itself.
at::Tensor rowSum(const at::Tensor& x, Order o) {
    return tao::test::emulatedSum(x.contiguous(), o, rng()).reshape({x.size(0), 1});
}
constexpr Order kSumOrders[] = {Order::Sequential, Order::Pairwise, Order::Blocked};

// Welford's one-pass mean/M2 recurrence in FP32, sequential over the columns.
std::pair<at::Tensor, at::Tensor> welford(const at::Tensor& x) {
    auto mean = at::zeros({x.size(0), 1}, at::kFloat), m2 = at::zeros_like(mean);
    for (std::int64_t j = 0; j < x.size(1); ++j) {
        auto v = x.narrow(1, j, 1);
        auto delta = v - mean;
        mean = mean + delta / static_cast<float>(j + 1);
        m2 = m2 + delta * (v - mean);
    }
    return {mean, m2};
}

// Inclusive scans along dim 1 of R x n FP32 in the orders a correct cumsum may use.
std::vector<at::Tensor> scans(const at::Tensor& x) {
    std::vector<at::Tensor> out{at::cumsum(x, 1)};
    const auto n = x.size(1);
    // Hillis-Steele: log2 n rounds of y[s:] += y[:-s].
    auto y = x.clone();
    for (std::int64_t s = 1; s < n; s *= 2) {
        auto next = y.clone();
        next.narrow(1, s, n - s).copy_(y.narrow(1, s, n - s) + y.narrow(1, 0, n - s));
        y = next;
    }
    out.push_back(y);
    // Blocked: scan each block, scan the block totals, add the offsets.
    std::uniform_int_distribution<std::int64_t> pick(1, std::max<std::int64_t>(1, n / 3));
    const std::int64_t block = pick(rng());
    std::vector<at::Tensor> parts;
    auto offset = at::zeros({x.size(0), 1}, at::kFloat);
    for (std::int64_t s = 0; s < n; s += block) {
        auto part = at::cumsum(x.narrow(1, s, std::min(block, n - s)), 1);
        parts.push_back(part + offset);
        offset = offset + part.narrow(1, part.size(1) - 1, 1);
    }
    out.push_back(at::cat(parts, 1));
    return out;
}

enum class Cell { Lstm, Gru, Tanh, Relu };

const char* cellKind(Cell c) {
    switch (c) {
    case Cell::Lstm:
        return "aten::lstm";
    case Cell::Gru:
        return "aten::gru";
    case Cell::Tanh:
        return "aten::rnn_tanh";
    case Cell::Relu:
        return "aten::rnn_relu";
    }
    return "?";
}

// sum_k [x, h, 1, 1]_k [W_ih, W_hh, b_ih, b_hh]_gk as one FP32 dot product in the given
// order (rows of the weights: the gates wanted). Without h (undefined) it is [x, 1].
at::Tensor gateDot(const at::Tensor& x, const at::Tensor& wih, const at::Tensor& bih,
                   const at::Tensor& h, const at::Tensor& whh, const at::Tensor& bhh, Order o) {
    auto ones = at::ones({x.size(0), 1}, at::kFloat);
    std::vector<at::Tensor> zs{x, ones}, ws{wih, bih.unsqueeze(1)};
    if (h.defined()) {
        zs.insert(zs.begin() + 1, h);
        zs.push_back(ones);
        ws.insert(ws.begin() + 1, whh);
        ws.push_back(bhh.unsqueeze(1));
    }
    return tao::test::emulatedMatmul(at::cat(zs, 1), at::cat(ws, 1).t().contiguous(), o, rng());
}

at::Tensor sigmoidBy(const at::Tensor& t, int formula) {
    return formula == 0 ? at::sigmoid(t) : 1.0f / (1.0f + at::exp(-t));
}

// One unidirectional layer (x: [T, B, I], seq-first) of the cell in FP32, every gate a dot
// product in order o; formula picks the sigmoid form and, for the GRU, the update form
// (0: n + z (h - n) as PyTorch's CPU cell, 1: (1 - z) n + z h as cuDNN documents it).
std::vector<at::Tensor> emulatedLayer(Cell cell, const at::Tensor& x, at::Tensor h, at::Tensor c,
                                      const std::vector<at::Tensor>& p, Order o, int formula) {
    const auto& wih = p[0];
    const auto& whh = p[1];
    const auto& bih = p[2];
    const auto& bhh = p[3];
    std::vector<at::Tensor> outs;
    for (std::int64_t t = 0; t < x.size(0); ++t) {
        const auto xt = x[t];
        if (cell == Cell::Lstm) {
            auto g = gateDot(xt, wih, bih, h, whh, bhh, o).chunk(4, 1);
            auto i = sigmoidBy(g[0], formula), f = sigmoidBy(g[1], formula);
            auto gg = at::tanh(g[2]), og = sigmoidBy(g[3], formula);
            c = f * c + i * gg;
            h = og * at::tanh(c);
        } else if (cell == Cell::Gru) {
            auto wi = wih.chunk(3, 0), wh = whh.chunk(3, 0), bi = bih.chunk(3, 0),
                 bh = bhh.chunk(3, 0);
            auto r = sigmoidBy(gateDot(xt, wi[0], bi[0], h, wh[0], bh[0], o), formula);
            auto z = sigmoidBy(gateDot(xt, wi[1], bi[1], h, wh[1], bh[1], o), formula);
            auto xn = gateDot(xt, wi[2], bi[2], {}, {}, {}, o);
            auto hn = gateDot(h, wh[2], bh[2], {}, {}, {}, o);
            auto n = at::tanh(xn + r * hn);
            h = formula == 0 ? n + z * (h - n) : (1.0f - z) * n + z * h;
        } else {
            auto pre = gateDot(xt, wih, bih, h, whh, bhh, o);
            h = cell == Cell::Tanh ? at::tanh(pre) : at::relu(pre);
        }
        outs.push_back(h);
    }
    std::vector<at::Tensor> r{at::stack(outs, 0), h.unsqueeze(0)};
    if (cell == Cell::Lstm) r.push_back(c.unsqueeze(0));
    return r;
}

// LibTorch's own layer (any depth, direction, layout) as a vector of outputs.
std::vector<at::Tensor> torchLayer(Cell cell, const at::Tensor& x, const at::Tensor& h0,
                                   const at::Tensor& c0, const std::vector<at::Tensor>& p,
                                   std::int64_t layers, bool bidir, bool batchFirst) {
    if (cell == Cell::Lstm) {
        auto [y, h, c] = at::lstm(x, {h0, c0}, p, true, layers, 0.0, false, bidir, batchFirst);
        return {y, h, c};
    }
    std::tuple<at::Tensor, at::Tensor> r;
    if (cell == Cell::Gru)
        r = at::gru(x, h0, p, true, layers, 0.0, false, bidir, batchFirst);
    else if (cell == Cell::Tanh)
        r = at::rnn_tanh(x, h0, p, true, layers, 0.0, false, bidir, batchFirst);
    else
        r = at::rnn_relu(x, h0, p, true, layers, 0.0, false, bidir, batchFirst);
    return {std::get<0>(r), std::get<1>(r)};
}

} // namespace

class TestNumericsKinds : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { at::manual_seed(20240613); }

    void piecewiseActivations() {
        auto x = adversarial();
        checkUnary("aten::hardswish", "aten::hardswish_", {}, x, [](const at::Tensor& t) {
            auto r6 = at::clamp(t + 3.0f, 0.0f, 6.0f);
            return std::vector<at::Tensor>{at::hardswish(t), t * r6 / 6.0f, t * r6 * (1.0f / 6.0f),
                                           t * (r6 / 6.0f), t * (r6 * (1.0f / 6.0f))};
        });
        checkUnary("aten::hardsigmoid", "aten::hardsigmoid", {}, x, [](const at::Tensor& t) {
            auto r6 = at::clamp(t + 3.0f, 0.0f, 6.0f);
            return std::vector<at::Tensor>{at::hardsigmoid(t), r6 / 6.0f, r6 * (1.0f / 6.0f)};
        });
        for (double slope : {0.01, 0.2, 3.0}) {
            checkUnary("aten::leaky_relu", "aten::leaky_relu", {IV(slope)}, x,
                       [slope](const at::Tensor& t) {
                           return std::vector<at::Tensor>{
                               at::leaky_relu(t, slope),
                               at::where(t > 0, t, t * static_cast<float>(slope))};
                       });
        }
        // elu: default, SELU's constants (alpha * scale formed in FP32), an input scale.
        struct EluArgs {
            double alpha, scale, inScale;
        };
        for (auto a : {EluArgs{1.0, 1.0, 1.0}, EluArgs{1.6732632423543772, 1.0507009873554805, 1.0},
                       EluArgs{0.3, 1.0, 2.5}}) {
            checkUnary("aten::elu", "aten::elu", {IV(a.alpha), IV(a.scale), IV(a.inScale)}, x,
                       [a](const at::Tensor& t) {
                           const float neg = float(a.alpha) * float(a.scale);
                           auto arg = t * float(a.inScale);
                           auto pos = t * float(a.scale);
                           return std::vector<at::Tensor>{
                               at::elu(t, a.alpha, a.scale, a.inScale),
                               at::where(t > 0, pos, (at::exp(arg) - 1.0f) * neg),
                               at::where(t > 0, pos, at::expm1(arg) * neg)};
                       });
        }
        for (auto [beta, thr] : {std::pair{1.0, 20.0}, {2.0, 20.0}, {0.3, 10.0}}) {
            checkUnary("aten::softplus", "aten::softplus", {IV(beta), IV(thr)}, x,
                       [beta = beta, thr = thr](const at::Tensor& t) {
                           auto tb = t * float(beta);
                           auto curve = at::log1p(at::exp(tb));
                           return std::vector<at::Tensor>{
                               at::softplus(t, beta, thr),
                               at::where(tb > float(thr), t, curve / float(beta)),
                               at::where(tb > float(thr), t, curve * (1.0f / float(beta)))};
                       });
        }
        // prelu: one weight per channel, and a shared one.
        const std::int64_t ch = 8;
        auto xc = x.narrow(0, 0, (x.numel() / ch) * ch).reshape({-1, ch}).contiguous();
        for (auto w : {wide({ch}, -3, 1), at::full({1}, 0.25f)}) {
            auto ob = referenceAndBound("aten::prelu", {IV(xc), IV(w)});
            countElements("aten::prelu", xc.numel());
            forConfigs([&](const std::string& cfg) {
                check("aten::prelu", ob, at::prelu(xc, w), 0, cfg.c_str());
                check("aten::prelu", ob, at::where(xc > 0, xc, xc * w), 0, "where");
            });
        }
        for (const char* kind : {"aten::hardswish", "aten::hardsigmoid", "aten::leaky_relu",
                                 "aten::elu", "aten::softplus", "aten::prelu"})
            report(kind);
    }

    void trigonometric() {
        auto x = adversarial();
        // Besides LibTorch's kernels, FP64 results rounded once (correctly rounded up to
        // double rounding, i.e. within 0.5 ulp + a hair).
        checkUnary("aten::sin", "aten::sin", {}, x, [](const at::Tensor& t) {
            return std::vector<at::Tensor>{at::sin(t), at::sin(t.to(at::kDouble)).to(at::kFloat)};
        });
        checkUnary("aten::cos", "aten::cos", {}, x, [](const at::Tensor& t) {
            return std::vector<at::Tensor>{at::cos(t), at::cos(t.to(at::kDouble)).to(at::kFloat)};
        });
        report("aten::sin");
        report("aten::cos");
    }

    void powWithTensorExponent() {
        // Scalar base (positional encodings: 10000 ** (arange / d)); exponents over the
        // adversarial set scaled into (and beyond) the range where b^x is finite.
        auto x = adversarial();
        auto e = at::cat({x.clamp(-200.0f, 200.0f), at::rand({4000}) * 2.0f - 1.0f,
                          at::arange(0, 64, at::kFloat) / 64.0f});
        for (double b : {10000.0, 2.0, 0.5, 10.0, 2.718281828459045, 1.0001, 1.0}) {
            auto ob = referenceAndBound("aten::pow", {IV(b), IV(e)});
            QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
            countElements("aten::pow (scalar base)", e.numel());
            forConfigs([&](const std::string& cfg) {
                check("aten::pow (scalar base)", ob, at::pow(b, e), 0, cfg.c_str());
            });
            check("aten::pow (scalar base)", ob,
                  at::pow(static_cast<double>(static_cast<float>(b)), e.to(at::kDouble))
                      .to(at::kFloat),
                  0, "fp64 of the rounded base");
            if (b == 2.0) check("aten::pow (scalar base)", ob, at::exp2(e), 0, "exp2");
        }
        report("aten::pow (scalar base)");
        // Tensor base and exponent, and scalar exponents without a special formula.
        auto base = at::cat({x.abs(), -at::arange(1, 9, at::kFloat)});
        auto expo = at::cat({at::rand({x.numel()}) * 8.0f - 4.0f, at::arange(-4, 4, at::kFloat)});
        auto ot = referenceAndBound("aten::pow", {IV(base), IV(expo)});
        countElements("aten::pow (tensors)", base.numel());
        forConfigs([&](const std::string& cfg) {
            check("aten::pow (tensors)", ot, at::pow(base, expo), 0, cfg.c_str());
        });
        report("aten::pow (tensors)");
        for (double p : {1.5, -3.0, 4.0, 0.1}) {
            auto op = referenceAndBound("aten::pow", {IV(base), IV(p)});
            countElements("aten::pow (scalar exponent)", base.numel());
            forConfigs([&](const std::string& cfg) {
                check("aten::pow (scalar exponent)", op, at::pow(base, p), 0, cfg.c_str());
            });
        }
        report("aten::pow (scalar exponent)");
    }

    void outerAndEinsum() {
        for (int variant = 0; variant < 4; ++variant) {
            auto a = matrixVariant(variant, 1, 120, true).reshape({-1});
            auto b = matrixVariant(variant + 1, 1, 100, true).reshape({-1});
            auto ob = referenceAndBound("aten::outer", {IV(a), IV(b)});
            countElements("aten::outer", a.numel() * b.numel());
            check("aten::outer", ob, at::outer(a, b), 0, "outer");
            check("aten::outer", ob, a.unsqueeze(1) * b, 0, "broadcast");
        }
        report("aten::outer");
        // Two-operand matrix contractions: LibTorch and every emulated GEMM order.
        for (int variant = 0; variant < 4; ++variant) {
            for (std::int64_t k : {1, 37, 400}) {
                auto a = matrixVariant(variant, 24, k, true);
                auto b = matrixVariant(variant + 1, k, 30, false);
                auto list = c10::List<at::Tensor>({a, b});
                for (const char* eq : {"ij,jk->ik", "ij,jk"}) {
                    auto ob = referenceAndBound("aten::einsum", {IV(eq), IV(list), IV()});
                    QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
                    countElements("aten::einsum", 24 * 30);
                    forConfigs([&](const std::string& cfg) {
                        check("aten::einsum", ob, at::einsum(eq, {a, b}), 0, cfg.c_str());
                    });
                    for (auto o : tao::test::kAllOrders)
                        check("aten::einsum", ob, tao::test::emulatedMatmul(a, b, o, rng()), 0,
                              tao::test::orderName(o));
                }
            }
        }
        // Other shapes: attention scores, batched, reductions, diagonals, three operands in
        // both association orders.
        auto q = f32({2, 3, 10, 16}), kk = f32({2, 3, 12, 16}) * 1e3f;
        auto m = wide({20, 30}, -10, 10), v = f32({30}), sq = f32({40, 40});
        auto a3 = f32({16, 24}), b3 = wide({24, 20}, -5, 5), c3 = f32({20, 18});
        struct Case {
            std::string eq;
            std::vector<at::Tensor> ops;
            std::vector<at::Tensor> extra; // other honest evaluations
        };
        std::vector<Case> cases = {
            {"bhqd,bhkd->bhqk", {q, kk}, {at::matmul(q, kk.transpose(-2, -1))}},
            {"...qd,...kd->...qk", {q, kk}, {}},
            {"ij->i", {m}, {m.sum(1)}},
            {"ij,j->i", {m, v}, {at::mv(m, v)}},
            {"i,i->", {v, v * 3.0f}, {at::dot(v, v * 3.0f)}},
            {"ii->i", {sq}, {sq.diagonal()}},
            {"ii", {sq}, {sq.diagonal().sum()}},
            {"ij->ji", {m}, {m.t()}},
            {"ij,jk,kl->il",
             {a3, b3, c3},
             {at::mm(at::mm(a3, b3), c3), at::mm(a3, at::mm(b3, c3))}},
        };
        for (auto& cs : cases) {
            auto list = c10::List<at::Tensor>(cs.ops);
            auto ob = referenceAndBound("aten::einsum", {IV(cs.eq), IV(list), IV()});
            QVERIFY2(ob.status != BoundStatus::NoBound, (cs.eq + ": " + ob.reason).c_str());
            countElements("aten::einsum", ob.reference[0].numel());
            forConfigs([&](const std::string& cfg) {
                check("aten::einsum", ob, at::einsum(cs.eq, cs.ops), 0, (cs.eq + cfg).c_str());
            });
            for (auto& y : cs.extra)
                check("aten::einsum", ob, y, 0, cs.eq.c_str());
        }
        report("aten::einsum");
    }

    void cumsum() {
        for (std::int64_t n : {1, 2, 10, 1000, 5000}) {
            const std::int64_t rows = std::max<std::int64_t>(4, 20000 / n);
            for (int variant = 0; variant < 4; ++variant) {
                auto x = matrixVariant(variant, rows, n, true);
                if (variant == 3 && n > 1) { // cancellation: x and -x, shuffled
                    auto h = n / 2;
                    x.narrow(1, n - h, h).copy_(-x.narrow(1, 0, h));
                    x = x.index_select(1, at::randperm(n, at::kLong));
                }
                auto ob = referenceAndBound("aten::cumsum", {IV(x), IV(1), IV()});
                countElements("aten::cumsum", x.numel());
                forConfigs([&](const std::string& cfg) {
                    check("aten::cumsum", ob, at::cumsum(x, 1), 0, cfg.c_str());
                });
                for (auto& y : scans(x))
                    check("aten::cumsum", ob, y, 0, "scan");
            }
        }
        report("aten::cumsum");
        auto ints = at::randint(-1000, 1000, {50, 40}, at::kLong);
        auto oi = referenceAndBound("aten::cumsum", {IV(ints), IV(0), IV()});
        QCOMPARE(int(oi.status), int(BoundStatus::Exact));
    }

    void vectorNorms() {
        for (std::int64_t n : {1, 3, 100, 4000}) {
            const std::int64_t rows = std::max<std::int64_t>(4, 20000 / n);
            for (int variant = 0; variant < 4; ++variant) {
                auto x = matrixVariant(variant, rows, n, true);
                std::vector<std::int64_t> dim{1};
                for (double ord : {2.0, 1.0, double(INFINITY)}) {
                    auto ob = referenceAndBound("aten::linalg_vector_norm",
                                                {IV(x), IV(ord), IV(dim), IV(false), IV()});
                    QVERIFY2(ob.status != BoundStatus::NoBound, ob.reason.c_str());
                    const std::string kind = "aten::linalg_vector_norm";
                    countElements(kind, rows);
                    forConfigs([&](const std::string& cfg) {
                        check(kind, ob, at::linalg_vector_norm(x, ord, dim, false), 0, cfg.c_str());
                    });
                    if (ord != 2.0) continue;
                    auto on = referenceAndBound("aten::norm", {IV(x), IV(2.0), IV(dim), IV(false)});
                    check(kind, on, at::norm(x, 2.0, dim, false), 0, "aten::norm");
                    for (auto o : kSumOrders)
                        check(kind, ob, at::sqrt(rowSum(x * x, o)).reshape({rows}), 0,
                              tao::test::orderName(o));
                    for (std::int64_t r = 0; r < std::min<std::int64_t>(rows, 4); ++r) {
                        auto row = x.narrow(0, r, 1);
                        auto dot = tao::test::emulatedMatmul(row, row.t().contiguous(),
                                                             Order::BlockedFma, rng());
                        auto one = referenceAndBound("aten::linalg_vector_norm",
                                                     {IV(row), IV(2.0), IV(dim), IV(false), IV()});
                        check(kind, one, at::sqrt(dot).reshape({1}), 0, "fma dot");
                    }
                }
            }
        }
        report("aten::linalg_vector_norm");
    }

    void varianceAndStd() {
        for (double offset : {0.0, 3.0, 1e3})
            for (std::int64_t n : {2, 10, 300, 2000}) {
                const std::int64_t rows = std::max<std::int64_t>(6, 20000 / n);
                auto x =
                    (f32({rows, n}) * (offset > 100 ? 0.5f : 1.0f) + static_cast<float>(offset))
                        .contiguous();
                std::vector<std::int64_t> dim{1};
                for (bool unbiased : {true, false}) {
                    auto ov =
                        referenceAndBound("aten::var", {IV(x), IV(dim), IV(unbiased), IV(false)});
                    auto os =
                        referenceAndBound("aten::std", {IV(x), IV(dim), IV(unbiased), IV(false)});
                    countElements("aten::var", rows);
                    countElements("aten::std", rows);
                    forConfigs([&](const std::string& cfg) {
                        check("aten::var", ov, at::var(x, dim, unbiased, false), 0, cfg.c_str());
                        check("aten::std", os, at::std(x, dim, unbiased, false), 0, cfg.c_str());
                    });
                    const float denom = static_cast<float>(n - (unbiased ? 1 : 0));
                    std::vector<at::Tensor> vars;
                    for (auto o : kSumOrders) { // two-pass and one-pass in several orders
                        auto mu = rowSum(x, o) / static_cast<float>(n);
                        auto d = x - mu;
                        vars.push_back(rowSum(d * d, o) / denom);
                        auto ex2 = rowSum(x * x, o) / static_cast<float>(n);
                        vars.push_back((ex2 - mu * mu) * (static_cast<float>(n) / denom));
                    }
                    if (n <= 300) vars.push_back(welford(x).second / denom);
                    for (auto& v : vars) {
                        check("aten::var", ov, v.reshape({rows}), 0, "emulated");
                        check("aten::std", os, at::sqrt(v).reshape({rows}), 0, "emulated");
                    }
                }
            }
        // Overloads: all elements, correction, several dims with keepdim.
        auto x = f32({6, 7, 8}) + 2.0f;
        std::vector<std::int64_t> dims{0, 2};
        auto oa = referenceAndBound("aten::var", {IV(x), IV(true)});
        check("aten::var", oa, at::var(x, true), 0, "all");
        auto oc = referenceAndBound("aten::var", {IV(x), IV(dims), IV(0), IV(true)});
        check("aten::var", oc, at::var(x, dims, false, true), 0, "correction 0");
        auto osd = referenceAndBound("aten::std", {IV(x), IV(dims), IV(true), IV(true)});
        check("aten::std", osd, at::std(x, dims, true, true), 0, "dims");
        report("aten::var");
        report("aten::std");
    }

    void groupAndInstanceNorm() {
        for (double offset : {0.0, 3.0, 30.0})
            for (std::int64_t groups : {1, 4, 16}) {
                const std::int64_t nb = 3, ch = 16, hw = 9;
                auto x = (f32({nb, ch, hw, hw}) * 2.0f + static_cast<float>(offset)).contiguous();
                auto w = f32({ch}), b = f32({ch}) * 3.0f;
                auto og = referenceAndBound("aten::group_norm",
                                            {IV(x), IV(groups), IV(w), IV(b), IV(1e-5), IV(true)});
                countElements("aten::group_norm", x.numel());
                forConfigs([&](const std::string& cfg) {
                    check("aten::group_norm", og, at::group_norm(x, groups, w, b, 1e-5), 0,
                          cfg.c_str());
                });
                // Emulated: statistics in several orders, affine direct and folded.
                auto xg = x.reshape({nb * groups, -1});
                const float n = static_cast<float>(xg.size(1));
                auto wc = w.reshape({1, ch, 1, 1}), bc = b.reshape({1, ch, 1, 1});
                auto perChannel = [&](const at::Tensor& t) {
                    return t.reshape({nb, groups, 1})
                        .expand({nb, groups, ch / groups})
                        .reshape({nb, ch, 1, 1});
                };
                for (auto o : kSumOrders) {
                    auto mu = rowSum(xg, o) / n;
                    auto d = xg - mu;
                    auto r = at::rsqrt(rowSum(d * d, o) / n + 1e-5f);
                    auto z = (d * r).reshape(x.sizes());
                    check("aten::group_norm", og, z * wc + bc, 0, "direct");
                    auto s = perChannel(r) * wc;
                    check("aten::group_norm", og, x * s + (bc - perChannel(mu) * s), 0, "folded");
                }
                if (groups != ch) continue;
                auto oi = referenceAndBound(
                    "aten::instance_norm",
                    {IV(x), IV(w), IV(b), IV(), IV(), IV(true), IV(0.1), IV(1e-5), IV(false)});
                countElements("aten::instance_norm", x.numel());
                forConfigs([&](const std::string& cfg) {
                    check("aten::instance_norm", oi,
                          at::instance_norm(x, w, b, {}, {}, true, 0.1, 1e-5, false), 0,
                          cfg.c_str());
                    check("aten::instance_norm", oi, at::group_norm(x, ch, w, b, 1e-5), 0,
                          "as group_norm");
                });
            }
        // instance_norm with running statistics (use_input_stats = false) is batch_norm eval.
        auto x = f32({4, 8, 12, 12}) + 1.0f;
        auto rm = f32({8}), rv = at::rand({8}) + 0.5f, w = f32({8}), b = f32({8});
        auto oe =
            referenceAndBound("aten::instance_norm", {IV(x), IV(w), IV(b), IV(rm), IV(rv),
                                                      IV(false), IV(0.1), IV(1e-5), IV(false)});
        countElements("aten::instance_norm", x.numel());
        check("aten::instance_norm", oe,
              at::instance_norm(x, w, b, rm, rv, false, 0.1, 1e-5, false), 0, "running stats");
        report("aten::group_norm");
        report("aten::instance_norm");
    }

    // Bilinear upsampling, as segmentation heads use it: LibTorch's kernel in every
    // configuration and memory format, and emulated FP32 kernels that compute the source
    // coordinate by other formulas (scale times position, or position times size over size)
    // and interpolate width-first or height-first with either weight form. Sizes up and
    // down, align_corners both ways, output size or scale factors (both overloads), and
    // inputs with spikes so that a coordinate error shows.
    void bilinearUpsampling() {
        const std::string kind = "aten::upsample_bilinear2d";
        struct Axis {
            at::Tensor i0, i1, l0, l1;
        };
        // FP32 source cells and weights of one axis; form 1 divides instead of scaling.
        const auto axisF32 = [](std::int64_t from, std::int64_t out, bool align,
                                std::optional<double> sf, int form) {
            const auto o = at::arange(out, at::kFloat);
            at::Tensor src;
            if (align) {
                src = form == 0 ? o * (out > 1 ? float(from - 1) / float(out - 1) : 0.0f)
                                : o * float(from - 1) / float(std::max<std::int64_t>(out - 1, 1));
            } else {
                const float s = sf ? float(1.0 / *sf) : float(from) / float(out);
                src = form == 0 || sf ? (o + 0.5f) * s - 0.5f
                                      : (o + 0.5f) * float(from) / float(out) - 0.5f;
                src = at::clamp_min(src, 0.0f);
            }
            Axis a;
            a.i0 = at::clamp_max(at::floor(src), float(from - 1)).to(at::kLong);
            a.i1 = at::clamp_max(a.i0 + 1, from - 1);
            a.l1 = src - a.i0.to(at::kFloat);
            a.l0 = form == 0 ? 1.0f - a.l1 : (a.i0 + 1).to(at::kFloat) - src;
            return a;
        };
        const auto lerp = [](const at::Tensor& x, int dim, const Axis& a) {
            const auto shape = [&](const at::Tensor& w) {
                std::vector<std::int64_t> v(4, 1);
                v[static_cast<std::size_t>(dim)] = w.numel();
                return w.view(v);
            };
            return shape(a.l0) * x.index_select(dim, a.i0) +
                   shape(a.l1) * x.index_select(dim, a.i1);
        };
        const std::vector<std::pair<std::int64_t, std::int64_t>> sizes = {
            {1, 3}, {2, 7}, {5, 16}, {8, 33}, {13, 64}, {32, 97}, {16, 8}, {33, 10}, {7, 7}};
        std::int64_t elements = 0;
        int caseNo = 0;
        for (const auto& [hIn, hOut] : sizes)
            for (const auto& [wIn, wOut] : sizes) {
                if ((hIn * wIn) % 3 != static_cast<std::int64_t>(caseNo++ % 3)) continue;
                for (int variant = 0; variant < 4; ++variant) {
                    const bool align = variant % 2 == 1;
                    const bool byScale = variant >= 2 && !align;
                    auto x = (variant == 3 ? wide({2, 3, hIn, wIn}, -3, 4) : f32({2, 3, hIn, wIn}))
                                 .contiguous();
                    auto flat = x.view(-1);
                    flat[at::randint(flat.numel(), {1}).item<std::int64_t>()] = 1e4f;
                    std::optional<double> sh, sw;
                    std::vector<IV> in;
                    if (byScale) {
                        sh = double(hOut) / double(hIn);
                        sw = double(wOut) / double(wIn);
                        in = {IV(x), IV(), IV(false), IV(std::vector<double>{*sh, *sw})};
                    } else {
                        in = {IV(x), IV(std::vector<std::int64_t>{hOut, wOut}), IV(align), IV(),
                              IV()};
                    }
                    const auto ob = referenceAndBound(kind, in);
                    QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
                    const auto outH = ob.reference[0].size(2), outW = ob.reference[0].size(3);
                    countElements(kind, ob.reference[0].numel());
                    elements += ob.reference[0].numel();
                    const c10::optional<double> ch = sh ? c10::optional<double>(*sh) : c10::nullopt;
                    const c10::optional<double> cw = sw ? c10::optional<double>(*sw) : c10::nullopt;
                    forConfigs([&](const std::string& cfg) {
                        check(kind, ob, at::upsample_bilinear2d(x, {outH, outW}, align, ch, cw), 0,
                              cfg.c_str());
                        check(kind, ob,
                              at::upsample_bilinear2d(x.contiguous(at::MemoryFormat::ChannelsLast),
                                                      {outH, outW}, align, ch, cw),
                              0, "channels last");
                    });
                    for (int form = 0; form < 2; ++form) {
                        const auto ah = axisF32(hIn, outH, align, sh, form);
                        const auto aw = axisF32(wIn, outW, align, sw, form);
                        check(kind, ob, lerp(lerp(x, 3, aw), 2, ah), 0, "width first");
                        check(kind, ob, lerp(lerp(x, 2, ah), 3, aw), 0, "height first");
                    }
                }
            }
        QVERIFY(elements >= 10000);
        // No bound where no FP32 coordinate is near enough: 2^23 output positions would
        // need it, which no test can allocate; a non-4-D input and a missing size are refused.
        QCOMPARE(int(referenceAndBound(kind, {IV(f32({3, 4})), IV(std::vector<std::int64_t>{6, 8}),
                                              IV(false), IV(), IV()})
                         .status),
                 int(BoundStatus::NoBound));
        QCOMPARE(
            int(referenceAndBound(kind, {IV(f32({1, 1, 3, 4})), IV(), IV(false), IV()}).status),
            int(BoundStatus::NoBound));
        report(kind);
    }

    // Recurrent layers: the whole recurrence inside one operator. LibTorch's layers in
    // every configuration (stacked, bidirectional, batch-first) and, per layer, emulated
    // cells with every gate dot product in each summation order (FMA, split-K), both
    // sigmoid forms and both GRU update forms; weights from small to saturating, inputs
    // over wide magnitudes, down to subnormals, and long sequences.
    void recurrentLayers() {
        struct Shape {
            std::int64_t steps, batch, in, hidden, layers;
            bool bidir, batchFirst;
        };
        const std::vector<Shape> shapes = {{12, 6, 10, 16, 1, false, false},
                                           {5, 3, 7, 9, 2, true, true},
                                           {40, 4, 8, 12, 1, false, true},
                                           {3, 10, 33, 20, 3, false, false}};
        // (weight scale, input kind): 0 normal, 1 wide 1e-3..1e3, 2 tiny (subnormal range)
        const char* inputNames[] = {"normal", "wide", "subnormal"};
        const std::vector<std::pair<float, int>> regimes = {
            {0.3f, 0}, {1.0f, 0}, {3.0f, 1}, {0.5f, 2}, {1e-3f, 1}};
        for (Cell cell : {Cell::Lstm, Cell::Gru, Cell::Tanh, Cell::Relu}) {
            const std::string kind = cellKind(cell);
            const std::int64_t gates = cell == Cell::Lstm ? 4 : cell == Cell::Gru ? 3 : 1;
            for (const auto& sh : shapes)
                for (auto [scale, inputKind] : regimes) {
                    const std::int64_t dirs = sh.bidir ? 2 : 1;
                    std::vector<at::Tensor> p;
                    for (std::int64_t l = 0; l < sh.layers; ++l)
                        for (std::int64_t d = 0; d < dirs; ++d) {
                            const auto in = l == 0 ? sh.in : sh.hidden * dirs;
                            p.push_back(f32({gates * sh.hidden, in}) * scale);
                            p.push_back(f32({gates * sh.hidden, sh.hidden}) * scale);
                            p.push_back(f32({gates * sh.hidden}) * scale);
                            p.push_back(f32({gates * sh.hidden}) * scale);
                        }
                    at::Tensor x = inputKind == 0   ? f32({sh.steps, sh.batch, sh.in})
                                   : inputKind == 1 ? wide({sh.steps, sh.batch, sh.in}, -3, 3)
                                                    : wide({sh.steps, sh.batch, sh.in}, -44, -36);
                    if (sh.batchFirst) x = x.transpose(0, 1).contiguous();
                    auto h0 = f32({sh.layers * dirs, sh.batch, sh.hidden}) * 0.5f;
                    auto c0 = f32({sh.layers * dirs, sh.batch, sh.hidden});
                    std::vector<IV> args{IV(x)};
                    if (cell == Cell::Lstm)
                        args.emplace_back(c10::List<at::Tensor>({h0, c0}));
                    else
                        args.emplace_back(h0);
                    args.emplace_back(c10::List<at::Tensor>(p));
                    for (IV v : {IV(true), IV(sh.layers), IV(0.0), IV(false), IV(sh.bidir),
                                 IV(sh.batchFirst)})
                        args.push_back(v);
                    auto ob = referenceAndBound(kind, args);
                    QVERIFY2(ob.status == BoundStatus::Bounded, (kind + ": " + ob.reason).c_str());
                    QCOMPARE(ob.reference.size(), size_t(cell == Cell::Lstm ? 3 : 2));
                    for (const auto& r : ob.reference)
                        countElements(kind, r.numel());
                    // Looseness per regime too: saturating weights make it much larger.
                    char regime[64];
                    std::snprintf(regime, sizeof regime, " [weights x%g, %s inputs]", double(scale),
                                  inputNames[inputKind]);
                    const std::string label = kind + regime;
                    QVERIFY(bool(ob.givenClaims));
                    // Both bounds must hold: propagated from the inputs, and step-wise given
                    // the claimed outputs (what verification applies).
                    auto checkAll = [&](const std::vector<at::Tensor>& ys, const char* what) {
                        auto sw = ob.givenClaims(ys);
                        for (size_t i = 0; i < ys.size(); ++i) {
                            check(kind, ob, ys[i], i, what);
                            check(label, ob, ys[i], i, what);
                            check(kind + " step-wise", sw, ys[i], i, what);
                            check(label + " step-wise", sw, ys[i], i, what);
                        }
                    };
                    for (const auto& r : ob.reference)
                        countElements(kind + " step-wise", r.numel());
                    std::vector<at::Tensor> honest;
                    forConfigs([&](const std::string& cfg) {
                        honest = torchLayer(cell, x, h0, c0, p, sh.layers, sh.bidir, sh.batchFirst);
                        checkAll(honest, cfg.c_str());
                    });
                    // One step's state moved by 1e-4 relative: refuted at that step by the
                    // step-wise bound. (With stacked layers the last layer's input is the
                    // lower layers' uncommitted output, whose propagated error may exceed
                    // that: only single-layer models are asked to refute it.)
                    auto bad = honest;
                    bad[0] = bad[0].clone();
                    auto seqFirst = sh.batchFirst ? bad[0].transpose(0, 1) : bad[0];
                    auto moved = seqFirst[sh.steps / 2][0];
                    moved.mul_(1.0001f).add_(1e-30f);
                    auto sw = ob.givenClaims(bad);
                    auto ok = withinBound(bad[0], sw.reference[0], sw.bound[0]);
                    const auto refuted = ok.logical_not().sum().item<std::int64_t>();
                    if (sh.layers == 1)
                        QVERIFY2(refuted > 0, (label + ": a moved step was not refuted").c_str());
                    if (sh.layers != 1 || sh.bidir) continue;
                    auto xs = sh.batchFirst ? x.transpose(0, 1) : x;
                    for (auto o : tao::test::kAllOrders)
                        for (int formula : {0, 1}) {
                            auto ys = emulatedLayer(cell, xs, h0[0], c0[0], p, o, formula);
                            if (sh.batchFirst) ys[0] = ys[0].transpose(0, 1);
                            checkAll(ys, tao::test::orderName(o));
                        }
                }
            report(kind);
            report(kind + " step-wise");
            for (auto [scale, inputKind] : regimes) {
                char regime[64];
                std::snprintf(regime, sizeof regime, " [weights x%g, %s inputs]", double(scale),
                              inputNames[inputKind]);
                report(kind + regime, 0);
                report(kind + regime + " step-wise", 0);
            }
        }
        { // LSTM with projections (proj_size P): h = W_hr (o * tanh(c)), c stays H wide.
            const std::int64_t steps = 10, batch = 5, in = 6, hidden = 12, proj = 4;
            std::vector<at::Tensor> p{f32({4 * hidden, in}), f32({4 * hidden, proj}),
                                      f32({4 * hidden}), f32({4 * hidden}), f32({proj, hidden})};
            for (auto& w : p) // PyTorch's initial scale, 1/sqrt(hidden)
                w = w * 0.3f;
            auto x = f32({steps, batch, in});
            auto h0 = f32({1, batch, proj}), c0 = f32({1, batch, hidden});
            auto ob =
                referenceAndBound("aten::lstm", {IV(x), IV(c10::List<at::Tensor>({h0, c0})),
                                                 IV(c10::List<at::Tensor>(p)), IV(true), IV(1),
                                                 IV(0.0), IV(false), IV(false), IV(false)});
            QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
            forConfigs([&](const std::string& cfg) {
                auto ys = torchLayer(Cell::Lstm, x, h0, c0, p, 1, false, false);
                for (size_t i = 0; i < ys.size(); ++i)
                    check("aten::lstm (projections)", ob, ys[i], i, cfg.c_str());
            });
            report("aten::lstm (projections)", 0);
        }
        // Unbatched input ([T, I], hx [L, H]).
        auto x = f32({6, 5});
        std::vector<at::Tensor> p{f32({8, 5}), f32({8, 8}), f32({8}), f32({8})};
        auto h0 = f32({1, 8});
        auto ob = referenceAndBound("aten::rnn_tanh",
                                    {IV(x), IV(h0), IV(c10::List<at::Tensor>(p)), IV(true), IV(1),
                                     IV(0.0), IV(false), IV(false), IV(false)});
        QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
        auto [y, hn] = at::rnn_tanh(x, h0, p, true, 1, 0.0, false, false, false);
        check("aten::rnn_tanh (unbatched)", ob, y, 0, "unbatched");
        check("aten::rnn_tanh (unbatched)", ob, hn, 1, "unbatched");
        report("aten::rnn_tanh (unbatched)", 0);
    }

    // Packed sequences (the .data overloads, as pack_padded_sequence feeds them): sequences
    // of different lengths share a step while they run; each keeps its final state after
    // it ends, and a reverse direction starts each one from h0 at its own last step.
    // LibTorch's packed layers in every configuration, propagated and step-wise given the
    // claim; one moved row is refuted step-wise; malformed batch sizes have no bound.
    void packedSequences() {
        const std::vector<std::int64_t> lengths = {14, 12, 12, 9, 7, 4, 2, 1};
        const std::int64_t batch = 8, in = 5, hidden = 16, steps = lengths[0];
        const auto lens = at::tensor(lengths, at::kLong);
        for (Cell cell : {Cell::Lstm, Cell::Gru, Cell::Tanh}) {
            const std::string kind = cell == Cell::Lstm  ? "aten::lstm"
                                     : cell == Cell::Gru ? "aten::gru"
                                                         : "aten::rnn_tanh";
            const std::string label = kind + " (packed)";
            const std::int64_t gates = cell == Cell::Lstm ? 4 : cell == Cell::Gru ? 3 : 1;
            for (int sample = 0; sample < 8; ++sample) { // two draws of each shape
                const std::int64_t layers = 1 + (sample / 2) % 2;
                const bool bidir = sample % 2 == 1;
                const std::int64_t dirs = bidir ? 2 : 1;
                std::vector<at::Tensor> p;
                for (std::int64_t l = 0; l < layers; ++l)
                    for (std::int64_t d = 0; d < dirs; ++d) {
                        const auto width = l == 0 ? in : hidden * dirs;
                        p.push_back(f32({gates * hidden, width}) * 0.4f);
                        p.push_back(f32({gates * hidden, hidden}) * 0.4f);
                        p.push_back(f32({gates * hidden}) * 0.4f);
                        p.push_back(f32({gates * hidden}) * 0.4f);
                    }
                auto [data, batchSizes] =
                    at::_pack_padded_sequence(f32({steps, batch, in}), lens, false);
                auto h0 = f32({layers * dirs, batch, hidden}) * 0.5f;
                auto c0 = f32({layers * dirs, batch, hidden});
                std::vector<IV> args{IV(data), IV(batchSizes)};
                if (cell == Cell::Lstm)
                    args.emplace_back(c10::List<at::Tensor>({h0, c0}));
                else
                    args.emplace_back(h0);
                args.emplace_back(c10::List<at::Tensor>(p));
                for (IV v : {IV(true), IV(layers), IV(0.0), IV(false), IV(bidir)})
                    args.push_back(v);
                auto ob = referenceAndBound(kind, args);
                QVERIFY2(ob.status == BoundStatus::Bounded, (label + ": " + ob.reason).c_str());
                QCOMPARE(ob.reference[0].sizes(), (at::IntArrayRef{data.size(0), hidden * dirs}));
                for (const auto& r : ob.reference) {
                    countElements(label, r.numel());
                    countElements(label + " step-wise", r.numel());
                }
                std::vector<at::Tensor> honest;
                forConfigs([&](const std::string& cfg) {
                    if (cell == Cell::Lstm) {
                        auto [o, hn, cn] = at::lstm(data, batchSizes, {h0, c0}, p, true, layers,
                                                    0.0, false, bidir);
                        honest = {o, hn, cn};
                    } else {
                        auto [o, hn] =
                            cell == Cell::Gru
                                ? at::gru(data, batchSizes, h0, p, true, layers, 0.0, false, bidir)
                                : at::rnn_tanh(data, batchSizes, h0, p, true, layers, 0.0, false,
                                               bidir);
                        honest = {o, hn};
                    }
                    QCOMPARE(ob.reference.size(), honest.size());
                    auto sw = ob.givenClaims(honest);
                    QVERIFY2(sw.status == BoundStatus::Bounded, sw.reason.c_str());
                    for (size_t i = 0; i < honest.size(); ++i) {
                        check(label, ob, honest[i], i, cfg.c_str());
                        check(label + " step-wise", sw, honest[i], i, cfg.c_str());
                    }
                });
                // A row of the last step of the shortest sequence, moved by 1e-4 relative.
                auto bad = honest;
                bad[0] = bad[0].clone();
                bad[0][data.size(0) - 1].mul_(1.0001f).add_(1e-30f);
                auto sw = ob.givenClaims(bad);
                if (layers == 1)
                    QVERIFY2(withinBound(bad[0], sw.reference[0], sw.bound[0])
                                 .logical_not()
                                 .any()
                                 .item<bool>(),
                             (label + ": a moved row was not refuted").c_str());
                // Increasing batch sizes are no packed sequence.
                args[1] = IV(at::flip(batchSizes, {0}));
                QCOMPARE(int(referenceAndBound(kind, args).status), int(BoundStatus::NoBound));
            }
            report(label);
            report(label + " step-wise");
        }
    }

    // arange in FP32: the CPU kernel's FP64-then-round and the FP32 formula from rounded
    // scalars and index (as CUDA computes it); integral arange is exact.
    void arangeKinds() {
        struct Range {
            double start, end, step;
        };
        for (auto r : {Range{0, 20000, 1}, Range{-3.7, 5000.2, 0.1}, Range{1e6, 1e6 + 30000, 0.7},
                       Range{0, 1, 1.0 / 4096}, Range{5, -20000, -1.3}, Range{0, 3e7, 2999.9}}) {
            auto ob = referenceAndBound("aten::arange", {IV(r.start), IV(r.end), IV(r.step),
                                                         IV(int(at::kFloat)), IV(), IV(), IV()});
            QVERIFY2(ob.status == BoundStatus::Bounded, ob.reason.c_str());
            const auto n = ob.reference[0].numel();
            countElements("aten::arange", n);
            forConfigs([&](const std::string& cfg) {
                check("aten::arange", ob, at::arange(r.start, r.end, r.step, at::kFloat), 0,
                      cfg.c_str());
            });
            auto idx = at::arange(n, at::kLong).to(at::kFloat);
            const float s = float(r.start), st = float(r.step);
            check("aten::arange", ob, s + idx * st, 0, "fp32 formula");
            check("aten::arange", ob, (double(s) + idx.to(at::kDouble) * double(st)).to(at::kFloat),
                  0, "fma formula");
        }
        report("aten::arange");
        // Integer ranges (positions, index buffers) are exact; end-only and start/end forms.
        auto oi = referenceAndBound("aten::arange", {IV(std::int64_t{24}), IV(), IV(), IV(), IV()});
        QCOMPARE(int(oi.status), int(BoundStatus::Exact));
        QCOMPARE(oi.reference[0].numel(), std::int64_t{24});
        QVERIFY(withinBound(at::arange(24), oi.reference[0], oi.bound[0]).all().item<bool>());
        QVERIFY(!withinBound(at::arange(1, 25), oi.reference[0], oi.bound[0]).any().item<bool>());
        auto of = referenceAndBound("aten::arange", {IV(std::int64_t{0}), IV(std::int64_t{8}),
                                                     IV(int(at::kFloat)), IV(), IV(), IV()});
        QCOMPARE(int(of.status), int(BoundStatus::Bounded));
        QCOMPARE(of.reference[0].numel(), std::int64_t{8});
    }

    void exactKinds() {
        auto x = at::cat({adversarial(), at::tensor({INFINITY, -INFINITY, NAN})});
        const std::int64_t n = (x.numel() / 64) * 64;
        auto img = x.narrow(0, 0, n).reshape({2, 8, -1, 4}).contiguous(); // (2, 8, H, 4)
        auto flat = x.narrow(0, 0, n).reshape({-1, 64}).contiguous();
        auto pairs = x.narrow(0, 0, n).reshape({-1, 2}).contiguous(); // many small selections
        auto ints = at::randint(-50000, 50000, {20000}, at::kLong);
        auto rowsIdx = at::randint(0, flat.size(0), {300}, at::kLong);
        auto mask = at::rand({flat.size(0)}) < 0.5;
        c10::List<c10::optional<at::Tensor>> byRows({rowsIdx}), byMask({mask}),
            twoDims({rowsIdx, at::randint(0, 64, {300}, at::kLong)});
        std::vector<std::int64_t> sizes{10, 30, 24}, pad{1, 2, 3, 1}, sz{200, 60};
        std::vector<std::int64_t> up{2 * img.size(2), 8}, dims1{1};
        struct Case {
            std::string kind;
            std::vector<IV> args;
            std::vector<at::Tensor> ys;
        };
        std::vector<Case> cases = {
            {"aten::zeros", {IV(sz), IV(), IV(), IV(), IV()}, {at::zeros(sz)}},
            {"aten::ones", {IV(sz), IV(), IV(), IV(), IV()}, {at::ones(sz)}},
            {"aten::zeros_like", {IV(flat), IV(), IV(), IV(), IV(), IV()}, {at::zeros_like(flat)}},
            {"aten::ones_like", {IV(flat), IV(), IV(), IV(), IV(), IV()}, {at::ones_like(flat)}},
            {"aten::full", {IV(sz), IV(0.1), IV(), IV(), IV(), IV()}, {at::full(sz, 0.1f)}},
            {"aten::constant_pad_nd",
             {IV(img), IV(pad), IV(0.5)},
             {at::constant_pad_nd(img, pad, 0.5)}},
            {"aten::pad",
             {IV(img), IV(pad), IV("constant"), IV(-1.0)},
             {at::constant_pad_nd(img, pad, -1.0)}},
            {"aten::pad",
             {IV(img), IV(pad), IV("reflect"), IV()},
             {at::reflection_pad2d(img, pad)}},
            {"aten::pad",
             {IV(img), IV(pad), IV("replicate"), IV()},
             {at::replication_pad2d(img, pad)}},
            {"aten::split_with_sizes",
             {IV(flat.t().contiguous()), IV(sizes), IV(0)},
             at::split_with_sizes(flat.t().contiguous(), sizes, 0)},
            {"aten::index", {IV(flat), IV(byRows)}, {flat.index_select(0, rowsIdx)}},
            {"aten::index", {IV(flat), IV(byMask)}, {flat.index({mask})}},
            {"aten::index",
             {IV(flat), IV(twoDims)},
             {flat.index({rowsIdx, twoDims.get(1).value()})}},
            {"aten::amax", {IV(pairs), IV(dims1), IV(false)}, {std::get<0>(pairs.max(1))}},
            {"aten::max",
             {IV(pairs), IV(1), IV(false)},
             {std::get<0>(pairs.max(1)), std::get<1>(pairs.max(1))}},
            {"aten::min",
             {IV(pairs), IV(1), IV(true)},
             {std::get<0>(pairs.min(1, true)), std::get<1>(pairs.min(1, true))}},
            {"aten::upsample_nearest2d",
             {IV(img), IV(up), IV(), IV()},
             {at::upsample_nearest2d(img, up)}},
            {"aten::floor_divide",
             {IV(ints), IV(at::scalar_tensor(7, at::kLong))},
             {at::floor_divide(ints, 7)}},
            // Comparisons and logical ops on FP32 values (attention and padding masks).
            {"aten::lt", {IV(flat), IV(flat.flip(1))}, {at::lt(flat, flat.flip(1))}},
            {"aten::le", {IV(flat), IV(0.1)}, {at::le(flat, 0.1)}},
            {"aten::gt", {IV(flat), IV(flat.roll(1, 0))}, {at::gt(flat, flat.roll(1, 0))}},
            {"aten::ge", {IV(flat), IV(-1e-40)}, {at::ge(flat, -1e-40)}},
            {"aten::eq", {IV(flat), IV(flat.flip(0))}, {at::eq(flat, flat.flip(0))}},
            {"aten::ne", {IV(flat), IV(0.0)}, {at::ne(flat, 0.0)}},
            {"aten::logical_not", {IV(flat)}, {at::logical_not(flat)}},
            {"aten::logical_and",
             {IV(flat), IV(flat.flip(1))},
             {at::logical_and(flat, flat.flip(1))}},
            {"aten::logical_or",
             {IV(flat > 0), IV(flat < -1)},
             {at::logical_or(flat > 0, flat < -1)}},
        };
        std::map<std::string, std::int64_t> elements;
        for (auto& cs : cases) {
            auto ob = referenceAndBound(cs.kind, cs.args);
            QVERIFY2(ob.status == BoundStatus::Exact, (cs.kind + ": " + ob.reason).c_str());
            QCOMPARE(ob.reference.size(), cs.ys.size());
            for (size_t i = 0; i < cs.ys.size(); ++i) {
                const auto& y = cs.ys[i];
                QCOMPARE(ob.reference[i].sizes(), y.sizes());
                auto ok = withinBound(y, ob.reference[i], ob.bound[i]);
                QVERIFY2(ok.all().item<bool>(), cs.kind.c_str());
                if (y.is_floating_point()) { // exact means exact: the next float is rejected
                    auto next = at::nextafter(y, at::full_like(y, INFINITY));
                    auto wrong = withinBound(next, ob.reference[i], ob.bound[i]) & at::isfinite(y);
                    QCOMPARE(wrong.sum().item<std::int64_t>(), std::int64_t{0});
                } else {
                    auto wrong = withinBound(y + 1, ob.reference[i], ob.bound[i]);
                    QCOMPARE(wrong.sum().item<std::int64_t>(), std::int64_t{0});
                }
                elements[cs.kind] += y.numel();
            }
        }
        for (const auto& [kind, count] : elements) {
            std::printf("exact %s: %lld elements accepted exactly\n", kind.c_str(),
                        static_cast<long long>(count));
            QVERIFY2(count >= 10000, kind.c_str());
        }
        // Shape arithmetic as traced: size -> NumToTensor -> floor_divide, exact.
        auto nt = referenceAndBound("prim::NumToTensor", {IV(std::int64_t{116})});
        QVERIFY2(nt.status == BoundStatus::Exact, nt.reason.c_str());
        QCOMPARE(nt.reference[0].item<double>(), 116.0);
        QVERIFY(!withinBound(at::scalar_tensor(117, at::kLong), nt.reference[0], nt.bound[0])
                     .item<bool>());
        // Floating floor_divide is discontinuous in the rounded quotient: no bound.
        auto fd = referenceAndBound("aten::floor_divide", {IV(flat), IV(flat)});
        QCOMPARE(int(fd.status), int(BoundStatus::NoBound));
    }

    void everyKindOfIssue13HasABound() {
        for (const char* kind : {"aten::hardswish_",
                                 "aten::hardsigmoid_",
                                 "aten::leaky_relu",
                                 "aten::elu",
                                 "aten::softplus",
                                 "aten::prelu",
                                 "aten::sin",
                                 "aten::cos",
                                 "aten::pow",
                                 "aten::outer",
                                 "aten::full",
                                 "aten::zeros",
                                 "aten::ones",
                                 "aten::zeros_like",
                                 "aten::ones_like",
                                 "aten::pad",
                                 "aten::constant_pad_nd",
                                 "aten::split_with_sizes",
                                 "aten::index",
                                 "aten::amax",
                                 "aten::max",
                                 "aten::min",
                                 "aten::var",
                                 "aten::std",
                                 "aten::linalg_vector_norm",
                                 "aten::norm",
                                 "aten::cumsum",
                                 "aten::group_norm",
                                 "aten::instance_norm",
                                 "aten::upsample_nearest2d",
                                 "aten::upsample_bilinear2d",
                                 "aten::einsum",
                                 "aten::floor_divide",
                                 "prim::NumToTensor",
                                 "aten::arange",
                                 "aten::lt",
                                 "aten::lstm",
                                 "aten::gru",
                                 "aten::rnn_tanh",
                                 "aten::rnn_relu"})
            QVERIFY2(hasBound(kind), kind);
    }
};

QTEST_GUILESS_MAIN(TestNumericsKinds)
#include "test_numerics_kinds.moc"
