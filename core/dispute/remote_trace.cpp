#include "core/dispute/remote_trace.hpp"

#include "core/chain/bounded_http.hpp"
#include "core/dispute/coordinator.hpp"
#include "core/dispute/provider_api.hpp"
#include "core/dispute/tensor_wire.hpp"

#include <fstream>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace tao::dispute {

RemoteTraceOptions jobTraceOptions(RemoteTraceOptions base, Coordinator& coordinator,
                                   std::uint64_t jobId, const JobInfo& job) {
    base.jobId = jobId;
    base.commitment = job.commitment;
    base.arity = coordinator.config().arity;
    base.domain = jobDomain(coordinator, jobId, job);
    base.inputHash = job.inputHash;
    return base;
}

RemoteTraceSource::RemoteTraceSource(RemoteTraceOptions options)
    : options_(std::move(options)) {
    http_ = std::make_unique<httplib::Client>(options_.url);
    http_->set_connection_timeout(5, 0);
    http_->set_tcp_nodelay(true); // many small requests on one connection
    http_->set_read_timeout(30, 0);
    http_->enable_server_certificate_verification(options_.verifyTls);
    if (!options_.caCertFile.empty()) http_->set_ca_cert_path(options_.caCertFile.c_str());
    std::string body = get(api::manifestPath(options_.jobId), "manifest", options_.maxManifestBytes,
                           options_.manifestDeadline);
    try {
        manifest_ = trace::Manifest::fromJson(body);
    } catch (const std::exception& e) {
        fault(std::nullopt, std::string("malformed manifest: ") + e.what());
    }
    for (const auto& op : manifest_.ops) {
        if (!op.outputsMatchHash())
            fault(op.index, "manifest output hashes do not match the op's leaf");
    }
    if (manifest_.ops.empty() || manifest_.merkleTree().root() != manifest_.root)
        fault(std::nullopt, "manifest leaves do not rebuild its root " + manifest_.root.hex());
    auto commitment = manifest_.commitment(options_.arity);
    if (options_.domain) commitment = commit::jobCommitment(*options_.domain, commitment);
    if (commitment != options_.commitment)
        fault(std::nullopt,
              "manifest leaves do not rebuild the job's commitment " + options_.commitment.hex());
    if (options_.inputHash && manifest_.inputHash != *options_.inputHash)
        fault(std::nullopt, "manifest input hash differs from the job's input hash");
}

RemoteTraceSource::~RemoteTraceSource() = default;

std::chrono::milliseconds RemoteTraceSource::deadlineFor(std::uint64_t bytes) const {
    return options_.requestDeadlineBase +
           std::chrono::milliseconds(static_cast<std::int64_t>(1000.0 * static_cast<double>(bytes) /
                                                               options_.minBytesPerSecond));
}

std::string RemoteTraceSource::get(const std::string& path, const std::string& what,
                                   std::uint64_t maxBytes, std::chrono::milliseconds deadline) {
    auto res = chain::boundedRequest(*http_, "GET", path, {}, {},
                                     {static_cast<std::size_t>(maxBytes), deadline});
    ++requests_;
    if (res.limited)
        throw ProviderUnavailableError("provider API " + options_.url + ": " + what + ": " +
                                       res.error);
    if (res.status == 0)
        throw std::runtime_error("provider API " + options_.url + ": cannot fetch " + what + " (" +
                                 res.error + ")");
    if (res.status != 200) {
        std::string msg = res.body.substr(0, 200);
        throw std::runtime_error("provider API " + options_.url + ": " + what + " answered HTTP " +
                                 std::to_string(res.status) + " " + msg);
    }
    bytes_ += res.body.size();
    return res.body;
}

namespace {
std::uint64_t recordBytes(const trace::TensorRecord& t) {
    std::uint64_t n = commit::elementSize(t.dtype);
    for (auto d : t.shape)
        n *= static_cast<std::uint64_t>(d);
    return n;
}

// What a safetensors answer holding `tensors` may take: their bytes plus room for the
// JSON header (names, dtypes, shapes and offsets).
std::uint64_t wireBytes(const std::vector<const trace::TensorRecord*>& tensors) {
    std::uint64_t total = 4096;
    for (const auto* t : tensors)
        total += recordBytes(*t) + 256 + 24 * t->shape.size();
    return total;
}
} // namespace

