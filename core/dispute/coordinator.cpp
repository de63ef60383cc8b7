#include "core/dispute/coordinator.hpp"

#include "core/chain/devnet.hpp"
#include "core/dispute/coordinator_abi.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace tao::dispute {

using chain::Address;
using chain::Uint256;

Coordinator::Coordinator(chain::EthClient& client, chain::Address address)
    : client_(client)
    , address_(address) {
    if (client_.code(address_).empty())
        throw chain::ChainError("coordinator: no contract code at " + address_.hex() +
                                " on chain " + std::to_string(client_.chainId()) +
                                " (wrong address or network?)");
}

commit::Bytes Coordinator::call(const commit::Bytes& data) {
    chain::CallRequest req;
    req.to = address_;
    req.data = data;
    return client_.call(req);
}

JobInfo Coordinator::job(std::uint64_t jobId) {
    return abi::decodeJob(call(abi::getJob(jobId)));
}
GameInfo Coordinator::game(std::uint64_t gameId) {
    return abi::decodeGame(call(abi::getGame(gameId)));
}
BallotInfo Coordinator::ballot(std::uint64_t gameId) {
    return abi::decodeBallot(call(abi::getBallot(gameId)));
}
SeatInfo Coordinator::seat(std::uint64_t gameId, const Address& member) {
    return abi::decodeSeat(call(abi::seatOf(gameId, member)));
}
commit::Hash32 Coordinator::voteCommitment(std::uint64_t gameId, const Address& member) {
    return abi::decodeHash(call(abi::voteCommitment(gameId, member)));
}
std::vector<Address> Coordinator::panel(std::uint64_t gameId) {
    return abi::decodeAddressList(call(abi::panelOf(gameId)));
}
Address Coordinator::gameChallenger(std::uint64_t gameId) {
    return abi::decodeAddress(call(abi::gameChallenger(gameId)));
}
std::uint64_t Coordinator::gameOf(std::uint64_t jobId, const Address& challenger) {
    return abi::decodeUint(call(abi::gameOf(jobId, challenger))).toU64();
}
std::vector<std::uint64_t> Coordinator::jobGames(std::uint64_t jobId) {
    return abi::decodeUintList(call(abi::jobGames(jobId)));
}
std::uint64_t Coordinator::openGames(std::uint64_t jobId) {
    return abi::decodeUint(call(abi::openGames(jobId))).toU64();
}
bool Coordinator::isMember(const Address& account) {
    // Member is (uint96 stake, uint40 joinedAt, ...): joinedAt != 0 means joined.
    auto data = call(abi::getMember(account));
    if (data.size() < 96)
        throw chain::MalformedResponseError("coordinator: short getMember answer");
    auto word = std::array<std::uint8_t, 32>{};
    std::copy(data.begin() + 32, data.begin() + 64, word.begin());
    return !Uint256::fromBigEndian(word).isZero();
}
Uint256 Coordinator::stakeOf(const Address& member) {
    auto data = call(abi::getMember(member));
    if (data.size() < 32)
        throw chain::MalformedResponseError("coordinator: short getMember answer");
    return abi::decodeUint(commit::ByteSpan(data).first(32));
}
Uint256 Coordinator::balanceOf(const Address& account) {
    return abi::decodeUint(call(abi::balanceOf(account)));
}
std::uint64_t Coordinator::jobCount() {
    return abi::decodeUint(call(abi::jobCount())).toU64();
}
bool Coordinator::modelRegistered(const commit::Hash32& modelId) {
    auto data = call(abi::getModel(modelId));
    return data.size() >= 32 && !abi::decodeAddress(commit::ByteSpan(data).first(32)).isZero();
}

std::optional<commit::Hash32> Coordinator::registeredGraph(const commit::Hash32& modelId) {
    // getModel returns (owner, opCount, graphHash, profileHash), four static words.
    auto data = call(abi::getModel(modelId));
    if (data.size() < 128)
        throw std::runtime_error("getModel answered " + std::to_string(data.size()) +
                                 " bytes, not a model record");
    if (abi::decodeAddress(commit::ByteSpan(data).first(32)).isZero()) return std::nullopt;
    commit::Hash32 h;
    std::copy(data.begin() + 64, data.begin() + 96, h.bytes.begin());
    return h;
}

