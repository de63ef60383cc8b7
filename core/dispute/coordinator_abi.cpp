#include "core/dispute/coordinator_abi.hpp"

#include "core/chain/abi_codec.hpp"

namespace tao::dispute::abi {

using chain::AbiType;
using chain::AbiValue;
using chain::Uint256;

namespace {
AbiValue u(std::uint64_t v) {
    return AbiValue(Uint256(v));
}
AbiValue hashes(const std::vector<std::vector<Hash32>>& lists) {
    AbiValue::List out;
    for (const auto& l : lists)
        for (const auto& h : l)
            out.emplace_back(h);
    return AbiValue(out);
}
std::uint64_t u64(const AbiValue& v) {
    return v.asUint().toU64();
}
} // namespace

AbiValue leafValue(const commit::LeafData& leaf) {
    return AbiValue(AbiValue::List{u(leaf.index), leaf.schemaHash, leaf.outputHash});
}

commit::LeafData leafFrom(const AbiValue& v) {
    const auto& l = v.asList();
    return {static_cast<std::uint32_t>(u64(l.at(0))), l.at(1).asHash32(), l.at(2).asHash32()};
}

Bytes constructorArgs(const CoordinatorConfig& c) {
    auto types = AbiType::parseList(
        "(uint8,uint32,uint32,uint32,uint32,uint96,uint96,uint96,uint16,uint16,uint16,uint16,"
        "uint16)");
    AbiValue::List cfg{u(c.arity),          u(c.challengeWindow), u(c.moveTimeout),
                       u(c.voteWindow),     u(c.unbondingPeriod), c.providerBond,
                       c.challengerBond,    c.memberStake,        u(c.quorum),
                       u(c.voterRewardBps), u(c.slashBps),        u(c.panelSize),
                       u(c.drawDelay)};
    return chain::abiEncode(types, {AbiValue(cfg)});
}

Bytes registerModel(const Hash32& modelId, const Hash32& graphHash, std::uint32_t opCount,
                    const Hash32& profileHash) {
    return chain::encodeCall("registerModel(bytes32,bytes32,uint32,bytes32)",
                             {modelId, graphHash, u(opCount), profileHash});
}
Bytes requestJob(const Hash32& modelId, const Hash32& inputHash, const chain::Address& provider) {
    return chain::encodeCall("requestJob(bytes32,bytes32,address)", {modelId, inputHash, provider});
}
Bytes submitResult(std::uint64_t jobId, const Hash32& outputHash, const Hash32& traceRoot,
                   std::uint32_t opCount) {
    return chain::encodeCall("submitResult(uint256,bytes32,bytes32,uint32)",
                             {u(jobId), outputHash, traceRoot, u(opCount)});
}
Bytes finalize(std::uint64_t jobId) {
    return chain::encodeCall("finalize(uint256)", {u(jobId)});
}
Bytes challenge(std::uint64_t jobId) {
    return chain::encodeCall("challenge(uint256)", {u(jobId)});
}
Bytes bisect(std::uint64_t gameId, const std::vector<commit::LeafData>& cuts,
             const std::vector<Hash32>& children, const std::vector<Hash32>& parentChildren) {
    AbiValue::List leaves;
    for (const auto& c : cuts)
        leaves.push_back(leafValue(c));
    return chain::encodeCall(
        "bisect(uint256,(uint32,bytes32,bytes32)[],bytes32[],bytes32[])",
        {u(gameId), AbiValue(leaves), hashes({children}), hashes({parentChildren})});
}
Bytes select(std::uint64_t gameId, std::uint32_t segment) {
    return chain::encodeCall("select(uint256,uint256)", {u(gameId), u(segment)});
}
Bytes timeout(std::uint64_t gameId) {
    return chain::encodeCall("timeout(uint256)", {u(gameId)});
}
Bytes closeMootGame(std::uint64_t gameId) {
    return chain::encodeCall("closeMootGame(uint256)", {u(gameId)});
}
Bytes revealLeaf(std::uint64_t gameId, const commit::LeafData& op,
                 const std::vector<Hash32>& opProof, const std::vector<commit::LeafData>& inputs,
                 const std::vector<std::vector<Hash32>>& inputProofs, const Hash32& opRoot,
                 const Hash32& gameRoot, const std::vector<Hash32>& parentChildren) {
    AbiValue::List leaves;
    for (const auto& c : inputs)
        leaves.push_back(leafValue(c));
    return chain::encodeCall("revealLeaf(uint256,(uint32,bytes32,bytes32),bytes32[],(uint32,"
                             "bytes32,bytes32)[],bytes32[],bytes32[2],bytes32[])",
                             {u(gameId), leafValue(op), hashes({opProof}), AbiValue(leaves),
                              hashes(inputProofs), hashes({{opRoot, gameRoot}}),
                              hashes({parentChildren})});
}
Bytes drawPanel(std::uint64_t gameId) {
    return chain::encodeCall("drawPanel(uint256)", {u(gameId)});
}
Bytes commitVote(std::uint64_t gameId, const Hash32& sealedVote) {
    return chain::encodeCall("commitVote(uint256,bytes32)", {u(gameId), sealedVote});
}
Bytes revealVote(std::uint64_t gameId, bool accept, VoteReason reason, const Hash32& salt) {
    return chain::encodeCall(
        "revealVote(uint256,bool,uint8,bytes32)",
        {u(gameId), AbiValue(accept), u(static_cast<std::uint8_t>(reason)), salt});
}
Bytes resolveVote(std::uint64_t gameId) {
    return chain::encodeCall("resolveVote(uint256)", {u(gameId)});
}
Bytes settleSeat(std::uint64_t gameId, const chain::Address& member) {
    return chain::encodeCall("settleSeat(uint256,address)", {u(gameId), member});
}
Hash32 voteHash(std::uint64_t gameId, const chain::Address& member, bool accept, VoteReason reason,
                const Hash32& salt) {
    // A static tuple encodes as its fields in sequence: abi.encode(gameId, member, ...).
    auto encoded =
        chain::abiEncode(AbiType::parseList("(uint256,address,bool,uint8,bytes32)"),
                         {AbiValue(AbiValue::List{u(gameId), member, AbiValue(accept),
                                                  u(static_cast<std::uint8_t>(reason)), salt})});
    return commit::keccak256(encoded);
}
Bytes joinCommittee() {
    return chain::encodeCall("joinCommittee()", {});
}
Bytes withdraw() {
    return chain::encodeCall("withdraw()", {});
}

Bytes getJob(std::uint64_t jobId) {
    return chain::encodeCall("getJob(uint256)", {u(jobId)});
}
Bytes getGame(std::uint64_t gameId) {
    return chain::encodeCall("getGame(uint256)", {u(gameId)});
}
Bytes getBallot(std::uint64_t gameId) {
    return chain::encodeCall("getBallot(uint256)", {u(gameId)});
}
Bytes seatOf(std::uint64_t gameId, const chain::Address& member) {
    return chain::encodeCall("seatOf(uint256,address)", {u(gameId), member});
}
Bytes voteCommitment(std::uint64_t gameId, const chain::Address& member) {
    return chain::encodeCall("voteCommitment(uint256,address)", {u(gameId), member});
}
Bytes panelOf(std::uint64_t gameId) {
    return chain::encodeCall("panelOf(uint256)", {u(gameId)});
}
Bytes voteHashCall(std::uint64_t gameId, const chain::Address& member, bool accept,
                   VoteReason reason, const Hash32& salt) {
    return chain::encodeCall(
        "voteHash(uint256,address,bool,uint8,bytes32)",
        {u(gameId), member, AbiValue(accept), u(static_cast<std::uint8_t>(reason)), salt});
}
Bytes gameChallenger(std::uint64_t gameId) {
    return chain::encodeCall("gameChallenger(uint256)", {u(gameId)});
}
Bytes gameOf(std::uint64_t jobId, const chain::Address& challenger) {
    return chain::encodeCall("gameOf(uint256,address)", {u(jobId), challenger});
}
Bytes jobGames(std::uint64_t jobId) {
    return chain::encodeCall("jobGames(uint256)", {u(jobId)});
}
Bytes openGames(std::uint64_t jobId) {
    return chain::encodeCall("openGames(uint256)", {u(jobId)});
}
Bytes gameJob(std::uint64_t gameId) {
    return chain::encodeCall("gameJob(uint256)", {u(gameId)});
}
Bytes getMember(const chain::Address& member) {
    return chain::encodeCall("getMember(address)", {member});
}
Bytes balanceOf(const chain::Address& account) {
    return chain::encodeCall("balanceOf(address)", {account});
}
Bytes jobCount() {
    return chain::encodeCall("jobCount()", {});
}
Bytes getModel(const Hash32& modelId) {
    return chain::encodeCall("getModel(bytes32)", {modelId});
}
Bytes parameter(const char* name) {
    return chain::encodeCall(std::string(name) + "()", {});
}

JobInfo decodeJob(commit::ByteSpan data) {
    auto v = chain::abiDecode(AbiType::parseList("(address,uint96,address,uint40,uint32,uint8,"
                                                 "bytes32,bytes32,bytes32,bytes32)"),
                              data)
                 .at(0)
                 .asList();
    JobInfo j;
    j.client = v[0].asAddress();
    j.fee = v[1].asUint();
    j.provider = v[2].asAddress();
    j.challengeDeadline = u64(v[3]);
    j.opCount = static_cast<std::uint32_t>(u64(v[4]));
    j.status = static_cast<JobStatus>(u64(v[5]));
    j.modelId = v[6].asHash32();
    j.inputHash = v[7].asHash32();
    j.outputHash = v[8].asHash32();
    j.commitment = v[9].asHash32();
    return j;
}

GameInfo decodeGame(commit::ByteSpan data) {
    auto v = chain::abiDecode(
                 AbiType::parseList("(uint32,uint32,uint40,uint8,uint16,uint8,uint8,uint64)"), data)
                 .at(0)
                 .asList();
    return {static_cast<std::uint32_t>(u64(v[0])),
            static_cast<std::uint32_t>(u64(v[1])),
            u64(v[2]),
            static_cast<Phase>(u64(v[3])),
            static_cast<std::uint16_t>(u64(v[4])),
            static_cast<std::uint8_t>(u64(v[5])),
            static_cast<Outcome>(u64(v[6])),
            u64(v[7])};
}

BallotInfo decodeBallot(commit::ByteSpan data) {
    const auto decoded = chain::abiDecode(
        AbiType::parseList("(uint64,uint40,uint40,uint8,uint16,uint16,uint16,uint8,uint128)"),
        data);
    const auto& v = decoded.at(0).asList();
    BallotInfo b;
    b.drawBlock = u64(v[0]);
    b.commitDeadline = u64(v[1]);
    b.revealDeadline = u64(v[2]);
    b.round = static_cast<std::uint8_t>(u64(v[3]));
    b.seats = static_cast<std::uint16_t>(u64(v[4]));
    b.acceptSeats = static_cast<std::uint16_t>(u64(v[5]));
    b.rejectSeats = static_cast<std::uint16_t>(u64(v[6]));
    b.outcome = static_cast<Outcome>(u64(v[7]));
    b.rewardPerSeat = v[8].asUint();
    return b;
}

SeatInfo decodeSeat(commit::ByteSpan data) {
    const auto decoded = chain::abiDecode(AbiType::parseList("(uint16,uint8,uint8)"), data);
    const auto& v = decoded.at(0).asList();
    return {static_cast<std::uint16_t>(u64(v[0])), static_cast<std::uint8_t>(u64(v[1])),
            static_cast<SeatState>(u64(v[2]))};
}

std::vector<chain::Address> decodeAddressList(commit::ByteSpan data) {
    const auto decoded = chain::abiDecode({AbiType::parse("address[]")}, data);
    std::vector<chain::Address> out;
    for (const auto& v : decoded.at(0).asList())
        out.push_back(v.asAddress());
    return out;
}

commit::Hash32 decodeHash(commit::ByteSpan data) {
    return chain::abiDecode({AbiType::parse("bytes32")}, data).at(0).asHash32();
}

chain::Address decodeAddress(commit::ByteSpan data) {
    return chain::abiDecode({AbiType::parse("address")}, data).at(0).asAddress();
}
Uint256 decodeUint(commit::ByteSpan data) {
    return chain::abiDecode({AbiType::parse("uint256")}, data).at(0).asUint();
}
std::vector<std::uint64_t> decodeUintList(commit::ByteSpan data) {
    // Keep the decoded values alive while reading them (asList() refers into them).
    const auto decoded = chain::abiDecode({AbiType::parse("uint256[]")}, data);
    std::vector<std::uint64_t> out;
    for (const auto& v : decoded.at(0).asList())
        out.push_back(u64(v));
    return out;
}
bool decodeBool(commit::ByteSpan data) {
    return chain::abiDecode({AbiType::parse("bool")}, data).at(0).asBool();
}

const std::vector<std::string>& customErrors() {
    static const std::vector<std::string> list = {
        "BadConfig()",
        "Reentrancy()",
        "TransferFailed()",
        "NothingToWithdraw()",
        "ModelExists(bytes32)",
        "UnknownModel(bytes32)",
        "NotModelOwner(bytes32)",
        "BadOpCount(uint256)",
        "FeeTooLarge()",
        "UnknownJob(uint256)",
        "WrongJobStatus(uint256,uint8)",
        "AlreadyFinalized(uint256)",
        "NotClient(uint256)",
        "NotDesignatedProvider(uint256)",
        "WrongBond(uint256,uint256)",
        "OpCountMismatch(uint256,uint256)",
        "ChallengeWindowClosed(uint256)",
        "ChallengeWindowOpen(uint256)",
        "SelfChallenge()",
        "AlreadyChallenged(uint256,uint256)",
        "NotProvider(uint256)",
        "NotChallenger(uint256)",
        "GameMoot(uint256)",
        "GameNotMoot(uint256)",
        "WrongTurn(uint8,uint8)",
        "MoveTooLate(uint256)",
        "DeadlineNotPassed(uint256)",
        "WrongCutCount(uint256,uint256)",
        "WrongLeafIndex(uint256,uint256)",
        "BadProofLength(uint256,uint256)",
        "BadProof(uint256)",
        "WrongChildCount(uint256,uint256)",
        "BadParentNodes(uint256)",
        "BadNode(uint256,uint256)",
        "BadCommitment(uint256)",
        "BadSegment(uint256,uint256)",
        "TooManyInputs(uint256)",
        "BadInputIndex(uint256)",
        "NotInGraph(uint256)",
        "OutputMismatch(uint256)",
        "AlreadyMember()",
        "CommitteeFull(uint256)",
        "StakeTooLarge()",
        "NotCommitteeMember(address)",
        "MemberLeaving()",
        "StakeLocked(uint256)",
        "SeatsUnsettled(uint256)",
        "PanelNotDrawn(uint256)",
        "NoDrawPending(uint256)",
        "DrawNotReady(uint256)",
        "NotSeated(address)",
        "AlreadyVoted(address)",
        "NotCommitted(address)",
        "BadReveal(address)",
        "BadReason(uint8)",
        "ReasonContradictsVote(bool,uint8)",
        "VotingClosed(uint256)",
        "VotingStillOpen(uint256)",
        "NothingToSettle(uint256,address)",
    };
    return list;
}

} // namespace tao::dispute::abi
