#pragma once
// Light and dark palettes on the Fusion style, so the app looks the same everywhere.
class QApplication;

namespace tao::views {
void applyTheme(QApplication& app, bool dark);
}
