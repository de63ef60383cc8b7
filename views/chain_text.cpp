#include "views/chain_text.hpp"

#include "core/chain/rpc_client.hpp"
#include "core/chain/uint256.hpp"

#include <QObject>

namespace tao::views {

QString shortHex(const std::string& hex) {
    return QString::fromStdString(chain::shortHex(hex));
}

QString countdownText(qint64 seconds) {
    if (seconds <= 0) return QObject::tr("closed");
    const auto h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60;
    return h ? QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QChar('0')).arg(s, 2, 10, QChar('0'))
             : QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QChar('0'));
}

QString etherForPeople(const chain::Uint256& wei) {
    return QString::fromStdString(chain::etherRounded(wei));
}

chain::RpcOptions windowRpcOptions() {
    chain::RpcOptions o;
    o.connectTimeout = std::chrono::milliseconds(3000);
    o.readTimeout = std::chrono::milliseconds(10000);
    o.maxRetries = 1;
    return o;
}

} // namespace tao::views
