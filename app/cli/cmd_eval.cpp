// `tao eval`: the evaluation behind docs/evaluation.md (see core/eval/evaluation.hpp),
// written as JSON. Progress goes to stderr; the headline numbers to stdout.
#include "app/cli/command_line.hpp"
#include "app/cli/commands.hpp"
#include "core/eval/evaluation.hpp"
#include "core/io/atomic_file.hpp"

#include <iostream>

namespace tao::cli {

int runEval(const std::vector<std::string>& args) {
    CommandLine cl(args, {"out", "root", "work"}, {"quick"});
    eval::EvaluationOptions options;
    options.root = cl.valueOr("root", TAO_SOURCE_DIR);
    const std::filesystem::path out = cl.valueOr("out", "eval.json");
    options.workDir = cl.valueOr(
        "work", (out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path()) /
                    ".eval-work");
    options.quick = cl.has("quick");
    options.log = [](const std::string& line) { std::cerr << "eval: " << line << "\n"; };
    const auto doc = eval::runEvaluation(options);
    io::writeFileAtomically(out, doc.dump(2) + "\n");

    int honestRuns = 0, honestNonPass = 0, attacks = 0, beyond = 0, beyondDetected = 0;
    for (const auto& h : doc["honest"]) {
        honestRuns += h["runs"].get<int>();
        honestNonPass += static_cast<int>(h["nonPass"].size());
    }
    for (const auto& a : doc["attacks"]) {
        attacks += a["runs"].get<int>();
        beyond += a["beyondThreshold"].get<int>();
        beyondDetected += a["beyondThresholdDetected"].get<int>();
    }
    int adversarySuccess = 0, adversaryInputs = 0;
    for (const auto& t : doc["thresholdAware"])
        if (t["allowance"] == "empirical") {
            adversarySuccess += t["success"].get<int>();
            adversaryInputs += t["inputs"].get<int>();
        }
    std::cout << "honest runs: " << honestRuns << ", not PASS: " << honestNonPass << "\n"
              << "attack runs: " << attacks << ", beyond a threshold: " << beyond
              << ", detected of those: " << beyondDetected << "\n"
              << "threshold-aware adversary (empirical thresholds): " << adversarySuccess << " of "
              << adversaryInputs << " inputs flipped and accepted\n"
              << "wrote " << out.string() << " in "
              << static_cast<int>(doc["seconds"].get<double>()) << " s\n";
    return honestNonPass == 0 && beyond == beyondDetected ? 0 : 1;
}

} // namespace tao::cli
