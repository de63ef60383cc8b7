#pragma once
// The challenger's and the committee's use of the provider data API: decide whether a job is
// wrong and where (fetching only the tensors needed, each checked against the trace root on
// chain), steer the bisection game, and judge a single revealed op for a vote.
#include "core/dispute/agents.hpp"
#include "core/dispute/op_checker.hpp"
#include "core/dispute/remote_trace.hpp"

namespace tao::dispute {

struct AssessOptions {
    // With a profile: first replay the whole model from the committed inputs and compare what
    // it hands on (the outputs) with the full-length segment threshold, fetching little more
    // than inputs and outputs. A job beyond it is challenged straight away.
    bool outputFirst = true;
    // When the output passes (or there is no profile): scan op by op, a thorough audit that
    // fetches every op's tensors up to the first bad one. Off: trust a passing output.
    bool scanOps = true;
};

struct Assessment {
    std::optional<SegmentCheck> output; // the whole-model replay check, when made
    std::optional<OpCheck> firstBad;    // the first op not PASS, when the ops were scanned
    bool opsScanned = false;            // the op scan ran to its end or to firstBad
    std::optional<ProviderFault> fault; // the provider served data not matching its commitment
    std::uint64_t bytesFetched = 0;
    std::uint64_t fullTraceBytes = 0;
    std::uint64_t requests = 0;
    // The checked tensors fetched so far; the game's segment replays go on from here.
    std::shared_ptr<RemoteTraceSource> source;

    bool wrong() const { return firstBad || fault || (output && output->beyond); }
    // The op to dispute when one is known: the first bad op, or the op whose data was faulty
    // (0 for the manifest). Empty for a job found wrong by its output alone.
    std::optional<std::uint32_t> disputedOp() const;
};

// Reads the job from chain, fetches the committed manifest and checks it (see AssessOptions).
// Throws std::runtime_error when the provider cannot be reached.
Assessment assessJob(Coordinator& coordinator, std::uint64_t jobId, OpChecker& checker,
                     const RemoteTraceOptions& api, const AssessOptions& options = {});

// How the challenger picks parts for an assessed job: towards the known bad op; otherwise
// the first part whose replay from the provider's cut state is beyond its segment
// threshold, falling back to op-by-op checks of the interval when no part is (a tampering
// too small to carry to a cut). `log` hears each decision.
ChallengerAgent::PartChooser partChooser(const Assessment& assessment, OpChecker& checker,
                                         std::function<void(const std::string&)> log = {});

// A committee judge over the provider's API: PASS accepts, SUSPECT/FAIL reject (reasons 1/2);
// a provider serving data that does not match its commitment is rejected with reason 2. When
// the data cannot be had at all (the provider silent, or this member's own network down) it
// throws Abstention: nothing is sealed, and the next step tries again.
CommitteeAgent::Judge remoteJudge(OpChecker& checker, Coordinator& coordinator,
                                  RemoteTraceOptions api,
                                  std::function<void(const std::string&)> log = {});

} // namespace tao::dispute
