#pragma once
// The one object that owns what is open in the auditor — model, trace, profile, verdicts,
// local replay results, selection and bookmarks — and broadcasts every change. Panels
// read from it and ask it to change; they never call each other.
#include "core/graph/op_info.hpp"
#include "core/layout/op_hierarchy.hpp"
#include "core/runtime/replay.hpp"
#include "core/verify/verdict.hpp"

#include <QList>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace tao::trace {
class TraceBundle;
}
namespace tao::numerics {
struct Profile;
}

namespace tao::views {

// Which per-operator values colour the graph.
enum class ColourSource {
    Verdicts,    // the verifier's verdicts (empirical utilisation)
    LocalReplay, // local re-execution vs the committed outputs
};

class AuditSession : public QObject {
    Q_OBJECT
public:
    explicit AuditSession(QObject* parent = nullptr);
    ~AuditSession() override;

    // Replaces everything with a new model (ops and hierarchy are computed here).
    void setModel(std::shared_ptr<graph::Model> model, const QString& path);
    // For views tested or benchmarked without LibTorch models: operators only.
    void setOperators(std::vector<graph::OpInfo> ops, const QString& name);
    void setTrace(std::shared_ptr<trace::TraceBundle> bundle, const QString& path);
    void setProfile(std::shared_ptr<numerics::Profile> profile, const QString& path);
    // The calibration percentile in force, a fraction in (0, 1], instead of the profile's
    // own; empty restores the profile's own. profile() is then the loaded profile with it
    // applied, so every view and the next verify read one threshold. It belongs to this
    // audit: opening another model or closing drops it, and it is never persisted.
    void setPercentileOverride(std::optional<double> fraction);
    std::optional<double> percentileOverride() const { return percentileOverride_; }
    // Profiles of other machines or configurations, drawn next to the one in force so an
    // auditor sees where hardware disagrees. They never change verdicts; the percentile
    // override applies to them too, and another model or closing drops them.
    struct ComparisonProfile {
        std::shared_ptr<numerics::Profile> loaded;
        std::shared_ptr<numerics::Profile> profile; // with the percentile override applied
        QString path;
    };
    void addComparisonProfile(std::shared_ptr<numerics::Profile> profile, const QString& path);
    void clearComparisonProfiles();
    const std::vector<ComparisonProfile>& comparisonProfiles() const { return comparisons_; }
    void setReport(const verify::VerifyReport& report, const QString& source);
    // Live results of a local replay (merged op by op), or of a comparison with another
    // trace of the model: what the "differences" colouring and the table's column show.
    void addReplayResults(const std::vector<runtime::OpComparison>& results);
    // Drops the results and names their source "local replay" again.
    void clearReplayResults();
    // What the differences are against: "local replay" unless a comparison named itself.
    void setDifferenceSource(const QString& label) { differenceSource_ = label; }
    QString differenceSource() const;
    void close();

    bool hasModel() const { return !ops_.empty(); }
    const std::shared_ptr<graph::Model>& model() const { return model_; }
    const std::shared_ptr<trace::TraceBundle>& trace() const { return trace_; }
    // The profile in force (the loaded one with any percentile override applied).
    const std::shared_ptr<numerics::Profile>& profile() const { return profile_; }
    const std::shared_ptr<numerics::Profile>& loadedProfile() const { return loadedProfile_; }
    QString modelPath() const { return modelPath_; }
    QString tracePath() const { return tracePath_; }
    QString profilePath() const { return profilePath_; }
    QString modelName() const { return modelName_; }
    QString reportSource() const { return reportSource_; }

    const std::vector<graph::OpInfo>& ops() const { return ops_; }
    const layout::OpHierarchy* hierarchy() const { return hierarchy_.get(); }
    // Verdict of an operator, or null when it has none.
    const verify::OpVerdict* verdict(std::uint32_t op) const;
    const std::optional<runtime::OpComparison>& replayResult(std::uint32_t op) const;
    // What the graph colours show, per op (null where nothing is known).
    std::vector<const verify::OpVerdict*> colourValues() const;
    ColourSource colourSource() const { return colourSource_; }
    void setColourSource(ColourSource source);
    bool hasVerdicts() const { return verdictCount_ > 0; }

    // Operators in descending order of badness (severity, then utilisation) among those with
    // a verdict other than PASS / NOT-CHECKED; the first is "the worst".
    std::vector<std::uint32_t> suspiciousOps() const;
    std::optional<std::uint32_t> worstOp() const;

    // The interval [lo, hi) of ops a dispute on this model stands on, drawn on the graph as
    // the game narrows; empty for none. Another model or closing drops it.
    void setDisputeInterval(std::optional<std::pair<std::uint32_t, std::uint32_t>> interval);
    const std::optional<std::pair<std::uint32_t, std::uint32_t>>& disputeInterval() const {
        return disputeInterval_;
    }

    int selectedOp() const { return selectedOp_; }
    void selectOp(int op); // -1 clears

    const QList<int>& bookmarks() const { return bookmarks_; }
    bool isBookmarked(int op) const { return bookmarks_.contains(op); }
    void toggleBookmark(int op);
    void setBookmarks(const QList<int>& ops);

signals:
    void modelChanged();
    void traceChanged();
    void profileChanged();
    void comparisonProfilesChanged();
    // Colour values changed; `ops` lists the operators (empty: all of them).
    void coloursChanged(const QList<int>& ops);
    void selectionChanged(int op);
    void bookmarksChanged();
    void disputeIntervalChanged();

private:
    void resetOverlays();
    // profile_ = loadedProfile_ with percentileOverride_ applied (a copy only when overridden).
    void applyPercentile();

    std::optional<std::pair<std::uint32_t, std::uint32_t>> disputeInterval_;
    std::shared_ptr<graph::Model> model_;
    std::shared_ptr<trace::TraceBundle> trace_;
    std::shared_ptr<numerics::Profile> loadedProfile_;
    std::shared_ptr<numerics::Profile> profile_;
    std::optional<double> percentileOverride_;
    std::vector<ComparisonProfile> comparisons_;
    QString modelPath_, tracePath_, profilePath_, modelName_, reportSource_, differenceSource_;
    std::vector<graph::OpInfo> ops_;
    std::unique_ptr<layout::OpHierarchy> hierarchy_;
    std::vector<verify::OpVerdict> verdicts_;
    std::size_t verdictCount_ = 0;
    std::vector<std::optional<runtime::OpComparison>> replay_;
    std::vector<verify::OpVerdict> replayColours_;
    ColourSource colourSource_ = ColourSource::Verdicts;
    int selectedOp_ = -1;
    QList<int> bookmarks_;
};

// The display scale of local replay differences: max relative difference 1e-7 maps to
// utilisation 0, 1e-5 to 1 (amber), 1e-3 and beyond to red. A presentation choice, not a
// verdict: verdicts come from the verifier.
double replayDisplayUtilisation(const runtime::OpComparison& c);

} // namespace tao::views
