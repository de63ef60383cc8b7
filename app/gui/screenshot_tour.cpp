#include "app/gui/screenshot_tour.hpp"

#include "app/gui/dispute_tour.hpp"
#include "app/gui/tour.hpp"
#include "views/audit_session.hpp"
#include "views/engine_worker.hpp"
#include "views/evidence_dialog.hpp"
#include "views/graph_panel.hpp"
#include "views/graph_scene.hpp"
#include "views/graph_view.hpp"
#include "views/inspector_dock.hpp"
#include "views/main_window.hpp"
#include "views/node_item.hpp"
#include "views/replay_panel.hpp"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QImage>
#include <QMouseEvent>
#include <QPointer>
#include <QPushButton>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <deque>
#include <functional>
#include <memory>

namespace {

using tao::tour::click;
using tao::tour::clickTab;
using tao::tour::Tour;
using tao::views::MainWindow;

QDockWidget* dockNamed(MainWindow* w, const QString& name) {
    return w->findChild<QDockWidget*>(name);
}

} // namespace

void runScreenshotTour(MainWindow* w, const QString& dir, const QString& largeModel) {
    QDir().mkpath(dir);
    auto* tour = new Tour(w, dir);
    tour->add([w] {
        w->resize(1500, 950);
        for (auto* b : w->findChildren<QPushButton*>())
            if (b->text().contains(QStringLiteral("Run the demo")) && b->isVisible()) {
                click(b, b->rect().center());
                return QString();
            }
        return QStringLiteral("the start page has no demo button");
    });
    tour->add([w] {
        if (!w->session()->hasVerdicts()) return QStringLiteral("the demo was not verified");
        clickTab(w->inspector()->tabs(), 1);
        if (w->inspector()->tabs()->currentIndex() != 1)
            return QStringLiteral("the inspector's Error tab did not open");
        return QString();
    });
    tour->add([w, tour] {
        QString e = tour->save(w, QStringLiteral("demo_cnn_tampered.png"));
        if (e.isEmpty()) e = tour->save(w->inspector(), QStringLiteral("inspector_histogram.png"));
        if (e.isEmpty()) clickTab(w->inspector()->tabs(), 3);
        return e;
    });
    tour->add([w, tour] {
        QString e = tour->save(w->inspector(), QStringLiteral("inspector_tensors.png"));
        auto* dock = dockNamed(w, QStringLiteral("calibration"));
        auto* floatButton =
            dock ? dock->findChild<QWidget*>(QStringLiteral("qt_dockwidget_floatbutton")) : nullptr;
        if (e.isEmpty() && !floatButton)
            e = QStringLiteral("the calibration dock has no float button");
        if (e.isEmpty()) click(floatButton, floatButton->rect().center());
        if (e.isEmpty() && !dock->isFloating())
            e = QStringLiteral("the calibration dock did not float");
        if (e.isEmpty()) dock->resize(1100, 480);
        return e;
    });
    tour->add([w, tour] {
        auto* dock = dockNamed(w, QStringLiteral("calibration"));
        QString e = tour->save(dock->widget(), QStringLiteral("calibration_view.png"));
        auto* floatButton = dock->findChild<QWidget*>(QStringLiteral("qt_dockwidget_floatbutton"));
        if (e.isEmpty()) click(floatButton, floatButton->rect().center());
        if (e.isEmpty()) w->resize(1280, 720);
        return e;
    });
    // Evidence of the tampered operator, exported and checked again as a person would.
    auto evidence = std::make_shared<QPointer<tao::views::EvidenceDialog>>();
    auto evidenceDir = std::make_shared<QTemporaryDir>();
    tour->add([w, evidenceDir] {
        int op = -1;
        for (int i = 0; i < int(w->session()->ops().size()) && op < 0; ++i)
            if (const auto* v = w->session()->verdict(i);
                v && v->verdict == tao::verify::Verdict::Fail)
                op = i;
        if (op < 0) return QStringLiteral("the demo has no FAIL operator");
        const QString path = evidenceDir->filePath(QStringLiteral("tampered.taoevidence"));
        w->exportEvidence(std::uint32_t(op), path);
        return QString();
    });
    tour->add([w, evidence, evidenceDir] {
        const QString path = evidenceDir->filePath(QStringLiteral("tampered.taoevidence"));
        if (!QFileInfo::exists(path)) return QStringLiteral("exporting the evidence wrote nothing");
        w->checkEvidence(path, [evidence](tao::views::EvidenceDialog* d) { *evidence = d; });
        return QString();
    });
    tour->add([w, tour, evidence, evidenceDir] { // the file lives until the dialog is saved
        if (!*evidence)
            return QStringLiteral("checking the exported evidence showed nothing (%1)")
                .arg(w->statusBar()->currentMessage());
        QString e = tour->save(*evidence, QStringLiteral("evidence_checked.png"));
        (*evidence)->close();
        return e;
    });
    // The tampered trace compared with the honest one beside it, through the File menu's
    // action (the folder comes from the demo, as a person would pick it).
    tour->add([w] {
        const QString honest = QFileInfo(w->session()->tracePath())
                                   .dir()
                                   .filePath(QStringLiteral("fashion_cnn_honest.taotrace"));
        if (!QFileInfo::exists(honest)) return QStringLiteral("the demo has no honest trace");
        w->compareWithTrace(honest);
        return QString();
    });
    tour->add([w, tour] {
        if (w->session()->colourSource() != tao::views::ColourSource::LocalReplay)
            return QStringLiteral("comparing with the honest trace did not colour differences");
        QString e = tour->save(w, QStringLiteral("compare_honest_vs_tampered.png"));
        if (e.isEmpty()) w->session()->setColourSource(tao::views::ColourSource::Verdicts);
        return e;
    });
    // The live dispute, won with the mouse alone (app/gui/dispute_tour.hpp).
    addDisputeTour(*tour, w);
    tour->add([w] {
        w->disputesDockWidget()->hide(); // the laptop view is the audit itself
        w->resize(1280, 720);
        return QString();
    });
    tour->add([w, tour, largeModel] {
        QString e = tour->save(w, QStringLiteral("window_1280x720.png"));
        if (e.isEmpty() && !w->graphPanel()->toolbarFits())
            e = QStringLiteral("the toolbar overflows at 1280×720");
        if (e.isEmpty()) {
            w->resize(1500, 950);
            dockNamed(w, QStringLiteral("calibration"))->hide();
            w->openModel(largeModel);
        }
        return e;
    });
    auto block = std::make_shared<int>(-1);
    tour->add([w, tour, block] {
        const auto& groups = w->session()->hierarchy()->groups();
        for (std::size_t g = 1; g < groups.size(); ++g)
            if (groups[g].path == "blocks.3") *block = int(g);
        if (*block < 0) return QStringLiteral("the model has no group blocks.3");
        return tour->save(w, QStringLiteral("gpt2_collapsed.png"));
    });
    // Open the fourth transformer block ("blocks.3") by clicking its way down from the
    // outermost collapsed group that holds it, one level per step.
    for (int level = 0; level < 4; ++level)
        tour->add([w, block] {
            const auto& groups = w->session()->hierarchy()->groups();
            const auto& expanded = w->graphPanel()->expanded();
            if (expanded.at(std::size_t(*block))) return QString();
            std::vector<int> chain; // block, its parent, ... below the root
            for (int g = *block; g > 0; g = groups[g].parent)
                chain.push_back(g);
            auto* view = w->graphPanel()->view();
            for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
                if (expanded.at(std::size_t(*it))) continue;
                for (auto* node : w->graphPanel()->scene()->nodes())
                    if (node->isGroup() && int(node->id()) == *it) {
                        view->centerOn(node);
                        click(view->viewport(),
                              view->mapFromScene(node->sceneBoundingRect().center()));
                        return QString();
                    }
                return QStringLiteral("group %1 is not drawn")
                    .arg(QString::fromStdString(groups[*it].path));
            }
            return QString();
        });
    tour->add([w, tour, block] {
        if (!w->graphPanel()->expanded().at(std::size_t(*block)))
            return QStringLiteral("clicking down to group blocks.3 did not expand it");
        return tour->save(w, QStringLiteral("gpt2_block_expanded.png"));
    });
    tour->start();
}
