#pragma once
// False positives of the error models: honest executions of a model on inputs the profile
// was not calibrated on, each under one of the machine's configurations in turn, verified
// against the profile exactly as `tao verify` would.
#include "core/graph/model.hpp"
#include "core/numerics/calibration_config.hpp"
#include "core/numerics/calibration_profile.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tao::eval {

struct HonestRunsOptions {
    int runs = 100;
    std::uint64_t firstSeed = 1; // run r uses random inputs of seed firstSeed + r
    std::vector<numerics::CalibrationConfig> configs; // cycled; empty = parseConfigs("default")
    std::function<void(int done, int total)> progress;
};

struct NonPassRun {
    int run = 0;
    std::string config;
    std::uint32_t op = 0;
    std::string verdict;
    std::string reason;
};

struct HonestRuns {
    std::string model;
    std::uint32_t ops = 0;
    int runs = 0;
    std::map<std::string, int> verdicts;  // "PASS", "SUSPECT", "FAIL", "NO-BOUND" -> runs
    std::map<std::string, int> perConfig; // configuration name -> runs
    std::string heldOutInputs;            // e.g. "random seeds 1..200"
    // Per run, the largest error / threshold over its operators: a run stays PASS under
    // a threshold scaled by s while this stays <= s.
    std::vector<double> runUtilisation;
    double worstUtilisation = 0;
    std::uint32_t worstOp = 0;
    std::vector<NonPassRun> nonPass; // every run that was not PASS
    double seconds = 0;
};

// Throws verify::VerifyError for a profile of another model, ModelError when a run fails.
// Leaves the first configuration applied.
HonestRuns honestRuns(const std::shared_ptr<graph::Model>& model, const numerics::Profile& profile,
                      const HonestRunsOptions& options);

} // namespace tao::eval
