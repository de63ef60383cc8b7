// core/trace: safetensors files (read back by an independent Python reader),
// manifests and bundles, and every kind of bad input.
#include "core/commit/tensor_hash.hpp"
#include "core/io/atomic_file.hpp"
#include "core/trace/safetensors_writer.hpp"
#include "core/trace/trace_bundle.hpp"
#include "support/tools.hpp"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

using namespace tao::trace;
using tao::commit::DType;

namespace {

HostTensor floats(std::vector<std::int64_t> shape, float start) {
    HostTensor t{DType::Float32, shape, {}};
    std::vector<float> v(t.numel());
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = start + 0.25f * float(i) - (i % 3 ? 0.0f : 1e-3f);
    t.data.resize(v.size() * 4);
    std::memcpy(t.data.data(), v.data(), t.data.size());
    return t;
}

TensorView view(const std::string& name, const HostTensor& t) {
    return {name, t.dtype, t.shape, t.data};
}

// A three-operator bundle built by hand (no model needed).
struct SmallTrace {
    HostTensor input = floats({2, 3}, 1);
    std::vector<HostTensor> outs = {floats({2, 3}, 2), floats({3}, -1), floats({1}, 5)};
    Manifest manifest;

    SmallTrace() {
        manifest.modelId = tao::commit::sha256(tao::commit::Bytes{1, 2, 3});
        manifest.modelName = "hand";
        manifest.inputs = {{"x", {input.dtype, input.shape, input.hash(), {}}}};
        manifest.inputHash = namedTensorsHash(manifest.inputs);
        const char* kinds[] = {"aten::relu", "aten::sum", "aten::mean"};
        for (std::uint32_t i = 0; i < 3; ++i) {
            OpRecord op;
            op.index = i;
            op.kind = kinds[i];
            op.inputs = {i == 0 ? "input:x" : "op:" + std::to_string(i - 1) + ".0"};
            op.outputs = {{outs[i].dtype, outs[i].shape, outs[i].hash(), {}}};
            op.outputLists = {-1};
            op.outputHash = tao::commit::outputsHash({outs[i].hash()});
            manifest.ops.push_back(op);
        }
        manifest.outputs = {"op:2.0"};
        manifest.outputHash = outs[2].hash();
        manifest.root = manifest.merkleTree().root();
    }
    void write(const std::filesystem::path& path) const {
        std::vector<TensorView> ops;
        for (std::uint32_t i = 0; i < 3; ++i)
            ops.push_back(view(opTensorName(i, 0), outs[i]));
        writeTraceBundle(path, manifest, {view("x", input)}, ops);
    }
};

void expectError(const std::function<void()>& f, const std::string& mustContain) {
    try {
        f();
    } catch (const std::exception& e) {
        if (std::string(e.what()).find(mustContain) == std::string::npos)
            QFAIL(qPrintable(QString("error '%1' does not mention '%2'")
                                 .arg(e.what(), QString::fromStdString(mustContain))));
        return;
    }
    QFAIL(qPrintable("no error; expected one mentioning " + QString::fromStdString(mustContain)));
}

std::string readAll(const std::filesystem::path& p) {
    return tao::io::readWholeFile(p);
}
void writeAll(const std::filesystem::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(s.data(), s.size());
}

} // namespace

class TestTrace : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::filesystem::path dir() const { return tmp_.path().toStdString(); }

