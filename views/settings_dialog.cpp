#include "views/settings_dialog.hpp"

#include "core/runtime/runtime_settings.hpp"
#include "views/app_settings.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>
#include <QThread>

namespace tao::views {

SettingsDialog::SettingsDialog(AppSettings* settings, QWidget* parent)
    : QDialog(parent)
    , settings_(settings) {
    setWindowTitle(tr("Settings"));
    percentile_ = new QDoubleSpinBox(this);
    percentile_->setRange(0, 100);
    percentile_->setDecimals(4);
    percentile_->setSpecialValueText(tr("profile's own"));
    percentile_->setSuffix(QStringLiteral(" %"));
    percentile_->setValue(settings_->percentile());
    percentile_->setToolTip(tr("Percentile of honest errors used as the empirical threshold"));
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
    form->addRow(tr("Calibration percentile"), percentile_);
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
    settings_->setPercentile(percentile_->value());
    settings_->setThreads(threads_->value());
    settings_->setDevice(device_->currentData().toString());
    settings_->setDarkTheme(dark_->isChecked());
    settings_->sync();
}

} // namespace tao::views
