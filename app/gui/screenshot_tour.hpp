#pragma once
// The screenshot tour (scripts/screenshots): drives the auditor through its own controls —
// the start page's demo button, the inspector's tabs, the calibration dock's float button,
// a click on a group in the graph — at the default size and at 1280×720, and saves PNGs.
// A step whose control is missing, whose effect does not show, or whose image equals an
// earlier one ends the tour with exit code 1.
#include <QString>

namespace tao::views {
class MainWindow;
}

void runScreenshotTour(tao::views::MainWindow* window, const QString& dir,
                       const QString& largeModel);