private slots:
    void safetensorsRoundTrip() {
        auto a = floats({2, 2, 3}, 0.5f);
        HostTensor ids{DType::Int64, {4}, std::vector<std::uint8_t>(32)};
        for (int i = 0; i < 4; ++i)
            ids.data[8 * i] = static_cast<std::uint8_t>(10 * i + 1);
        auto path = dir() / "rt.safetensors";
        writeSafetensors(path, {view("a", a), view("ids", ids)}, {{"purpose", "test"}});
        SafetensorsFile f(path);
        QCOMPARE(f.names().size(), std::size_t(2));
        QCOMPARE(f.read("a").hash(), a.hash());
        QCOMPARE(f.read("ids").data, ids.data);
        QCOMPARE(f.header().metadata.at("purpose"), std::string("test"));
        expectError([&] { f.read("missing"); }, "no tensor named 'missing'");
    }

    // Acceptance: files written here are read by an independent reader
    // (Debian's python3 with json, struct and numpy), values compared.
    void independentPythonReader() {
        auto a = floats({3, 4}, -2);
        auto path = dir() / "py.safetensors";
        writeSafetensors(path, {view("weights", a)});
        const char* script = R"(
import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
h = json.loads(raw[8:8 + n])
e = h['weights']
b, end = e['data_offsets']
x = np.frombuffer(raw[8 + n + b:8 + n + end], dtype='<f4').reshape(e['shape'])
print(e['dtype'], x.shape, ' '.join(repr(float(v)) for v in x.flatten()))
)";
        QString err;
        QString out = tao::test::runProgram(
            "/usr/bin/python3", {"-c", script, QString::fromStdString(path.string())}, &err);
        QVERIFY2(!out.isEmpty(), qPrintable(err));
        QStringList parts = out.split(' ');
        QCOMPARE(parts.value(0), QString("F32"));
        QCOMPARE(parts.value(1) + parts.value(2), QString("(3,4)"));
        const float* v = reinterpret_cast<const float*>(a.data.data());
        for (int i = 0; i < 12; ++i)
            QCOMPARE(parts.value(3 + i).toFloat(), v[i]);
    }

    // Capture streams tensors to disk as they are hashed: the header goes into room kept
    // in front of the data (padded with spaces), or, when it outgrows that room, in front
    // of a copy. Both read back the same; an unfinished file leaves nothing behind.
    void streamedWritesKeepTheFormat() {
        std::vector<HostTensor> ts;
        for (int i = 0; i < 40; ++i)
            ts.push_back(floats({i % 5 + 1, 3}, float(i)));
        for (std::uint64_t reserve : {std::uint64_t{8}, std::uint64_t{1} << 16}) {
            auto path = dir() / ("stream-" + std::to_string(reserve) + ".safetensors");
            {
                SafetensorsWriter w(path, reserve);
                for (std::size_t i = 0; i < ts.size(); ++i)
                    w.add(view(opTensorName(std::uint32_t(i), 0), ts[i]));
                expectError([&] { w.add(view("op.0.0", ts[0])); }, "duplicate tensor name");
                QVERIFY(!std::filesystem::exists(path));
                w.finish({{"format", "tao-trace"}});
            }
            SafetensorsFile f(path);
            QCOMPARE(f.names().size(), ts.size());
            for (std::size_t i = 0; i < ts.size(); ++i)
                QCOMPARE(f.read(opTensorName(std::uint32_t(i), 0)).hash(), ts[i].hash());
            QCOMPARE(f.header().metadata.at("format"), std::string("tao-trace"));
            // Python's json reads the padded header too (the format allows trailing spaces).
            QString err;
            const auto out = tao::test::runProgram(
                "/usr/bin/python3",
                {"-c",
                 "import json,struct,sys;r=open(sys.argv[1],'rb').read();"
                 "n=struct.unpack('<Q',r[:8])[0];print(len(json.loads(r[8:8+n])), n % 8)",
                 QString::fromStdString(path.string())},
                &err);
            QCOMPARE(out.trimmed(), QString("41 0"));
        }
        {
            SafetensorsWriter w(dir() / "abandoned.safetensors", 1024);
            w.add(view("x", ts[0]));
        }
        for (const auto& e : std::filesystem::directory_iterator(dir()))
            QVERIFY2(e.path().filename().string().find("abandoned") == std::string::npos,
                     qPrintable(QString::fromStdString(e.path().string())));
    }

    // Slots reserved in one order and written by several threads in another give the file
    // add() would have written; a slot filled with the wrong number of bytes is refused.
    void reservedSlotsWrittenConcurrentlyKeepTheirOrder() {
        std::vector<HostTensor> ts;
        for (int i = 0; i < 12; ++i)
            ts.push_back(floats({i + 1, 1000}, float(i)));
        const auto path = dir() / "places.safetensors";
        {
            SafetensorsWriter w(path, 1 << 12);
            std::vector<SafetensorsWriter::Slot> places;
            for (std::size_t i = 0; i < ts.size(); ++i)
                places.push_back(
                    w.reserve(opTensorName(std::uint32_t(i), 0), ts[i].dtype, ts[i].shape));
            expectError([&] { (void)w.reserve("op.3.0", ts[0].dtype, ts[0].shape); },
                        "duplicate tensor name");
            expectError([&] { w.write(places[1], view("", ts[0]).data); },
                        "'op.1.0' has 4000 bytes, shape needs 8000");
            // A tensor add() refuses for its size leaves no entry: its name is still free.
            auto wrong = view("extra", ts[1]);
            wrong.data = wrong.data.first(100);
            expectError([&] { w.add(wrong); }, "'extra' has 100 bytes, shape needs 8000");
            w.add(view("extra", ts[1]));
            std::vector<std::thread> writers;
            for (int t = 0; t < 3; ++t)
                writers.emplace_back([&, t] {
                    for (int i = int(ts.size()) - 1 - t; i >= 0; i -= 3)
                        w.write(places[std::size_t(i)], view("", ts[std::size_t(i)]).data);
                });
            for (auto& t : writers)
                t.join();
            w.finish();
        }
        SafetensorsFile f(path);
        QCOMPARE(f.read("extra").hash(), ts[1].hash());
        std::uint64_t end = 0;
        for (std::size_t i = 0; i < ts.size(); ++i) {
            const auto name = opTensorName(std::uint32_t(i), 0);
            QCOMPARE(f.header().entries.at(name).begin, end);
            end = f.header().entries.at(name).end;
            QCOMPARE(f.read(name).hash(), ts[i].hash());
        }
    }

    void malformedSafetensorsAreRejected() {
        auto good = dir() / "good.safetensors";
        auto a = floats({4}, 1);
        writeSafetensors(good, {view("a", a)});
        auto bytes = readAll(good);
        auto bad = dir() / "bad.safetensors";
        writeAll(bad, bytes.substr(0, bytes.size() - 3));
        expectError([&] { SafetensorsFile f(bad); }, "outside the data");
        writeAll(bad, bytes.substr(0, 5));
        expectError([&] { SafetensorsFile f(bad); }, "too short");
        std::string huge = bytes;
        huge[7] = '\x7f';
        writeAll(bad, huge);
        expectError([&] { SafetensorsFile f(bad); }, "header length");
        auto header = [](const std::string& json, std::uint64_t data) {
            return parseSafetensorsHeader(json, data);
        };
        expectError([&] { header("{nope", 0); }, "not valid JSON");
        expectError([&] { header(R"({"t":{"dtype":"Q9","shape":[1],"data_offsets":[0,4]}})", 4); },
                    "unsupported dtype");
        expectError([&] { header(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", 4); },
                    "needs 8");
        expectError(
            [&] { header(R"({"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4); },
            "negative");
        expectError(
            [&] {
                header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})",
                       8);
            },
            "overlap");
    }

    void bundleRoundTrip() {
        SmallTrace t;
        auto path = dir() / "ok.taotrace";
        t.write(path);
        auto b = TraceBundle::open(path);
        QCOMPARE(b.manifest().root, t.manifest.root);
        QCOMPARE(b.manifest().ops.size(), std::size_t(3));
        QCOMPARE(b.opOutput(1, 0).hash(), t.outs[1].hash());
        QCOMPARE(b.input("x").hash(), t.input.hash());
        b.verifyAllTensors();
        QVERIFY(b.manifest().merkleTree().depth() == 2);
        // Rewriting replaces the bundle completely; no temporaries stay behind.
        t.write(path);
        QCOMPARE(QDir(tmp_.path())
                     .entryList({".*tmp*", ".*old*"}, QDir::AllEntries | QDir::Hidden)
                     .size(),
                 0);
    }

    // The arithmetic switches round-trip; a manifest written before they existed reads
    // with its device's PyTorch defaults (TF32 convolutions on CUDA) and says so.
    void arithmeticSwitchesRoundTrip() {
        SmallTrace t;
        auto& a = t.manifest.runtime.arithmetic;
        a.tf32Conv = a.flushDenormal = a.deterministic = a.recorded = true;
        a.convAlgorithm = "implicit-gemm";
        t.manifest.runtime.device = "cuda:0";
        const auto back = Manifest::fromJson(t.manifest.toJson());
        QVERIFY(back.runtime.arithmetic == a);
        QCOMPARE(arithmeticSummary(back.runtime),
                 std::string("TF32 convolutions, flushed denormals, deterministic algorithms, "
                             "convolution algorithm implicit-gemm"));

        auto doc = nlohmann::json::parse(t.manifest.toJson());
        doc["runtime"].erase("arithmetic");
        doc["runtime"]["tf32"] = false;
        const auto old = Manifest::fromJson(doc.dump());
        QVERIFY(!old.runtime.arithmetic.recorded);
        QVERIFY(old.runtime.arithmetic.tf32Conv && !old.runtime.arithmetic.flushDenormal);
        QVERIFY(arithmeticSummary(old.runtime).find("not recorded") != std::string::npos);
        doc["runtime"]["device"] = "cpu";
        const auto cpu = Manifest::fromJson(doc.dump());
        QCOMPARE(arithmeticSummary(cpu.runtime),
                 std::string("IEEE FP32 (not recorded; device defaults)"));
        // A CPU never runs TF32, whatever the switch says.
        auto onCpu = t.manifest.runtime;
        onCpu.device = "cpu";
        QVERIFY(!effectiveArithmetic(onCpu.device, onCpu.arithmetic).tf32Conv);

        doc["runtime"]["arithmetic"] = {{"tf32Matmul", "yes"}};
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, Manifest::fromJson(doc.dump()));
    }

    void badBundlesGiveClearErrors() {
        SmallTrace t;
        auto path = dir() / "bad.taotrace";
        auto rewriteManifest = [&](const std::function<void(std::string&)>& edit) {
            t.write(path);
            auto text = readAll(path / "manifest.json");
            edit(text);
            writeAll(path / "manifest.json", text);
        };
        rewriteManifest(
            [](std::string& s) { s.replace(s.find("\"version\": 3"), 12, "\"version\": 7"); });
        expectError([&] { TraceBundle::open(path); }, "format version 7");
        rewriteManifest([&](std::string& s) {
            auto h = t.manifest.ops[1].outputHash.hex();
            s.replace(s.find(h), 4, "0xff");
        });
        expectError([&] { TraceBundle::open(path); }, "op 1 output hash");
        rewriteManifest([](std::string& s) { s = s.substr(0, s.size() / 2); });
        expectError([&] { TraceBundle::open(path); }, "not valid JSON");
        rewriteManifest([](std::string& s) { s.replace(s.find("\"mode\""), 6, "\"mdoe\""); });
        expectError([&] { TraceBundle::open(path); }, "has no field 'mode'");
        // Missing tensor file, wrong shape, altered bytes.
        t.write(path);
        std::filesystem::remove(path / "tensors.safetensors");
        expectError([&] { TraceBundle::open(path); }, "no tensors.safetensors");
        t.write(path);
        {
            SmallTrace wrong;
            wrong.outs[1] = floats({4}, -1);
            std::vector<TensorView> ops;
            for (std::uint32_t i = 0; i < 3; ++i)
                ops.push_back(view(opTensorName(i, 0), wrong.outs[i]));
            writeSafetensors(path / "tensors.safetensors", ops);
        }
        expectError([&] { TraceBundle::open(path); },
                    "op 1 output 0 is F32[4] but the manifest says F32[3]");
        t.write(path);
        {
            auto bytes = readAll(path / "tensors.safetensors");
            bytes[bytes.size() - 1] ^= 0x40;
            writeAll(path / "tensors.safetensors", bytes);
        }
        auto b = TraceBundle::open(path);
        expectError([&] { b.opOutput(2, 0); }, "does not match its committed hash");
        expectError([&] { TraceBundle::open(dir() / "none.taotrace"); }, "not a trace bundle");
    }

    // The provider server reads one bundle from many threads: each read is the committed
    // tensor (a shared file position once interleaved seeks and reads, and the hash check
    // then failed an honest provider's answer).
    void concurrentReadsAreTheCommittedTensors() {
        SmallTrace t;
        auto path = dir() / "shared.taotrace";
        t.write(path);
        const auto b = TraceBundle::open(path);
        std::atomic<int> wrong{0};
        std::vector<std::thread> readers;
        for (int r = 0; r < 8; ++r)
            readers.emplace_back([&, r] {
                for (int k = 0; k < 2000; ++k) {
                    const auto op = std::uint32_t((r + k) % 3);
                    try {
                        if (b.opOutput(op, 0).data != t.outs[op].data) ++wrong;
                    } catch (const std::exception&) {
                        ++wrong;
                    }
                }
            });
        for (auto& th : readers)
            th.join();
        QCOMPARE(wrong.load(), 0);
    }

    void failedWritesLeaveNothing() {
        auto target = dir() / "never.taotrace";
        expectError(
            [&] {
                tao::io::writeDirectoryAtomically(target, [](const std::filesystem::path& d) {
                    writeAll(d / "half", "x");
                    throw std::runtime_error("disk full");
                });
            },
            "disk full");
        QVERIFY(!std::filesystem::exists(target));
        QCOMPARE(QDir(tmp_.path()).entryList({"*never*"}, QDir::AllEntries | QDir::Hidden).size(),
                 0);
        // A light manifest with tensors is refused before anything is written.
        SmallTrace t;
        t.manifest.light = true;
        auto out = t.outs[0];
        expectError([&] { writeTraceBundle(target, t.manifest, {}, {view("op.0.0", out)}); },
                    "light");
        QVERIFY(!std::filesystem::exists(target));
    }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "test_trace.moc"
