// Error bounds of Winograd and FFT convolutions computed in FP32. The derivations are in
// docs/numerics.md ("Winograd and FFT convolutions"); the comments here name the terms.
#include "core/numerics/conv_algorithms.hpp"

#include "core/numerics/fp_limits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tao::numerics::detail {
namespace {

// Coefficients (constant term first) of prod_j (x - p_j) over the given points.
std::vector<double> monicProduct(const std::vector<double>& roots) {
    std::vector<double> p{1.0};
    for (double a : roots) {
        std::vector<double> q(p.size() + 1, 0.0);
        for (std::size_t k = 0; k < p.size(); ++k) {
            q[k + 1] += p[k];
            q[k] -= a * p[k];
        }
        p = std::move(q);
    }
    return p;
}

at::Tensor matrix(const std::vector<std::vector<double>>& rows) {
    const auto n = static_cast<std::int64_t>(rows.size());
    const auto k = static_cast<std::int64_t>(rows.front().size());
    auto t = at::zeros({n, k}, at::kDouble);
    auto a = t.accessor<double, 2>();
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < k; ++j)
            a[i][j] = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    return t;
}

// The largest row sum of |M|: how much one stage of the transform can amplify a value.
double rowSumMax(const at::Tensor& m) {
    return m.abs().sum(1).max().item<double>();
}

// Roundings on the path of one term through a 1-D transform whose rows have `len`
// entries: len - 1 additions, a multiplication by the FP32 constant and the constant's
// own rounding, and a spare multiplication and rounding for factored forms that apply
// a second constant (NNPACK's 2 * (0.25 d1 - 1.25 d3 + d5) style rows).
double transformPath(std::int64_t len) {
    return static_cast<double>(len - 1) + 4.0;
}

} // namespace

const std::vector<double>& winogradPoints() {
    static const std::vector<double> points = {0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5};
    return points;
}

std::vector<int> winogradTileSizes(int r) {
    if (r == 3) return {2, 4, 6};
    if (r == 5) return {2, 4};
    return {};
}

// Toom-Cook: the linear convolution c = a * b (m and r coefficients) is evaluated at the
// finite points and at infinity (the leading coefficient) and interpolated,
// c = C [(Ea a) .* (Eb b)] with Vandermonde rows Ea, Eb. Correlation is its transpose in
// a: y = Ea^T [(Eb g) .* (C^T d)]. Column l of C holds the Lagrange polynomial of point
// l, prod_{j != l} (x - p_j) / f_l with f_l = prod_{j != l} (p_l - p_j); the column of
// infinity holds prod_j (x - p_j). The 1/f_l factors are moved into G so that BT stays
// dyadic (exact in FP32 for these points).
WinogradMatrices winogradMatrices(int m, int r) {
    const int alpha = m + r - 1;
    const auto& all = winogradPoints();
    if (m < 1 || r < 1 || alpha - 1 > static_cast<int>(all.size()))
        throw std::invalid_argument("winogradMatrices: unsupported F(m, r)");
    const std::vector<double> pts(all.begin(), all.begin() + (alpha - 1));
    std::vector<std::vector<double>> at(m, std::vector<double>(alpha, 0.0));
    std::vector<std::vector<double>> g(alpha, std::vector<double>(r, 0.0));
    std::vector<std::vector<double>> bt(alpha, std::vector<double>(alpha, 0.0));
    for (int l = 0; l < alpha - 1; ++l) {
        const double p = pts[l];
        std::vector<double> others;
        double f = 1.0;
        for (int j = 0; j < alpha - 1; ++j)
            if (j != l) {
                others.push_back(pts[j]);
                f *= p - pts[j];
            }
        const auto lagrange = monicProduct(others); // alpha - 1 coefficients
        for (std::size_t k = 0; k < lagrange.size(); ++k)
            bt[l][k] = lagrange[k];
        double pk = 1.0;
        for (int k = 0; k < std::max(m, r); ++k) {
            if (k < m) at[k][l] = pk;
            if (k < r) g[l][k] = pk / f;
            pk *= p;
        }
    }
    const auto full = monicProduct(pts); // alpha coefficients
    for (int k = 0; k < alpha; ++k)
        bt[alpha - 1][k] = full[static_cast<std::size_t>(k)];
    at[m - 1][alpha - 1] = 1.0;
    g[alpha - 1][r - 1] = 1.0;
    return {m, r, matrix(at), matrix(g), matrix(bt)};
}

