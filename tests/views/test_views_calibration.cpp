// The calibration chart: selection marker, hover and click, infinite errors pinned to the
// top, operator-aligned ticks, distinct legend names, and comparison profiles (two machines)
// overlaid until another model is opened.
#include "core/numerics/calibration_profile.hpp"
#include "test_views.hpp"
#include "views/app_settings.hpp"
#include "views/audit_session.hpp"
#include "views/calibration_view.hpp"
#include "views/eval_charts.hpp"
#include "views/main_window.hpp"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QImage>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolTip>
#include <QValueAxis>
#include <QtTest>

using namespace tao;
using namespace tao::views;

namespace {

// The chart's first series whose name starts with `prefix` (null when there is none).
template <class Series = QXYSeries>
Series* seriesNamed(const CalibrationView& view, const QString& prefix) {
    for (auto* s : view.chart()->series())
        if (s->name().startsWith(prefix)) return qobject_cast<Series*>(s);
    return nullptr;
}

QList<double> xsOf(const QXYSeries* series) {
    QList<double> xs;
    for (const auto& p : series->points())
        xs << p.x();
    return xs;
}

} // namespace

// The calibration chart follows the session's selection with a marker line, explains a point
// on hover and selects the operator under a click.
void TestViews::calibrationHoverClickAndSelection() {
    AuditSession session;
    CalibrationView view(&session);
    view.resize(900, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto ops = syntheticOps(40, 7);
    session.setOperators(ops, QStringLiteral("small"));
    session.setReport(reportFor(ops, 10, 20), QStringLiteral("test"));
    QCOMPARE(view.selectionMarker()->count(), 0);
    session.selectOp(12);
    QCOMPARE(xsOf(view.selectionMarker()), (QList<double>{12, 12}));
    session.selectOp(-1);
    QCOMPARE(view.selectionMarker()->count(), 0);

    auto* errors = seriesNamed<QScatterSeries>(view, QStringLiteral("this trace's error"));
    QVERIFY(errors);
    QPointF suspect;
    for (const auto& p : errors->points())
        if (p.x() == 20) suspect = p;
    QVERIFY(suspect.x() == 20);
    emit errors->hovered(suspect, true);
    QVERIFY2(QToolTip::text().contains(QStringLiteral("#20 ")), qPrintable(QToolTip::text()));
    QVERIFY(QToolTip::text().contains(QStringLiteral("SUSPECT")));
    QVERIFY(QToolTip::text().contains(QStringLiteral("error / bound")));
    QVERIFY(QToolTip::text().contains(QString::fromStdString(ops[20].kind)));

    // A real click on op 30's point selects it, and the marker moves there.
    QPointF target;
    for (const auto& p : errors->points())
        if (p.x() == 30) target = p;
    const QPoint at =
        view.mapFromScene(view.chart()->mapToScene(view.chart()->mapToPosition(target, errors)));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(session.selectedOp(), 30);
    QCOMPARE(xsOf(view.selectionMarker()), (QList<double>{30, 30}));
}

// An operator whose error is inf or NaN is drawn pinned to the top of the axis and counted,
// not dropped.
void TestViews::calibrationShowsInfiniteErrors() {
    AuditSession session;
    CalibrationView view(&session);
    view.show(); // legend markers are visible only in a shown chart
    const auto ops = syntheticOps(30, 8);
    session.setOperators(ops, QStringLiteral("small"));
    auto report = reportFor(ops, 10, 20);
    report.ops[5].verdict = verify::Verdict::Fail;
    report.ops[5].error = std::numeric_limits<double>::infinity();
    report.ops[6].verdict = verify::Verdict::Fail;
    report.ops[6].error = std::numeric_limits<double>::quiet_NaN();
    session.setReport(report, QStringLiteral("test"));
    QCOMPARE(view.beyondRangePoints(), 2);
    QCOMPARE(view.errorPoints(), 28);
    auto* beyond = seriesNamed(view, QStringLiteral("error beyond range"));
    QVERIFY(beyond);
    QCOMPARE(xsOf(beyond), (QList<double>{5, 6}));
    auto* y = qobject_cast<QLogValueAxis*>(view.chart()->axes(Qt::Vertical).front());
    QVERIFY(y);
    // In the top twentieth of the log axis, above the sound bound line.
    const auto height = [y](double v) {
        return std::log(v / y->min()) / std::log(y->max() / y->min());
    };
    for (const auto& p : beyond->points())
        QVERIFY(std::isfinite(p.y()) && p.y() > 1 && height(p.y()) >= 0.95 && p.y() <= y->max());
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.chart()->legend()->markers(beyond).front()->isVisible());
    // Nothing selected: no legend entry for the selection marker.
    QVERIFY(!view.chart()->legend()->markers(view.selectionMarker()).front()->isVisible());
    QVERIFY(view.pointText(5).contains(QStringLiteral("error / bound: inf")));
}

