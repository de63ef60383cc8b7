#pragma once
// A small parser for `tao <command> [--option value] [--flag] [positional...]`
// with errors that name the option, plus the exit codes every command uses.
#include "core/verify/verdict.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tao::cli {

// Exit codes shared by all commands (verify refines 1 and 2).
enum ExitCode { kOk = 0, kSuspect = 1, kFail = 2, kUsage = 3 };

// The exit code of a verdict (a run's worst, or one operator's): kOk for PASS or nothing
// checked, kSuspect for SUSPECT, kFail for FAIL and NO-BOUND.
int verdictExitCode(verify::Verdict v);

// Bad command line or bad input file: printed as one line, exit code kUsage.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CommandLine {
public:
    // `valued` options take a value, `flags` do not; anything else starting with
    // "--" is an error naming it.
    CommandLine(const std::vector<std::string>& args, const std::set<std::string>& valued,
                const std::set<std::string>& flags);

    bool has(const std::string& name) const;
    std::string value(const std::string& name) const; // throws UsageError when absent
    std::string valueOr(const std::string& name, const std::string& fallback) const;
    // Integer option in [min, max]; throws UsageError naming the option otherwise.
    long long integer(const std::string& name, long long fallback, long long min,
                      long long max) const;
    double number(const std::string& name, double fallback) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
};

// The value of --shard, "i/N", as {i, N}; throws UsageError unless 0 <= i < N.
std::pair<std::uint32_t, std::uint32_t> shardOption(const std::string& text);

// Prints rows as aligned columns; the first row is the header.
void printTable(const std::vector<std::vector<std::string>>& rows);
// "1.23e-05" style.
std::string sci(double v, int digits = 3);
// Short form of a 0x hash for tables.
std::string shortHash(const std::string& hex);

} // namespace tao::cli
