// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Committee} from "./Committee.sol";
import {DisputeGame} from "./DisputeGame.sol";
import {Sortition} from "./lib/Sortition.sol";
import {Ballot, Game, Job, Outcome, Phase, Seat} from "./interfaces/TaoTypes.sol";

/// @title Ballots
/// @notice The committee's verdict on a game's single disputed op. When the leaf is revealed,
/// a future block is fixed; its hash draws a panel of `panelSize` seats, weighted by stake, from
/// the members staked before the job's result (parties excluded). Seated members commit to a
/// vote, then reveal it; a seat counts for the side it revealed. A ballot short of `quorum`
/// revealed seats draws a panel twice as large from the members not yet seated, up to
/// MAX_PANELS; the last panel decides whatever the count (a tie keeps the provider's result,
/// no revealed seat at all rejects it).
/// After the game ends every seat is settled once: winning-side seats share `voterRewardBps`
/// of the loser's bond, absent and losing-side seats lose `slashBps` of `memberStake` each,
/// paid to the winning party (never to whoever settles).
abstract contract Ballots is DisputeGame, Committee {
    uint8 public constant MAX_PANELS = 3;

    uint8 internal constant SEAT_DRAWN = 1;
    uint8 internal constant SEAT_COMMITTED = 2;
    uint8 internal constant SEAT_ACCEPTED = 3;
    uint8 internal constant SEAT_REJECTED = 4;
    uint8 internal constant SEAT_SETTLED = 5;

    mapping(uint256 => Ballot) internal _ballots;
    mapping(uint256 => mapping(address => Seat)) internal _seats;
    mapping(uint256 => mapping(address => bytes32)) internal _commitments;
    mapping(uint256 => address[]) internal _panels;
    /// @notice What a game's panel judges: keccak256(abi.encode(op leaf, input leaves)) as revealed.
    mapping(uint256 => bytes32) public evidenceOf;
    /// Revealed seats per reason code (0 within the empirical threshold, 1 beyond it, 2 beyond
    /// the sound bound), over all panels.
    mapping(uint256 => uint16[3]) internal _reasonSeats;

    /// @notice After the seeding block, draws the game's next panel from its hash. If that hash
    /// is gone (more than 256 blocks ago), moves the seed to a block drawDelay blocks ahead
    /// instead. Anyone may call.
    function drawPanel(uint256 gameId) external {
        Game storage g = _games[gameId];
        _expectVoting(gameId, g);
        Ballot storage b = _ballots[gameId];
        uint256 at = b.drawBlock;
        if (at == 0) revert NoDrawPending(gameId);
        if (block.number <= at) revert DrawNotReady(at);
        bytes32 seed = blockhash(at);
        if (seed == 0) {
            uint64 next = uint64(block.number + drawDelay);
            b.drawBlock = next;
            emit DrawDeferred(gameId, next);
            return;
        }
        uint8 round = b.round + 1;
        (address[] memory seated, uint16[] memory seats, uint256 drawn) = _drawSeats(gameId, g.jobId, round, seed);
        _openPanel(gameId, b, round, drawn, seated, seats);
    }

    /// @notice A seated member's sealed vote, voteHash(gameId, member, accept, reason, salt),
    /// once, before the current panel's commit deadline.
    function commitVote(uint256 gameId, bytes32 commitment) external {
        Ballot storage b = _drawnBallot(gameId);
        if (block.timestamp > b.commitDeadline) revert VotingClosed(b.commitDeadline);
        Seat storage s = _currentSeat(gameId, b, msg.sender);
        if (s.state != SEAT_DRAWN) revert AlreadyVoted(msg.sender);
        s.state = SEAT_COMMITTED;
        _commitments[gameId][msg.sender] = commitment;
        emit VoteCommitted(gameId, msg.sender);
    }

    /// @notice Opens a committed vote after the commit deadline and before the reveal deadline;
    /// its seats count for the revealed side. accept takes reason 0 or 1, reject 1 or 2 (0
    /// within the empirical threshold, 1 beyond it, 2 beyond the sound bound).
    function revealVote(uint256 gameId, bool accept, uint8 reason, bytes32 salt) external {
        Ballot storage b = _drawnBallot(gameId);
        if (block.timestamp <= b.commitDeadline) revert VotingStillOpen(b.commitDeadline);
        if (block.timestamp > b.revealDeadline) revert VotingClosed(b.revealDeadline);
        Seat storage s = _currentSeat(gameId, b, msg.sender);
        if (s.state != SEAT_COMMITTED) revert NotCommitted(msg.sender);
        if (reason > 2) revert BadReason(reason);
        if ((accept && reason == 2) || (!accept && reason == 0)) revert ReasonContradictsVote(accept, reason);
        if (voteHash(gameId, msg.sender, accept, reason, salt) != _commitments[gameId][msg.sender]) {
            revert BadReveal(msg.sender);
        }
        uint16 count = s.count;
        s.state = accept ? SEAT_ACCEPTED : SEAT_REJECTED;
        if (accept) b.acceptSeats += count;
        else b.rejectSeats += count;
        _reasonSeats[gameId][reason] += count;
        emit Voted(gameId, msg.sender, accept, reason, count);
    }

    /// @notice After the current panel's reveal deadline: with at least `quorum` revealed seats
    /// (or on the last panel) the majority of seats decides, a tie keeping the provider's
    /// result and no revealed seat at all rejecting it; otherwise a larger panel is drawn from
    /// a block drawDelay blocks ahead.
    function resolveVote(uint256 gameId) external {
        Ballot storage b = _drawnBallot(gameId);
        if (block.timestamp <= b.revealDeadline) revert VotingStillOpen(b.revealDeadline);
        uint16 revealed = b.acceptSeats + b.rejectSeats;
        if (revealed < quorum && b.round < MAX_PANELS) {
            uint64 next = uint64(block.number + drawDelay);
            b.drawBlock = next;
            emit BallotEscalated(gameId, b.round, revealed, next);
            return;
        }
        // No seat revealed on any panel: the op's data reached no seated member in a form it
        // could judge, and making it available is the provider's duty, so the result falls.
        // Otherwise the seats decide and a tie keeps the provider's result.
        bool providerWins = revealed != 0 && b.acceptSeats >= b.rejectSeats;
        Outcome o = providerWins ? Outcome.ProviderWon : Outcome.ChallengerWon;
        uint256 winners = providerWins ? b.acceptSeats : b.rejectSeats;
        uint256 loserBond = providerWins ? challengerBond : providerBond;
        uint128 perSeat = winners == 0 ? 0 : uint128((loserBond * voterRewardBps / 10_000) / winners);
        b.outcome = o;
        b.rewardPerSeat = perSeat;
        emit VoteResolved(gameId, o, b.acceptSeats, b.rejectSeats, perSeat);
        _endGame(gameId, _games[gameId], o, perSeat * winners);
    }

    /// @notice Once the game has ended, settles one member's seats on its ballot, once: a
    /// winning-side seat's reward to the member; for an absent, unrevealed or losing-side seat
    /// `slashBps` of `memberStake` per seat (at most the stake left) to the game's winner. A moot
    /// game's seats are released with neither. Anyone may call; it frees the seats for exit.
    function settleSeat(uint256 gameId, address member) external {
        Game storage g = _games[gameId];
        if (g.phase != Phase.Resolved) revert WrongTurn(Phase.Resolved, g.phase);
        Seat storage s = _seats[gameId][member];
        uint8 state = s.state;
        if (s.count == 0 || state == SEAT_SETTLED) revert NothingToSettle(gameId, member);
        s.state = SEAT_SETTLED;
        --_members[member].openSeats;
        Outcome o = g.outcome;
        if (o == Outcome.Moot) {
            emit SeatSettled(gameId, member, 0, 0, BURN);
            return;
        }
        bool providerWon = o == Outcome.ProviderWon;
        if ((providerWon && state == SEAT_ACCEPTED) || (!providerWon && state == SEAT_REJECTED)) {
            uint256 reward = uint256(_ballots[gameId].rewardPerSeat) * s.count;
            emit SeatSettled(gameId, member, reward, 0, member);
            _credit(member, reward);
            return;
        }
        uint256 cut = memberStake * slashBps / 10_000 * s.count;
        uint256 stake = _members[member].stake;
        if (cut > stake) cut = stake;
        _members[member].stake = uint96(stake - cut);
        address to = providerWon ? _jobs[g.jobId].provider : gameChallenger[gameId];
        emit SeatSettled(gameId, member, 0, cut, to);
        _credit(to, cut);
    }

    /// @notice What a member commits to: keccak256(abi.encode(gameId, member, accept, reason, salt)).
    function voteHash(uint256 gameId, address member, bool accept, uint8 reason, bytes32 salt)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(gameId, member, accept, reason, salt));
    }

    /// @notice A game's ballot: pending draw, current windows, seats, outcome and reward per seat.
    function getBallot(uint256 gameId) external view returns (Ballot memory) {
        return _ballots[gameId];
    }

    /// @notice Revealed seats per reason code on a game's ballot.
    function reasonSeats(uint256 gameId) external view returns (uint16[3] memory) {
        return _reasonSeats[gameId];
    }

    /// @notice A member's seats on a game's ballot (count 0: never seated).
    function seatOf(uint256 gameId, address member) external view returns (Seat memory) {
        return _seats[gameId][member];
    }

    /// @notice The sealed vote a member committed on a game (0: none).
    function voteCommitment(uint256 gameId, address member) external view returns (bytes32) {
        return _commitments[gameId][member];
    }

    /// @notice Every member seated on a game's ballot, over all its panels, in drawing order.
    function panelOf(uint256 gameId) external view returns (address[] memory) {
        return _panels[gameId];
    }

    /// Opens the ballot of a game whose leaf was just revealed: its first panel is seeded by the
    /// hash of a block nobody knows yet.
    function _openBallot(uint256 gameId, bytes32 evidence) internal returns (uint64 drawBlock) {
        _games[gameId].phase = Phase.Voting;
        Ballot storage b = _ballots[gameId];
        evidenceOf[gameId] = evidence;
        drawBlock = uint64(block.number + drawDelay);
        b.drawBlock = drawBlock;
    }

    /// Draws and records the seats of panel `round`: `panelSize · 2^(round-1)` seats.
    function _drawSeats(uint256 gameId, uint256 jobId, uint8 round, bytes32 seed)
        private
        returns (address[] memory seated, uint16[] memory seats, uint256 drawn)
    {
        (address[] memory who, uint256[] memory weights) = _candidates(gameId, jobId, round);
        (uint256[] memory counts,) =
            Sortition.draw(weights, panelSize << (round - 1), keccak256(abi.encode(seed, gameId, round)));
        return _seat(gameId, round, who, counts);
    }

    function _openPanel(
        uint256 gameId,
        Ballot storage b,
        uint8 round,
        uint256 drawn,
        address[] memory seated,
        uint16[] memory seats
    ) private {
        uint40 commitBy = _now() + uint40(voteWindow);
        uint40 revealBy = commitBy + uint40(voteWindow);
        b.drawBlock = 0;
        b.round = round;
        b.seats += uint16(drawn);
        b.commitDeadline = commitBy;
        b.revealDeadline = revealBy;
        emit PanelDrawn(gameId, round, seated, seats, commitBy, revealBy);
    }

    /// Every roster member with its draw weight for this game: 0 for the game's parties, for
    /// stake bonded after the result was posted, and on later panels for anyone already seated.
    function _candidates(uint256 gameId, uint256 jobId, uint8 round)
        private
        view
        returns (address[] memory who, uint256[] memory weights)
    {
        Job storage j = _jobs[jobId];
        uint256 postedAt = uint256(j.challengeDeadline) - challengeWindow;
        address p = j.provider;
        address c = gameChallenger[gameId];
        who = _roster;
        weights = new uint256[](who.length);
        for (uint256 i; i < who.length; ++i) {
            address m = who[i];
            if (m == p || m == c) continue;
            if (round > 1 && _seats[gameId][m].count != 0) continue;
            weights[i] = drawWeight(m, postedAt);
        }
    }

    /// Records the seats of one panel and returns them compactly for the event.
    function _seat(uint256 gameId, uint8 round, address[] memory who, uint256[] memory counts)
        private
        returns (address[] memory seated, uint16[] memory seats, uint256 drawn)
    {
        uint256 distinct;
        for (uint256 i; i < counts.length; ++i) {
            if (counts[i] != 0) ++distinct;
        }
        seated = new address[](distinct);
        seats = new uint16[](distinct);
        uint256 k;
        for (uint256 i; i < counts.length; ++i) {
            if (counts[i] == 0) continue;
            address m = who[i];
            _seats[gameId][m] = Seat(uint16(counts[i]), round, SEAT_DRAWN);
            _panels[gameId].push(m);
            ++_members[m].openSeats;
            (seated[k], seats[k]) = (m, uint16(counts[i]));
            drawn += counts[i];
            ++k;
        }
    }

    function _expectVoting(uint256 gameId, Game storage g) internal view {
        if (g.phase != Phase.Voting) revert WrongTurn(Phase.Voting, g.phase);
        _liveJob(gameId, g.jobId);
    }

    /// The ballot of a live game in Voting whose current panel has been drawn.
    function _drawnBallot(uint256 gameId) private view returns (Ballot storage b) {
        _expectVoting(gameId, _games[gameId]);
        b = _ballots[gameId];
        if (b.round == 0 || b.drawBlock != 0) revert PanelNotDrawn(gameId);
    }

    function _currentSeat(uint256 gameId, Ballot storage b, address member) private view returns (Seat storage s) {
        s = _seats[gameId][member];
        if (s.count == 0 || s.round != b.round) revert NotSeated(member);
    }
}
