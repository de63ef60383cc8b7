// core/layout: Graphviz layout behind the plain interface, cancellation, and the
// utilisation colour scale shared by the GUI and `tao graph`.
#include "core/layout/graph_layout.hpp"
#include "core/layout/utilisation_colour.hpp"

#include <QtTest>
#include <cmath>

using namespace tao::layout;

class TestLayout : public QObject {
    Q_OBJECT

    static LayoutRequest chainWithSkip(int n) {
        LayoutRequest r;
        for (int i = 0; i < n; ++i)
            r.nodes.push_back({90, 30, -1});
        for (int i = 0; i + 1 < n; ++i)
            r.edges.push_back({i, i + 1});
        r.edges.push_back({0, n - 1}); // a residual connection
        return r;
    }

private slots:
    void chainIsLaidOutTopToBottom() {
        auto r = chainWithSkip(12);
        auto out = layoutGraph(r);
        QCOMPARE(out.nodeCentres.size(), std::size_t(12));
        QCOMPARE(out.edges.size(), r.edges.size());
        for (int i = 0; i + 1 < 12; ++i)
            QVERIFY2(out.nodeCentres[i + 1].y > out.nodeCentres[i].y + 30,
                     "a consumer must sit below its producer");
        for (const auto& p : out.nodeCentres) {
            QVERIFY(std::isfinite(p.x) && p.x >= 0 && p.x <= out.width);
            QVERIFY(std::isfinite(p.y) && p.y >= 0 && p.y <= out.height);
        }
        for (const auto& e : out.edges) {
            QVERIFY(e.bezier.size() >= 4);
            QCOMPARE((e.bezier.size() - 1) % 3, std::size_t(0));
        }
    }

    void clustersEncloseTheirNodes() {
        LayoutRequest r;
        r.clusters = {{"block", -1}};
        r.nodes = {{80, 30, -1}, {80, 30, 0}, {80, 30, 0}, {80, 30, -1}};
        r.edges = {{0, 1}, {1, 2}, {2, 3}};
        auto out = layoutGraph(r);
        QCOMPARE(out.clusters.size(), std::size_t(1));
        const auto& box = out.clusters[0];
        for (int i : {1, 2}) {
            const auto& c = out.nodeCentres[i];
            QVERIFY(c.x > box.x && c.x < box.x + box.width);
            QVERIFY(c.y > box.y && c.y < box.y + box.height);
        }
        const auto& outside = out.nodeCentres[0];
        QVERIFY(outside.y < box.y);
    }

    void cancelledLayoutThrows() {
        QVERIFY_THROWS_EXCEPTION(LayoutCancelled,
                                 layoutGraph(chainWithSkip(50), [] { return true; }));
        // Graphviz is usable again afterwards.
        QCOMPARE(layoutGraph(chainWithSkip(5)).nodeCentres.size(), std::size_t(5));
    }

    void colourScaleRunsGreenToRed() {
        auto green = utilisationColour(0.0), amber = utilisationColour(1.0),
             red = utilisationColour(4.0);
        QVERIFY(green.g > green.r);
        QVERIFY(red.r > red.g);
        QVERIFY(amber.r > green.r && amber.g > red.g);
        // PASS never shares a shade with SUSPECT: a PASS right at its threshold and a
        // SUSPECT just past it differ clearly, and SUSPECT carries a marker.
        tao::verify::OpVerdict pass, suspect;
        pass.verdict = tao::verify::Verdict::Pass;
        pass.empiricalUtilisation = 1.0;
        suspect.verdict = tao::verify::Verdict::Suspect;
        suspect.empiricalUtilisation = 1.01;
        const auto ps = styleOf(&pass), ss = styleOf(&suspect);
        const int dr = ps.fill.r - ss.fill.r, dg = ps.fill.g - ss.fill.g,
                  db = ps.fill.b - ss.fill.b;
        QVERIFY2(dr * dr + dg * dg + db * db > 60 * 60,
                 (ps.fill.hex() + " vs " + ss.fill.hex()).c_str());
        QCOMPARE(ss.marker, NodeMarker::BeyondThreshold);
        QCOMPARE(ps.marker, NodeMarker::None);
        suspect.empiricalUtilisation = 0; // SUSPECT for want of a threshold
        QCOMPARE(styleOf(&suspect).fill, utilisationColour(1.0001));
        auto stops = legendStops();
        QVERIFY(stops.size() >= 2);
        for (std::size_t i = 1; i < stops.size(); ++i)
            QVERIFY(stops[i].first > stops[i - 1].first);
    }
};

QTEST_GUILESS_MAIN(TestLayout)
#include "test_layout.moc"
