// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "../utils/Fixture.sol";
import {Game, Leaf, Phase} from "../../src/interfaces/TaoTypes.sol";

/// Gas of a whole dispute for k = 2, 4, 8 and n = 1,000 and 1,000,000 ops. Each row is written
/// to gas/dispute-<k>-<n>.md; "tx" adds the intrinsic cost (21,000 + calldata) to execution gas.
contract DisputeGasTest is Fixture {
    struct Row {
        uint256 open;
        uint256 bisectMax;
        uint256 bisectTx;
        uint256 selectMax;
        uint256 reveal;
        uint256 revealTx;
        uint256 vote;
        uint256 resolve;
        uint256 finalize;
        uint256 rounds;
        uint256 totalTx;
    }

    uint256 internal constant INTRINSIC = 21_000;

    function _calldataGas(bytes memory data) internal pure returns (uint256 g) {
        for (uint256 i; i < data.length; ++i) g += data[i] == 0 ? 4 : 16;
    }

    function _measure(uint256 k, uint256 n) internal returns (Row memory r) {
        deploy(uint8(k));
        joinAll();
        Plan memory p = makePlan(n, k, 42);
        uint256 id = postResult(p);
        uint256 g = gasleft();
        challengeJob(id);
        r.open = g - gasleft();
        r.totalTx += r.open + INTRINSIC + _calldataGas(abi.encodeCall(tao.challenge, (id)));
        while (tao.getGame(id).phase != Phase.ProviderReveal) {
            (Leaf[] memory cuts, bytes32[] memory proofs) = cutsFor(id, p);
            vm.prank(provider);
            g = gasleft();
            tao.bisect(id, cuts, proofs);
            g -= gasleft();
            uint256 tx_ = g + INTRINSIC + _calldataGas(abi.encodeCall(tao.bisect, (id, cuts, proofs)));
            if (tx_ > r.bisectTx) (r.bisectTx, r.bisectMax) = (tx_, g);
            uint256 seg = p.segments[tao.getGame(id).round];
            vm.prank(challenger);
            g = gasleft();
            tao.select(id, seg);
            g -= gasleft();
            if (g > r.selectMax) r.selectMax = g;
            r.totalTx += tx_ + g + INTRINSIC + _calldataGas(abi.encodeCall(tao.select, (id, seg)));
            ++r.rounds;
        }
        (Leaf memory op, bytes32[] memory opProof, Leaf[] memory ins, bytes32[] memory insProofs) = revealArgs(p);
        vm.prank(provider);
        g = gasleft();
        tao.revealLeaf(id, op, opProof, ins, insProofs);
        r.reveal = g - gasleft();
        r.revealTx = r.reveal + INTRINSIC
            + _calldataGas(abi.encodeCall(tao.revealLeaf, (id, op, opProof, ins, insProofs)));
        r.totalTx += r.revealTx;
        for (uint256 i; i < 3; ++i) {
            vm.prank(members[i]);
            g = gasleft();
            tao.vote(id, false, 2);
            g -= gasleft();
            if (g > r.vote) r.vote = g;
            r.totalTx += g + INTRINSIC + _calldataGas(abi.encodeCall(tao.vote, (id, false, 2)));
        }
        vm.warp(block.timestamp + VOTE + 1);
        g = gasleft();
        tao.resolveVote(id);
        r.resolve = g - gasleft();
        r.totalTx += r.resolve + INTRINSIC + _calldataGas(abi.encodeCall(tao.resolveVote, (id)));
        uint256 other = postResult(p);
        vm.warp(block.timestamp + WINDOW + 1);
        g = gasleft();
        tao.finalize(other);
        r.finalize = g - gasleft();
        _write(k, n, r);
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
            line, vm.toString(r.vote), " | ", vm.toString(r.resolve), " | ", vm.toString(r.finalize), " | "
        );
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
