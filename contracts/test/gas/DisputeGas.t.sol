// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "../utils/Fixture.sol";
import {Game, Leaf, Phase} from "../../src/interfaces/TaoTypes.sol";

/// Gas of a whole dispute for k = 2, 4, 8 and n = 1,000 and 1,000,000 ops. Each row is written
/// to gas/dispute-<k>-<n>.md; "tx" is what the transaction is charged since Pectra (EIP-7623):
/// max(21,000 + 4/16 gas per zero/non-zero calldata byte + execution, 21,000 + 10 per token),
/// a token being a zero byte or a quarter of a non-zero one.
contract DisputeGasTest is Fixture {
    struct Row {
        uint256 open;
        uint256 bisectMax;
        uint256 bisectTx;
        uint256 selectMax;
        uint256 reveal;
        uint256 revealTx;
        uint256 draw;
        uint256 commit;
        uint256 reveal_; // of a vote
        uint256 resolve;
        uint256 finalize;
        uint256 rounds;
        uint256 totalTx;
    }

    uint256 internal constant INTRINSIC = 21_000;

    /// Whole-transaction gas of a call that executed `exec` gas with calldata `data`.
    function _tx(uint256 exec, bytes memory data) internal pure returns (uint256) {
        uint256 tokens;
        for (uint256 i; i < data.length; ++i) tokens += data[i] == 0 ? 1 : 4;
        uint256 standard = INTRINSIC + 4 * tokens + exec;
        uint256 floor = INTRINSIC + 10 * tokens;
        return standard > floor ? standard : floor;
    }

    function _measure(uint256 k, uint256 n) internal returns (Row memory r) {
        deploy(uint8(k));
        joinAll();
        Plan memory p = makePlan(n, k, 42);
        uint256 id = postResult(p);
        uint256 g = gasleft();
        uint256 gid = challengeJob(id);
        r.open = g - gasleft();
        r.totalTx += _tx(r.open, abi.encodeCall(tao.challenge, (id)));
        while (tao.getGame(gid).phase != Phase.ProviderReveal) {
            (Leaf[] memory cuts, bytes32[] memory children, bytes32[] memory parent) = cutsFor(gid, p);
            vm.prank(provider);
            g = gasleft();
            tao.bisect(gid, cuts, children, parent);
            g -= gasleft();
            lastChildren[gid] = children;
            uint256 tx_ = _tx(g, abi.encodeCall(tao.bisect, (gid, cuts, children, parent)));
            if (tx_ > r.bisectTx) (r.bisectTx, r.bisectMax) = (tx_, g);
            uint256 seg = p.segments[tao.getGame(gid).round];
            vm.prank(challenger);
            g = gasleft();
            tao.select(gid, seg);
            g -= gasleft();
            if (g > r.selectMax) r.selectMax = g;
            r.totalTx += tx_ + _tx(g, abi.encodeCall(tao.select, (gid, seg)));
            ++r.rounds;
        }
        (r.reveal, r.revealTx) = _reveal(gid, p);
        r.totalTx += r.revealTx;
        vm.roll(block.number + DRAW_DELAY + 1);
        g = gasleft();
        tao.drawPanel(gid);
        r.draw = g - gasleft();
        r.totalTx += _tx(r.draw, abi.encodeCall(tao.drawPanel, (gid)));
        address[] memory panel = tao.panelOf(gid);
        for (uint256 i; i < panel.length; ++i) {
            bytes32 h = tao.voteHash(gid, panel[i], false, 2, saltOf(gid, panel[i]));
            vm.prank(panel[i]);
            g = gasleft();
            tao.commitVote(gid, h);
            g -= gasleft();
            if (g > r.commit) r.commit = g;
            r.totalTx += _tx(g, abi.encodeCall(tao.commitVote, (gid, h)));
        }
        vm.warp(block.timestamp + VOTE + 1);
        for (uint256 i; i < panel.length; ++i) {
            bytes32 salt = saltOf(gid, panel[i]);
            vm.prank(panel[i]);
            g = gasleft();
            tao.revealVote(gid, false, 2, salt);
            g -= gasleft();
            if (g > r.reveal_) r.reveal_ = g;
            r.totalTx += _tx(g, abi.encodeCall(tao.revealVote, (gid, false, 2, salt)));
        }
        vm.warp(block.timestamp + VOTE + 1);
        g = gasleft();
        tao.resolveVote(gid);
        r.resolve = g - gasleft();
        r.totalTx += _tx(r.resolve, abi.encodeCall(tao.resolveVote, (gid)));
        uint256 other = postResult(p);
        vm.warp(block.timestamp + WINDOW + 1);
        g = gasleft();
        tao.finalize(other);
        r.finalize = g - gasleft();
        _write(k, n, r);
    }

    /// The leaf reveal: (execution gas, transaction gas).
    function _reveal(uint256 gid, Plan memory p) internal returns (uint256 exec, uint256 txGas) {
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        bytes32[2] memory roots = rootPair(p);
        bytes32[] memory parent = lastChildren[gid];
        bytes memory data = abi.encodeCall(tao.revealLeaf, (gid, op, opProof, ins, insProofs, roots, parent));
        vm.prank(provider);
        uint256 g = gasleft();
        tao.revealLeaf(gid, op, opProof, ins, insProofs, roots, parent);
        exec = g - gasleft();
        txGas = _tx(exec, data);
    }

    function _write(uint256 k, uint256 n, Row memory r) internal {
        string memory line = string.concat(
            "| ", vm.toString(k), " | ", vm.toString(n), " | ", vm.toString(r.rounds), " | ", vm.toString(r.open)
        );
        line = string.concat(
            line, " | ", vm.toString(r.bisectMax), " | ", vm.toString(r.bisectTx), " | ", vm.toString(r.selectMax)
        );
        line = string.concat(line, " | ", vm.toString(r.reveal), " | ", vm.toString(r.revealTx), " | ");
        line = string.concat(
            line, vm.toString(r.draw), " | ", vm.toString(r.commit), " | ", vm.toString(r.reveal_), " | "
        );
        line = string.concat(line, vm.toString(r.resolve), " | ", vm.toString(r.finalize), " | ");
        line = string.concat(line, vm.toString(r.totalTx), " |\n");
        vm.writeFile(string.concat("gas/dispute-", vm.toString(k), "-", vm.toString(n), ".md"), line);
    }

    function test_gas_k2_n1e3() public {
        _measure(2, 1000);
    }

    function test_gas_k4_n1e3() public {
        _measure(4, 1000);
    }

    function test_gas_k8_n1e3() public {
        _measure(8, 1000);
    }

    function test_gas_k2_n1e6() public {
        _measure(2, 1_000_000);
    }

    function test_gas_k8_n1e6() public {
        _measure(8, 1_000_000);
    }

    /// The budget the design promises: a provider move stays under 100k gas (whole tx) at k = 4, n = 1e6.
    function test_gas_k4_n1e6_providerMoveUnder100k() public {
        Row memory r = _measure(4, 1_000_000);
        assertLe(r.bisectTx, 100_000, "provider move tx gas at k=4, n=1e6");
    }
}
