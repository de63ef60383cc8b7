#pragma once
// Typed access to a deployed TaoCoordinator: views through eth_call, and moves signed by one
// account, each reported with its gas and wall time.
#include "core/chain/chain_errors.hpp"
#include "core/chain/transaction_sender.hpp"
#include "core/commit/job_domain.hpp"
#include "core/dispute/coordinator_events.hpp"
#include "core/dispute/coordinator_types.hpp"

#include <filesystem>
#include <functional>
#include <memory>

namespace tao::dispute {

class Coordinator {
public:
    // Throws chain::ChainError when `address` holds no contract code on the node.
    Coordinator(chain::EthClient& client, chain::Address address);

    chain::EthClient& client() { return client_; }
    const chain::Address& address() const { return address_; }

    JobInfo job(std::uint64_t jobId);
    // Games: every challenger plays its own on a job, with ids from a global counter.
    GameInfo game(std::uint64_t gameId);
    BallotInfo ballot(std::uint64_t gameId); // the game's committee ballot
    SeatInfo seat(std::uint64_t gameId, const chain::Address& member);
    commit::Hash32 voteCommitment(std::uint64_t gameId, const chain::Address& member);
    std::vector<chain::Address> panel(std::uint64_t gameId); // every member seated, all panels
    chain::Address gameChallenger(std::uint64_t gameId);
    std::uint64_t gameOf(std::uint64_t jobId, const chain::Address& challenger); // 0: none
    std::vector<std::uint64_t> jobGames(std::uint64_t jobId);                    // in opening order
    std::uint64_t openGames(std::uint64_t jobId);
    bool isMember(const chain::Address& account);
    chain::Uint256 stakeOf(const chain::Address& member); // 0 for a non-member
    chain::Uint256 balanceOf(const chain::Address& account);
    std::uint64_t jobCount();
    bool modelRegistered(const commit::Hash32& modelId);
    // The graph commitment the model was registered with; empty when it is not registered.
    std::optional<commit::Hash32> registeredGraph(const commit::Hash32& modelId);
    CoordinatorConfig config(); // read once, cached
    std::uint64_t chainId();    // read once, cached
    // The job commitment `provider` posts for `traceCommitment` on job `jobId` here: bound to
    // this chain, this coordinator, the job and the provider (commit/job_domain.hpp).
    commit::Hash32 jobCommitment(std::uint64_t jobId, const chain::Address& provider,
                                 const commit::Hash32& traceCommitment);
    // Timestamp of the latest block: the clock deadlines are measured against.
    std::uint64_t now();
    std::uint64_t blockNumber(); // of the latest block: panels are seeded by block numbers
    // Coordinator events from `fromBlock`, optionally of one job only (with its games' events).
    std::vector<CoordinatorEvent> events(std::uint64_t fromBlock = 0,
                                         std::optional<std::uint64_t> jobId = std::nullopt);

private:
    commit::Bytes call(const commit::Bytes& data);

    chain::EthClient& client_;
    chain::Address address_;
    std::optional<CoordinatorConfig> config_;
    std::optional<std::uint64_t> chainId_;
};

// One sent move: what, for which job (and game), and what it cost.
struct MoveRecord {
    std::string move;
    std::uint64_t jobId = 0;
    std::uint64_t gameId = 0; // for challenge and the game-scoped moves
    std::string detail;
    commit::Hash32 txHash;
    std::uint64_t gasUsed = 0;
    double wallMs = 0;
    std::vector<CoordinatorEvent> events;
};
using MoveObserver = std::function<void(const std::string& role, const MoveRecord&)>;

// Moves signed by one account. Every method sends one transaction and waits for it; a revert
// throws chain::TransactionRevertedError with the contract's error by name.
// The domain a job's commitment is bound to: this chain and coordinator, the job, its provider.
commit::JobDomain jobDomain(Coordinator& coordinator, std::uint64_t jobId, const JobInfo& job);

class CoordinatorAccount {
public:
    CoordinatorAccount(Coordinator& coordinator, chain::PrivateKey key, std::string role,
                       std::optional<std::uint64_t> expectedChainId = std::nullopt);