CoordinatorConfig Coordinator::config() {
    if (config_) return *config_;
    auto p = [&](const char* name) { return abi::decodeUint(call(abi::parameter(name))); };
    CoordinatorConfig c;
    c.arity = static_cast<unsigned>(p("arity").toU64());
    c.challengeWindow = static_cast<std::uint32_t>(p("challengeWindow").toU64());
    c.moveTimeout = static_cast<std::uint32_t>(p("moveTimeout").toU64());
    c.voteWindow = static_cast<std::uint32_t>(p("voteWindow").toU64());
    c.unbondingPeriod = static_cast<std::uint32_t>(p("unbondingPeriod").toU64());
    c.providerBond = p("providerBond");
    c.challengerBond = p("challengerBond");
    c.memberStake = p("memberStake");
    c.quorum = static_cast<std::uint16_t>(p("quorum").toU64());
    c.voterRewardBps = static_cast<std::uint16_t>(p("voterRewardBps").toU64());
    c.slashBps = static_cast<std::uint16_t>(p("slashBps").toU64());
    c.panelSize = static_cast<std::uint16_t>(p("panelSize").toU64());
    c.drawDelay = static_cast<std::uint16_t>(p("drawDelay").toU64());
    config_ = c;
    return c;
}

std::uint64_t Coordinator::chainId() {
    if (!chainId_) chainId_ = client_.chainId();
    return *chainId_;
}

commit::Hash32 Coordinator::jobCommitment(std::uint64_t jobId, const Address& provider,
                                          const commit::Hash32& traceCommitment) {
    return commit::jobCommitment({chainId(), address_.bytes, jobId, provider.bytes},
                                 traceCommitment);
}

commit::JobDomain jobDomain(Coordinator& coordinator, std::uint64_t jobId, const JobInfo& job) {
    return {coordinator.chainId(), coordinator.address().bytes, jobId, job.provider.bytes};
}

std::uint64_t Coordinator::now() {
    auto block = client_.rpc().call("eth_getBlockByNumber", {"latest", false});
    return chain::parseQuantityU64(block.at("timestamp"), "eth_getBlockByNumber", "timestamp");
}

std::uint64_t Coordinator::blockNumber() {
    return client_.blockNumber();
}

std::vector<CoordinatorEvent> Coordinator::events(std::uint64_t fromBlock,
                                                  std::optional<std::uint64_t> jobId) {
    chain::LogFilter f;
    f.addresses = {address_};
    f.fromBlock = fromBlock;
    auto all = decodeCoordinatorEvents(client_.logs(f));
    if (!jobId) return all;
    // Game-scoped events name only their game: keep those of the job's games too.
    const auto games = jobGames(*jobId);
    std::vector<CoordinatorEvent> out;
    for (auto& e : all)
        if (e.jobId == jobId || (!e.jobId && e.gameId &&
                                 std::find(games.begin(), games.end(), *e.gameId) != games.end()))
            out.push_back(std::move(e));
    return out;
}

CoordinatorAccount::CoordinatorAccount(Coordinator& coordinator, chain::PrivateKey key,
                                       std::string role,
                                       std::optional<std::uint64_t> expectedChainId)
    : coordinator_(coordinator)
    , sender_(coordinator.client(), std::move(key), expectedChainId)
    , role_(std::move(role)) {
    sender_.options().customErrors = abi::customErrors();
    // A local node mines at once: poll its receipts often. A public node gets a gentler pace.
    const auto& url = coordinator.client().rpc().url();
    const bool local =
        url.find("127.0.0.1") != std::string::npos || url.find("localhost") != std::string::npos;
    sender_.options().pollInterval = std::chrono::milliseconds(local ? 20 : 1000);
}

MoveRecord CoordinatorAccount::send(std::string move, std::uint64_t jobId, commit::Bytes data,
                                    const Uint256& value, std::string detail,
                                    const std::function<void(MoveRecord&)>& complete) {
    chain::TxRequest req;
    req.to = coordinator_.address();
    req.value = value;
    req.data = std::move(data);
    auto t0 = std::chrono::steady_clock::now();
    auto receipt = sender_.sendAndWait(req);
    MoveRecord r;
    r.move = std::move(move);
    r.jobId = jobId;
    r.detail = std::move(detail);
    r.txHash = receipt.transactionHash;
    r.gasUsed = receipt.gasUsed;
    r.wallMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    r.events = decodeCoordinatorEvents(receipt.logs);
    if (complete) complete(r);
    if (observer_) observer_(role_, r);
    return r;
}