// Every term of the result is a product g_ab d_kl of one filter tap and one input of the
// tile, with coefficient AT_pi AT_qj G_ia G_jb BT_ik BT_jl, and passes through the
// roundings of the four 1-D transform passes (2 kB + 2 kG), the product and the channel
// sum (a length-C dot product), the two inverse passes (2 kA) and the bias: the error is
// at most coef * (the same algorithm on |AT|, |G|, |BT|, |x|, |w|, |b|), which the code
// below evaluates exactly in FP64, tile by tile, as the algorithm itself would.
at::Tensor winogradConvBound(const Ctx& c, const at::Tensor& x, const at::Tensor& w,
                             const c10::optional<at::Tensor>& b, std::int64_t groups, int m) {
    const auto r = w.size(2);
    const auto mats = winogradMatrices(m, static_cast<int>(r));
    const auto alpha = m + r - 1;
    const auto n = x.size(0), h = x.size(2), wd = x.size(3);
    const auto outC = w.size(0), cg = w.size(1), og = outC / groups;
    const auto ho = h - r + 1, wo = wd - r + 1;
    const auto th = (ho + m - 1) / m, tw = (wo + m - 1) / m;
    // Partial tiles at the bottom and right are filled with zeros.
    auto xa = at::constant_pad_nd(x.abs(), {0, tw * m + r - 1 - wd, 0, th * m + r - 1 - h});
    auto tiles = xa.unfold(2, alpha, m).unfold(3, alpha, m); // N, C, th, tw, alpha, alpha
    auto bt = mats.BT.abs(), g = mats.G.abs(), at = mats.AT.abs();
    auto v = at::matmul(at::matmul(bt, tiles), bt.t());
    auto u = at::matmul(at::matmul(g, w.abs()), g.t()); // O, C/g, alpha, alpha
    v = v.reshape({n, groups, cg, th, tw, alpha, alpha});
    u = u.reshape({groups, og, cg, alpha, alpha});
    auto prod = at::einsum("gocij,ngcxyij->ngoxyij", {u, v});
    auto y = at::matmul(at::matmul(at, prod), at.t()); // N, g, O/g, th, tw, m, m
    auto tileMax = std::get<0>(y.flatten(-2).max(-1)).reshape({n, outC, th, 1, tw, 1});
    auto mag = y.permute({0, 1, 2, 3, 5, 4, 6}).reshape({n, outC, th, m, tw, m});
    const auto expandTiles = [&](const at::Tensor& t) {
        return t.expand({n, outC, th, m, tw, m})
            .reshape({n, outC, th * m, tw * m})
            .narrow(2, 0, ho)
            .narrow(3, 0, wo);
    };
    auto magOut = expandTiles(mag);
    auto tileMaxOut = expandTiles(tileMax);
    if (b) {
        magOut = magOut + b->abs().reshape({1, outC, 1, 1});
        tileMaxOut = tileMaxOut + b->abs().reshape({1, outC, 1, 1});
    }
    // Transform roundings; under TF32 every transform operand may be rounded to 10 bits.
    const double kB = transformPath(alpha), kG = transformPath(r), kA = transformPath(alpha);
    const double transforms = 2 * kB + 2 * kG + 2 * kA + 2; // + bias addition (and a spare)
    const double unit = c.params.tf32 ? 0x1p-10 : c.u;
    const double coef = (1.0 + Ctx::gammaFor(transforms, unit)) *
                            (1.0 + c.dotCoefficient(static_cast<double>(cg))) -
                        1.0;
    // Underflow: every rounding may add 2^-126; a value injected in a transform stage is
    // amplified by at most the row sums of the later stages and by the other operand.
    const double sA = rowSumMax(mats.AT), sB = rowSumMax(mats.BT), sG = rowSumMax(mats.G);
    const double roundings = transforms + static_cast<double>(cg);
    auto xMax = x.abs().amax({2, 3}).reshape({n, groups, cg}).sum(-1); // N, g
    auto wMax = w.abs().amax({2, 3}).sum(1).reshape({1, outC, 1, 1});
    auto xMaxO = xMax.repeat_interleave(og, 1).reshape({n, outC, 1, 1});
    const double amp = (1 + sA) * (1 + sA) * (1 + sB) * (1 + sB) * (1 + sG) * (1 + sG);
    auto tiny =
        roundings * kTiny * amp * (static_cast<double>(cg) + sG * sG * wMax + sB * sB * xMaxO);
    auto bound = coef * magOut + tiny;
    // Range: the transformed operands (up to sB^2 max|x|, sG^2 max|w|) and the products
    // and sums (at most the tile's magnitude) must stay finite in an honest evaluation.
    const double xm = x.numel() ? x.abs().max().item<double>() : 0.0;
    const double wm = w.numel() ? w.abs().max().item<double>() : 0.0;
    if (xm * sB * sB * 4 > kFltMax || wm * sG * sG * 4 > kFltMax)
        return at::full_like(magOut, kInf);
    return at::where(tileMaxOut * 4 > kFltMax, at::full_like(bound, kInf), bound);
}