void RemoteTraceSource::fault(std::optional<std::uint32_t> op, const std::string& reason) {
    faults_.push_back({options_.jobId, options_.url, op, reason});
    if (!options_.faultLog.empty()) {
        nlohmann::json line = {
            {"job", options_.jobId}, {"provider", options_.url}, {"reason", reason}};
        if (op) line["op"] = *op;
        std::ofstream(options_.faultLog, std::ios::app) << line.dump() << "\n";
    }
    throw ProviderFaultError("provider at " + options_.url + " is faulty on job " +
                             std::to_string(options_.jobId) +
                             (op ? ", op " + std::to_string(*op) : std::string()) + ": " + reason);
}

std::vector<trace::HostTensor> RemoteTraceSource::opOutputs(std::uint32_t op) {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(op); it != cache_.end()) return it->second;
    if (op >= manifest_.ops.size())
        throw std::out_of_range("op " + std::to_string(op) + " is outside the trace (" +
                                std::to_string(manifest_.ops.size()) + " ops)");
    const auto& rec = manifest_.ops[op];
    std::vector<const trace::TensorRecord*> expected;
    for (const auto& t : rec.outputs)
        expected.push_back(&t);
    const auto cap = wireBytes(expected);
    std::string body;
    try {
        body = get(api::outputsPath(options_.jobId, op), "outputs of op " + std::to_string(op), cap,
                   deadlineFor(cap));
    } catch (const std::runtime_error& e) {
        withheld_ = DataWithheld{op, e.what()};
        throw;
    }
    std::map<std::string, trace::HostTensor> tensors;
    try {
        tensors = decodeSafetensors(body, "outputs of op " + std::to_string(op));
    } catch (const std::exception& e) {
        fault(op, e.what());
    }
    std::vector<trace::HostTensor> out;
    for (std::size_t j = 0; j < rec.outputs.size(); ++j) {
        auto name = "op." + std::to_string(op) + "." + std::to_string(j);
        auto it = tensors.find(name);
        if (it == tensors.end()) fault(op, "tensor " + name + " missing from the answer");
        if (it->second.hash() != rec.outputs[j].hash)
            fault(op, "tensor " + name + " does not match its committed hash (leaf " +
                          std::to_string(op) + ")");
        out.push_back(std::move(it->second));
    }
    cache_[op] = out;
    return out;
}

std::vector<std::pair<std::string, trace::HostTensor>> RemoteTraceSource::graphInputs() {
    std::lock_guard lock(mutex_);
    if (inputs_) return *inputs_;
    std::vector<const trace::TensorRecord*> expected;
    for (const auto& in : manifest_.inputs)
        expected.push_back(&in.tensor);
    const auto cap = wireBytes(expected);
    std::string body;
    try {
        body = get(api::inputsPath(options_.jobId), "inputs", cap, deadlineFor(cap));
    } catch (const std::runtime_error& e) {
        withheld_ = DataWithheld{std::nullopt, e.what()};
        throw;
    }
    std::map<std::string, trace::HostTensor> tensors;
    try {
        tensors = decodeSafetensors(body, "inputs");
    } catch (const std::exception& e) {
        fault(std::nullopt, e.what());
    }
    std::vector<std::pair<std::string, trace::HostTensor>> out;
    std::vector<trace::NamedTensorRecord> records;
    for (const auto& in : manifest_.inputs) {
        auto it = tensors.find(in.name);
        if (it == tensors.end()) fault(std::nullopt, "input " + in.name + " missing");
        if (it->second.hash() != in.tensor.hash)
            fault(std::nullopt, "input " + in.name + " does not match its committed hash");
        out.emplace_back(in.name, std::move(it->second));
    }
    inputs_ = out;
    return out;
}

std::optional<DataWithheld> RemoteTraceSource::lastWithheld() const {
    std::lock_guard lock(mutex_);
    return withheld_;
}

void RemoteTraceSource::clearWithheld() {
    std::lock_guard lock(mutex_);
    withheld_.reset();
}

std::uint64_t fullTraceBytes(const trace::Manifest& manifest) {
    std::uint64_t total = 0;
    auto add = [&](const trace::TensorRecord& t) { total += recordBytes(t); };
    for (const auto& in : manifest.inputs)
        add(in.tensor);
    for (const auto& op : manifest.ops)
        for (const auto& t : op.outputs)
            add(t);
    return total;
}

} // namespace tao::dispute
