// Load on the provider data server holding a committed trace of 10^6 operators:
//  - rated: /proof and /outputs for random ops at a fixed request rate below the default
//    per-client limit (open loop: latency counts from each request's scheduled time, so a
//    stall is not hidden by the client waiting);
//  - saturation: as many requests as 8 keep-alive clients get answered, limiter raised
//    (the server prepared beforehand: tree and manifest built, as `provider serve` does);
//  - first requests: the cold costs (Merkle tree on the first proof, the served manifest
//    on the first /manifest), then the same requests again;
//  - health: /v1/health latency while 50 slow clients each hold a connection open by
//    dripping a header byte every half second.
// Usage: bench_provider [--ops N] [--seconds S] [--rate R] [--out FILE]
// Prints JSON; gates nothing on time.
#include "core/commit/tensor_hash.hpp"
#include "core/dispute/provider_api.hpp"
#include "core/provider/data_server.hpp"
#include "core/trace/trace_bundle.hpp"
#include "tests/support/slow_client.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace tao;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::int64_t kWidth = 16; // floats per op output
constexpr std::uint64_t kJob = 1;

double msBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown";
}

double peakRssMiB() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

json latencySummary(std::vector<double> ms) {
    if (ms.empty()) return {{"count", 0}};
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, std::size_t(q * ms.size()))]; };
    return {
        {"count", ms.size()}, {"p50_ms", at(0.50)}, {"p99_ms", at(0.99)}, {"max_ms", ms.back()}};
}

// A chain of `n` ops, each one F32[kWidth] output, written as a full bundle under `dir`.
std::filesystem::path writeSyntheticBundle(const std::filesystem::path& dir, std::uint32_t n) {
    std::vector<float> values(std::size_t(n + 1) * kWidth);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = float(i % 9973) * 0.125f - 600.0f;
    auto bytesOf = [&](std::size_t slot) {
        return commit::ByteSpan(reinterpret_cast<const std::uint8_t*>(&values[slot * kWidth]),
                                kWidth * sizeof(float));
    };
    const std::vector<std::int64_t> shape{kWidth};
    trace::Manifest m;
    m.modelId = commit::keccak256("bench-provider-" + std::to_string(n));
    m.modelName = "synthetic chain";
    m.inputs = {{"x",
                 {commit::DType::Float32,
                  shape,
                  commit::tensorHash(commit::DType::Float32, shape, bytesOf(n)),
                  {}}}};
    m.inputHash = trace::namedTensorsHash(m.inputs);
    std::vector<trace::TensorView> views;
    views.reserve(n);
    m.ops.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        trace::OpRecord op;
        op.index = i;
        op.kind = "aten::relu";
        op.inputs = {i == 0 ? "input:x" : "op:" + std::to_string(i - 1) + ".0"};
        const auto h = commit::tensorHash(commit::DType::Float32, shape, bytesOf(i));
        op.outputs = {{commit::DType::Float32, shape, h, {}}};
        op.outputLists = {-1};
        op.outputHash = commit::outputsHash({h});
        m.ops.push_back(std::move(op));
        views.push_back({trace::opTensorName(i, 0), commit::DType::Float32, shape, bytesOf(i)});
    }
    m.outputs = {"op:" + std::to_string(n - 1) + ".0"};
    m.outputHash = commit::outputsHash({m.ops.back().outputs[0].hash});
    m.root = m.merkleTree().root();
    const auto path = dir / "chain.taotrace";
    trace::writeTraceBundle(path, m, {{"x", commit::DType::Float32, shape, bytesOf(n)}}, views);
    return path;
}

struct Sample {
    std::vector<double> ms;
    std::uint64_t failures = 0;
    std::mutex mutex;
    void add(const std::vector<double>& mine, std::uint64_t failed) {
        std::lock_guard lock(mutex);
        ms.insert(ms.end(), mine.begin(), mine.end());
        failures += failed;
    }
};

std::string randomPath(std::mt19937_64& rng, std::uint32_t n, std::uint64_t k) {
    const auto op = std::uint32_t(rng() % n);
    return k % 2 ? dispute::api::proofPath(kJob, op) : dispute::api::outputsPath(kJob, op);
}

// `clients` keep-alive clients request random ops for `seconds`. With a `rate`, they share
// that many requests per second, each on its schedule, and latency counts from the scheduled
// time (open loop); without, each sends its next request as soon as the last one is answered.
json load(const std::string& phase, const std::string& url, std::uint32_t n, double seconds,
          int clients, std::optional<double> rate) {
    Sample all;
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::jthread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            httplib::Client http(url);
            http.set_keep_alive(true);
            std::mt19937_64 rng(1000 + c);
            std::vector<double> mine;
            std::uint64_t failed = 0;
            std::this_thread::sleep_until(start);
            for (std::uint64_t k = 0;; ++k) {
                auto due = Clock::now();
                if (rate) {
                    due = start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>((k * clients + c) / *rate));
                    std::this_thread::sleep_until(due);
                }
                if (due >= end) break;
                auto res = http.Get(randomPath(rng, n, k));
                mine.push_back(msBetween(due, Clock::now()));
                if (!res || res->status != 200) ++failed;
            }
            all.add(mine, failed);
        });
    threads.clear();
    json out = {{"phase", phase}};
    out.update(latencySummary(all.ms));
    out["clients"] = clients;
    if (rate) out["target_rate_per_s"] = *rate;
    out["rate_per_s"] = double(all.ms.size()) / msBetween(start, Clock::now()) * 1000.0;
    out["failures"] = all.failures;
    return out;
}

