#include "views/connect_dialog.hpp"

#include "core/chain/eth_client.hpp"
#include "core/chain/keystore.hpp"
#include "core/chain/network_config.hpp"
#include "core/chain/private_key.hpp"
#include "views/chain_text.hpp"
#include "views/dispute_client.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace tao::views {

ConnectDialog::ConnectDialog(QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Connect to a network"));
    network_ = new QComboBox(this);
    for (const auto& p : chain::networkPresets())
        network_->addItem(QString::fromStdString(p.name), QString::fromStdString(p.name));
    network_->addItem(tr("custom RPC"), QString());
    rpc_ = new QLineEdit(this);
    chainId_ = new QLineEdit(this);
    chainId_->setPlaceholderText(tr("required for a custom RPC"));
    check_ = new QPushButton(tr("Check connection"), this);
    networkStatus_ = new QLabel(tr("Not checked yet."), this);
    networkStatus_->setWordWrap(true);

    auto* net = new QGroupBox(tr("Network"), this);
    auto* netForm = new QFormLayout(net);
    netForm->addRow(tr("Network"), network_);
    netForm->addRow(tr("RPC URL"), rpc_);
    netForm->addRow(tr("Chain id"), chainId_);
    netForm->addRow(QString(), check_);
    netForm->addRow(networkStatus_);

    keystore_ = new QLineEdit(this);
    keystore_->setPlaceholderText(tr("an Ethereum V3 keystore file (JSON)"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* keystoreRow = new QHBoxLayout;
    keystoreRow->addWidget(keystore_);
    keystoreRow->addWidget(browse);
    passphrase_ = new QLineEdit(this);
    passphrase_->setEchoMode(QLineEdit::Password);
    passphrase_->setPlaceholderText(tr("used once, never stored"));
    unlock_ = new QPushButton(tr("Unlock"), this);
    auto* create = new QPushButton(tr("Create new…"), this);
    auto* accountButtons = new QHBoxLayout;
    accountButtons->addWidget(unlock_);
    accountButtons->addWidget(create);
    accountButtons->addStretch();
    accountStatus_ = new QLabel(tr("No account unlocked."), this);
    accountStatus_->setWordWrap(true);
    accountStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* acct = new QGroupBox(tr("Account"), this);
    auto* acctForm = new QFormLayout(acct);
    acctForm->addRow(tr("Keystore"), keystoreRow);
    acctForm->addRow(tr("Passphrase"), passphrase_);
    acctForm->addRow(QString(), accountButtons);
    acctForm->addRow(accountStatus_);

    coordinator_ = new QLineEdit(this);
    coordinator_->setPlaceholderText(tr("0x… the TaoCoordinator contract"));
    providerApi_ = new QLineEdit(this);
    providerApi_->setPlaceholderText(tr("https://… the provider's data API"));
    fromBlock_ = new QLineEdit(this);
    fromBlock_->setPlaceholderText(tr("the coordinator's deployment block (0: from genesis)"));
    use_ = new QPushButton(tr("Use for disputes"), this);
    useStatus_ = new QLabel(tr("Check the network and unlock an account first."), this);
    useStatus_->setWordWrap(true);
    auto* disputes = new QGroupBox(tr("Disputes"), this);
    auto* disputeForm = new QFormLayout(disputes);
    disputeForm->addRow(tr("Coordinator"), coordinator_);
    disputeForm->addRow(tr("Provider API"), providerApi_);
    disputeForm->addRow(tr("Events from block"), fromBlock_);
    disputeForm->addRow(QString(), use_);
    disputeForm->addRow(useStatus_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(net);
    layout->addWidget(acct);
    layout->addWidget(disputes);
    layout->addWidget(buttons);

    connect(network_, &QComboBox::currentIndexChanged, this, &ConnectDialog::presetChosen);
    connect(check_, &QPushButton::clicked, this, &ConnectDialog::checkNetwork);
    connect(use_, &QPushButton::clicked, this, &ConnectDialog::useChosen);
    connect(this, &ConnectDialog::networkChecked, this, &ConnectDialog::updateUse);
    connect(this, &ConnectDialog::accountChanged, this, &ConnectDialog::updateUse);
    connect(unlock_, &QPushButton::clicked, this, &ConnectDialog::unlockAccount);
    connect(passphrase_, &QLineEdit::returnPressed, this, &ConnectDialog::unlockAccount);
    connect(browse, &QPushButton::clicked, this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, tr("Keystore file"), keystore_->text());
        if (!p.isEmpty()) keystore_->setText(p);
    });
    connect(create, &QPushButton::clicked, this, [this] {
        const auto dir = QFileDialog::getExistingDirectory(this, tr("Folder for the new keystore"));
        if (!dir.isEmpty()) createKeystoreIn(dir);
    });
    // Return in a field acts on that field (the passphrase unlocks); it must never press
    // a button that opens a file chooser.
    for (auto* b : findChildren<QPushButton*>())
        b->setAutoDefault(false);
    presetChosen(0);
    updateUse();
    resize(620, sizeHint().height());
}

void ConnectDialog::updateUse() {
    use_->setEnabled(connectedChainId_ && key_);
}

void ConnectDialog::useChosen() {
    const auto coordinator = coordinator_->text().trimmed();
    const auto api = providerApi_->text().trimmed();
    try {
        chain::Address::fromHex(coordinator.toStdString(), "coordinator");
    } catch (const std::exception& e) {
        setStatus(useStatus_, tr("The coordinator address is not valid: %1").arg(e.what()), false);
        return;
    }
    if (!api.startsWith(QStringLiteral("http://")) && !api.startsWith(QStringLiteral("https://"))) {
        setStatus(useStatus_, tr("Enter the provider's data API as http(s)://host:port."), false);
        return;
    }
    bool numeric = true;
    const auto from = fromBlock_->text().trimmed();
    const quint64 fromBlock = from.isEmpty() ? 0 : from.toULongLong(&numeric);
    if (!numeric) {
        setStatus(useStatus_, tr("Events from block takes a block number, not \"%1\".").arg(from),
                  false);
        return;
    }
    NetworkTarget target;
    target.fromBlock = fromBlock;
    target.label = network_->currentText();
    target.rpcUrl = rpc_->text().trimmed();
    target.chainId = *connectedChainId_;
    target.coordinator = coordinator;
    target.providerApi = api;
    setStatus(useStatus_, tr("Disputes use %1 on chain %2.").arg(coordinator).arg(target.chainId),
              true);
    emit useForDisputes(target, key_);
}

QString ConnectDialog::disputeStatus() const {
    return useStatus_->text();
}

QString ConnectDialog::networkStatus() const {
    return networkStatus_->text();
}

QString ConnectDialog::accountStatus() const {
    return accountStatus_->text();
}

QString ConnectDialog::account() const {
    return key_ ? QString::fromStdString(key_->address().hex()) : QString();
}

void ConnectDialog::presetChosen(int index) {
    const QString name = network_->itemData(index).toString();
    connectedChainId_.reset();
    setStatus(networkStatus_, tr("Not checked yet."), true);
    if (name.isEmpty()) { // custom: the user names the RPC and the chain it must be
        chainId_->setReadOnly(false);
        chainId_->clear();
        return;
    }
    const auto preset = chain::networkPreset(name.toStdString());
    rpc_->setText(QString::fromStdString(preset.rpcUrl));
    chainId_->setText(QString::number(*preset.chainId));
    chainId_->setReadOnly(true);
}

void ConnectDialog::setStatus(QLabel* label, const QString& text, bool ok) {
    label->setText(text);
    label->setStyleSheet(ok ? QString() : QStringLiteral("color: #d63031"));
}

void ConnectDialog::runAsync(std::function<QString()> work, std::function<void(QString)> done) {
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [watcher, done] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

void ConnectDialog::checkNetwork() {
    const auto url = rpc_->text().trimmed().toStdString();
    bool ok = false;
    const auto expected = chainId_->text().trimmed().toULongLong(&ok);
    if (url.empty() || !ok) {
        setStatus(networkStatus_,
                  url.empty() ? tr("Enter the node's RPC URL.")
                              : tr("Enter the chain id this RPC must serve (a number): the "
                                   "node's own answer is not trusted."),
                  false);
        emit networkChecked(false);
        return;
    }
    const QString name = network_->currentText();
    connectedChainId_.reset();
    check_->setEnabled(false);
    setStatus(networkStatus_, tr("Asking %1…").arg(QString::fromStdString(url)), true);
    // The result text starts with "ok:" when the node is on the expected chain.
    runAsync(
        [url, expected, name] {
            try {
                chain::EthClient client(url, windowRpcOptions());
                const auto id = client.chainId();
                const auto block = client.blockNumber();
                if (id != expected)
                    return QStringLiteral("The node at %1 is on chain %2, not %3's %4: pick the "
                                          "network it serves or another RPC URL.")
                        .arg(QString::fromStdString(url))
                        .arg(id)
                        .arg(name)
                        .arg(expected);
                return QStringLiteral("ok:Connected to %1: chain %2, block %3.")
                    .arg(name)
                    .arg(id)
                    .arg(block);
            } catch (const std::exception& e) {
                return QStringLiteral(
                           "Cannot reach %1: %2. Is the node running, and the URL right?")
                    .arg(QString::fromStdString(url), QString::fromStdString(e.what()));
            }
        },
        [this, expected](const QString& result) {
            check_->setEnabled(true);
            const bool good = result.startsWith(QLatin1String("ok:"));
            setStatus(networkStatus_, good ? result.mid(3) : result, good);
            if (good) connectedChainId_ = expected;
            emit networkChecked(good);
            if (good && key_) showBalance();
        });
}

void ConnectDialog::unlockAccount() {
    const auto path = keystore_->text().trimmed().toStdString();
    // The passphrase leaves the field at once and lives only in the worker's copy.
    const auto pass = passphrase_->text().toStdString();
    passphrase_->clear();
    if (path.empty()) {
        setStatus(accountStatus_, tr("Choose a keystore file first."), false);
        return;
    }
    unlock_->setEnabled(false);
    setStatus(accountStatus_, tr("Unlocking…"), true);
    auto unlocked = std::make_shared<std::shared_ptr<const chain::PrivateKey>>();
    runAsync(
        [path, pass, unlocked] {
            try {
                *unlocked = std::make_shared<const chain::PrivateKey>(
                    chain::unlockKeystoreFile(path, pass));
                return QString();
            } catch (const std::exception& e) {
                return QString::fromStdString(e.what());
            }
        },
        [this, unlocked, path](const QString& error) {
            unlock_->setEnabled(true);
            key_ = *unlocked;
            if (!key_) {
                setStatus(accountStatus_,
                          tr("%1 was not unlocked: %2").arg(QString::fromStdString(path), error),
                          false);
                emit accountChanged(false);
                return;
            }
            setStatus(accountStatus_,
                      tr("Account %1 unlocked.").arg(QString::fromStdString(key_->address().hex())),
                      true);
            emit accountChanged(true);
            if (connectedChainId_) showBalance();
        });
}

void ConnectDialog::showBalance() {
    const auto url = rpc_->text().trimmed().toStdString();
    const auto address = key_->address();
    runAsync(
        [url, address] {
            try {
                chain::EthClient client(url, windowRpcOptions());
                return QString::fromStdString(chain::etherText(client.balance(address)));
            } catch (const std::exception& e) {
                return QStringLiteral("unknown (%1)").arg(QString::fromStdString(e.what()));
            }
        },
        [this, address](const QString& balance) {
            if (!key_ || !(key_->address() == address)) return;
            setStatus(accountStatus_,
                      tr("Account %1 unlocked; balance %2. Nothing is spent without your "
                         "confirmation.")
                          .arg(QString::fromStdString(address.hex()), balance),
                      true);
        });
}

void ConnectDialog::createKeystoreIn(const QString& directory, bool light) {
    const auto pass = passphrase_->text().toStdString();
    passphrase_->clear();
    if (pass.empty()) {
        setStatus(accountStatus_, tr("Type a passphrase for the new keystore first."), false);
        return;
    }
    // Deriving the key takes about a second with the standard scrypt settings.
    auto made = std::make_shared<std::optional<chain::CreatedKeystore>>();
    runAsync(
        [dir = directory.toStdString(), pass, light, made] {
            try {
                *made = chain::createKeystore(
                    dir, pass, light ? chain::KdfParams::light() : chain::KdfParams{});
                return QString();
            } catch (const std::exception& e) {
                return QString::fromStdString(e.what());
            }
        },
        [this, made](const QString& error) {
            if (!*made) {
                setStatus(accountStatus_, tr("No keystore created: %1").arg(error), false);
                return;
            }
            keystore_->setText(QString::fromStdString((*made)->path.string()));
            setStatus(accountStatus_,
                      tr("Created %1 for %2; unlock it with its passphrase.")
                          .arg(QString::fromStdString((*made)->path.filename().string()),
                               QString::fromStdString((*made)->address.hex())),
                      true);
            emit keystoreCreated();
        });
}

} // namespace tao::views
