#pragma once
// Edits the calibration percentile of the audit in force (AuditSession) and the application
// settings (AppSettings): threads, device, theme.
#include <QDialog>

class QDoubleSpinBox;
class QSpinBox;
class QComboBox;
class QCheckBox;

namespace tao::views {

class AppSettings;
class AuditSession;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(AppSettings* settings, AuditSession* session, QWidget* parent = nullptr);
    void apply(); // writes the fields back (also on Accept)

private:
    AppSettings* settings_;
    AuditSession* session_;
    QCheckBox* profilesOwn_;
    QDoubleSpinBox* percentile_;
    QSpinBox* threads_;
    QComboBox* device_;
    QCheckBox* dark_;
};

} // namespace tao::views
