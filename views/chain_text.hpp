#pragma once
// Chain values as the dispute views say them (short addresses and hashes, countdowns, ether
// rounded for reading), and how the window talks to a node.
#include <QString>
#include <string>

namespace tao::chain {
class Uint256;
struct RpcOptions;
} // namespace tao::chain

namespace tao::views {

// chain::shortHex as a QString.
QString shortHex(const std::string& hex);
// "12:05" or "1:02:03"; "closed" at 0 or below.
QString countdownText(qint64 seconds);
// chain::etherRounded as a QString.
QString etherForPeople(const chain::Uint256& wei);
// A person is waiting: a node that is down is said quickly (short timeouts, one retry).
chain::RpcOptions windowRpcOptions();

} // namespace tao::views
