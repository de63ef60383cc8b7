#pragma once
// An empirical threshold profile: for one model, per operator, the distribution of the
// error that honest FP32 executions showed against the FP64 reference, across inputs and
// hardware/software configurations. Versioned JSON, pinned by its own SHA-256, mergeable
// across machines. Torch-free so the CLI and views can read, merge and show profiles.
//
// Error metric (per operator, see error_metric.hpp): the bound utilisation
//     m = max over elements of |y - r| / b
// with r the FP64 reference and b the sound bound, both computed from the operator's
// committed inputs. Dividing by the sound bound makes the statistic scale-free (it moves
// with |A||B|, cancellation and the reduction length exactly as the bound does), so a
// threshold learned on some inputs transfers to others, and m > 1 means "beyond the
// sound bound" (FAIL) in the same unit. For exact operators b = 0: m is 0 when y equals
// r and +inf otherwise.
//
// Segment metric (replaying ops [lo, hi) from a cut state, for the bisection game): at
// the segment's last op, the normwise relative difference
//     s = max_i |y_i - c_i| / max(max_j |c_j|, FLT_MIN)
// between the replayed output y and the committed output c. A per-op bound does not
// apply to an accumulated error (an exact op such as a view passes it on unchanged), so
// segments are measured against the tensor's own magnitude instead.
//
// Thresholds: threshold = safetyFactor * quantile(percentile) of the per-run statistic,
// the quantile read conservatively from the histogram (upper bin edge, capped by the
// exact maximum). Both parameters are recorded and part of the hash.
//
// Segment thresholds are kept per (end op, length class): lengths are bucketed into
// powers of two (2, 4, 8, ... covering the op count), a segment of length L being
// counted in the smallest class >= L. Calibration tiles the graph with segments of each
// class at a random phase per input, so every op is sampled as the end of segments of
// every class. Lookup for [lo, hi) takes the class of hi - lo at op hi - 1, or the next
// longer calibrated class when that one has no samples (longer segments accumulate at
// least as much error).
//
// Scaling out: calibration is embarrassingly parallel over inputs. Run one shard per
// machine or GPU with `tao calibrate ... --shard i/N` (input k belongs to shard k mod N),
// e.g. as a Slurm job array (`--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`) or
// a Kubernetes indexed Job (`--shard $JOB_COMPLETION_INDEX/<completions>`), then fold the
// shards with `tao calibrate merge`. Histograms add bin by bin, so merging is exact and
// the order does not matter; the merged profile lists every source.
#include "core/commit/hash.hpp"
#include "core/numerics/log_histogram.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tao::numerics {

inline constexpr int kProfileFormatVersion = 1;
inline constexpr std::string_view kProfileFormat = "tao-threshold-profile";

// Where and how a part of the profile was measured.
struct CalibrationSource {
    std::string host;     // CPU or GPU model
    std::string device;   // "cpu", "cuda:0"
    std::string libtorch; // version
    std::string blas;     // library actually loaded
    std::vector<std::string> configs;
    std::uint64_t inputs = 0;  // inputs calibrated in this source
    std::string inputSet;      // e.g. "random seeds 1000..1199" or "dir data/ (40 files)"
    std::string shard = "0/1"; // i/N
    std::string created;       // UTC, ISO 8601
};

struct OpProfile {
    std::uint32_t index = 0;
    std::string kind;
    std::string scope;
    std::string status = "bounded"; // "bounded", "exact" or "no-bound" (as numerics reports it)
    std::string note;               // why "no-bound", or how "exact" was decided
    LogHistogram runs;              // one sample per (input, configuration): the metric m
    LogHistogram elements;          // every element's |y - r| / b, for distributions in the GUI
};

struct SegmentProfile {
    std::uint32_t end = 0;    // last op of the segments
    std::uint32_t length = 0; // length class (a power of two)
    LogHistogram runs;        // one sample per replayed segment: the segment metric s
};

struct BoundSettings {
    double unitRoundoff = 0x1p-24; // u of the arithmetic the bounds assume
    bool tf32 = false;             // matmul/conv inputs may be TF32-rounded (see op_bound.hpp)
    double mathUlpMargin = 2.0;
    bool flushDenormal = false;   // subnormal inputs and results may be flushed to zero
    bool fastConvolution = false; // convolutions may use Winograd or FFT (see op_bound.hpp)
};

struct Profile {
    int version = kProfileFormatVersion;
    commit::Hash32 modelId;
    std::string modelName;
    std::uint32_t opCount = 0;
    double percentile = 0.9999; // in (0, 1]
    double safetyFactor = 3.0;  // >= 1
    BoundSettings bounds;
    std::vector<CalibrationSource> sources;
    std::vector<OpProfile> ops; // one per op, in index order
    std::vector<SegmentProfile> segments;

    // safetyFactor * quantile of ops[op].runs; nullopt when the op has no samples.
    std::optional<double> threshold(std::uint32_t op) const;
    // Threshold for a segment [lo, hi) judged at op hi - 1 (see above); nullopt when no
    // class >= hi - lo was calibrated for that op.
    std::optional<double> segmentThreshold(std::uint32_t lo, std::uint32_t hi) const;

    // SHA-256 of the canonical JSON (sorted keys, no whitespace) without the "hash" field.
    commit::Hash32 hash() const;
    // Pretty JSON including "hash" and, per op, the derived "threshold" for readers.
    std::string toJson() const;
    // Parses and checks format, version, structure and the recorded hash. Throws
    // ProfileError "<what>: <reason>".
    static Profile fromJson(std::string_view text, const std::string& what);
    static Profile load(const std::filesystem::path& path);
    // Writes atomically. Throws std::runtime_error naming the path.
    void save(const std::filesystem::path& path) const;
};

class ProfileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Folds b into a: same model, op list, bound settings and histogram grid required (else
// ProfileError naming the difference); percentile and safety factor are a's. The result
// lists the sources of both.
Profile mergeProfiles(const Profile& a, const Profile& b);

// Length class of a segment of `length` ops: the smallest power of two >= length (>= 2).
std::uint32_t segmentClass(std::uint32_t length);

} // namespace tao::numerics