// FFT convolution (docs/numerics.md): y = (1/N) F^H [sum_c F(x_c) .* conj(F(w_c))] with
// t radix-2 stages per transform. eta1 bounds one butterfly's error relative to
// |x_a| + |x_b|; normwise the whole transform is within (1 + sqrt2 eta1)^t - 1 of
// sqrt(N) ||x||_2, componentwise within (1 + eta1)^t - 1 of ||x||_1 (unique paths).
at::Tensor fftConvBound(const Ctx& c, const at::Tensor& x, const at::Tensor& w,
                        const c10::optional<at::Tensor>& b,
                        const std::vector<std::int64_t>& dilation, std::int64_t groups,
                        const at::Tensor& ref) {
    const auto spatial = x.dim() - 2;
    const auto n = x.size(0);
    const auto outC = w.size(0), cg = w.size(1), og = outC / groups;
    // Stages: the full linear-convolution length rounded up to a power of two per
    // dimension, plus one for a real-to-complex post-processing pass or a transform twice
    // that long. Smaller (tiled) transforms have fewer stages and smaller norms.
    double t = 0, logN = 0;
    for (std::int64_t d = 0; d < spatial; ++d) {
        const auto extent = dilation[static_cast<std::size_t>(d)] * (w.size(2 + d) - 1) + 1;
        const double len = static_cast<double>(x.size(2 + d) + extent - 1);
        const double stages = std::ceil(std::log2(std::max(len, 2.0))) + 1;
        t += stages;
        logN += stages;
    }
    const double u = c.u;
    const double mu = 4 * u; // twiddle error: correctly rounded or within 2 ulp per part
    const double g2 = Ctx::gammaFor(2, u);
    const double eta1 = u + (1 + u) * (mu + std::sqrt(2.0) * g2 * (1 + mu));
    const double epsNorm = std::pow(1 + std::sqrt(2.0) * eta1, t) - 1;
    const double epsComp = std::pow(1 + eta1, t) - 1;
    // Complex products (direct, FMA or 3-multiplication) and their sum over the group's
    // channels, in any order; TF32 operands under the TF32 dot coefficient.
    const double rho = 4 * c.dotCoefficient(2.0 * static_cast<double>(cg) + 4);
    const double kappa1 = epsNorm * (1 + epsComp) + epsComp + rho * (1 + epsNorm) * (1 + epsComp);
    double kappa = kappa1 + epsNorm * (1 + kappa1); // + the inverse transform's own error
    kappa = kappa + u * (1 + kappa);                // the 1/N scaling
    std::vector<std::int64_t> dims;
    for (std::int64_t d = 2; d < x.dim(); ++d)
        dims.push_back(d);
    auto xi = x.pow(2).sum(dims).sqrt().reshape({n, groups, cg}); // ||x_nc||_2
    auto xi1 = x.abs().sum(dims).reshape({n, groups, cg});        // ||x_nc||_1
    auto om = w.abs().sum(dims).reshape({groups, og, cg});        // ||w_oc||_1
    auto s = at::einsum("ngc,goc->ngo", {xi, om}).reshape({n, outC});
    auto s1 = at::einsum("ngc,goc->ngo", {xi1, om}).reshape({n, outC});
    auto sums = (xi.sum(-1).repeat_interleave(og, 1) + om.sum(-1).reshape({1, outC}));
    const double nFft = std::exp2(logN);
    auto tiny = 16 * (t + 1) * nFft * kTiny * (1.0 + static_cast<double>(cg) + sums);
    auto e = kappa * s + tiny;
    std::vector<std::int64_t> planeShape{n, outC};
    for (std::int64_t d = 0; d < spatial; ++d)
        planeShape.push_back(1);
    auto eOut = e.reshape(planeShape).expand(ref.sizes());
    // The bias enters through ref: its addition (or the final rounding) adds u |y^|.
    auto bound = eOut + u * (ref.abs() + eOut);
    // Range: transform intermediates reach ||x_c||_1, and the unscaled inverse transform
    // up to N sum_c ||x_c||_1 ||w_c||_1.
    auto overflow = (2 * nFft * s1 > kFltMax).reshape(planeShape).expand(ref.sizes());
    return at::where(overflow, at::full_like(bound, kInf), bound);
}

at::Tensor fastConvBound(const Ctx& c, const at::Tensor& x, const at::Tensor& w,
                         const c10::optional<at::Tensor>& b,
                         const std::vector<std::int64_t>& dilation, std::int64_t groups,
                         const at::Tensor& ref) {
    auto bound = fftConvBound(c, x, w, b, dilation, groups, ref);
    const bool square = x.dim() == 4 && w.size(2) == w.size(3);
    const bool undilated =
        std::all_of(dilation.begin(), dilation.end(), [](std::int64_t d) { return d == 1; });
    if (square && undilated)
        for (int m : winogradTileSizes(static_cast<int>(w.size(2))))
            bound = at::maximum(bound, winogradConvBound(c, x, w, b, groups, m));
    return bound;
}

} // namespace tao::numerics::detail
