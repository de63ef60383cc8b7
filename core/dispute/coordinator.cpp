#include "core/dispute/coordinator.hpp"

#include "core/chain/devnet.hpp"
#include "core/dispute/coordinator_abi.hpp"

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
GameInfo Coordinator::game(std::uint64_t jobId) {
    return abi::decodeGame(call(abi::getGame(jobId)));
}
TallyInfo Coordinator::tally(std::uint64_t jobId) {
    return abi::decodeTally(call(abi::getTally(jobId)));
}
Address Coordinator::challengerOf(std::uint64_t jobId) {
    return abi::decodeAddress(call(abi::challengerOf(jobId)));
}
std::uint8_t Coordinator::voteMark(std::uint64_t jobId, const Address& member) {
    return static_cast<std::uint8_t>(abi::decodeUint(call(abi::voteMark(jobId, member))).toU64());
}
bool Coordinator::isEligible(const Address& member, std::uint64_t openedAt) {
    return abi::decodeBool(call(abi::isEligible(member, openedAt)));
}
bool Coordinator::isMember(const Address& account) {
    // Member is (uint128 stake, uint40 joinedAt, uint40 leaveAt): joinedAt != 0 means joined.
    auto data = call(abi::getMember(account));
    if (data.size() < 96)
        throw chain::MalformedResponseError("coordinator: short getMember answer");
    auto word = std::array<std::uint8_t, 32>{};
    std::copy(data.begin() + 32, data.begin() + 64, word.begin());
    return !Uint256::fromBigEndian(word).isZero();
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

std::vector<CoordinatorEvent> Coordinator::events(std::uint64_t fromBlock,
                                                  std::optional<std::uint64_t> jobId) {
    chain::LogFilter f;
    f.addresses = {address_};
    f.fromBlock = fromBlock;
    auto all = decodeCoordinatorEvents(client_.logs(f));
    if (!jobId) return all;
    std::vector<CoordinatorEvent> out;
    for (auto& e : all)
        if (e.jobId == jobId) out.push_back(std::move(e));
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
                                    const Uint256& value, std::string detail) {
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
    if (observer_) observer_(role_, r);
    return r;
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
    return send("challenge", jobId, abi::challenge(jobId), coordinator_.config().challengerBond);
}
MoveRecord CoordinatorAccount::bisect(std::uint64_t jobId,
                                      const std::vector<commit::LeafData>& cuts,
                                      const std::vector<commit::Hash32>& children,
                                      const std::vector<commit::Hash32>& parentChildren) {
    std::string d = "cuts";
    for (const auto& c : cuts)
        d += " " + std::to_string(c.index);
    return send("bisect", jobId, abi::bisect(jobId, cuts, children, parentChildren), {}, d);
}
MoveRecord CoordinatorAccount::select(std::uint64_t jobId, std::uint32_t segment) {
    return send("select", jobId, abi::select(jobId, segment), {},
                "part " + std::to_string(segment));
}
MoveRecord CoordinatorAccount::timeout(std::uint64_t jobId) {
    return send("timeout", jobId, abi::timeout(jobId));
}
MoveRecord
CoordinatorAccount::revealLeaf(std::uint64_t jobId, const commit::LeafData& op,
                               const std::vector<commit::Hash32>& opProof,
                               const std::vector<commit::LeafData>& inputs,
                               const std::vector<std::vector<commit::Hash32>>& inputProofs,
                               const commit::Hash32& opRoot, const commit::Hash32& gameRoot) {
    return send("revealLeaf", jobId,
                abi::revealLeaf(jobId, op, opProof, inputs, inputProofs, opRoot, gameRoot), {},
                "op " + std::to_string(op.index) + ", " + std::to_string(inputs.size()) +
                    " input leaves");
}
MoveRecord CoordinatorAccount::vote(std::uint64_t jobId, bool accept, VoteReason reason) {
    return send("vote", jobId, abi::vote(jobId, accept, reason), {},
                std::string(accept ? "accept" : "reject") + " reason " +
                    std::to_string(static_cast<int>(reason)));
}
MoveRecord CoordinatorAccount::resolveVote(std::uint64_t jobId) {
    return send("resolveVote", jobId, abi::resolveVote(jobId));
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
