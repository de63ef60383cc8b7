#pragma once
// The confirmation before a challenge: the operator that motivates it, the bond it locks,
// the gas it is estimated to cost and the account's balance, the challenge window left and
// each move's timeout, and how to play (automatically or confirming each selection). A
// challenge the coordinator would refuse is said with its decoded error, and cannot be sent.
#include <QDialog>

class QLabel;
class QRadioButton;
class QPushButton;

namespace tao::views {

struct ChallengeQuote;

class ChallengeDialog : public QDialog {
    Q_OBJECT
public:
    ChallengeDialog(const ChallengeQuote& quote, const QString& motive, QWidget* parent = nullptr);

    bool automatic() const;
    QPushButton* challengeButton() const { return challenge_; }
    QRadioButton* stepByStepButton() const { return stepByStep_; }
    QString errorText() const;
    QString summaryText() const; // bond, gas, balance and deadlines, as shown

private:
    QLabel* summary_;
    QLabel* error_;
    QRadioButton* automatic_;
    QRadioButton* stepByStep_;
    QPushButton* challenge_;
};

} // namespace tao::views
