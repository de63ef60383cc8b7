#include "views/challenge_dialog.hpp"

#include "views/chain_text.hpp"
#include "views/dispute_client.hpp"
#include "views/job_list_model.hpp"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace tao::views {

ChallengeDialog::ChallengeDialog(const ChallengeQuote& q, const QString& motive, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Challenge job %1").arg(q.jobId));
    setObjectName(QStringLiteral("challengeDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* why = new QLabel(tr("<b>Why:</b> %1").arg(motive.toHtmlEscaped()), this);
    why->setWordWrap(true);
    layout->addWidget(why);
    summary_ = new QLabel(this);
    summary_->setTextFormat(Qt::RichText);
    summary_->setText(
        tr("<table cellspacing=4>"
           "<tr><td>Bond locked</td><td><b>%1</b> (returned with a reward if you win)</td></tr>"
           "<tr><td>Gas estimate</td><td>%2 gas, at most %3 at current fees</td></tr>"
           "<tr><td>Your balance</td><td>%4</td></tr>"
           "<tr><td>Challenge window</td><td>%5 left</td></tr>"
           "<tr><td>Each move</td><td>within %6, or the side that misses it loses</td></tr>"
           "</table>")
            .arg(q.bond)
            .arg(QLocale().toString(q.gas))
            .arg(q.cost.isEmpty() ? tr("?") : q.cost)
            .arg(q.balance)
            .arg(countdownText(qint64(q.challengeSecondsLeft)))
            .arg(countdownText(qint64(q.moveTimeout))));
    layout->addWidget(summary_);
    error_ = new QLabel(q.error, this);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b3261e;"));
    error_->setVisible(!q.error.isEmpty());
    layout->addWidget(error_);
    automatic_ = new QRadioButton(tr("Play automatically: select towards the operator"), this);
    stepByStep_ = new QRadioButton(tr("Step by step: show and confirm each selection"), this);
    automatic_->setChecked(true);
    layout->addWidget(automatic_);
    layout->addWidget(stepByStep_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    challenge_ = buttons->addButton(tr("Challenge"), QDialogButtonBox::AcceptRole);
    challenge_->setEnabled(q.error.isEmpty());
    challenge_->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

bool ChallengeDialog::automatic() const {
    return automatic_->isChecked();
}
QString ChallengeDialog::errorText() const {
    return error_->text();
}
QString ChallengeDialog::summaryText() const {
    return summary_->text();
}

} // namespace tao::views
