#include "views/audit_session.hpp"

#include "core/layout/utilisation_colour.hpp"
#include "core/numerics/calibration_profile.hpp"
#include "core/trace/trace_bundle.hpp"

#include <QFileInfo>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tao::views {

double replayDisplayUtilisation(const runtime::OpComparison& c) {
    if (!c.problem.empty()) return std::numeric_limits<double>::infinity();
    if (c.bitExact || c.maxRel <= 1e-7) return 0;
    const double decades = std::log10(c.maxRel) + 7; // 0 at 1e-7
    if (decades <= 2) return decades / 2;
    return std::pow(layout::kRedUtilisation, (decades - 2) / 2);
}

namespace {
// The profile with the override applied: a copy only when overridden.
std::shared_ptr<numerics::Profile> withPercentile(const std::shared_ptr<numerics::Profile>& p,
                                                  std::optional<double> fraction) {
    if (!p || !fraction) return p;
    auto adjusted = std::make_shared<numerics::Profile>(*p);
    adjusted->percentile = *fraction;
    return adjusted;
}
} // namespace

AuditSession::AuditSession(QObject* parent)
    : QObject(parent) {}

AuditSession::~AuditSession() = default;

void AuditSession::setModel(std::shared_ptr<graph::Model> model, const QString& path) {
    auto ops = graph::opsOf(*model);
    model_ = std::move(model);
    trace_.reset();
    loadedProfile_.reset();
    profile_.reset();
    percentileOverride_.reset();
    const bool hadComparisons = !comparisons_.empty();
    comparisons_.clear();
    tracePath_.clear();
    profilePath_.clear();
    modelPath_ = path;
    setOperators(std::move(ops), QFileInfo(path).completeBaseName());
    if (hadComparisons) emit comparisonProfilesChanged();
}

void AuditSession::setOperators(std::vector<graph::OpInfo> ops, const QString& name) {
    ops_ = std::move(ops);
    modelName_ = name;
    hierarchy_ = std::make_unique<layout::OpHierarchy>(ops_);
    selectedOp_ = -1;
    if (disputeInterval_) {
        disputeInterval_.reset();
        emit disputeIntervalChanged();
    }
    bookmarks_.clear();
    resetOverlays();
    emit modelChanged();
    emit coloursChanged({});
    emit selectionChanged(-1);
    emit bookmarksChanged();
}

void AuditSession::resetOverlays() {
    verdicts_.assign(ops_.size(), verify::OpVerdict{});
    for (std::size_t i = 0; i < ops_.size(); ++i) {
        verdicts_[i].op = static_cast<std::uint32_t>(i);
        verdicts_[i].kind = ops_[i].kind;
        verdicts_[i].scope = ops_[i].scope;
    }
    verdictCount_ = 0;
    replay_.assign(ops_.size(), std::nullopt);
    replayColours_ = verdicts_;
    reportSource_.clear();
    colourSource_ = ColourSource::Verdicts; // replay colours of another trace mean nothing here
}

void AuditSession::setTrace(std::shared_ptr<trace::TraceBundle> bundle, const QString& path) {
    trace_ = std::move(bundle);
    tracePath_ = path;
    resetOverlays();
    emit traceChanged();
    emit coloursChanged({});
    emit selectionChanged(selectedOp_);
}

void AuditSession::setProfile(std::shared_ptr<numerics::Profile> profile, const QString& path) {
    loadedProfile_ = std::move(profile);
    profilePath_ = path;
    applyPercentile();
    emit profileChanged();
}

void AuditSession::setPercentileOverride(std::optional<double> fraction) {
    if (fraction && !(*fraction > 0 && *fraction <= 1))
        throw std::invalid_argument("calibration percentile must lie in (0, 1]");
    if (fraction == percentileOverride_) return;
    percentileOverride_ = fraction;
    applyPercentile();
    emit profileChanged();
}

void AuditSession::addComparisonProfile(std::shared_ptr<numerics::Profile> profile,
                                        const QString& path) {
    if (!profile) return;
    auto inForce = withPercentile(profile, percentileOverride_);
    comparisons_.push_back({std::move(profile), std::move(inForce), path});
    emit comparisonProfilesChanged();
}

void AuditSession::clearComparisonProfiles() {
    if (comparisons_.empty()) return;
    comparisons_.clear();
    emit comparisonProfilesChanged();
}

void AuditSession::applyPercentile() {
    profile_ = withPercentile(loadedProfile_, percentileOverride_);
    for (auto& c : comparisons_)
        c.profile = withPercentile(c.loaded, percentileOverride_);
}

void AuditSession::setReport(const verify::VerifyReport& report, const QString& source) {
    for (auto& v : verdicts_)
        v.verdict = verify::Verdict::NotChecked;
    verdictCount_ = 0;
    for (const auto& v : report.ops) {
        if (v.op >= verdicts_.size()) continue;
        verdicts_[v.op] = v;
        if (v.verdict != verify::Verdict::NotChecked) ++verdictCount_;
    }
    reportSource_ = source;
    colourSource_ = ColourSource::Verdicts;
    emit coloursChanged({});
    emit selectionChanged(selectedOp_);
}

