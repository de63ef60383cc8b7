#pragma once
// The work the engine thread does for the views, as plain functions over core: loading,
// verifying, replaying and measuring one operator in detail. The
// only translation unit of views/ that includes LibTorch headers.
#include "core/graph/op_info.hpp"
#include "core/runtime/replay.hpp"
#include "core/verify/verdict.hpp"
#include "views/log_binned_histogram.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tao::numerics {
struct Profile;
}
namespace tao::trace {
class TraceBundle;
}

namespace tao::views {

using ProgressFn = std::function<bool(std::size_t, std::size_t)>;

std::shared_ptr<graph::Model> loadModelFile(const std::filesystem::path& path);
// Opens a bundle and checks it belongs to `model` (when given).
std::shared_ptr<trace::TraceBundle> openTraceFile(const std::filesystem::path& path,
                                                  const std::shared_ptr<graph::Model>& model);
// Loads a profile and checks it belongs to `model`.
std::shared_ptr<numerics::Profile> openProfileFile(const std::filesystem::path& path,
                                                   const std::shared_ptr<graph::Model>& model);

// Verdicts for every operator: against the profile when given (the session's profile in
// force, percentile included), else against the sound bounds alone.
verify::VerifyReport verifyAll(const std::shared_ptr<graph::Model>& model,
                               const trace::TraceBundle& bundle, const numerics::Profile* profile,
                               const ProgressFn& progress);

// A tensor as the tensor view shows it, converted to float.
struct TensorGrid {
    std::vector<std::int64_t> shape;
    std::vector<float> values; // row-major; may stop early when `truncated`
    bool truncated = false;
};

struct OpDetail {
    std::uint32_t op = 0;
    std::string status;  // "bounded", "exact", "no-bound"
    std::string note;    // bound note or why there is none
    std::string failure; // why the output is wrong regardless of thresholds
    double metric = 0;   // max |y - r| / b
    double maxAbs = 0;
    double maxBound = 0;
    std::int64_t unbounded = 0;
    LogBinnedHistogram elementErrors; // every element's |y - r| / b
    TensorGrid output, reference, difference;
    std::vector<std::string> inputShapes;
};

// Recomputes one operator in FP64 from the trace's committed inputs and measures its
// committed output element by element.
OpDetail inspectOp(const std::shared_ptr<graph::Model>& model, const trace::TraceBundle& bundle,
                   const numerics::Profile* profile, std::uint32_t op);

// Replays operators [from, to) on their committed inputs (errors do not accumulate).
std::vector<runtime::OpComparison> replayRange(const std::shared_ptr<graph::Model>& model,
                                               const trace::TraceBundle& bundle, std::uint32_t from,
                                               std::uint32_t to, int threads,
                                               const std::string& device,
                                               const ProgressFn& progress);

// The LibTorch version this build links, e.g. "1.13.0".
std::string libtorchVersion();
// The model's id (docs/trace-format.md, "Model id") in hexadecimal.
std::string modelIdHex(const graph::Model& model);

std::vector<graph::OpInfo> syntheticOps(std::size_t count, std::uint64_t seed);

} // namespace tao::views
