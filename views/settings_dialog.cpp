#include "views/settings_dialog.hpp"

#include "core/numerics/calibration_profile.hpp"
#include "core/runtime/runtime_settings.hpp"
#include "views/app_settings.hpp"
#include "views/audit_session.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>
#include <QThread>

namespace tao::views {

SettingsDialog::SettingsDialog(AppSettings* settings, AuditSession* session, QWidget* parent)
    : QDialog(parent)
    , settings_(settings)
    , session_(session) {
    setWindowTitle(tr("Settings"));
    // The percentile starts at what is in force: the override, else the profile's own.
    const auto& loaded = session_->loadedProfile();
    const double own = loaded ? loaded->percentile * 100 : 99.99;
    profilesOwn_ = new QCheckBox(
        loaded ? tr("the profile's own (p%1)").arg(own, 0, 'g', 6) : tr("the profile's own"), this);
    profilesOwn_->setObjectName(QStringLiteral("profilesOwnPercentile"));
    profilesOwn_->setChecked(!session_->percentileOverride());
    percentile_ = new QDoubleSpinBox(this);
    percentile_->setObjectName(QStringLiteral("percentile"));
    percentile_->setRange(50, 100);
    percentile_->setDecimals(4);
    percentile_->setSingleStep(0.01);
    percentile_->setSuffix(QStringLiteral(" %"));
    percentile_->setValue(session_->percentileOverride() ? *session_->percentileOverride() * 100
                                                         : own);
    percentile_->setEnabled(!profilesOwn_->isChecked());
    percentile_->setToolTip(tr("Percentile of honest errors read as the empirical threshold, for "
                               "this audit only; verification runs again on OK"));
    connect(profilesOwn_, &QCheckBox::toggled, percentile_, [this](bool own) {
        percentile_->setEnabled(!own);
        if (!own) percentile_->setFocus();
    });
    threads_ = new QSpinBox(this);
    threads_->setRange(1, std::max(1, QThread::idealThreadCount()));
    threads_->setValue(settings_->threads());
    device_ = new QComboBox(this);
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    if (runtime::cudaAvailable()) device_->addItem(tr("CUDA"), QStringLiteral("cuda"));
    device_->setCurrentIndex(std::max(0, device_->findData(settings_->device())));
    dark_ = new QCheckBox(tr("Dark theme"), this);
    dark_->setChecked(settings_->darkTheme());
    auto* form = new QFormLayout(this);
    form->addRow(tr("Calibration percentile"), profilesOwn_);
    form->addRow(QString(), percentile_);
    form->addRow(tr("Replay threads"), threads_);
    form->addRow(tr("Replay device"), device_);
    form->addRow(QString(), dark_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void SettingsDialog::apply() {
    session_->setPercentileOverride(profilesOwn_->isChecked()
                                        ? std::nullopt
                                        : std::optional<double>(percentile_->value() / 100));
    settings_->setThreads(threads_->value());
    settings_->setDevice(device_->currentData().toString());
    settings_->setDarkTheme(dark_->isChecked());
    settings_->sync();
}

} // namespace tao::views
