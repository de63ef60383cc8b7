#pragma once
// The views suite (one binary): test_views.cpp holds the models, graph, engine and settings
// tests, test_views_window.cpp the main window as a user meets it.
#include "core/verify/verdict.hpp"
#include "views/demo_files.hpp"
#include "views/engine_jobs.hpp"

#include <QObject>
#include <QTemporaryDir>
#include <optional>

// A report with one failing, one suspect op and the rest passing at growing utilisation.
tao::verify::VerifyReport reportFor(const std::vector<tao::graph::OpInfo>& ops,
                                    std::uint32_t failOp, std::uint32_t suspectOp);

class TestViews : public QObject {
    Q_OBJECT
private slots:
    void hierarchyGroupsScopesAndSplitsWideLevels();
    void itemModelsPassTheTester();
    void graphBuildsCollapsesAndExpands();
    void recolouringFollowsVerdictsWithoutRelayout();
    void searchAndJumpToWorst();
    void engineReplacesQueuedJobsAndDropsStaleResults();
    void engineReportsProgressAndCancels();
    void settingsRoundTrip();
    void demoVerifiesInspectsAndReplays();
    void filesOpenInAnyOrder();
    void percentileChangeReachesEveryView();
    // test_views_window.cpp: the window as a new user meets it.
    void everyControlFitsDefaultAndLaptopWindows();
    void exportCarriesLegendAndNoSelection();
    void alteredTensorIsPinnedOnScreen();
    void noStateOfTheLastModelSurvives();
    void numbersAreSaidInWords();
    void heatmapNamesTheCellUnderThePointer();
    void helpAndAboutNeedNoDisplay();
    void nodeMenuActsOnItsOperator();
    void operatorTableFollowsTheSelection();
    void sessionFileSavesAndReopensTheAudit();
    void reportCarriesVerdictsGraphAndIdentities();
    void openErrorsAreNeverLost();
    void evidenceAgreesWithTheCommandLine();
    void comparedTracesDifferFromTheTamperedOperator();
    // test_views_connect.cpp: the connect dialog against a real devnet.
    void connectChecksTheChainAndGuardsTheKey();
    // test_views_dispute.cpp: the dispute panel against a live demo network.
    void disputeIsWonWithTheMouse();
    // test_views_calibration.cpp: the calibration chart.
    void calibrationHoverClickAndSelection();
    void calibrationShowsInfiniteErrors();
    void calibrationAxisLabelsSitOnOperators();
    void calibrationLegendNamesAreDistinct();
    void comparisonProfilesOverlayUntilAnotherModel();
    void evaluationChartsDrawTheirData();

private:
    // The bundled demo's files, made once for the suite.
    const tao::views::DemoFiles& demo();
    QTemporaryDir demoDir_;
    std::optional<tao::views::DemoFiles> demo_;
};