void AuditSession::addReplayResults(const std::vector<runtime::OpComparison>& results) {
    QList<int> changed;
    for (const auto& c : results) {
        if (c.op >= replay_.size()) continue;
        replay_[c.op] = c;
        auto& colour = replayColours_[c.op];
        colour.verdict = c.problem.empty() ? verify::Verdict::Pass : verify::Verdict::Fail;
        colour.empiricalUtilisation = replayDisplayUtilisation(c);
        colour.maxAbsError = c.maxAbs;
        colour.error = c.maxRel;
        colour.reason = c.problem.empty() ? differenceSource().toStdString() : c.problem;
        changed.push_back(static_cast<int>(c.op));
    }
    if (colourSource_ == ColourSource::LocalReplay) emit coloursChanged(changed);
    if (selectedOp_ >= 0 && changed.contains(selectedOp_)) emit selectionChanged(selectedOp_);
}

QString AuditSession::differenceSource() const {
    return differenceSource_.isEmpty() ? tr("local replay") : differenceSource_;
}

void AuditSession::clearReplayResults() {
    differenceSource_.clear();
    replay_.assign(ops_.size(), std::nullopt);
    for (auto& c : replayColours_)
        c.verdict = verify::Verdict::NotChecked;
    if (colourSource_ == ColourSource::LocalReplay) emit coloursChanged({});
}

void AuditSession::setDisputeInterval(
    std::optional<std::pair<std::uint32_t, std::uint32_t>> interval) {
    if (interval == disputeInterval_) return;
    disputeInterval_ = interval;
    emit disputeIntervalChanged();
}

void AuditSession::close() {
    model_.reset();
    setOperators({}, {});
    trace_.reset();
    loadedProfile_.reset();
    profile_.reset();
    percentileOverride_.reset();
    clearComparisonProfiles();
    modelPath_.clear();
    tracePath_.clear();
    profilePath_.clear();
    emit traceChanged();
    emit profileChanged();
}

const verify::OpVerdict* AuditSession::verdict(std::uint32_t op) const {
    if (op >= verdicts_.size() || verdicts_[op].verdict == verify::Verdict::NotChecked)
        return nullptr;
    return &verdicts_[op];
}

const std::optional<runtime::OpComparison>& AuditSession::replayResult(std::uint32_t op) const {
    static const std::optional<runtime::OpComparison> none;
    return op < replay_.size() ? replay_[op] : none;
}

std::vector<const verify::OpVerdict*> AuditSession::colourValues() const {
    const auto& source = colourSource_ == ColourSource::Verdicts ? verdicts_ : replayColours_;
    std::vector<const verify::OpVerdict*> out(source.size(), nullptr);
    for (std::size_t i = 0; i < source.size(); ++i)
        if (source[i].verdict != verify::Verdict::NotChecked) out[i] = &source[i];
    return out;
}

void AuditSession::setColourSource(ColourSource source) {
    if (source == colourSource_) return;
    colourSource_ = source;
    emit coloursChanged({});
}

std::vector<std::uint32_t> AuditSession::suspiciousOps() const {
    std::vector<std::uint32_t> out;
    for (const auto& v : verdicts_)
        if (v.verdict != verify::Verdict::Pass && v.verdict != verify::Verdict::NotChecked)
            out.push_back(v.op);
    std::stable_sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto& va = verdicts_[a];
        const auto& vb = verdicts_[b];
        if (verify::severity(va.verdict) != verify::severity(vb.verdict))
            return verify::severity(va.verdict) > verify::severity(vb.verdict);
        return va.empiricalUtilisation > vb.empiricalUtilisation;
    });
    return out;
}

std::optional<std::uint32_t> AuditSession::worstOp() const {
    auto suspicious = suspiciousOps();
    if (!suspicious.empty()) return suspicious.front();
    // Everything passed: the worst is the one closest to its threshold.
    std::optional<std::uint32_t> best;
    for (const auto& v : verdicts_)
        if (v.verdict == verify::Verdict::Pass &&
            (!best || v.empiricalUtilisation > verdicts_[*best].empiricalUtilisation))
            best = v.op;
    return best;
}

void AuditSession::selectOp(int op) {
    if (op >= static_cast<int>(ops_.size())) op = -1;
    if (op == selectedOp_) return;
    selectedOp_ = op;
    emit selectionChanged(op);
}

void AuditSession::toggleBookmark(int op) {
    if (op < 0 || op >= static_cast<int>(ops_.size())) return;
    if (!bookmarks_.removeOne(op)) bookmarks_.push_back(op);
    std::sort(bookmarks_.begin(), bookmarks_.end());
    emit bookmarksChanged();
}

void AuditSession::setBookmarks(const QList<int>& ops) {
    bookmarks_.clear();
    for (int op : ops)
        if (op >= 0 && op < static_cast<int>(ops_.size()) && !bookmarks_.contains(op))
            bookmarks_.push_back(op);
    std::sort(bookmarks_.begin(), bookmarks_.end());
    emit bookmarksChanged();
}

} // namespace tao::views
