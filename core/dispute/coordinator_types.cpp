#include "core/dispute/coordinator_types.hpp"

namespace tao::dispute {

std::string jobStatusName(JobStatus s) {
    static const char* names[] = {"None",     "Requested", "Submitted", "Disputed",
                                  "Accepted", "Rejected",  "Cancelled"};
    auto i = static_cast<unsigned>(s);
    return i < 7 ? names[i] : "Unknown(" + std::to_string(i) + ")";
}

bool hasResult(JobStatus s) {
    return s != JobStatus::None && s != JobStatus::Requested && s != JobStatus::Cancelled;
}

std::string phaseName(Phase p) {
    static const char* names[] = {"None",           "ProviderBisect", "ChallengerSelect",
                                  "ProviderReveal", "Voting",         "Resolved"};
    auto i = static_cast<unsigned>(p);
    return i < 6 ? names[i] : "Unknown(" + std::to_string(i) + ")";
}
std::string outcomeName(Outcome o) {
    static const char* names[] = {"None", "ProviderWon", "ChallengerWon", "Moot"};
    auto i = static_cast<unsigned>(o);
    return i < 4 ? names[i] : "Unknown(" + std::to_string(i) + ")";
}

std::string voteReasonName(VoteReason r) {
    static const char* names[] = {"within threshold", "beyond threshold", "beyond bound"};
    auto i = static_cast<unsigned>(r);
    return i < 3 ? names[i] : "reason " + std::to_string(i);
}

} // namespace tao::dispute