// Health checks (a fresh connection each, as a monitor makes them) beside `slow` clients
// that each keep a request's headers unfinished by sending one byte every 0.5 s.
json healthBesideSlowClients(const provider::DataServer& server, int slow, int checks) {
    std::vector<int> sockets;
    for (int i = 0; i < slow; ++i) {
        const int fd = test::halfRequest(server.port());
        if (fd < 0) throw std::runtime_error("cannot connect slow client " + std::to_string(i));
        sockets.push_back(fd);
    }
    std::atomic<bool> done{false};
    std::jthread dripping([&] {
        while (!done) {
            test::drip(sockets);
            for (int i = 0; i < 5 && !done; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // all slow clients seated
    std::vector<double> ms;
    std::uint64_t failed = 0;
    for (int i = 0; i < checks; ++i) {
        httplib::Client http(server.url());
        http.set_read_timeout(10, 0);
        const auto sent = Clock::now();
        auto res = http.Get("/v1/health");
        ms.push_back(msBetween(sent, Clock::now()));
        if (!res || res->status != 200) ++failed;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Still held at the end: the server neither dropped nor answered the slow clients.
    const int stillOpen = test::stillWaiting(sockets);
    done = true;
    dripping.join();
    for (int fd : sockets)
        ::close(fd);
    json out = latencySummary(ms);
    out["slow_clients"] = slow;
    out["slow_clients_still_connected"] = stillOpen;
    out["failures"] = failed;
    out["goal_p99_ms"] = 100;
    return out;
}

json timedGet(const std::string& url, const std::string& path) {
    httplib::Client http(url);
    http.set_read_timeout(120, 0);
    const auto t0 = Clock::now();
    auto res = http.Get(path);
    const double ms = msBetween(t0, Clock::now());
    return {{"ms", ms}, {"status", res ? res->status : 0}, {"bytes", res ? res->body.size() : 0}};
}
} // namespace

int main(int argc, char** argv) {
    std::uint32_t n = 1'000'000;
    double seconds = 10, rate = 150;
    std::string out;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--ops")
            n = std::uint32_t(std::stoul(argv[i + 1]));
        else if (a == "--seconds")
            seconds = std::stod(argv[i + 1]);
        else if (a == "--rate")
            rate = std::stod(argv[i + 1]);
        else if (a == "--out")
            out = argv[i + 1];
        else {
            std::cerr << "bench_provider: unknown option " << a << "\n";
            return 2;
        }
    }
    if (n < 2) {
        std::cerr << "bench_provider: --ops must be at least 2\n";
        return 2;
    }
    try {
        const auto dir = std::filesystem::temp_directory_path() /
                         ("tao-bench-provider-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        struct Cleanup {
            std::filesystem::path d;
            ~Cleanup() {
                std::error_code ec;
                std::filesystem::remove_all(d, ec);
            }
        } cleanup{dir};

        auto t = Clock::now();
        const auto bundle = writeSyntheticBundle(dir, n);
        const double writeMs = msBetween(t, Clock::now());
        provider::JobStore store;
        t = Clock::now();
        store.add(kJob, bundle);
        const double openMs = msBetween(t, Clock::now());

        // The default limits, as `tao provider serve` runs them.
        provider::DataServer server(store, provider::DataServerOptions{});
        const std::string url = server.url();
        json first = {{"proof", timedGet(url, dispute::api::proofPath(kJob, n / 2))},
                      {"proof_again", timedGet(url, dispute::api::proofPath(kJob, n / 3))},
                      {"manifest", timedGet(url, dispute::api::manifestPath(kJob))},
                      {"manifest_again", timedGet(url, dispute::api::manifestPath(kJob))}};
        json ratedRun = load("rated, default limits", url, n, seconds, 4, rate);
        json health = healthBesideSlowClients(server, 50, 200);
        server.stop();

        provider::DataServerOptions open;
        open.ratePerSecond = 1e9;
        open.burst = 1e9;
        provider::DataServer unlimited(store, open);
        t = Clock::now();
        unlimited.prepare(kJob); // its own cache: tree and manifest, as `provider serve` does
        const double prepareMs = msBetween(t, Clock::now());
        json saturated =
            load("saturation, limiter raised", unlimited.url(), n, seconds, 8, std::nullopt);
        unlimited.stop();

        json doc = {{"benchmark", "provider"},
                    {"machine", cpuModel()},
                    {"cores", std::thread::hardware_concurrency()},
                    {"ops", n},
                    {"tensor_bytes_per_op", kWidth * 4},
                    {"bundle_write_s", writeMs / 1000},
                    {"bundle_open_s", openMs / 1000},
                    {"prepare_s", prepareMs / 1000},
                    {"peak_rss_mib", peakRssMiB()},
                    {"first_requests", first},
                    {"runs", json::array({ratedRun, saturated})},
                    {"health", health}};
        const std::string text = doc.dump(2);
        std::cout << text << "\n";
        if (!out.empty()) {
            const auto tmp = out + ".tmp";
            std::ofstream(tmp) << text << "\n";
            std::filesystem::rename(tmp, out);
        }
    } catch (const std::exception& e) {
        std::cerr << "bench_provider: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
