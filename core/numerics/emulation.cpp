#include "core/numerics/emulation.hpp"

#include "core/numerics/conv_algorithms.hpp"
#include "core/runtime/runtime_settings.hpp"

#include <ATen/Parallel.h>
#include <cstring>

namespace tao::numerics {

namespace {

using Values = std::vector<c10::IValue>;

std::optional<at::Tensor> optTensor(const Values& in, std::size_t i) {
    if (i >= in.size() || in[i].isNone() || !in[i].isTensor()) return std::nullopt;
    const auto& t = in[i].toTensor();
    if (!t.defined()) return std::nullopt;
    return t;
}

bool isF32(const at::Tensor& t) {
    return t.scalar_type() == at::kFloat;
}

at::Tensor randperm(std::int64_t n, std::mt19937_64& rng) {
    std::vector<std::int64_t> p(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        p[static_cast<std::size_t>(i)] = i;
    std::shuffle(p.begin(), p.end(), rng);
    return at::tensor(p, at::kLong);
}

// Random cut of [0, n) into 2..maxParts contiguous chunks: (start, length) pairs.
std::vector<std::pair<std::int64_t, std::int64_t>> chunks(std::int64_t n, int maxParts,
                                                          std::mt19937_64& rng) {
    const auto parts =
        std::uniform_int_distribution<std::int64_t>(2, std::min<std::int64_t>(maxParts, n))(rng);
    std::vector<std::int64_t> cuts;
    std::vector<std::int64_t> all(static_cast<std::size_t>(n - 1));
    for (std::int64_t i = 1; i < n; ++i)
        all[static_cast<std::size_t>(i - 1)] = i;
    std::shuffle(all.begin(), all.end(), rng);
    cuts.assign(all.begin(), all.begin() + (parts - 1));
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    std::int64_t start = 0;
    for (auto c : cuts) {
        out.emplace_back(start, c - start);
        start = c;
    }
    out.emplace_back(start, n - start);
    return out;
}

// Partial results added one by one in FP32, in a random order.
at::Tensor sumShuffled(std::vector<at::Tensor> parts, std::mt19937_64& rng) {
    std::shuffle(parts.begin(), parts.end(), rng);
    auto acc = parts[0];
    for (std::size_t i = 1; i < parts.size(); ++i)
        acc = acc + parts[i];
    return acc;
}

// y = contract(a, b) (+ bias) where a's axis ka and b's axis kb are summed over.
template <class Contract>
std::optional<at::Tensor> emulateContraction(const at::Tensor& a, std::int64_t ka,
                                             const at::Tensor& b, std::int64_t kb,
                                             const std::optional<at::Tensor>& bias, Emulation e,
                                             std::mt19937_64& rng, Contract contract) {
    const auto k = a.size(ka);
    switch (e) {
    case Emulation::Winograd:
        return std::nullopt;
    case Emulation::Tf32:
        return contract(roundToTf32(a), roundToTf32(b), bias);
    case Emulation::Shuffled: {
        if (k < 2) return std::nullopt;
        auto p = randperm(k, rng);
        return contract(a.index_select(ka, p), b.index_select(kb, p), bias);
    }
    case Emulation::SplitK: {
        if (k < 2) return std::nullopt;
        std::vector<at::Tensor> parts;
        for (auto [s, n] : chunks(k, 8, rng))
            parts.push_back(contract(a.narrow(ka, s, n), b.narrow(kb, s, n), std::nullopt));
        auto y = sumShuffled(std::move(parts), rng);
        return bias ? y + *bias : y;
    }
    }
    return std::nullopt;
}

// Winograd F(m x m, r x r) in FP32, as cuDNN's and NNPACK's fast 3x3/5x5 kernels run it:
// input tiles transformed (BT d B), filters transformed (G g GT), element-wise products
// summed over input channels, output tiles transformed back (AT M A). Tiles are aligned at
// the output's origin, as winogradConvBound assumes. x: (N, C, H, W) unpadded.
at::Tensor winogradConv(const at::Tensor& x, const at::Tensor& w,
                        const std::optional<at::Tensor>& bias,
                        const std::vector<std::int64_t>& padding, std::int64_t groups, int m) {
    const auto r = w.size(2);
    const auto mats = detail::winogradMatrices(m, static_cast<int>(r));
    const auto at = mats.AT.to(at::kFloat), g = mats.G.to(at::kFloat), bt = mats.BT.to(at::kFloat);
    const auto alpha = m + r - 1;
    auto xp = at::constant_pad_nd(x, {padding[1], padding[1], padding[0], padding[0]});
    const auto n = xp.size(0), ho = xp.size(2) - r + 1, wo = xp.size(3) - r + 1;
    const auto th = (ho + m - 1) / m, tw = (wo + m - 1) / m;
    // Zeros past the edge so the last partial tile reads a whole alpha x alpha patch.
    xp = at::constant_pad_nd(xp, {0, tw * m + r - 1 - xp.size(3), 0, th * m + r - 1 - xp.size(2)});
    const auto v = at::matmul(at::matmul(bt, xp.unfold(2, alpha, m).unfold(3, alpha, m)),
                              bt.t());                  // N, C, th, tw, alpha, alpha
    const auto u = at::matmul(at::matmul(g, w), g.t()); // O, C/groups, alpha, alpha
    const auto cg = w.size(1), og = w.size(0) / groups, aa = alpha * alpha;
    std::vector<at::Tensor> parts;
    for (std::int64_t gi = 0; gi < groups; ++gi) {
        const auto vg =
            v.narrow(1, gi * cg, cg).permute({4, 5, 1, 0, 2, 3}).reshape({aa, cg, n * th * tw});
        const auto ug = u.narrow(0, gi * og, og).permute({2, 3, 0, 1}).reshape({aa, og, cg});
        parts.push_back(at::bmm(ug, vg)
                            .reshape({alpha, alpha, og, n, th, tw})
                            .permute({3, 2, 4, 5, 0, 1})); // N, O/groups, th, tw, alpha, alpha
    }
    auto y = at::matmul(at::matmul(at, at::cat(parts, 1)), at.t()) // N, O, th, tw, m, m
                 .permute({0, 1, 2, 4, 3, 5})
                 .reshape({n, w.size(0), th * m, tw * m})
                 .narrow(2, 0, ho)
                 .narrow(3, 0, wo);
    if (bias) y = y + bias->view({1, -1, 1, 1});
    return y.contiguous();
}

std::optional<at::Tensor> emulateConv(const Values& in, bool underscore, Emulation e,
                                      std::mt19937_64& rng) {
    const auto x = in[0].toTensor();
    const auto w = in[1].toTensor();
    const auto bias = optTensor(in, 2);
    if (in.size() < 7 || !in[3].isIntList() || !in[4].isIntList() || !in[5].isIntList())
        return std::nullopt;
    const auto stride = in[3].toIntVector(), padding = in[4].toIntVector(),
               dilation = in[5].toIntVector();
    std::int64_t groups;
    if (underscore) {
        if (in.size() < 9 || !in[6].isBool() || in[6].toBool() || !in[8].isInt())
            return std::nullopt;
        groups = in[8].toInt();
    } else {
        if (!in[6].isInt()) return std::nullopt;
        groups = in[6].toInt();
    }
    const std::vector<std::int64_t> outPad(stride.size(), 0);
    auto conv = [&](const at::Tensor& xx, const at::Tensor& ww,
                    const std::optional<at::Tensor>& bb) {
        return at::convolution(xx, ww, bb ? c10::optional<at::Tensor>(*bb) : c10::nullopt, stride,
                               padding, dilation, false, outPad, groups);
    };
    switch (e) {
    case Emulation::Tf32:
        return conv(roundToTf32(x), roundToTf32(w), bias);
    case Emulation::Winograd: {
        // Only where a library may pick it: 2-D, square 3x3 or 5x5 kernels, stride and
        // dilation 1; a random honest tile size, so calibration sees each of them.
        const auto r = w.dim() == 4 ? w.size(2) : 0;
        const auto sizes = detail::winogradTileSizes(static_cast<int>(r));
        if (x.dim() != 4 || w.size(3) != r || sizes.empty() || stride.size() != 2 ||
            stride != std::vector<std::int64_t>{1, 1} ||
            dilation != std::vector<std::int64_t>{1, 1} || padding.size() != 2)
            return std::nullopt;
        const auto m = sizes[std::uniform_int_distribution<std::size_t>(0, sizes.size() - 1)(rng)];
        return winogradConv(x, w, bias, padding, groups, m);
    }
    case Emulation::Shuffled: {
        if (groups != 1 || w.size(1) < 2) return std::nullopt;
        auto p = randperm(w.size(1), rng);
        return conv(x.index_select(1, p), w.index_select(1, p), bias);
    }
    case Emulation::SplitK: {
        // Partition the reduction positions (C_in/groups x kernel) with masks; each
        // partial is a valid FP32 sum over its subset (added zeros are exact).
        const auto m = w[0].numel();
        if (m < 2) return std::nullopt;
        auto order = randperm(m, rng);
        std::vector<at::Tensor> parts;
        for (auto [s, n] : chunks(m, 4, rng)) {
            auto mask = at::zeros({m}, w.options());
            mask.index_fill_(0, order.narrow(0, s, n), 1.0f);
            parts.push_back(conv(x, w * mask.view(w[0].sizes()).unsqueeze(0), std::nullopt));
        }
        auto y = sumShuffled(std::move(parts), rng);
        if (!bias) return y;
        std::vector<std::int64_t> shape(static_cast<std::size_t>(y.dim()), 1);
        shape[1] = bias->numel();
        return y + bias->view(shape);
    }
    }
    return std::nullopt;
}

// Ops equivariant under a permutation of one axis: permute, apply, permute back.
std::optional<at::Tensor>
emulatePermuted(const at::Tensor& x, std::int64_t dim, std::mt19937_64& rng,
                const std::function<at::Tensor(const at::Tensor&, const at::Tensor&)>& f) {
    dim = dim < 0 ? dim + x.dim() : dim;
    if (dim < 0 || dim >= x.dim() || x.size(dim) < 2) return std::nullopt;
    auto p = randperm(x.size(dim), rng);
    auto y = f(x.index_select(dim, p), p);
    return y.index_select(dim, at::argsort(p));
}

std::optional<at::Tensor> emulateTensor(std::string_view kind, const Values& in, Emulation e,
                                        std::mt19937_64& rng) {
    auto t0 = optTensor(in, 0), t1 = optTensor(in, 1);
    if (!t0 || !isF32(*t0)) return std::nullopt;
    if (kind == "aten::linear" && t1 && isF32(*t1)) {
        return emulateContraction(
            *t0, -1, *t1, 1, optTensor(in, 2), e, rng,
            [](const at::Tensor& a, const at::Tensor& b, const std::optional<at::Tensor>& bias) {
                return at::linear(a, b, bias ? c10::optional<at::Tensor>(*bias) : c10::nullopt);
            });
    }
    if ((kind == "aten::matmul" || kind == "aten::mm" || kind == "aten::bmm") && t1 && isF32(*t1) &&
        t0->dim() >= 2 && t1->dim() >= 2) {
        return emulateContraction(
            *t0, -1, *t1, -2, std::nullopt, e, rng,
            [](const at::Tensor& a, const at::Tensor& b, const std::optional<at::Tensor>&) {
                return at::matmul(a, b);
            });
    }
    if ((kind == "aten::_convolution" || kind == "aten::conv1d" || kind == "aten::conv2d") && t1 &&
        isF32(*t1))
        return emulateConv(in, kind == "aten::_convolution", e, rng);
    if (e != Emulation::Shuffled) return std::nullopt;
    if ((kind == "aten::softmax" || kind == "aten::log_softmax") && in.size() >= 2 &&
        in[1].isInt() && (in.size() < 3 || in[2].isNone())) {
        const auto dim = in[1].toInt();
        const bool log = kind == "aten::log_softmax";
        return emulatePermuted(*t0, dim, rng, [&](const at::Tensor& x, const at::Tensor&) {
            return log ? at::log_softmax(x, dim) : at::softmax(x, dim);
        });
    }
    if (kind == "aten::layer_norm" && in.size() >= 5 && in[1].isIntList() &&
        in[1].toIntVector().size() == 1 && in[4].isDouble()) {
        const auto shape = in[1].toIntVector();
        const auto w = optTensor(in, 2), b = optTensor(in, 3);
        const double eps = in[4].toDouble();
        return emulatePermuted(*t0, -1, rng, [&](const at::Tensor& x, const at::Tensor& p) {
            auto pick = [&](const std::optional<at::Tensor>& t) {
                return t ? c10::optional<at::Tensor>(t->index_select(0, p)) : c10::nullopt;
            };
            return at::layer_norm(x, shape, pick(w), pick(b), eps);
        });
    }
    return std::nullopt;
}

} // namespace

Values cloneValues(const Values& values) {
    Values out;
    out.reserve(values.size());
    for (const auto& v : values) {
        if (v.isTensor())
            out.emplace_back(v.toTensor().clone());
        else if (v.isTensorList()) {
            c10::List<at::Tensor> list;
            for (const at::Tensor& t : v.toTensorVector())
                list.push_back(t.clone());
            out.emplace_back(std::move(list));
        } else
            out.push_back(v);
    }
    return out;
}

at::Tensor roundToTf32(const at::Tensor& x) {
    auto src = x.to(at::kFloat).contiguous();
    auto out = at::empty_like(src);
    const auto* in = src.data_ptr<float>();
    auto* o = out.data_ptr<float>();
    for (std::int64_t i = 0; i < src.numel(); ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, &in[i], 4);
        if ((bits & 0x7f800000u) != 0x7f800000u) {
            // Round to nearest, ties to even, at bit 13 (drops 13 of 23 mantissa bits).
            bits += 0x0fffu + ((bits >> 13) & 1u);
            bits &= ~0x1fffu;
        }
        std::memcpy(&o[i], &bits, 4);
    }
    return out;
}

std::optional<Values> emulate(std::string_view kind, const Values& inputs, Emulation emulation,
                              std::mt19937_64& rng) {
    std::string base(kind);
    if (base.size() > 1 && base.back() == '_' && base[base.size() - 2] != '_') base.pop_back();
    at::NoGradGuard noGrad;
    auto y = emulateTensor(base, inputs, emulation, rng);
    if (!y) return std::nullopt;
    return Values{*y};
}

void applyConfig(const CalibrationConfig& config) {
    // Cheap when nothing changes: applySettings leaves an unchanged OpenMP count alone.
    runtime::RuntimeSettings s;
    s.threads = config.threads;
    s.onednn = config.onednn;
    s.flushDenormal = config.flushDenormal;
    runtime::applySettings(s);
}

void runSegmentUnderConfig(graph::Interpreter& interp, const Values& inputs, std::uint32_t lo,
                           std::uint32_t hi, const graph::OpOutputSource& committed,
                           const CalibrationConfig& config, std::mt19937_64& rng,
                           const OutputEdit& record) {
    // Operator by operator (inputs resolved from the segment's own results, else from the
    // cut state) rather than Interpreter::runSegment: glue before `lo` is then recomputed
    // per operator, which runSegment, freeing values by their last use in the full graph,
    // cannot always do for arbitrary cut points.
    applyConfig(config);
    std::map<std::uint32_t, Values> local;
    graph::OpOutputSource source = [&](std::uint32_t op) {
        auto it = local.find(op);
        return it != local.end() ? it->second : committed(op);
    };
    at::NoGradGuard noGrad;
    for (std::uint32_t op = lo; op < hi; ++op) {
        Values in;
        try {
            in = interp.opInputs(op, inputs, source);
        } catch (const graph::UnrebuildableRead&) {
            local[op] = committed(op); // not run, not measured: the segment resumes from it
            continue;
        }
        std::optional<Values> outs;
        if (config.emulation)
            outs = emulate(interp.model().ops()[op].kind, in, *config.emulation, rng);
        if (!outs) outs = interp.runOp(op, std::move(in));
        if (record) record(op, *outs);
        local[op] = std::move(*outs);
    }
}

std::vector<Values> runUnderConfig(graph::Interpreter& interp, const Values& inputs,
                                   const CalibrationConfig& config, std::uint64_t seed,
                                   const OutputEdit& edit) {
    applyConfig(config);
    const auto n = interp.model().ops().size();
    std::vector<Values> outs(n);
    std::mt19937_64 rng(seed);
    graph::OpOutputSource source = [&](std::uint32_t op) { return outs.at(op); };
    graph::ExecutionHooks hooks;
    hooks.afterOp = [&](std::uint32_t op, Values& values) {
        if (config.emulation) {
            try {
                auto in = interp.opInputs(op, inputs, source);
                if (auto em = emulate(interp.model().ops()[op].kind, in, *config.emulation, rng))
                    values = *em;
            } catch (const graph::UnrebuildableRead&) {
                // Its inputs are not known apart from the run: the kernel's own result stays.
            }
        }
        if (edit) edit(op, values);
        outs[op] = cloneValues(values);
    };
    at::NoGradGuard noGrad;
    interp.run(inputs, hooks);
    return outs;
}

} // namespace tao::numerics
