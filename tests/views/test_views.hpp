#pragma once
// The views suite (one binary): test_views.cpp holds the models, graph, engine and settings
// tests, test_views_window.cpp the main window as a user meets it.
#include "views/engine_jobs.hpp"

#include <QObject>
#include <QTemporaryDir>
#include <optional>

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
    void helpAndAboutNeedNoDisplay();
    void nodeMenuActsOnItsOperator();

private:
    // The bundled demo's files, made once for the suite.
    const tao::views::DemoFiles& demo();
    QTemporaryDir demoDir_;
    std::optional<tao::views::DemoFiles> demo_;
};
