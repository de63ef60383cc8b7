#pragma once
// Chain values as the dispute views say them: short addresses and hashes, countdowns, and
// ether rounded for reading.
#include <QString>
#include <string>

namespace tao::chain {
class Uint256;
}

namespace tao::views {

// "0x1234…abcd"
QString shortHex(const std::string& hex);
// "12:05" or "1:02:03"; "closed" at 0 or below.
QString countdownText(qint64 seconds);
// "9999.998747 ETH": at most six decimals from a micro-ether up, exact below (where a
// rounded zero would hide that something was paid).
QString etherForPeople(const chain::Uint256& wei);

} // namespace tao::views
