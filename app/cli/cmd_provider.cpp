// `tao provider`: commit to traces (optionally adversarial, for evaluation), serve their
// tensors and proofs over HTTP(S), and answer the provider's moves in every game opened on the
// job before their deadlines.
#include "app/cli/chain_session.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/runtime_options.hpp"
#include "core/dispute/agents.hpp"
#include "core/graph/op_info.hpp"
#include "core/provider/adversary.hpp"
#include "core/provider/data_server.hpp"
#include "core/trace/trace_bundle.hpp"

#include <cstdio>
#include <thread>

namespace tao::cli {

using namespace tao::dispute;

namespace {
int capture(const std::vector<std::string>& args) {
    CommandLine cl(
        args, {"model", "random-input", "input", "out", "mode", "op", "factor", "swap-with"}, {});
    runtime::CaptureOptions c;
    c.out = cl.value("out");
    if (cl.has("input"))
        c.inputFile = cl.value("input");
    else
        c.seed = static_cast<std::uint64_t>(cl.integer("random-input", 1, 0, 1LL << 62));
    provider::AdversaryOptions adv;
    adv.mode = provider::parseAdversaryMode(cl.valueOr("mode", "honest"));
    if (cl.has("op")) adv.op = static_cast<std::uint32_t>(cl.integer("op", 0, 0, 1 << 30));
    adv.factor = cl.number("factor", adv.factor);
    adv.swapWith = cl.valueOr("swap-with", "");
    provider::AdversaryReport report;
    auto m = provider::adversarialCapture(graph::loadModel(cl.value("model")), c, adv, &report);
    std::printf("trace       %s (%zu ops, root %s)\n", c.out.string().c_str(), m.ops.size(),
                m.root.hex().c_str());
    if (!report.description.empty()) std::printf("adversary   %s\n", report.description.c_str());
    return kOk;
}

int serve(const std::vector<std::string>& args) {
    auto valued = kChainOptions;
    valued.insert({"trace", "job", "host", "port", "cert", "key", "rate", "poll-ms"});
    CommandLine cl(args, valued, withRuntime({"once"}, kChainFlags));
    const auto jobId = static_cast<std::uint64_t>(cl.integer("job", 1, 1, 1LL << 53));
    if (!cl.has("job")) throw UsageError("--job ID is required");
    auto bundle =
        std::make_shared<const trace::TraceBundle>(trace::TraceBundle::open(cl.value("trace")));
    ChainSession session(cl, "provider");
    session.checkServing(cl.has("cert"));
    session.confirmBond();
    const auto& m = bundle->manifest();
    if (!m.hasOutputLeaf())
        throw UsageError(cl.value("trace") + " is trace format version " +
                         std::to_string(m.version) +
                         ", which does not commit to its output: capture it again to post it");
    auto job = session.coordinator->job(jobId);
    const auto traceCommitment = m.commitment(session.coordinator->config().arity);
    // What this account posts for the trace on this job (bound to chain, contract, job, us).
    const auto commitment =
        session.coordinator->jobCommitment(jobId, session.account->address(), traceCommitment);
    if (job.status != JobStatus::Requested && job.commitment != commitment)
        throw UsageError("job " + std::to_string(jobId) + " commits to " + job.commitment.hex() +
                         ", not to this trace (" + commitment.hex() + ")");
    provider::JobStore store;
    store.add(jobId, bundle);
    provider::DataServerOptions so;
    so.host = cl.valueOr("host", "127.0.0.1");
    so.port = static_cast<int>(cl.integer("port", 0, 0, 65535));
    so.certFile = cl.valueOr("cert", "");
    so.keyFile = cl.valueOr("key", "");
    so.ratePerSecond = cl.number("rate", so.ratePerSecond);
    provider::DataServer server(store, so);
    // Serving, with the tree and manifest built, before the result is posted: a challenger
    // may ask the moment it appears.
    server.prepare(jobId);
    if (job.status == JobStatus::Requested)
        session.account->submitResult(jobId, m.outputHash, traceCommitment, m.leafCount());
    std::printf("serving     job %llu at %s\n", static_cast<unsigned long long>(jobId),
                server.url().c_str());
    std::fflush(stdout);
    ProviderAgent agent(*session.account, m);
    const auto poll = std::chrono::milliseconds(cl.integer("poll-ms", 1000, 10, 600000));
    for (;;) {
        bool closed = false;
        daemonStep([&] {
            agent.step(jobId);
            if (agent.pending(jobId).finished) {
                std::printf("closed      job %llu: %s\n", static_cast<unsigned long long>(jobId),
                            jobStatusName(session.coordinator->job(jobId).status).c_str());
                closed = true;
            }
        });
        if (closed && cl.has("once")) return kOk;
        std::this_thread::sleep_for(poll);
    }
}
} // namespace

int runProvider(const std::vector<std::string>& args) {
    if (args.empty()) throw UsageError("usage: tao provider (capture|serve) ...");
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "capture") return capture(rest);
    if (args[0] == "serve") return serve(rest);
    throw UsageError("unknown provider command '" + args[0] + "' (capture, serve)");
}

} // namespace tao::cli