// Operator axis labels are whole numbers of ops apart from op 0, so a label names the op
// plotted above it (not a rounded fraction), for small and large graphs.
void TestViews::calibrationAxisLabelsSitOnOperators() {
    AuditSession session;
    CalibrationView view(&session);
    for (const std::size_t n : {std::size_t(13), std::size_t(5000)}) {
        session.setOperators(syntheticOps(n, 9), QStringLiteral("ops"));
        auto* x = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Horizontal).front());
        QVERIFY(x);
        QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(x->tickAnchor(), 0.0);
        const double interval = x->tickInterval();
        QVERIFY2(interval >= 1 && interval == std::round(interval),
                 qPrintable(QString::number(interval)));
        QVERIFY(n / interval <= 12); // labels stay readable
        QVERIFY(n / interval >= 2);
    }
    QCOMPARE(CalibrationView::xTickInterval(13), 2);
    QCOMPARE(CalibrationView::xTickInterval(5000), 500);
    QCOMPARE(CalibrationView::xTickInterval(5), 1);
}

// Every series in the legend has its own name, also with several profiles from one machine.
void TestViews::calibrationLegendNamesAreDistinct() {
    AuditSession session;
    CalibrationView view(&session);
    const auto ops = syntheticOps(20, 10);
    session.setOperators(ops, QStringLiteral("small"));
    auto report = reportFor(ops, 10, 15);
    report.ops[3].error = std::numeric_limits<double>::infinity();
    session.setReport(report, QStringLiteral("test"));
    auto profile = std::make_shared<numerics::Profile>();
    profile->sources.resize(1);
    profile->sources[0].host = "AMD EPYC";
    profile->sources[0].device = "cpu";
    session.setProfile(profile, QStringLiteral("/p/a.json"));
    session.addComparisonProfile(profile, QStringLiteral("/p/a.json"));
    session.addComparisonProfile(std::make_shared<numerics::Profile>(*profile),
                                 QStringLiteral("/q/b.json"));
    session.selectOp(4);
    QStringList names;
    for (auto* s : view.chart()->series())
        names << s->name();
    QCOMPARE(names.size(), 7); // bound, selection, in force, 2 comparisons, error, inf
    QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), names.size());
    for (const auto& name : names)
        QVERIFY(!name.isEmpty());
    QVERIFY2(names.filter(QStringLiteral("AMD EPYC (cpu)")).size() == 3,
             qPrintable(names.join('|')));
}

// Profiles of other machines are drawn next to the one in force, one series each with its own
// name, without touching the profile in force; another model drops them, as closing does.
void TestViews::comparisonProfilesOverlayUntilAnotherModel() {
    QTemporaryDir dir;
    AppSettings settings(dir.filePath(QStringLiteral("s.ini")));
    const QString model = TAO_SOURCE_DIR "/resources/models/fashion_cnn.pt";
    const QString profile = TAO_SOURCE_DIR "/resources/profiles/fashion_cnn.json";
    // The same model calibrated elsewhere, with more safety: other thresholds.
    auto gpu = numerics::Profile::load(profile.toStdString());
    gpu.sources.resize(1);
    gpu.sources[0].host = "NVIDIA H100";
    gpu.sources[0].device = "cuda:0";
    gpu.safetyFactor *= 2;
    const QString gpuPath = dir.filePath(QStringLiteral("h100.json"));
    gpu.save(gpuPath.toStdString());

    MainWindow window(&settings);
    bool opened = false;
    window.openPaths({model, profile}, [&] { opened = true; });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 60000);
    auto* session = window.session();
    const auto inForce = session->profile();
    int added = 0;
    window.addComparisonProfile(gpuPath, [&] { ++added; });
    window.addComparisonProfile(profile, [&] { ++added; });
    QTRY_COMPARE_WITH_TIMEOUT(added, 2, 60000);
    QCOMPARE(session->comparisonProfiles().size(), std::size_t(2));
    QCOMPARE(session->profile(), inForce);
    auto* view = window.calibrationView();
    const auto& series = view->comparisonSeries();
    QCOMPARE(series.size(), 2);
    QVERIFY(series[0]->name() != series[1]->name());
    QVERIFY(series[0]->name() != seriesNamed(*view, QStringLiteral("threshold in force"))->name());
    const QString gpuName = series[0]->name().contains(QStringLiteral("NVIDIA H100"))
                                ? series[0]->name()
                                : series[1]->name();
    QVERIFY2(gpuName.contains(QStringLiteral("NVIDIA H100 (cuda:0)")), qPrintable(gpuName));
    // Twice the safety factor: the H100 thresholds lie above the ones in force.
    auto* gpuSeries = series[0]->name() == gpuName ? series[0] : series[1];
    auto* own = seriesNamed(*view, QStringLiteral("threshold in force"));
    QVERIFY(gpuSeries->count() > 0 && gpuSeries->count() == own->count());
    int above = 0;
    for (int i = 0; i < own->count(); ++i) {
        QCOMPARE(gpuSeries->at(i).x(), own->at(i).x());
        QVERIFY(gpuSeries->at(i).y() >= own->at(i).y());
        above += gpuSeries->at(i).y() > own->at(i).y();
    }
    QVERIFY(above > 0);
    QVERIFY(view->pointText(0).contains(QStringLiteral("NVIDIA H100")));
    // The audit's percentile applies to comparisons too.
    session->setPercentileOverride(0.5);
    QCOMPARE(session->comparisonProfiles().front().profile->percentile, 0.5);
    QCOMPARE(view->comparisonSeries().size(), 2);

    bool other = false;
    window.openModel(TAO_SOURCE_DIR "/resources/models/tiny_lm.pt", [&] { other = true; });
    QTRY_VERIFY_WITH_TIMEOUT(other, 60000);
    QVERIFY(session->comparisonProfiles().empty());
    QVERIFY(view->comparisonSeries().isEmpty());

    QSignalSpy changed(session, &AuditSession::comparisonProfilesChanged);
    session->addComparisonProfile(inForce, profile);
    QCOMPARE(view->comparisonSeries().size(), 1);
    session->close();
    QVERIFY(session->comparisonProfiles().empty());
    QCOMPARE(changed.count(), 2);
    QVERIFY(view->comparisonSeries().isEmpty());
}

