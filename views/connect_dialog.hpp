#pragma once
// Tools → Connect: the network an audit's disputes run on and the account that pays for
// them. A preset (local devnet, Holesky, Hoodi, Sepolia) pins the chain id, which is
// checked against what the node reports; a custom RPC URL needs one. The account comes from
// an Ethereum V3 keystore file: unlocked, or created, with a passphrase that is used once
// and never stored, logged or shown. Its address and balance are shown before anything is
// spent. Network calls and key derivation run off the GUI thread; the dialog never blocks.
#include <QDialog>
#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Forward declared: moc cannot parse the C++20 headers behind them.
namespace tao::chain {
class PrivateKey;
}

namespace tao::views {

struct NetworkTarget;

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget* parent = nullptr);

    // The controls, for tests and scripted tours (they act as a person's input would).
    QComboBox* networkBox() const { return network_; }
    QLineEdit* rpcField() const { return rpc_; }
    QLineEdit* chainIdField() const { return chainId_; }
    QLineEdit* keystoreField() const { return keystore_; }
    QLineEdit* passphraseField() const { return passphrase_; }
    QPushButton* checkButton() const { return check_; }
    QPushButton* unlockButton() const { return unlock_; }
    QLineEdit* coordinatorField() const { return coordinator_; }
    QLineEdit* providerApiField() const { return providerApi_; }
    QLineEdit* fromBlockField() const { return fromBlock_; }
    QPushButton* useButton() const { return use_; }

    // What the dialog says about the node and the account (plain text).
    QString networkStatus() const;
    QString accountStatus() const;
    QString disputeStatus() const;
    // Set once the node answered with the expected chain id.
    std::optional<std::uint64_t> connectedChainId() const { return connectedChainId_; }
    // The unlocked account's address (0x hex), empty before one is unlocked. The key stays
    // in this dialog's memory only.
    QString account() const;

    // A new keystore in `directory`, encrypted with the passphrase field's text (which is
    // then cleared), made off the GUI thread; its path fills the keystore field, then
    // keystoreCreated() is emitted. Light KDF settings when `light`
    // (tests), else the standard scrypt ones.
    void createKeystoreIn(const QString& directory, bool light = false);

signals:
    void networkChecked(bool ok);
    void accountChanged(bool unlocked);
    void keystoreCreated();
    // "Use for disputes": the checked network, the coordinator and provider API entered, and
    // the unlocked key (which stays in memory).
    void useForDisputes(const NetworkTarget& target, std::shared_ptr<const chain::PrivateKey> key);

private:
    void presetChosen(int index);
    void checkNetwork();
    void unlockAccount();
    void showBalance();
    void useChosen();
    void updateUse();
    void setStatus(QLabel* label, const QString& text, bool ok);
    // Runs `work` on a pool thread and `done` with its result text on this one.
    void runAsync(std::function<QString()> work, std::function<void(QString)> done);

    QComboBox* network_;
    QLineEdit* rpc_;
    QLineEdit* chainId_;
    QPushButton* check_;
    QLabel* networkStatus_;
    QLineEdit* keystore_;
    QLineEdit* passphrase_;
    QPushButton* unlock_;
    QLabel* accountStatus_;
    QLineEdit* coordinator_;
    QLineEdit* providerApi_;
    QLineEdit* fromBlock_;
    QPushButton* use_;
    QLabel* useStatus_;
    std::optional<std::uint64_t> connectedChainId_;
    std::shared_ptr<const chain::PrivateKey> key_;
};

} // namespace tao::views