    chain::Address address() const { return sender_.address(); }
    // How this account's transactions are sent (replacement, fee cap, confirmations).
    chain::SendOptions& sendOptions() { return sender_.options(); }
    const std::string& role() const { return role_; }
    Coordinator& coordinator() { return coordinator_; }
    void setObserver(MoveObserver observer) { observer_ = std::move(observer); }

    MoveRecord registerModel(const commit::Hash32& modelId, const commit::Hash32& graphHash,
                             std::uint32_t opCount, const commit::Hash32& profileHash);
    // The new job id is in the record's jobId.
    MoveRecord requestJob(const commit::Hash32& modelId, const commit::Hash32& inputHash,
                          const chain::Address& provider, const chain::Uint256& fee);
    // Posts `traceCommitment` (trace::Manifest::commitment) bound to this job and this account.
    MoveRecord submitResult(std::uint64_t jobId, const commit::Hash32& outputHash,
                            const commit::Hash32& traceCommitment, std::uint32_t opCount);
    MoveRecord finalize(std::uint64_t jobId);
    // Opens this account's own game on the job; the new game id is in the record's gameId.
    MoveRecord challenge(std::uint64_t jobId);
    // Game-scoped moves take the game id.
    MoveRecord bisect(std::uint64_t gameId, const std::vector<commit::LeafData>& cuts,
                      const std::vector<commit::Hash32>& children,
                      const std::vector<commit::Hash32>& parentChildren);
    MoveRecord select(std::uint64_t gameId, std::uint32_t segment);
    MoveRecord timeout(std::uint64_t gameId);
    MoveRecord closeMootGame(std::uint64_t gameId);
    // `opProof`: the op's siblings in the trace tree, then its siblings in the model's
    // registered graph tree (commit/graph_commitment.hpp); `inputs`: exactly the leaves the
    // graph says the op reads.
    MoveRecord revealLeaf(std::uint64_t gameId, const commit::LeafData& op,
                          const std::vector<commit::Hash32>& opProof,
                          const std::vector<commit::LeafData>& inputs,
                          const std::vector<std::vector<commit::Hash32>>& inputProofs,
                          const commit::Hash32& opRoot, const commit::Hash32& gameRoot,
                          const std::vector<commit::Hash32>& parentChildren);
    MoveRecord drawPanel(std::uint64_t gameId);
    // Seals (accept, reason) with this account's salt for the game (voteSalt).
    MoveRecord commitVote(std::uint64_t gameId, bool accept, VoteReason reason);
    // Opens the vote this account sealed on the game: found by trying every valid
    // (accept, reason) against the chain's commitment, so nothing needs to be remembered
    // between commit and reveal. Throws std::runtime_error when none matches.
    MoveRecord revealVote(std::uint64_t gameId);
    MoveRecord resolveVote(std::uint64_t gameId);
    MoveRecord settleSeat(std::uint64_t gameId, const chain::Address& member);
    // A salt only this key can produce, the same on every call for the game (a deterministic
    // signature over the coordinator, chain and game), so a restarted agent reveals what it
    // committed. Never logged.
    commit::Hash32 voteSalt(std::uint64_t gameId);
    MoveRecord joinCommittee();
    MoveRecord withdraw();

private:
    // `complete` fills in what only the receipt tells (e.g. a new id) before observers see it.
    MoveRecord send(std::string move, std::uint64_t jobId, commit::Bytes data,
                    const chain::Uint256& value = {}, std::string detail = {},
                    const std::function<void(MoveRecord&)>& complete = {});
    MoveRecord sendForGame(std::string move, std::uint64_t gameId, commit::Bytes data,
                           std::string detail = {});

    Coordinator& coordinator_;
    chain::TransactionSender sender_;
    std::string role_;
    MoveObserver observer_;
};

// contracts/out/TaoCoordinator.sol/TaoCoordinator.json under $TAO_SOURCE_DIR or the source
// tree this was built from.
std::filesystem::path defaultCoordinatorArtifact();
// Deploys TaoCoordinator from a forge artifact with `config`. Throws std::runtime_error naming
// the artifact when it is missing (and how to build it).
chain::Address
deployCoordinator(chain::TransactionSender& deployer, const CoordinatorConfig& config,
                  const std::filesystem::path& artifact = defaultCoordinatorArtifact());

} // namespace tao::dispute
