#include "core/verify/verdict.hpp"

#include <array>
#include <utility>

namespace tao::verify {

namespace {
constexpr std::array<std::pair<Verdict, std::string_view>, 5> kNames{{
    {Verdict::Pass, "PASS"},
    {Verdict::Suspect, "SUSPECT"},
    {Verdict::Fail, "FAIL"},
    {Verdict::NoBound, "NO-BOUND"},
    {Verdict::NotChecked, "NOT-CHECKED"},
}};
} // namespace

std::string_view verdictName(Verdict v) {
    for (const auto& [verdict, name] : kNames)
        if (verdict == v) return name;
    return "?";
}

std::optional<Verdict> verdictFromName(std::string_view name) {
    for (const auto& [verdict, n] : kNames)
        if (n == name) return verdict;
    return std::nullopt;
}

int severity(Verdict v) {
    switch (v) {
    case Verdict::NotChecked:
        return 0;
    case Verdict::Pass:
        return 1;
    case Verdict::Suspect:
        return 2;
    case Verdict::NoBound:
        return 3;
    case Verdict::Fail:
        return 4;
    }
    return 0;
}

Verdict VerifyReport::overall() const {
    Verdict worst = Verdict::Pass;
    for (const auto& op : ops)
        if (severity(op.verdict) > severity(worst)) worst = op.verdict;
    return worst;
}

std::size_t VerifyReport::count(Verdict v) const {
    std::size_t n = 0;
    for (const auto& op : ops)
        n += op.verdict == v;
    return n;
}

std::optional<std::uint32_t> VerifyReport::firstNonPass() const {
    for (const auto& op : ops)
        if (op.verdict != Verdict::Pass) return op.op;
    return std::nullopt;
}

} // namespace tao::verify
