#include "core/numerics/calibration_profile.hpp"

#include "core/io/atomic_file.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

namespace tao::numerics {

using nlohmann::json;

namespace {

json sourceJson(const CalibrationSource& s) {
    return {{"host", s.host},         {"device", s.device},   {"libtorch", s.libtorch},
            {"blas", s.blas},         {"configs", s.configs}, {"inputs", s.inputs},
            {"inputSet", s.inputSet}, {"shard", s.shard},     {"created", s.created}};
}

CalibrationSource sourceFrom(const json& j) {
    CalibrationSource s;
    s.host = j.at("host").get<std::string>();
    s.device = j.at("device").get<std::string>();
    s.libtorch = j.at("libtorch").get<std::string>();
    s.blas = j.at("blas").get<std::string>();
    s.configs = j.at("configs").get<std::vector<std::string>>();
    s.inputs = j.at("inputs").get<std::uint64_t>();
    s.inputSet = j.at("inputSet").get<std::string>();
    s.shard = j.at("shard").get<std::string>();
    s.created = j.at("created").get<std::string>();
    return s;
}

json thresholdJson(const std::optional<double>& t) {
    if (!t) return nullptr;
    if (std::isinf(*t)) return "inf";
    return *t;
}

// Everything but the hash, as the canonical form hashes it.
json bodyJson(const Profile& p) {
    json ops = json::array();
    for (const auto& op : p.ops)
        ops.push_back({{"index", op.index},
                       {"kind", op.kind},
                       {"scope", op.scope},
                       {"status", op.status},
                       {"note", op.note},
                       {"runs", op.runs.toJson()},
                       {"elements", op.elements.toJson()},
                       {"threshold", thresholdJson(p.threshold(op.index))}});
    json segs = json::array();
    for (const auto& s : p.segments)
        segs.push_back({{"end", s.end}, {"length", s.length}, {"runs", s.runs.toJson()}});
    json sources = json::array();
    for (const auto& s : p.sources)
        sources.push_back(sourceJson(s));
    json bounds = {{"unitRoundoff", p.bounds.unitRoundoff},
                   {"tf32", p.bounds.tf32},
                   {"mathUlpMargin", p.bounds.mathUlpMargin}};
    // Only when set, so profiles of strict IEEE arithmetic keep their hashes.
    if (p.bounds.flushDenormal) bounds["flushDenormal"] = true;
    if (p.bounds.fastConvolution) bounds["fastConvolution"] = true;
    return {{"format", kProfileFormat},
            {"version", p.version},
            {"modelId", p.modelId.hex()},
            {"modelName", p.modelName},
            {"opCount", p.opCount},
            {"metric",
             {{"op", "max |y-r|/bound (bound utilisation)"},
              {"segment", "max |y-c| / max |c| (normwise relative)"}}},
            {"percentile", p.percentile},
            {"safetyFactor", p.safetyFactor},
            {"bounds", bounds},
            {"histogram",
             {{"minExp10", LogHistogram::kMinExp10},
              {"maxExp10", LogHistogram::kMaxExp10},
              {"binsPerDecade", LogHistogram::kBinsPerDecade}}},
            {"sources", sources},
            {"ops", ops},
            {"segments", segs}};
}

commit::Hash32 hashOf(const json& body) {
    const auto text = body.dump();
    return commit::sha256(
        commit::ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

} // namespace

std::uint32_t segmentClass(std::uint32_t length) {
    std::uint32_t c = 2;
    while (c < length)
        c *= 2;
    return c;
}

std::optional<double> Profile::threshold(std::uint32_t op) const {
    if (op >= ops.size() || ops[op].runs.count() == 0) return std::nullopt;
    return safetyFactor * ops[op].runs.quantileUpper(percentile);
}

std::optional<double> Profile::segmentThreshold(std::uint32_t lo, std::uint32_t hi) const {
    if (lo >= hi || hi > opCount) return std::nullopt;
    const std::uint32_t want = segmentClass(hi - lo);
    const SegmentProfile* best = nullptr;
    for (const auto& s : segments)
        if (s.end == hi - 1 && s.length >= want && s.runs.count() > 0 &&
            (!best || s.length < best->length))
            best = &s;
    if (!best) return std::nullopt;
    return safetyFactor * best->runs.quantileUpper(percentile);
}

commit::Hash32 Profile::hash() const {
    return hashOf(bodyJson(*this));
}

std::string Profile::toJson() const {
    auto j = bodyJson(*this);
    j["hash"] = hashOf(j).hex();
    return j.dump(1) + "\n";
}

Profile Profile::fromJson(std::string_view text, const std::string& what) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw ProfileError(what + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object() || j.value("format", "") != kProfileFormat)
        throw ProfileError(what + ": not a TAO threshold profile (format field missing)");
    Profile p;
    try {
        p.version = j.at("version").get<int>();
        if (p.version != kProfileFormatVersion)
            throw ProfileError(what + ": profile version " + std::to_string(p.version) +
                               " is not supported (expected " +
                               std::to_string(kProfileFormatVersion) + ")");
        const auto recorded = commit::Hash32::fromHex(j.at("hash").get<std::string>(), "hash");
        auto body = j;
        body.erase("hash");
        if (hashOf(body) != recorded)
            throw ProfileError(what + ": content does not match its recorded hash " +
                               recorded.hex() + " (corrupted or edited)");
        const auto& grid = j.at("histogram");
        if (grid.at("minExp10").get<int>() != LogHistogram::kMinExp10 ||
            grid.at("maxExp10").get<int>() != LogHistogram::kMaxExp10 ||
            grid.at("binsPerDecade").get<int>() != LogHistogram::kBinsPerDecade)
            throw ProfileError(what + ": histogram grid differs from this build's");
        p.modelId = commit::Hash32::fromHex(j.at("modelId").get<std::string>(), "modelId");
        p.modelName = j.at("modelName").get<std::string>();
        p.opCount = j.at("opCount").get<std::uint32_t>();
        p.percentile = j.at("percentile").get<double>();
        p.safetyFactor = j.at("safetyFactor").get<double>();
        if (!(p.percentile > 0 && p.percentile <= 1) || !(p.safetyFactor >= 1))
            throw ProfileError(what + ": percentile must be in (0, 1] and safety factor >= 1");
        const auto& b = j.at("bounds");
        p.bounds.unitRoundoff = b.at("unitRoundoff").get<double>();
        p.bounds.tf32 = b.at("tf32").get<bool>();
        p.bounds.mathUlpMargin = b.at("mathUlpMargin").get<double>();
        p.bounds.flushDenormal = b.value("flushDenormal", false);
        p.bounds.fastConvolution = b.value("fastConvolution", false);
        for (const auto& s : j.at("sources"))
            p.sources.push_back(sourceFrom(s));
        for (const auto& o : j.at("ops")) {
            OpProfile op;
            op.index = o.at("index").get<std::uint32_t>();
            if (op.index != p.ops.size())
                throw ProfileError(what + ": operator entries out of order at index " +
                                   std::to_string(op.index));
            op.kind = o.at("kind").get<std::string>();
            op.scope = o.at("scope").get<std::string>();
            op.status = o.at("status").get<std::string>();
            op.note = o.at("note").get<std::string>();
            const auto name = what + ": op " + std::to_string(op.index);
            op.runs = LogHistogram::fromJson(o.at("runs"), name);
            op.elements = LogHistogram::fromJson(o.at("elements"), name);
            p.ops.push_back(std::move(op));
        }
        if (p.ops.size() != p.opCount)
            throw ProfileError(what + ": lists " + std::to_string(p.ops.size()) +
                               " operators, opCount says " + std::to_string(p.opCount));
        for (const auto& s : j.at("segments")) {
            SegmentProfile seg;
            seg.end = s.at("end").get<std::uint32_t>();
            seg.length = s.at("length").get<std::uint32_t>();
            seg.runs = LogHistogram::fromJson(s.at("runs"), what + ": segment");
            p.segments.push_back(std::move(seg));
        }
    } catch (const json::exception& e) {
        throw ProfileError(what + ": malformed profile (" + e.what() + ")");
    } catch (const std::invalid_argument& e) {
        throw ProfileError(what + ": " + e.what());
    } catch (const ProfileError&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw ProfileError(e.what());
    }
    return p;
}

Profile Profile::load(const std::filesystem::path& path) {
    return fromJson(io::readWholeFile(path), path.string());
}

void Profile::save(const std::filesystem::path& path) const {
    io::writeFileAtomically(path, toJson());
}

Profile mergeProfiles(const Profile& a, const Profile& b) {
    if (a.modelId != b.modelId)
        throw ProfileError("cannot merge profiles of different models: " + a.modelId.hex() + " (" +
                           a.modelName + ") and " + b.modelId.hex() + " (" + b.modelName + ")");
    if (a.ops.size() != b.ops.size())
        throw ProfileError("cannot merge: operator counts differ (" + std::to_string(a.ops.size()) +
                           " vs " + std::to_string(b.ops.size()) + ")");
    if (a.bounds.tf32 != b.bounds.tf32 || a.bounds.unitRoundoff != b.bounds.unitRoundoff ||
        a.bounds.mathUlpMargin != b.bounds.mathUlpMargin ||
        a.bounds.flushDenormal != b.bounds.flushDenormal ||
        a.bounds.fastConvolution != b.bounds.fastConvolution)
        throw ProfileError("cannot merge: the profiles assume different bound settings "
                           "(TF32, flushed denormals, fast convolutions, unit roundoff or "
                           "math margin)");
    Profile out = a;
    for (std::size_t i = 0; i < out.ops.size(); ++i) {
        auto& o = out.ops[i];
        const auto& p = b.ops[i];
        if (o.kind != p.kind || o.scope != p.scope)
            throw ProfileError("cannot merge: op " + std::to_string(i) + " is " + o.kind +
                               " in one profile and " + p.kind + " in the other");
        if (o.status == "no-bound" && p.status != "no-bound") {
            o.status = p.status;
            o.note = p.note;
        }
        o.runs.merge(p.runs);
        o.elements.merge(p.elements);
    }
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> at;
    for (std::size_t i = 0; i < out.segments.size(); ++i)
        at[{out.segments[i].end, out.segments[i].length}] = i;
    for (const auto& s : b.segments) {
        auto it = at.find({s.end, s.length});
        if (it == at.end()) {
            at[{s.end, s.length}] = out.segments.size();
            out.segments.push_back(s);
        } else {
            out.segments[it->second].runs.merge(s.runs);
        }
    }
    std::sort(out.segments.begin(), out.segments.end(), [](const auto& x, const auto& y) {
        return std::pair(x.end, x.length) < std::pair(y.end, y.length);
    });
    out.sources.insert(out.sources.end(), b.sources.begin(), b.sources.end());
    return out;
}

} // namespace tao::numerics