MoveRecord CoordinatorAccount::sendForGame(std::string move, std::uint64_t gameId,
                                           commit::Bytes data, std::string detail) {
    // The job a game disputes, for the record (one view call; the game's slot holds it).
    const auto jobId = coordinator_.game(gameId).jobId;
    return send(std::move(move), jobId, std::move(data), {}, std::move(detail),
                [gameId](MoveRecord& m) { m.gameId = gameId; });
}

MoveRecord CoordinatorAccount::registerModel(const commit::Hash32& modelId,
                                             const commit::Hash32& graphHash, std::uint32_t opCount,
                                             const commit::Hash32& profileHash) {
    return send("registerModel", 0, abi::registerModel(modelId, graphHash, opCount, profileHash),
                {}, std::to_string(opCount) + " ops");
}

MoveRecord CoordinatorAccount::requestJob(const commit::Hash32& modelId,
                                          const commit::Hash32& inputHash, const Address& provider,
                                          const Uint256& fee) {
    auto r = send("requestJob", 0, abi::requestJob(modelId, inputHash, provider), fee);
    for (const auto& e : r.events)
        if (e.name == "JobRequested" && e.jobId) r.jobId = *e.jobId;
    if (r.jobId == 0) throw chain::MalformedResponseError("requestJob: no JobRequested event");
    return r;
}

