#include "core/numerics/calibrate.hpp"

#include "core/numerics/emulation.hpp"
#include "core/numerics/error_metric.hpp"
#include "core/numerics/fp_limits.hpp"
#include "core/runtime/model_io.hpp"
#include "core/runtime/runtime_settings.hpp"

#include <chrono>
#include <limits>
#include <malloc.h>
#include <map>

namespace tao::numerics {

namespace {

std::string utcNow() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

void checkOptions(const CalibrationOptions& o) {
    if (o.inputFiles.empty() && o.randomRuns == 0)
        throw std::invalid_argument("calibration needs input files or a number of random runs");
    if (o.shardCount == 0 || o.shardIndex >= o.shardCount)
        throw std::invalid_argument("shard " + std::to_string(o.shardIndex) + "/" +
                                    std::to_string(o.shardCount) +
                                    " is not of the form i/N, 0 <= i < N");
    if (!(o.percentile > 0 && o.percentile <= 1))
        throw std::invalid_argument("percentile must be in (0, 1]");
    if (!(o.safetyFactor >= 1)) throw std::invalid_argument("safety factor must be at least 1");
    if (o.configs.empty()) throw std::invalid_argument("no calibration configuration selected");
}

void checkFinite(const graph::Model& model, const std::vector<c10::IValue>& inputs,
                 const std::string& what) {
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i].isTensor() && inputs[i].toTensor().is_floating_point() &&
            !at::isfinite(inputs[i].toTensor()).all().item<bool>())
            throw std::runtime_error(what + ": input '" + model.inputNames()[i] +
                                     "' holds NaN or Inf; calibration needs finite inputs");
}

struct Calibrator {
    std::shared_ptr<graph::Model> model;
    const CalibrationOptions& opt;
    graph::Interpreter interp;
    BoundParams params;
    Profile profile;
    std::map<std::pair<std::uint32_t, std::uint32_t>, LogHistogram> segments;

    Calibrator(std::shared_ptr<graph::Model> m, const CalibrationOptions& o)
        : model(m)
        , opt(o)
        , interp(m) {
        for (const auto& c : opt.configs) {
            profile.bounds.tf32 |= c.emulation == Emulation::Tf32;
            profile.bounds.fastConvolution |= c.emulation == Emulation::Winograd;
            profile.bounds.flushDenormal |= c.flushDenormal;
        }
        params = boundParamsOf(profile.bounds);
        profile.modelId = m->id();
        profile.modelName = m->name();
        profile.opCount = static_cast<std::uint32_t>(m->ops().size());
        profile.percentile = o.percentile;
        profile.safetyFactor = o.safetyFactor;
        for (const auto& info : m->ops()) {
            OpProfile op;
            op.index = info.index;
            op.kind = info.kind;
            op.scope = info.scope;
            op.status = "no-bound";
            op.note = "no calibration samples";
            profile.ops.push_back(std::move(op));
        }
    }

    // Operators are taken in windows whose FP64 references and bounds fit in
    // opt.windowBytes: bounds of the window first, then configurations outermost, so that
    // runtime settings change a few times per window rather than per operator. Each
    // configuration draws from its own random stream in operator order, so the profile does
    // not depend on where windows end.
    void perOp(const std::vector<c10::IValue>& inputs, const graph::OpOutputSource& base,
               std::mt19937_64& rng) {
        std::vector<std::mt19937_64> streams;
        for (std::size_t k = 0; k < opt.configs.size(); ++k)
            streams.emplace_back(rng());
        std::vector<std::vector<c10::IValue>> in(profile.opCount);
        std::vector<OpBound> bounds(profile.opCount);
        for (std::uint32_t lo = 0; lo < profile.opCount;) {
            applyConfig(opt.configs[0]);
            std::size_t held = 0;
            std::uint32_t hi = lo;
            for (; hi < profile.opCount && (hi == lo || held < opt.windowBytes); ++hi) {
                auto& entry = profile.ops[hi];
                try {
                    in[hi] = interp.opInputs(hi, inputs, base);
                    bounds[hi] = boundForOp(interp, hi, in[hi], params);
                } catch (const graph::UnrebuildableRead& e) {
                    bounds[hi] = OpBound{};
                    bounds[hi].status = BoundStatus::NoBound;
                    bounds[hi].reason = e.what(); // verify cannot judge it either
                }
                if (bounds[hi].status == BoundStatus::NoBound) {
                    if (entry.runs.count() == 0) entry.note = bounds[hi].reason;
                    in[hi].clear();
                    continue;
                }
                for (const auto* ts : {&bounds[hi].reference, &bounds[hi].bound})
                    for (const auto& t : *ts)
                        held += t.nbytes();
                entry.status = statusName(bounds[hi].status);
                entry.note = bounds[hi].reason.rfind("integral", 0) == 0 ? bounds[hi].reason : "";
            }
            for (std::size_t k = 0; k < opt.configs.size(); ++k) {
                const auto& config = opt.configs[k];
                applyConfig(config);
                for (std::uint32_t op = lo; op < hi; ++op) {
                    if (bounds[op].status == BoundStatus::NoBound) continue;
                    auto& entry = profile.ops[op];
                    std::vector<c10::IValue> outs;
                    if (config.emulation) {
                        auto em = emulate(entry.kind, in[op], *config.emulation, streams[k]);
                        if (!em) continue;
                        outs = std::move(*em);
                    } else {
                        outs = interp.runOp(op, in[op]);
                    }
                    const auto err =
                        measureOpError(bounds[op], flattenOutputs(outs), &entry.elements);
                    entry.runs.add(err.failure.empty() ? err.metric : kInf);
                }
            }
            for (std::uint32_t op = lo; op < hi; ++op) {
                in[op].clear();
                bounds[op] = OpBound{};
            }
            // The window's freed references, bounds and temporaries lie between the base
            // run's tensors, where glibc does not give memory back by itself (the process
            // keeps up to 1 GiB at its top for reuse). Returned here: for GPT-2 at sequence
            // 1024 the process is 7-9 GiB at a window's end and 4.5 GiB after, and this
            // alone took its peak from 20 GiB to 15-16 GiB.
            malloc_trim(0);
            lo = hi;
        }
    }

