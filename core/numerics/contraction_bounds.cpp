// outer products and einsum contractions. Derivation (docs/numerics.md): each output of
// an einsum over k operands is a sum of N products of k factors, N the product of the
// sizes of the summed indices. Any evaluation by multiplications and additions only
// (pairwise contraction through bmm in any order, summing some indices early, FMA) puts
// at most k - 1 multiplications and N - 1 additions on the path of every term, so
// |y - s| <= gamma_{N+k-2} einsum(|A_1|, ..., |A_k|) (Higham, Lemma 3.4 / sums of products).
#include "core/numerics/bound_arith.hpp"
#include "core/numerics/fp_limits.hpp"

#include <cmath>
#include <limits>
#include <map>

namespace tao::numerics::detail {
namespace {

// outer(a, b)_ij = a_i b_j: one rounding of an exact FP64 product.
OpBound outerOp(const Inputs& in, const Ctx& c) {
    auto a = f64(tensorArg(in, 0, "self"), "self");
    auto b = f64(tensorArg(in, 1, "vec2"), "vec2");
    if (a.dim() != 1 || b.dim() != 1) throw Unsupported("outer needs two vectors");
    auto ref = at::outer(a, b);
    return bounded({ref}, {c.u * ref.abs() + kTiny});
}

// Sizes of the summed indices of an einsum equation: letters of the inputs that are not in
// the output (explicit after "->", else the letters used exactly once), and the ellipsis
// dimensions when the output drops them.
double summedTerms(const std::string& equation, const std::vector<at::Tensor>& ops) {
    std::string eq;
    for (char ch : equation)
        if (ch != ' ') eq += ch;
    const auto arrow = eq.find("->");
    const std::string lhs = eq.substr(0, arrow);
    std::vector<std::string> terms;
    for (std::size_t start = 0;;) {
        const auto comma = lhs.find(',', start);
        terms.push_back(lhs.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (terms.size() != ops.size()) throw Unsupported("einsum: operand count differs");
    std::map<char, std::int64_t> size, uses;
    std::int64_t ellipsisSize = 1;
    bool ellipsis = false;
    for (std::size_t t = 0; t < terms.size(); ++t) {
        std::string term = terms[t];
        const auto dots = term.find("...");
        const std::int64_t rank = ops[t].dim();
        const std::int64_t letters =
            static_cast<std::int64_t>(term.size() - (dots == std::string::npos ? 0 : 3));
        if (dots != std::string::npos) {
            ellipsis = true;
            const std::int64_t covered = rank - letters;
            std::int64_t s = 1;
            for (std::int64_t i = 0; i < covered; ++i)
                s *= ops[t].size(static_cast<std::int64_t>(dots) + i);
            ellipsisSize = std::max(ellipsisSize, s);
            term.erase(dots, 3);
        }
        if (static_cast<std::int64_t>(term.size()) > rank) throw Unsupported("einsum: rank");
        for (std::size_t i = 0; i < term.size(); ++i) {
            const auto pos = dots != std::string::npos &&
                                     static_cast<std::int64_t>(i) >= static_cast<std::int64_t>(dots)
                                 ? static_cast<std::int64_t>(i) + (rank - letters)
                                 : static_cast<std::int64_t>(i);
            size[term[i]] = std::max(size[term[i]], ops[t].size(pos));
            ++uses[term[i]];
        }
    }
    std::string out;
    bool outEllipsis = false;
    if (arrow != std::string::npos) {
        out = eq.substr(arrow + 2);
        if (const auto d = out.find("..."); d != std::string::npos) {
            outEllipsis = true;
            out.erase(d, 3);
        }
    } else {
        outEllipsis = ellipsis;
        for (const auto& [ch, k] : uses)
            if (k == 1) out += ch;
    }
    double n = 1;
    for (const auto& [ch, s] : size)
        if (out.find(ch) == std::string::npos) n *= static_cast<double>(s);
    if (ellipsis && !outEllipsis) n *= static_cast<double>(ellipsisSize);
    return n;
}

// aten::einsum(equation, tensors, path=None)
OpBound einsumOp(const Inputs& in, const Ctx& c) {
    if (in.empty() || !in[0].isString()) throw Unsupported("einsum needs an equation");
    if (in.size() < 2 || !in[1].isTensorList()) throw Unsupported("einsum needs a tensor list");
    const std::string eq = in[0].toStringRef();
    std::vector<at::Tensor> ops, absOps;
    for (const at::Tensor& t : in[1].toTensorVector()) {
        ops.push_back(f64(t, "operand"));
        absOps.push_back(ops.back().abs());
    }
    if (ops.empty()) throw Unsupported("einsum without operands");
    const double n = summedTerms(eq, ops);
    const double k = static_cast<double>(ops.size());
    const double m = std::max(n + k - 2, 0.0); // operations on each term's path
    // TF32: every operand entering a matmul is rounded, including intermediates (k - 1
    // contractions), and the accumulation is non-IEEE (2u in gamma).
    double coef = c.gamma(m);
    if (c.params.tf32)
        coef = std::pow(1.0 + 0x1p-10, 2 * (k - 1)) * (1.0 + Ctx::gammaFor(m, 2 * c.u)) - 1.0;
    auto ref = at::einsum(eq, ops);
    auto mag = at::einsum(eq, absOps);
    // Underflow: a tiny absolute error per operation, scaled by the factors applied after
    // it; intermediate products must stay in range for every contraction order.
    double scale = 1;
    for (const auto& a : absOps)
        scale *= std::max(a.numel() > 0 ? a.max().item<double>() : 0.0, 1.0);
    auto b = coef * mag + (4 * m + 4) * kTiny * scale;
    const bool intermediateOverflow = k > 2 && scale * n * (1.0 + coef) > kFltMax;
    auto overflow = mag * (1.0 + coef) > kFltMax;
    if (intermediateOverflow) overflow.fill_(true);
    b = at::where(overflow, at::full_like(b, kInf), b);
    return bounded({ref}, {b});
}

} // namespace

const HandlerTable& contractionHandlers() {
    static const HandlerTable table = {
        {"aten::outer", outerOp},
        {"aten::ger", outerOp},
        {"aten::einsum", einsumOp},
    };
    return table;
}

} // namespace tao::numerics::detail