MoveRecord CoordinatorAccount::submitResult(std::uint64_t jobId, const commit::Hash32& outputHash,
                                            const commit::Hash32& traceCommitment,
                                            std::uint32_t opCount) {
    const auto commitment = coordinator_.jobCommitment(jobId, address(), traceCommitment);
    return send("submitResult", jobId, abi::submitResult(jobId, outputHash, commitment, opCount),
                coordinator_.config().providerBond, "commitment " + commitment.hex().substr(0, 10));
}
MoveRecord CoordinatorAccount::finalize(std::uint64_t jobId) {
    return send("finalize", jobId, abi::finalize(jobId));
}
MoveRecord CoordinatorAccount::challenge(std::uint64_t jobId) {
    auto r = send("challenge", jobId, abi::challenge(jobId), coordinator_.config().challengerBond,
                  {}, [](MoveRecord& m) {
                      for (const auto& e : m.events)
                          if (e.name == "DisputeOpened" && e.gameId) m.gameId = *e.gameId;
                      m.detail = "game " + std::to_string(m.gameId);
                  });
    if (r.gameId == 0) throw chain::MalformedResponseError("challenge: no DisputeOpened event");
    return r;
}
MoveRecord CoordinatorAccount::bisect(std::uint64_t gameId,
                                      const std::vector<commit::LeafData>& cuts,
                                      const std::vector<commit::Hash32>& children,
                                      const std::vector<commit::Hash32>& parentChildren) {
    std::string d = "game " + std::to_string(gameId) + " cuts";
    for (const auto& c : cuts)
        d += " " + std::to_string(c.index);
    return sendForGame("bisect", gameId, abi::bisect(gameId, cuts, children, parentChildren), d);
}
MoveRecord CoordinatorAccount::select(std::uint64_t gameId, std::uint32_t segment) {
    return sendForGame("select", gameId, abi::select(gameId, segment),
                       "game " + std::to_string(gameId) + " part " + std::to_string(segment));
}
MoveRecord CoordinatorAccount::timeout(std::uint64_t gameId) {
    return sendForGame("timeout", gameId, abi::timeout(gameId), "game " + std::to_string(gameId));
}
MoveRecord CoordinatorAccount::closeMootGame(std::uint64_t gameId) {
    return sendForGame("closeMootGame", gameId, abi::closeMootGame(gameId),
                       "game " + std::to_string(gameId));
}
MoveRecord CoordinatorAccount::revealLeaf(
    std::uint64_t gameId, const commit::LeafData& op, const std::vector<commit::Hash32>& opProof,
    const std::vector<commit::LeafData>& inputs,
    const std::vector<std::vector<commit::Hash32>>& inputProofs, const commit::Hash32& opRoot,
    const commit::Hash32& gameRoot, const std::vector<commit::Hash32>& parentChildren) {
    return sendForGame(
        "revealLeaf", gameId,
        abi::revealLeaf(gameId, op, opProof, inputs, inputProofs, opRoot, gameRoot, parentChildren),
        "game " + std::to_string(gameId) + " op " + std::to_string(op.index) + ", " +
            std::to_string(inputs.size()) + " input leaves");
}
MoveRecord CoordinatorAccount::drawPanel(std::uint64_t gameId) {
    return sendForGame("drawPanel", gameId, abi::drawPanel(gameId),
                       "game " + std::to_string(gameId));
}
commit::Hash32 CoordinatorAccount::voteSalt(std::uint64_t gameId) {
    commit::Bytes msg;
    const std::string tag = "tao-vote-salt";
    msg.insert(msg.end(), tag.begin(), tag.end());
    const auto& coord = coordinator_.address().bytes;
    msg.insert(msg.end(), coord.begin(), coord.end());
    const auto chainWord = Uint256(coordinator_.chainId()).toBigEndian();
    msg.insert(msg.end(), chainWord.begin(), chainWord.end());
    const auto gameWord = Uint256(gameId).toBigEndian();
    msg.insert(msg.end(), gameWord.begin(), gameWord.end());
    const auto sig = sender_.signDigest(commit::keccak256(msg));
    commit::Bytes rs(sig.r.bytes.begin(), sig.r.bytes.end());
    rs.insert(rs.end(), sig.s.bytes.begin(), sig.s.bytes.end());
    return commit::keccak256(rs);
}
MoveRecord CoordinatorAccount::commitVote(std::uint64_t gameId, bool accept, VoteReason reason) {
    const auto sealed = abi::voteHash(gameId, address(), accept, reason, voteSalt(gameId));
    // The vote itself stays out of the record until it is revealed.
    return sendForGame("commitVote", gameId, abi::commitVote(gameId, sealed),
                       "game " + std::to_string(gameId) + " sealed vote");
}
MoveRecord CoordinatorAccount::revealVote(std::uint64_t gameId) {
    const auto salt = voteSalt(gameId);
    const auto sealed = coordinator_.voteCommitment(gameId, address());
    const std::pair<bool, VoteReason> valid[] = {{true, VoteReason::WithinThreshold},
                                                 {true, VoteReason::BeyondThreshold},
                                                 {false, VoteReason::BeyondThreshold},
                                                 {false, VoteReason::BeyondBound}};
    for (auto [accept, reason] : valid)
        if (abi::voteHash(gameId, address(), accept, reason, salt) == sealed)
            return sendForGame("revealVote", gameId, abi::revealVote(gameId, accept, reason, salt),
                               "game " + std::to_string(gameId) + " " +
                                   std::string(accept ? "accept" : "reject") + " reason " +
                                   std::to_string(static_cast<int>(reason)));
    throw std::runtime_error("revealVote: game " + std::to_string(gameId) +
                             " holds no vote sealed with this account's salt");
}
MoveRecord CoordinatorAccount::settleSeat(std::uint64_t gameId, const Address& member) {
    return sendForGame("settleSeat", gameId, abi::settleSeat(gameId, member),
                       "game " + std::to_string(gameId) + " seat of " + member.hex());
}
MoveRecord CoordinatorAccount::resolveVote(std::uint64_t gameId) {
    return sendForGame("resolveVote", gameId, abi::resolveVote(gameId),
                       "game " + std::to_string(gameId));
}
MoveRecord CoordinatorAccount::joinCommittee() {
    return send("joinCommittee", 0, abi::joinCommittee(), coordinator_.config().memberStake);
}
MoveRecord CoordinatorAccount::withdraw() {
    return send("withdraw", 0, abi::withdraw());
}

std::filesystem::path defaultCoordinatorArtifact() {
    std::filesystem::path root = TAO_SOURCE_DIR;
    if (const char* env = std::getenv("TAO_SOURCE_DIR")) root = env;
    return root / "contracts/out/TaoCoordinator.sol/TaoCoordinator.json";
}

Address deployCoordinator(chain::TransactionSender& deployer, const CoordinatorConfig& config,
                          const std::filesystem::path& artifact) {
    if (!std::filesystem::exists(artifact))
        throw std::runtime_error("coordinator artifact " + artifact.string() +
                                 " is missing (build the contracts: contracts/scripts/test or "
                                 "forge build --offline --use ./tools/solc in contracts/)");
    return deployer.deploy(chain::forgeArtifactBytecode(artifact), abi::constructorArgs(config));
}

} // namespace tao::dispute
