// bench_gui: how fast the graph explorer opens, expands, recolours and pans, on the
// GPT-2-sized demo model (collapsed) and a synthetic 10,000-operator graph. Prints JSON.
// Runs under the offscreen platform; times are wall clock on the GUI thread plus the
// pool-thread layout, measured in one run.
#include "core/verify/verdict.hpp"
#include "views/audit_session.hpp"
#include "views/engine_jobs.hpp"
#include "views/graph_panel.hpp"
#include "views/graph_scene.hpp"
#include "views/graph_view.hpp"
#include "views/node_item.hpp"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

using namespace tao;

namespace {

double waitLayout(views::GraphPanel& panel, QElapsedTimer& timer) {
    QSignalSpy done(&panel, &views::GraphPanel::layoutFinished);
    while (done.isEmpty())
        QTest::qWait(1);
    QApplication::processEvents(); // the first paint of the new level
    panel.view()->viewport()->repaint();
    return timer.nsecsElapsed() / 1e6;
}

verify::VerifyReport fakeReport(const std::vector<graph::OpInfo>& ops, double shift) {
    verify::VerifyReport r;
    for (const auto& op : ops) {
        verify::OpVerdict v;
        v.op = op.index;
        v.verdict = verify::Verdict::Pass;
        v.empiricalUtilisation = std::fmod(op.index * 0.013 + shift, 1.5);
        r.ops.push_back(v);
    }
    return r;
}

nlohmann::json measure(const std::string& name, std::vector<graph::OpInfo> ops) {
    views::AuditSession session;
    views::GraphPanel panel(&session);
    panel.resize(1400, 900);
    panel.show();
    QTest::qWait(50);
    nlohmann::json out;
    out["graph"] = name;
    out["ops"] = ops.size();

    QElapsedTimer timer;
    timer.start();
    session.setOperators(std::move(ops), QString::fromStdString(name));
    out["open_collapsed_ms"] = waitLayout(panel, timer);
    out["collapsed_nodes"] = panel.scene()->nodes().size();
    out["layout_ms"] = panel.lastLayoutMs();

    // Expand the largest visible group.
    int group = -1;
    std::uint32_t most = 0;
    for (auto* n : panel.scene()->nodes())
        if (n->isGroup() && session.hierarchy()->groups()[n->id()].opCount > most)
            most = session.hierarchy()->groups()[n->id()].opCount, group = int(n->id());
    if (group > 0) {
        // A transformer block ("3") when there is one: the case a person clicks.
        for (std::size_t g = 1; g < session.hierarchy()->groups().size(); ++g)
            if (session.hierarchy()->groups()[g].path == "3") group = int(g);
        timer.restart();
        panel.setGroupExpanded(group, true);
        out["expand_group_ms"] = waitLayout(panel, timer);
        out["expanded_nodes"] = panel.scene()->nodes().size();
    }

    // Recolour after a replay: new values for every op, restyle only.
    std::vector<double> recolour;
    for (int i = 0; i < 5; ++i) {
        timer.restart();
        session.setReport(fakeReport(session.ops(), 0.1 * i), QStringLiteral("bench"));
        panel.view()->viewport()->repaint();
        recolour.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::sort(recolour.begin(), recolour.end());
    out["recolour_ms_median"] = recolour[recolour.size() / 2];

    // Panning: scroll by 40 px per frame, repaint synchronously.
    panel.view()->setTransform(QTransform::fromScale(0.8, 0.8));
    std::vector<double> frames;
    auto* bar = panel.view()->verticalScrollBar();
    for (int i = 0; i < 60; ++i) {
        timer.restart();
        bar->setValue(bar->value() + (i < 30 ? 40 : -40));
        panel.view()->viewport()->repaint();
        frames.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::sort(frames.begin(), frames.end());
    out["pan_frame_ms_median"] = frames[frames.size() / 2];
    out["pan_frame_ms_p95"] = frames[frames.size() * 95 / 100];
    return out;
}

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    nlohmann::json result;
    result["benchmark"] = "gui";
    result["platform"] = QApplication::platformName().toStdString();
    // For 100,000 operators: the largest graphs an auditor opens.
    result["goals_ms"] = {{"open", 1000}, {"expand", 100}, {"recolour", 20}, {"pan_frame", 16}};
    const std::string gpt2 =
        std::string(TAO_SOURCE_DIR) + "/resources/models/generated/gpt2_small.pt";
    try {
        QElapsedTimer load;
        load.start();
        auto model = views::loadModelFile(gpt2);
        const double loadMs = load.nsecsElapsed() / 1e6;
        auto r = measure("gpt2_small", graph::opsOf(*model));
        r["model_load_ms"] = loadMs; // TorchScript load on the engine thread, before the graph
        result["runs"].push_back(r);
    } catch (const std::exception& e) {
        result["skipped"].push_back(gpt2 + ": " + e.what());
    }
    result["runs"].push_back(measure("synthetic_10000", views::syntheticOps(10000, 1)));
    result["runs"].push_back(measure("synthetic_100000", views::syntheticOps(100000, 1)));
    std::cout << result.dump(2) << std::endl;
    const auto args = QCoreApplication::arguments();
    if (auto i = args.indexOf("--out"); i >= 0 && i + 1 < args.size())
        std::ofstream(args[i + 1].toStdString()) << result.dump(2) << "\n";
    return 0;
}
