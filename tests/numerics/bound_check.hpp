#pragma once
// The soundness harness shared by the bound tests: checks claimed FP32 outputs against a
// bound, tallies violations and looseness (bound / |y - r|) per kind, and prints one
// looseness line per kind. QVERIFY/QCOMPARE inside record failures on the running test.
#include "core/numerics/op_bound.hpp"

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace tao::test {

// Per-kind tally: cases (element x implementation), distinct output elements, violations and
// bound / |y - r| ratios over elements with nonzero error and a finite bound.
struct Tally {
    std::int64_t cases = 0, elements = 0, violations = 0, finite = 0;
    std::vector<at::Tensor> ratios;
};
std::map<std::string, Tally>& tallies();

// Checks output `out` of `ob` against the claimed y (any floating dtype); `what` names the
// implementation in the first violation's message.
void check(const std::string& kind, const numerics::OpBound& ob, const at::Tensor& y,
           size_t out = 0, const char* what = "");
void countElements(const std::string& kind, std::int64_t n);
// Prints the looseness line and asserts: no violation, at least minElements distinct
// elements, most bounds finite, some nonzero errors seen (the property is not vacuous).
void report(const std::string& kind, std::int64_t minElements = 10000);
// Runs f under every LibTorch configuration available here (1 and 2 threads, oneDNN on/off).
void forConfigs(const std::function<void(const std::string&)>& f);

at::Tensor f32(at::IntArrayRef shape); // standard normal FP32
// Magnitudes spread over 10^lo .. 10^hi with random signs.
at::Tensor wide(at::IntArrayRef shape, double lo, double hi);
// A matrix family for dot-product tests: each variant stresses a different part.
at::Tensor matrixVariant(int variant, std::int64_t r, std::int64_t c, bool rows);
std::mt19937& rng();

} // namespace tao::test
