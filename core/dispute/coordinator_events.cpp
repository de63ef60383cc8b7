#include "core/dispute/coordinator_events.hpp"

#include "core/chain/abi_codec.hpp"

#include <map>

namespace tao::dispute {

using chain::AbiType;
using chain::AbiValue;
using chain::EventSignature;

namespace {
nlohmann::json toJson(const AbiType& type, const AbiValue& v) {
    switch (type.kind) {
    case AbiType::Kind::Uint: {
        const auto& x = v.asUint();
        if (x.fitsU64() && x.toU64() < (1ull << 53)) return x.toU64();
        return x.toDecimal();
    }
    case AbiType::Kind::Int:
        return v.asInt().toDecimal();
    case AbiType::Kind::Bool:
        return v.asBool();
    case AbiType::Kind::Address:
        return v.asAddress().hex();
    case AbiType::Kind::FixedBytes:
    case AbiType::Kind::Bytes:
        return commit::toHex(v.asBytes());
    case AbiType::Kind::String:
        return v.asString();
    case AbiType::Kind::Array:
    case AbiType::Kind::FixedArray: {
        auto out = nlohmann::json::array();
        for (const auto& e : v.asList())
            out.push_back(toJson(type.element(), e));
        return out;
    }
    case AbiType::Kind::Tuple: {
        auto out = nlohmann::json::array();
        const auto& l = v.asList();
        for (std::size_t i = 0; i < l.size(); ++i)
            out.push_back(toJson(type.components[i], l[i]));
        return out;
    }
    }
    return nullptr;
}

const std::map<commit::Hash32, EventSignature>& eventsByTopic() {
    static const auto table = [] {
        std::map<commit::Hash32, EventSignature> t;
        for (const auto& d : coordinatorEventDeclarations()) {
            auto sig = EventSignature::parse(d);
            t.emplace(sig.topic(), sig);
        }
        return t;
    }();
    return table;
}
} // namespace

const std::vector<std::string>& coordinatorEventDeclarations() {
    static const std::vector<std::string> list = {
        "ModelRegistered(bytes32 indexed modelId, address indexed owner, bytes32 graphHash, "
        "uint32 opCount, bytes32 profileHash)",
        "ProfileUpdated(bytes32 indexed modelId, bytes32 profileHash)",
        "JobRequested(uint256 indexed jobId, address indexed client, bytes32 indexed modelId, "
        "bytes32 inputHash, address provider, uint256 fee, bytes32 profileHash)",
        "JobCancelled(uint256 indexed jobId)",
        "ResultSubmitted(uint256 indexed jobId, address indexed provider, bytes32 outputHash, "
        "bytes32 traceRoot, uint32 opCount, uint40 challengeDeadline)",
        "JobClosed(uint256 indexed jobId, uint8 status)",
        "DisputeOpened(uint256 indexed jobId, uint256 indexed gameId, address indexed "
        "challenger, uint32 lo, uint32 hi, uint8 phase, uint40 deadline)",
        "CutsRevealed(uint256 indexed gameId, uint16 round, uint32 lo, uint32 hi, "
        "(uint32,bytes32,bytes32)[] cuts, bytes32[] children, uint40 deadline)",
        "SegmentSelected(uint256 indexed gameId, uint16 round, uint256 segment, uint32 lo, "
        "uint32 hi, uint8 phase, uint40 deadline)",
        "LeafRevealed(uint256 indexed gameId, (uint32,bytes32,bytes32) op, "
        "(uint32,bytes32,bytes32)[] inputs, bytes32 evidenceHash, uint64 drawBlock)",
        "PanelDrawn(uint256 indexed gameId, uint8 round, address[] members, uint16[] seats, "
        "uint40 commitDeadline, uint40 revealDeadline)",
        "DrawDeferred(uint256 indexed gameId, uint64 drawBlock)",
        "BallotEscalated(uint256 indexed gameId, uint8 round, uint16 revealedSeats, "
        "uint64 drawBlock)",
        "VoteCommitted(uint256 indexed gameId, address indexed member)",
        "MoveTimedOut(uint256 indexed gameId, uint8 phase)",
        "Voted(uint256 indexed gameId, address indexed member, bool accept, uint8 reason, "
        "uint16 seats)",
        "VoteResolved(uint256 indexed gameId, uint8 outcome, uint16 acceptSeats, "
        "uint16 rejectSeats, uint128 rewardPerSeat)",
        "DisputeResolved(uint256 indexed jobId, uint256 indexed gameId, uint8 outcome, "
        "address winner)",
        "MootGameClosed(uint256 indexed jobId, uint256 indexed gameId, address challenger)",
        "MemberJoined(address indexed member, uint256 stake)",
        "StakeAdded(address indexed member, uint256 amount, uint256 stake)",
        "LeaveRequested(address indexed member, uint40 exitAt)",
        "MemberExited(address indexed member, uint256 stake)",
        "SeatSettled(uint256 indexed gameId, address indexed member, uint256 reward, "
        "uint256 slashed, address paidTo)",
        "Credited(address indexed account, uint256 amount)",
        "Withdrawn(address indexed account, uint256 amount)",
    };
    return list;
}

std::optional<CoordinatorEvent> decodeCoordinatorEvent(const chain::Log& log) {
    if (log.topics.empty()) return std::nullopt;
    const auto& table = eventsByTopic();
    auto it = table.find(log.topics[0]);
    if (it == table.end()) return std::nullopt;
    const auto& sig = it->second;
    auto values = chain::decodeEventLog(sig, log.topics, log.data);
    CoordinatorEvent e;
    e.name = sig.name;
    e.blockNumber = log.blockNumber;
    e.transactionHash = log.transactionHash;
    e.fields = nlohmann::json::object();
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const auto& p = sig.params[i];
        e.fields[p.name] = toJson(p.type, values[i]);
        if (p.name == "jobId") e.jobId = values[i].asUint().toU64();
        if (p.name == "gameId") e.gameId = values[i].asUint().toU64();
    }
    return e;
}

std::vector<CoordinatorEvent> decodeCoordinatorEvents(const std::vector<chain::Log>& logs) {
    std::vector<CoordinatorEvent> out;
    for (const auto& l : logs)
        if (auto e = decodeCoordinatorEvent(l)) out.push_back(std::move(*e));
    return out;
}

} // namespace tao::dispute
