// tao-auditor: the desktop auditor.
//   tao-auditor [--demo] [--screenshots DIR] [FILE...]
// FILE: a model (.pt), a trace (.taotrace folder) or a profile (.json), opened in order.
// --screenshots drives the demo and a large model through the window's own controls and
// saves PNGs into DIR, then quits (scripts/screenshots; app/gui/screenshot_tour.hpp).
#include "app/gui/screenshot_tour.hpp"
#include "core/runtime/process_memory.hpp"
#include "core/runtime/runtime_settings.hpp"
#include "views/app_settings.hpp"
#include "views/main_window.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

namespace {

using tao::views::MainWindow;

// The options, declared once for both the display-free parse (--help, --version) and the
// GUI's.
struct Options {
    QCommandLineOption demo{QStringLiteral("demo"), QStringLiteral("Open the bundled demo")};
    QCommandLineOption shots{QStringLiteral("screenshots"),
                             QStringLiteral("Save screenshots into DIR and quit"),
                             QStringLiteral("DIR")};
    QCommandLineOption large{QStringLiteral("large-model"),
                             QStringLiteral("Model for the collapsed-graph screenshots"),
                             QStringLiteral("PT")};

    void addTo(QCommandLineParser& parser) const {
        parser.setApplicationDescription(
            QStringLiteral("Audit ML inference traces with the TAO protocol.\n"
                           "Without a display, use the command-line tool instead: tao --help"));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({demo, shots, large});
        parser.addPositionalArgument(
            QStringLiteral("files"),
            QStringLiteral("Model (.pt), trace (.taotrace folder), profile (.json) or a saved "
                           "audit (.taosession), any order"));
    }
};

void nameApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("TAO"));
    QCoreApplication::setApplicationName(QStringLiteral("tao-auditor"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
}

bool asksForText(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

// Qt aborts with a platform-plugin message when there is no display; say what to do instead.
bool hasDisplay() {
#if defined(Q_OS_LINUX)
    return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
           qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

} // namespace

int main(int argc, char** argv) {
    tao::runtime::reuseFreedMemory();
    tao::runtime::returnLargeBlocksWhenFreed();
    tao::runtime::adviseHugePagesForLargeTensors();
    Options options;
    if (asksForText(argc, argv)) { // answered without a display: no QApplication
        QCoreApplication app(argc, argv);
        nameApplication();
        QCommandLineParser parser;
        options.addTo(parser);
        parser.process(app); // prints and exits
        return 0;
    }
    if (!hasDisplay()) {
        std::fprintf(stderr,
                     "tao-auditor: no display (DISPLAY and WAYLAND_DISPLAY are unset).\n"
                     "  Run it under a desktop session or xvfb-run, or use the command-line "
                     "tool: tao demo, tao verify --help.\n");
        return 2;
    }
    QApplication app(argc, argv);
    nameApplication();
    QCommandLineParser parser;
    options.addTo(parser);
    parser.process(app);

    tao::views::AppSettings settings;
    MainWindow window(&settings);
    window.show();
    if (parser.isSet(options.shots)) {
        const QString model =
            parser.isSet(options.large)
                ? parser.value(options.large)
                : QStringLiteral(TAO_SOURCE_DIR "/resources/models/generated/gpt2_small.pt");
        runScreenshotTour(&window, parser.value(options.shots), model);
    } else if (parser.isSet(options.demo)) {
        // The offline demo first, then the live one: a devnet where the provider cheated.
        window.runDemo([&window] { window.startDemoNetwork(); });
    }
    window.openPaths(parser.positionalArguments());
    return app.exec();
}
