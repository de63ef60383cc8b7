#pragma once
// Calldata for every coordinator function and decoding of its view results: one place
// where the Solidity signatures live on the C++ side.
#include "core/chain/abi_value.hpp"
#include "core/dispute/coordinator_types.hpp"

#include <vector>

namespace tao::dispute::abi {

using commit::Bytes;
using commit::Hash32;

Bytes constructorArgs(const CoordinatorConfig& c);

Bytes registerModel(const Hash32& modelId, const Hash32& graphHash, std::uint32_t opCount,
                    const Hash32& profileHash);
Bytes requestJob(const Hash32& modelId, const Hash32& inputHash, const chain::Address& provider);
Bytes submitResult(std::uint64_t jobId, const Hash32& outputHash, const Hash32& traceRoot,
                   std::uint32_t opCount);
Bytes finalize(std::uint64_t jobId);
Bytes challenge(std::uint64_t jobId);
// Game-scoped calls take the game id (every challenger plays its own game on a job).
// `children`: the game-tree child nodes of the interval; `parentChildren`: those the previous
// bisect revealed, or {opRoot, gameRoot} in the first round (commit/game_tree.hpp).
Bytes bisect(std::uint64_t gameId, const std::vector<commit::LeafData>& cuts,
             const std::vector<Hash32>& children, const std::vector<Hash32>& parentChildren);
Bytes select(std::uint64_t gameId, std::uint32_t segment);
Bytes timeout(std::uint64_t gameId);
Bytes closeMootGame(std::uint64_t gameId);
Bytes revealLeaf(std::uint64_t gameId, const commit::LeafData& op,
                 const std::vector<Hash32>& opProof, const std::vector<commit::LeafData>& inputs,
                 const std::vector<std::vector<Hash32>>& inputProofs, const Hash32& opRoot,
                 const Hash32& gameRoot, const std::vector<Hash32>& parentChildren);
Bytes drawPanel(std::uint64_t gameId);
Bytes commitVote(std::uint64_t gameId, const Hash32& sealedVote);
Bytes revealVote(std::uint64_t gameId, bool accept, VoteReason reason, const Hash32& salt);
Bytes resolveVote(std::uint64_t gameId);
Bytes settleSeat(std::uint64_t gameId, const chain::Address& member);
// keccak256(abi.encode(gameId, member, accept, reason, salt)): what a member commits to.
Hash32 voteHash(std::uint64_t gameId, const chain::Address& member, bool accept, VoteReason reason,
                const Hash32& salt);
Bytes joinCommittee();
Bytes withdraw();

// Views.
Bytes getJob(std::uint64_t jobId);
Bytes getGame(std::uint64_t gameId);
Bytes getBallot(std::uint64_t gameId);
Bytes seatOf(std::uint64_t gameId, const chain::Address& member);
Bytes voteCommitment(std::uint64_t gameId, const chain::Address& member);
Bytes panelOf(std::uint64_t gameId);
Bytes voteHashCall(std::uint64_t gameId, const chain::Address& member, bool accept,
                   VoteReason reason, const Hash32& salt); // the contract's own voteHash
Bytes gameChallenger(std::uint64_t gameId);
Bytes gameOf(std::uint64_t jobId, const chain::Address& challenger);
Bytes jobGames(std::uint64_t jobId);
Bytes openGames(std::uint64_t jobId);
Bytes gameJob(std::uint64_t gameId);
Bytes getMember(const chain::Address& member);
Bytes balanceOf(const chain::Address& account);
Bytes jobCount();
Bytes getModel(const Hash32& modelId);
Bytes parameter(const char* name); // arity(), moveTimeout(), ...

JobInfo decodeJob(commit::ByteSpan data);
GameInfo decodeGame(commit::ByteSpan data);
BallotInfo decodeBallot(commit::ByteSpan data);
SeatInfo decodeSeat(commit::ByteSpan data);
std::vector<chain::Address> decodeAddressList(commit::ByteSpan data);
commit::Hash32 decodeHash(commit::ByteSpan data);
chain::Address decodeAddress(commit::ByteSpan data);
chain::Uint256 decodeUint(commit::ByteSpan data);
std::vector<std::uint64_t> decodeUintList(commit::ByteSpan data);
bool decodeBool(commit::ByteSpan data);

// The coordinator's custom errors, for readable revert reasons (SendOptions::customErrors).
const std::vector<std::string>& customErrors();

chain::AbiValue leafValue(const commit::LeafData& leaf);
commit::LeafData leafFrom(const chain::AbiValue& v);

} // namespace tao::dispute::abi
