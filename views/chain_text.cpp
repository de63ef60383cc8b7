#include "views/chain_text.hpp"

#include "core/chain/rpc_client.hpp"
#include "core/chain/uint256.hpp"

#include <QObject>

namespace tao::views {

QString shortHex(const std::string& hex) {
    if (hex.size() <= 12) return QString::fromStdString(hex);
    return QString::fromStdString(hex.substr(0, 6)) + QChar(0x2026) +
           QString::fromStdString(hex.substr(hex.size() - 4));
}

QString countdownText(qint64 seconds) {
    if (seconds <= 0) return QObject::tr("closed");
    const auto h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60;
    return h ? QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QChar('0')).arg(s, 2, 10, QChar('0'))
             : QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QChar('0'));
}

QString etherForPeople(const chain::Uint256& wei) {
    const chain::Uint256 micro(1'000'000'000'000ull); // 1e-6 ether in wei
    if (wei < micro) return QString::fromStdString(chain::etherText(wei));
    // Round to whole micro-ether, then say it with etherText (which drops trailing zeros).
    const auto rounded = (wei + chain::Uint256(500'000'000'000ull)) / 1'000'000'000'000ull * micro;
    return QString::fromStdString(chain::etherText(rounded));
}

chain::RpcOptions windowRpcOptions() {
    chain::RpcOptions o;
    o.connectTimeout = std::chrono::milliseconds(3000);
    o.readTimeout = std::chrono::milliseconds(10000);
    o.maxRetries = 1;
    return o;
}

} // namespace tao::views
