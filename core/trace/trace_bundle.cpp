#include "core/trace/trace_bundle.hpp"

#include "core/io/atomic_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tao::trace {

namespace fs = std::filesystem;

std::string opTensorName(std::uint32_t op, std::size_t output) {
    return "op." + std::to_string(op) + "." + std::to_string(output);
}

void writeTraceBundle(const fs::path& path, const Manifest& manifest,
                      const std::vector<TensorView>& inputTensors,
                      const std::vector<TensorView>& opTensors) {
    if (manifest.light && !opTensors.empty())
        throw std::invalid_argument(path.string() + ": a light trace holds no operator tensors");
    io::writeDirectoryAtomically(path, [&](const fs::path& dir) {
        writeSafetensors(dir / kInputsFile, inputTensors);
        if (!manifest.light)
            writeSafetensors(dir / kTensorsFile, opTensors, tensorsMetadata(manifest));
        io::writeFileAtomically(dir / kManifestFile, manifest.toJson());
    });
}

std::map<std::string, std::string> tensorsMetadata(const Manifest& manifest) {
    return {{"format", "tao-trace"}, {"root", manifest.root.hex()}};
}

namespace {
void checkRecord(const SafetensorsFile& file, const std::string& name, const TensorRecord& rec,
                 const std::string& what) {
    auto it = file.header().entries.find(name);
    if (it == file.header().entries.end())
        throw std::runtime_error(file.path().string() + ": missing tensor for " + what);
    if (it->second.dtype != rec.dtype || it->second.shape != rec.shape)
        throw std::runtime_error(file.path().string() + ": " + what + " is " +
                                 std::string(commit::safetensorsName(it->second.dtype)) +
                                 describeShape(it->second.shape) + " but the manifest says " +
                                 std::string(commit::safetensorsName(rec.dtype)) +
                                 describeShape(rec.shape));
}

HostTensor readChecked(const SafetensorsFile& file, const std::string& name,
                       const TensorRecord& rec, const std::string& what,
                       std::optional<std::uint32_t> op) {
    auto t = file.read(name);
    if (t.hash() != rec.hash)
        throw TensorIntegrityError(
            file.path().string() + ": " + what +
                " does not match its committed hash (tensor altered or corrupted)",
            op);
    return t;
}
} // namespace

TraceBundle TraceBundle::open(const fs::path& path) {
    TraceBundle b;
    b.path_ = path;
    auto fail = [&](const std::string& why) -> void {
        throw std::runtime_error(path.string() + ": " + why);
    };
    if (!fs::is_directory(path)) fail("not a trace bundle folder (missing or not a directory)");
    std::ifstream in(path / kManifestFile, std::ios::binary);
    if (!in) fail("has no manifest.json");
    std::stringstream text;
    text << in.rdbuf();
    try {
        b.manifest_ = Manifest::fromJson(text.str());
    } catch (const std::exception& e) {
        fail(e.what());
    }
    const auto& m = b.manifest_;
    for (const auto& op : m.ops) {
        if (!op.outputsMatchHash())
            fail("op " + std::to_string(op.index) +
                 " output hash does not match its tensor hashes");
    }
    if (m.merkleTree().root() != m.root)
        fail("the trace root does not match the operator leaves (manifest altered)");
    if (namedTensorsHash(m.inputs) != m.inputHash)
        fail("the input hash does not match the input tensors");
    b.inputs_ = std::make_shared<SafetensorsFile>(path / kInputsFile);
    for (const auto& t : m.inputs)
        checkRecord(*b.inputs_, t.name, t.tensor, "input '" + t.name + "'");
    if (!m.light) {
        if (!fs::exists(path / kTensorsFile))
            fail("is a full trace but has no tensors.safetensors");
        b.tensors_ = std::make_shared<SafetensorsFile>(path / kTensorsFile);
        for (const auto& op : m.ops)
            for (std::size_t j = 0; j < op.outputs.size(); ++j)
                if (op.outputs[j].dtype != commit::DType::None)
                    checkRecord(*b.tensors_, opTensorName(op.index, j), op.outputs[j],
                                "op " + std::to_string(op.index) + " output " + std::to_string(j));
    }
    return b;
}

HostTensor TraceBundle::opOutput(std::uint32_t op, std::size_t output) const {
    if (op >= manifest_.ops.size() || output >= manifest_.ops[op].outputs.size())
        throw std::runtime_error(path_.string() + ": no op " + std::to_string(op) + " output " +
                                 std::to_string(output));
    const auto& rec = manifest_.ops[op].outputs[output];
    // An undefined output is fully described by its record; the tensor file has no entry.
    if (rec.dtype == commit::DType::None) return {commit::DType::None, {}, {}};
    if (!tensors_)
        throw std::runtime_error(path_.string() +
                                 ": light trace holds no tensors; fetch them from the provider");
    return readChecked(*tensors_, opTensorName(op, output), manifest_.ops[op].outputs[output],
                       "op " + std::to_string(op) + " output " + std::to_string(output), op);
}

HostTensor TraceBundle::input(const std::string& name) const {
    for (const auto& t : manifest_.inputs)
        if (t.name == name)
            return readChecked(*inputs_, name, t.tensor, "input '" + name + "'", std::nullopt);
    throw std::runtime_error(path_.string() + ": no input named '" + name + "'");
}

void TraceBundle::verifyAllTensors(
    const std::function<bool(std::size_t, std::size_t)>& progress) const {
    std::size_t total = manifest_.inputs.size(), done = 0;
    if (tensors_)
        for (const auto& op : manifest_.ops)
            total += op.outputs.size();
    for (const auto& t : manifest_.inputs) {
        input(t.name);
        if (progress && !progress(++done, total)) return;
    }
    if (!tensors_) return;
    for (const auto& op : manifest_.ops)
        for (std::size_t j = 0; j < op.outputs.size(); ++j) {
            opOutput(op.index, j);
            if (progress && !progress(++done, total)) return;
        }
}

} // namespace tao::trace
