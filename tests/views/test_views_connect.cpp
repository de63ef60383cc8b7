// The connect dialog against a real anvil devnet: the chain id a preset pins is checked
// against the node, a custom RPC needs one, a node that is down is said inline, a keystore made in
// the dialog unlocks only with its passphrase (which never appears in what the dialog shows), and
// the balance is read from the node before anything is spent.
#include "core/chain/devnet.hpp"
#include "test_views.hpp"
#include "views/audit_session.hpp"
#include "views/connect_dialog.hpp"
#include "views/dispute_client.hpp"
#include "views/dispute_dock.hpp"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace tao;
using namespace tao::views;

void TestViews::connectChecksTheChainAndGuardsTheKey() {
    chain::Devnet node;
    ConnectDialog dialog;
    dialog.show();
    QSignalSpy checked(&dialog, &ConnectDialog::networkChecked);
    const auto checkWith = [&](const QString& network, const QString& chainId) -> bool {
        dialog.networkBox()->setCurrentIndex(dialog.networkBox()->findText(network));
        dialog.rpcField()->setText(QString::fromStdString(node.rpcUrl()));
        if (!chainId.isNull()) dialog.chainIdField()->setText(chainId);
        checked.clear();
        QTest::mouseClick(dialog.checkButton(), Qt::LeftButton);
        // No answer within the wait counts as not connected (and the status says why).
        if (checked.isEmpty() && !checked.wait(30000)) return false;
        return checked.takeFirst().at(0).toBool();
    };
    // A preset pins its chain id: hoodi's is not the devnet's.
    QVERIFY(dialog.chainIdField()->isReadOnly());
    QVERIFY(!checkWith(QStringLiteral("hoodi"), QString()));
    QVERIFY2(dialog.networkStatus().contains(QStringLiteral("on chain 31337, not hoodi's 560048")),
             qPrintable(dialog.networkStatus()));
    QVERIFY(!dialog.connectedChainId());
    // A custom RPC without a chain id is refused before any call.
    QVERIFY(!checkWith(QStringLiteral("custom RPC"), QStringLiteral("")));
    QVERIFY(dialog.networkStatus().contains(QStringLiteral("Enter the chain id")));
    // A node that is down is said inline, with what to check.
    dialog.rpcField()->setText(QStringLiteral("http://127.0.0.1:9"));
    dialog.chainIdField()->setText(QStringLiteral("31337"));
    checked.clear();
    QTest::mouseClick(dialog.checkButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!checked.isEmpty(), 30000);
    QVERIFY(!checked.takeFirst().at(0).toBool());
    QVERIFY2(dialog.networkStatus().contains(QStringLiteral("Cannot reach http://127.0.0.1:9")) &&
                 dialog.networkStatus().contains(QStringLiteral("Is the node running")),
             qPrintable(dialog.networkStatus()));
    QVERIFY(checkWith(QStringLiteral("custom RPC"), QStringLiteral("31337")));
    QVERIFY2(dialog.networkStatus().contains(QStringLiteral("chain 31337, block")),
             qPrintable(dialog.networkStatus()));
    QCOMPARE(dialog.connectedChainId(), std::optional<std::uint64_t>(31337));

    // A keystore made here, then unlocked: never with a wrong passphrase.
    QTemporaryDir dir;
    const QString secret = QStringLiteral("correct horse battery staple");
    QSignalSpy created(&dialog, &ConnectDialog::keystoreCreated);
    QTest::keyClicks(dialog.passphraseField(), secret);
    dialog.createKeystoreIn(dir.path(), true);
    QVERIFY(dialog.passphraseField()->text().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!created.isEmpty(), 30000);
    QVERIFY(!dialog.keystoreField()->text().isEmpty());
    QSignalSpy account(&dialog, &ConnectDialog::accountChanged);
    QTest::keyClicks(dialog.passphraseField(), QStringLiteral("wrong guess"));
    QTest::mouseClick(dialog.unlockButton(), Qt::LeftButton);
    QVERIFY(dialog.passphraseField()->text().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!account.isEmpty(), 30000);
    QVERIFY(!account.takeFirst().at(0).toBool());
    QVERIFY(dialog.account().isEmpty());
    QVERIFY2(dialog.accountStatus().contains(QStringLiteral("was not unlocked")),
             qPrintable(dialog.accountStatus()));

    QTest::keyClicks(dialog.passphraseField(), secret);
    QTest::keyClick(dialog.passphraseField(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!account.isEmpty(), 30000);
    QVERIFY(account.takeFirst().at(0).toBool());
    const QString address = dialog.account();
    QVERIFY(address.startsWith(QStringLiteral("0x")) && address.size() == 42);
    // The balance the node holds is shown, here 3 ETH set on the devnet, after a new check.
    node.fund(chain::Address::fromHex(address.toStdString()),
              chain::Uint256::fromDecimal("3000000000000000000"));
    QVERIFY(checkWith(QStringLiteral("custom RPC"), QStringLiteral("31337")));
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.accountStatus().contains(QStringLiteral("balance 3 ETH")),
                              qPrintable(dialog.accountStatus()), 30000);
    for (const QString& shown : {dialog.accountStatus(), dialog.networkStatus()})
        QVERIFY(!shown.contains(secret) && !shown.contains(QStringLiteral("wrong guess")));

    // Handed to the disputes panel: a malformed coordinator is refused in the dialog; an
    // address without the contract is said by the panel, inline, once the node is asked.
    AuditSession session;
    DisputeDock dock(&session);
    connect(&dialog, &ConnectDialog::useForDisputes, &dock, &DisputeDock::connectTo);
    QVERIFY(dialog.useButton()->isEnabled());
    dialog.coordinatorField()->setText(QStringLiteral("0x12"));
    dialog.providerApiField()->setText(QStringLiteral("http://127.0.0.1:1"));
    QTest::mouseClick(dialog.useButton(), Qt::LeftButton);
    QVERIFY2(dialog.disputeStatus().contains(QStringLiteral("not valid")),
             qPrintable(dialog.disputeStatus()));
    dialog.coordinatorField()->setText(address);
    QTest::mouseClick(dialog.useButton(), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(dock.errorText().contains(QStringLiteral("no contract code at")),
                              qPrintable(dock.errorText()), 30000);
    QVERIFY(!dock.client()->isConnected());
}
