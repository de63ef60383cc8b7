#pragma once
// Light and dark palettes on the Fusion style, so the app looks the same everywhere.
#include "core/verify/verdict.hpp"

#include <QColor>
#include <QIcon>
#include <QStyle>

class QApplication;

namespace tao::views {
void applyTheme(QApplication& app, bool dark);
// A standard icon that stays visible on the dark palette: dark, unsaturated pixels (the
// black arrows and frames of the standard set) are lightened; coloured ones are kept.
QIcon themedIcon(const QStyle* style, QStyle::StandardPixmap which, bool dark);
// The colour a verdict's name is written in (inspector, report, evidence): red FAIL, amber
// SUSPECT, ochre NO-BOUND, green PASS, grey otherwise.
QColor verdictColour(verify::Verdict v);
} // namespace tao::views
