// tao-auditor: the desktop auditor.
//   tao-auditor [--demo] [--screenshots DIR] [FILE...]
// FILE: a model (.pt), a trace (.taotrace folder) or a profile (.json), opened in order.
// --screenshots runs the demo and a large model through a fixed sequence and saves the
// window, inspector and calibration view as PNGs into DIR, then quits (scripts/screenshots).
#include "views/app_settings.hpp"
#include "views/audit_session.hpp"
#include "views/calibration_view.hpp"
#include "views/engine_worker.hpp"
#include "views/graph_panel.hpp"
#include "views/inspector_dock.hpp"
#include "views/main_window.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QTabWidget>
#include <QTimer>

namespace {

using tao::views::MainWindow;

// Stops the sequence with exit code 1: a step that did nothing must not pass unnoticed.
void fail(const QString& why) {
    qCritical("screenshots: %s", qPrintable(why));
    QCoreApplication::exit(1);
}

// Saves the widget; a write error, or an image identical to an earlier one (the step
// before it had no visible effect), fails the sequence.
bool save(QWidget* widget, const QString& dir, const QString& name) {
    static std::vector<std::pair<QString, QImage>> taken;
    const QString path = QDir(dir).filePath(name);
    const QImage image = widget->grab().toImage();
    for (const auto& [earlier, img] : taken)
        if (img == image) {
            fail(name + " is identical to " + earlier + ": the step between them had no effect");
            return false;
        }
    taken.emplace_back(name, image);
    if (!image.save(path)) {
        fail("could not write " + path);
        return false;
    }
    qInfo("saved %s", qPrintable(path));
    return true;
}

// Runs `step` once the graph has no layout pending and the engine is idle.
void whenSettled(MainWindow* w, std::function<void()> step, int delayMs = 400) {
    auto* timer = new QTimer(w);
    timer->setInterval(100);
    QObject::connect(timer, &QTimer::timeout, w, [w, timer, step, delayMs] {
        if (w->graphPanel()->layoutPending() || w->engine()->busy()) return;
        timer->stop();
        timer->deleteLater();
        QTimer::singleShot(delayMs, w, step);
    });
    timer->start();
}

void screenshotSequence(MainWindow* w, const QString& dir, const QString& largeModel) {
    QDir().mkpath(dir);
    w->runDemo([w, dir, largeModel] {
        whenSettled(w, [w, dir, largeModel] {
            w->inspector()->tabs()->setCurrentIndex(1);
            whenSettled(w, [w, dir, largeModel] {
                save(w, dir, QStringLiteral("demo_cnn_tampered.png"));
                save(w->inspector(), dir, QStringLiteral("inspector_histogram.png"));
                w->inspector()->tabs()->setCurrentIndex(3);
                QTimer::singleShot(300, w, [w, dir, largeModel] {
                    save(w->inspector(), dir, QStringLiteral("inspector_tensors.png"));
                    w->calibrationDock()->setFloating(true);
                    w->calibrationDock()->resize(1100, 480);
                    QTimer::singleShot(500, w, [w, dir, largeModel] {
                        save(w->calibrationView(), dir, QStringLiteral("calibration_view.png"));
                        w->calibrationDock()->setFloating(false);
                        w->calibrationDock()->hide();
                        w->openModel(largeModel, [w, dir] {
                            whenSettled(w, [w, dir] {
                                if (!save(w, dir, QStringLiteral("gpt2_collapsed.png"))) return;
                                // Expand the fourth transformer block ("blocks.3").
                                const auto& groups = w->session()->hierarchy()->groups();
                                int block = -1;
                                for (std::size_t g = 1; g < groups.size(); ++g)
                                    if (groups[g].path == "blocks.3") block = int(g);
                                if (block < 0) return fail("the model has no group blocks.3");
                                w->graphPanel()->setGroupExpanded(block, true);
                                whenSettled(w, [w, dir] {
                                    if (save(w, dir, QStringLiteral("gpt2_block_expanded.png")))
                                        QCoreApplication::exit(0);
                                });
                            });
                        });
                    });
                });
            });
        });
    });
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TAO"));
    QApplication::setApplicationName(QStringLiteral("tao-auditor"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Audit ML inference traces with the TAO protocol"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the bundled demo"));
    QCommandLineOption shots(QStringLiteral("screenshots"),
                             QStringLiteral("Save screenshots into DIR and quit"),
                             QStringLiteral("DIR"));
    QCommandLineOption large(QStringLiteral("large-model"),
                             QStringLiteral("Model for the collapsed-graph screenshots"),
                             QStringLiteral("PT"));
    parser.addOptions({demo, shots, large});
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QStringLiteral("Model, trace or profile to open"));
    parser.process(app);

    tao::views::AppSettings settings;
    MainWindow window(&settings);
    window.show();
    if (parser.isSet(shots)) {
        const QString model =
            parser.isSet(large)
                ? parser.value(large)
                : QStringLiteral(TAO_SOURCE_DIR "/resources/models/generated/gpt2_small.pt");
        screenshotSequence(&window, parser.value(shots), model);
    } else if (parser.isSet(demo)) {
        window.runDemo();
    }
    window.openPaths(parser.positionalArguments());
    return app.exec();
}
