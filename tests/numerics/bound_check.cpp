#include "numerics/bound_check.hpp"

#include <ATen/Parallel.h>
#include <QTest>
#include <cmath>
#include <cstdio>

using namespace tao::numerics;

namespace tao::test {

std::map<std::string, Tally>& tallies() {
    static std::map<std::string, Tally> t;
    return t;
}

void check(const std::string& kind, const OpBound& ob, const at::Tensor& y, size_t out,
           const char* what) {
    QVERIFY2(ob.status != BoundStatus::NoBound, (kind + ": " + ob.reason).c_str());
    const auto& r = ob.reference.at(out);
    const auto& b = ob.bound.at(out);
    QCOMPARE(r.sizes(), y.sizes());
    QCOMPARE(b.sizes(), y.sizes());
    auto ok = withinBound(y, r, b);
    auto bad = ok.logical_not().sum().item<std::int64_t>();
    auto& t = tallies()[kind];
    if (bad > 0 && t.violations == 0) {
        auto idx = ok.logical_not().reshape(-1).nonzero().select(1, 0)[0].item<std::int64_t>();
        std::printf("VIOLATION %s (%s): y=%.9g r=%.17g bound=%.6g\n", kind.c_str(), what,
                    y.reshape(-1)[idx].item<double>(), r.reshape(-1)[idx].item<double>(),
                    b.reshape(-1)[idx].item<double>());
    }
    t.violations += bad;
    t.cases += y.numel();
    auto err = (y.to(at::kDouble) - r).abs();
    auto sel = (err > 0) & at::isfinite(b) & at::isfinite(err);
    t.finite += at::isfinite(b).sum().item<std::int64_t>();
    if (sel.any().item<bool>()) t.ratios.push_back((b.masked_select(sel) / err.masked_select(sel)));
}

void countElements(const std::string& kind, std::int64_t n) {
    tallies()[kind].elements += n;
}

// Prints the looseness line and asserts the acceptance criteria for the kind.
void report(const std::string& kind, std::int64_t minElements) {
    auto& t = tallies()[kind];
    double median = std::nan("");
    std::int64_t nz = 0;
    if (!t.ratios.empty()) {
        auto all = at::cat(t.ratios);
        nz = all.numel();
        median = all.median().item<double>();
    }
    std::printf("bound looseness %s: median %.2g (n=%lld, elements %lld, nonzero-error %lld, "
                "violations %lld)\n",
                kind.c_str(), median, static_cast<long long>(t.cases),
                static_cast<long long>(t.elements), static_cast<long long>(nz),
                static_cast<long long>(t.violations));
    std::fflush(stdout);
    QCOMPARE(t.violations, std::int64_t{0});
    QVERIFY2(t.elements >= minElements, kind.c_str());
    // The property must not hold vacuously: most bounds finite, some nonzero errors seen.
    QVERIFY2(t.finite * 2 > t.cases, kind.c_str());
    QVERIFY2(nz > 0, kind.c_str());
}

// Runs f under every LibTorch configuration available here.
void forConfigs(const std::function<void(const std::string&)>& f) {
    const int threads0 = at::get_num_threads();
    const bool mkl0 = at::globalContext().userEnabledMkldnn();
    for (int th : {1, 2})
        for (bool mkl : {true, false}) {
            at::set_num_threads(th);
            at::globalContext().setUserEnabledMkldnn(mkl);
            f(std::string("threads=") + std::to_string(th) + (mkl ? " onednn" : " no-onednn"));
        }
    at::set_num_threads(threads0);
    at::globalContext().setUserEnabledMkldnn(mkl0);
}

at::Tensor f32(at::IntArrayRef shape) {
    return at::randn(shape, at::kFloat);
}

// Magnitudes spread over 10^lo .. 10^hi with random signs.
at::Tensor wide(at::IntArrayRef shape, double lo, double hi) {
    auto e = at::rand(shape, at::kDouble) * (hi - lo) + lo;
    auto s = at::where(at::rand(shape) < 0.5, -1.0, 1.0).to(at::kDouble);
    return (s * at::pow(10.0, e)).to(at::kFloat);
}

// A matrix family for dot-product tests: each variant stresses a different part.
at::Tensor matrixVariant(int variant, std::int64_t r, std::int64_t c, bool rows) {
    switch (variant % 4) {
    case 0:
        return f32({r, c});
    case 1: { // row/column scales over 1e-15 .. 1e15 (products stay in range)
        auto s = wide({rows ? r : 1, rows ? 1 : c}, -15, 15);
        return f32({r, c}) * s;
    }
    case 2: { // tiny values down to subnormals
        auto x = wide({r, c}, -44, -36);
        return x;
    }
    default:
        return f32({r, c}) + 1.0f; // same-sign terms: long sums lose most
    }
}

std::mt19937& rng() {
    static std::mt19937 g(12345);
    return g;
}

} // namespace tao::test