// The report's figures show what the JSON holds: one line per model and measure, one bar
// per provider with its accuracy, and a PNG that is drawn, not blank.
void TestViews::evaluationChartsDrawTheirData() {
    const auto eval = nlohmann::json::parse(R"({
      "format": "tao-eval",
      "tradeoff": [
        {"model": "a", "safetyFactor": 1, "falsePositiveRate": 0.2, "adversaryMaxOutputChange": 1e-5},
        {"model": "a", "safetyFactor": 3, "falsePositiveRate": 0.0, "adversaryMaxOutputChange": 4e-5},
        {"model": "b", "safetyFactor": 1, "falsePositiveRate": 0.1, "adversaryMaxOutputChange": 2e-5}],
      "tightness": [{"model": "a", "kind": "aten::linear", "median": 9.0},
                    {"model": "b", "kind": "aten::add", "median": 1.2}],
      "thresholdAware": [{"model": "a", "allowance": "empirical", "fraction": 0.5, "maxOutputChange": 1e-5}],
      "accuracy": {"providers": [{"provider": "honest", "accuracy": 0.9},
                                 {"provider": "int4", "accuracy": 0.8}]}
    })");
    std::unique_ptr<QChart> tradeoff(views::tradeoffChart(eval));
    QCOMPARE(tradeoff->series().size(), 4); // per model: false positives, adversary change
    auto* fp = qobject_cast<QLineSeries*>(tradeoff->series().at(0));
    QVERIFY(fp);
    QCOMPARE(fp->count(), 2);
    QCOMPARE(fp->at(0).y(), 20.0); // percent
    std::unique_ptr<QChart> accuracy(views::accuracyChart(eval));
    auto* bars = qobject_cast<QBarSeries*>(accuracy->series().at(0));
    QVERIFY(bars);
    QCOMPARE(bars->barSets().at(0)->count(), 2);
    QCOMPARE(bars->barSets().at(0)->at(1), 80.0);
    std::unique_ptr<QChart> tightness(views::tightnessChart(eval));
    QCOMPARE(qobject_cast<QBarSeries*>(tightness->series().at(0))->count(), 2); // two models
    std::unique_ptr<QChart> missing(views::accuracyChart(nlohmann::json::object()));
    QVERIFY(missing->title().contains("no data"));

    QTemporaryDir dir;
    const auto png = dir.filePath("tradeoff.png");
    QVERIFY(views::saveChartPng(tradeoff.get(), png, QSize(640, 400)));
    const QImage image(png);
    QCOMPARE(image.width(), 640);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 8)
        for (int x = 0; x < image.width(); x += 8)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 5, "the PNG is blank");
    QVERIFY(!views::saveChartPng(tradeoff.get(), "/nonexistent/dir/x.png", QSize(64, 64)));
}
