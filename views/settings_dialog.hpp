#pragma once
// Edits AppSettings: calibration percentile, threads, device, theme.
#include <QDialog>

class QDoubleSpinBox;
class QSpinBox;
class QComboBox;
class QCheckBox;

namespace tao::views {

class AppSettings;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(AppSettings* settings, QWidget* parent = nullptr);
    void apply(); // writes the fields back (also on Accept)

private:
    AppSettings* settings_;
    QDoubleSpinBox* percentile_;
    QSpinBox* threads_;
    QComboBox* device_;
    QCheckBox* dark_;
};

} // namespace tao::views