    // Tiles the graph with segments of each length class at a random phase and records
    // the replay error at every op of each segment (see calibration_profile.hpp).
    void perSegment(const std::vector<c10::IValue>& inputs,
                    const std::vector<std::vector<c10::IValue>>& base,
                    const graph::OpOutputSource& source, const CalibrationConfig& config,
                    std::mt19937_64& rng) {
        const std::uint32_t n = profile.opCount;
        for (std::uint32_t len = 2; len / 2 < n; len *= 2) {
            std::uint32_t start = 0;
            std::uint32_t next = static_cast<std::uint32_t>(rng() % len);
            if (next == 0) next = len;
            while (start < n) {
                const std::uint32_t end = std::min(n, next);
                runSegmentUnderConfig(interp, inputs, start, end, source, config, rng,
                                      [&](std::uint32_t op, std::vector<c10::IValue>& outs) {
                                          const auto l = op - start + 1;
                                          if (l < 2) return;
                                          segments[{op, segmentClass(l)}].add(segmentError(
                                              flattenOutputs(outs), flattenOutputs(base[op])));
                                      });
                start = end;
                next = end + len;
            }
        }
    }

    void item(const std::vector<c10::IValue>& inputs, std::uint64_t key, std::size_t k) {
        std::mt19937_64 rng(0x7a0ca11bULL ^ (key * 0x9e3779b97f4a7c15ULL));
        const CalibrationConfig baseConfig{"base", 1, true, std::nullopt};
        const auto base = runUnderConfig(interp, inputs, baseConfig, rng());
        graph::OpOutputSource source = [&](std::uint32_t op) { return base.at(op); };
        perOp(inputs, source, rng);
        if (opt.segments && profile.opCount >= 2) {
            const auto& config = opt.configs.size() > 1
                                     ? opt.configs[1 + k % (opt.configs.size() - 1)]
                                     : opt.configs[0];
            perSegment(inputs, base, source, config, rng);
        }
    }
};

} // namespace

std::vector<std::filesystem::path> inputFilesIn(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == ".safetensors")
            files.push_back(e.path());
    if (ec)
        throw std::runtime_error(dir.string() + ": cannot read directory (" + ec.message() + ")");
    if (files.empty()) throw std::runtime_error(dir.string() + ": holds no .safetensors files");
    std::sort(files.begin(), files.end());
    return files;
}

Profile calibrate(const std::shared_ptr<graph::Model>& model, const CalibrationOptions& options) {
    checkOptions(options);
    Calibrator cal(model, options);
    const bool files = !options.inputFiles.empty();
    const std::size_t total = files ? options.inputFiles.size() : options.randomRuns;
    std::vector<std::size_t> mine;
    for (std::size_t k = 0; k < total; ++k)
        if (k % options.shardCount == options.shardIndex) mine.push_back(k);
    torch::NoGradGuard noGrad;
    std::size_t done = 0;
    for (std::size_t k : mine) {
        if (options.progress && !options.progress(done, mine.size()))
            throw graph::OperationCancelled();
        std::vector<c10::IValue> inputs;
        std::string what;
        if (files) {
            what = options.inputFiles[k].string();
            inputs = runtime::loadInputs(*model, options.inputFiles[k]);
        } else {
            what = "random input seed " + std::to_string(options.seedBase + k);
            inputs = model->randomInputs(options.seedBase + k);
        }
        checkFinite(*model, inputs, what);
        cal.item(inputs, files ? k : options.seedBase + k, k);
        ++done;
    }
    if (options.progress) options.progress(done, mine.size());

    auto& p = cal.profile;
    for (auto& [key, h] : cal.segments)
        p.segments.push_back({key.first, key.second, std::move(h)});
    runtime::RuntimeSettings settings;
    const auto rt = runtime::describeRuntime(settings);
    CalibrationSource src;
    src.host = rt.host;
    src.device = rt.device;
    src.libtorch = rt.libtorch;
    src.blas = rt.blas;
    for (const auto& c : options.configs)
        src.configs.push_back(c.name);
    src.inputs = mine.size();
    src.inputSet = files ? "files from " + options.inputFiles.front().parent_path().string() +
                               " (" + std::to_string(total) + ")"
                         : "random seeds " + std::to_string(options.seedBase) + ".." +
                               std::to_string(options.seedBase + total - 1);
    src.shard = std::to_string(options.shardIndex) + "/" + std::to_string(options.shardCount);
    src.created = utcNow();
    p.sources.push_back(std::move(src));
    applyConfig(options.configs[0]);
    return p;
}

} // namespace tao::numerics
