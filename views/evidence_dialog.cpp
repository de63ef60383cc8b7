#include "views/evidence_dialog.hpp"

#include "views/theme.hpp"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tao::views {

namespace {

QString verdictText(verify::Verdict v) {
    return QString::fromStdString(std::string(verify::verdictName(v)));
}

QLabel* selectable(const QString& text) {
    auto* l = new QLabel(text);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    return l;
}

} // namespace

EvidenceDialog::EvidenceDialog(const QString& path, const dispute::EvidenceCheck& check,
                               QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Evidence — %1").arg(QFileInfo(path).fileName()));
    const auto& r = check.recorded;
    const auto& c = check.recomputed;
    headline_ = new QLabel;
    QFont big = headline_->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    headline_->setFont(big);
    headline_->setText(
        check.agrees
            ? tr("The evidence holds: recomputed %1, as recorded").arg(verdictText(c.verdict))
            : tr("The evidence holds, but the operator is %1, not the recorded %2")
                  .arg(verdictText(c.verdict), verdictText(r.verdict)));
    headline_->setStyleSheet(QStringLiteral("color: %1").arg(verdictColour(c.verdict).name()));

    auto* form = new QFormLayout;
    form->addRow(tr("Operator"), selectable(QStringLiteral("#%1 %2 %3")
                                                .arg(r.op)
                                                .arg(QString::fromStdString(r.kind),
                                                     QString::fromStdString(r.scope))
                                                .trimmed()));
    form->addRow(
        tr("Recorded verdict"),
        selectable(verdictText(r.verdict) +
                   (r.reason.empty() ? QString()
                                     : QStringLiteral(" — ") + QString::fromStdString(r.reason))));
    form->addRow(tr("Recomputed"), selectable(QString::fromStdString(dispute::describe(c))));
    QStringList quoted;
    for (auto q : r.quotedOps)
        quoted << QStringLiteral("#%1").arg(q);
    form->addRow(
        tr("Proven"),
        selectable(tr("%1 (and the model inputs) against trace root %2 of %3 leaves")
                       .arg(quoted.join(QStringLiteral(", ")), QString::fromStdString(r.root.hex()))
                       .arg(r.leafCount)));
    form->addRow(tr("Profile"), selectable(QString::fromStdString(r.profileHash.hex())));
    form->addRow(tr("Provider ran on"), selectable(QString::fromStdString(r.providerRuntime)));
    form->addRow(tr("Written on"), selectable(QString::fromStdString(r.verifierRuntime)));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto* show = buttons->addButton(tr("Show in graph"), QDialogButtonBox::ActionRole);
    connect(show, &QPushButton::clicked, this, [this, op = r.op] {
        emit showOpRequested(op);
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(headline_);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(720, sizeHint().height());
}

QString EvidenceDialog::headline() const {
    return headline_->text();
}

} // namespace tao::views
