// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Fixture} from "./utils/Fixture.sol";
import {ITaoErrors} from "../src/interfaces/ITaoErrors.sol";
import {ITaoEvents} from "../src/interfaces/ITaoEvents.sol";
import {TaoCoordinator} from "../src/TaoCoordinator.sol";
import {Config, Job, JobStatus, Model} from "../src/interfaces/TaoTypes.sol";

/// Registry and the optimistic path: request, cancel, submit, finalize, withdraw.
contract JobsTest is Fixture {
    bytes32 internal constant MODEL = keccak256("model");

    function setUp() public {
        deploy(4);
        vm.prank(provider);
        tao.registerModel(MODEL, keccak256("graph"), 10, keccak256("profile"));
    }

    function _request() internal returns (uint256 id) {
        vm.prank(client);
        id = tao.requestJob{value: FEE}(MODEL, keccak256("in"), address(0));
    }

    function _submit(uint256 id) internal {
        vm.prank(provider);
        tao.submitResult{value: PBOND}(id, keccak256("out"), keccak256("root"), 10);
    }

    function test_badConfigReverts() public {
        vm.expectRevert(ITaoErrors.BadConfig.selector);
        newCoordinator(config(1));
        vm.expectRevert(ITaoErrors.BadConfig.selector);
        newCoordinator(config(17));
    }

    /// Each parameter one step outside its range is refused on its own (the others valid).
    function test_configRejectsEachFieldJustOutOfRange() public {
        Config[] memory bad = new Config[](17);
        for (uint256 i; i < bad.length; ++i) bad[i] = config(4);
        bad[0].arity = 1;
        bad[1].arity = 17;
        bad[2].challengeWindow = 0;
        bad[3].moveTimeout = 0;
        bad[4].voteWindow = 0;
        bad[5].unbondingPeriod = 2 * VOTE - 1;
        bad[6].providerBond = 0;
        bad[7].challengerBond = 0;
        bad[8].memberStake = 0;
        bad[9].quorum = 0;
        bad[10].voterRewardBps = 10_001;
        bad[11].slashBps = 10_001;
        bad[12].panelSize = 0;
        bad[13].panelSize = 1025;
        bad[14].quorum = bad[14].panelSize + 1;
        bad[15].drawDelay = 0;
        bad[16].drawDelay = 256;
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(ITaoErrors.BadConfig.selector);
            newCoordinator(bad[i]);
        }
    }

    /// The edges of every range deploy, and each parameter lands in its own getter (distinct
    /// values, so two swapped fields would show).
    function test_configAcceptsBoundaryValues() public {
        Config memory c = Config({
            arity: 2,
            challengeWindow: 1,
            moveTimeout: 2,
            voteWindow: 3,
            unbondingPeriod: 6,
            providerBond: 7,
            challengerBond: 8,
            memberStake: 9,
            quorum: 1,
            voterRewardBps: 10_000,
            slashBps: 9_999,
            panelSize: 1,
            drawDelay: 255
        });
        TaoCoordinator t = newCoordinator(c);
        assertEq(t.arity(), 2, "arity");
        assertEq(t.challengeWindow(), 1, "challenge window");
        assertEq(t.moveTimeout(), 2, "move timeout");
        assertEq(t.voteWindow(), 3, "vote window");
        assertEq(t.unbondingPeriod(), 6, "unbonding = 2 vote windows");
        assertEq(t.providerBond(), 7, "provider bond");
        assertEq(t.challengerBond(), 8, "challenger bond");
        assertEq(t.memberStake(), 9, "member stake");
        assertEq(t.quorum(), 1, "quorum");
        assertEq(t.voterRewardBps(), 10_000, "voter reward bps");
        assertEq(t.slashBps(), 9_999, "slash bps");
        assertEq(t.panelSize(), 1, "panel size = quorum");
        assertEq(t.drawDelay(), 255, "longest draw delay");
        (c.arity, c.voterRewardBps, c.slashBps, c.panelSize, c.drawDelay) = (16, 0, 10_000, 1024, 1);
        t = newCoordinator(c);
        assertEq(t.arity(), 16, "largest arity");
        assertEq(t.panelSize(), 1024, "largest panel");
        assertEq(t.slashBps(), 10_000, "whole stake slashable");
    }

    /// The tests compile with the legacy pipeline, but the coordinator they deploy is the IR
    /// build from out/, the bytecode the deploy script and the devnets use (the legacy build is
    /// over EIP-170's limit). The fast profile builds everything legacy, so it skips this.
    function test_testsDeployTheIrBuild() public {
        vm.skip(fastProfile(), "the fast profile has no IR build");
        string memory artifact = vm.readFile(COORDINATOR_ARTIFACT);
        bytes memory runtime = vm.parseJsonBytes(artifact, ".deployedBytecode.object");
        assertEq(address(tao).code.length, runtime.length, "runtime size of the IR build");
        assertTrue(address(tao).code.length <= 24_576, "runtime code within EIP-170");
    }

    function test_registerModel() public view {
        Model memory m = tao.getModel(MODEL);
        assertEq(m.owner, provider, "owner");
        assertEq(m.opCount, 10, "op count");
        assertEq(m.graphHash, keccak256("graph"), "graph");
        assertEq(m.profileHash, keccak256("profile"), "profile");
    }

    function test_registerModelEmits() public {
        vm.expectEmit(true, true, false, true, address(tao));
        emit ITaoEvents.ModelRegistered(bytes32("m2"), address(this), bytes32("g"), 5, bytes32("p"));
        tao.registerModel(bytes32("m2"), bytes32("g"), 5, bytes32("p"));
    }

    function test_registerTwiceReverts() public {
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ModelExists.selector, MODEL));
        tao.registerModel(MODEL, 0, 1, 0);
    }

    function test_registerZeroOpsReverts() public {
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.BadOpCount.selector, 0));
        tao.registerModel(bytes32("z"), 0, 0, 0);
    }

    function test_updateProfile() public {
        vm.prank(provider);
        tao.updateProfile(MODEL, bytes32("p2"));
        assertEq(tao.getModel(MODEL).profileHash, bytes32("p2"), "profile updated");
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotModelOwner.selector, MODEL));
        vm.prank(outsider);
        tao.updateProfile(MODEL, bytes32("p3"));
    }

    function test_requestJob() public {
        uint256 id = _request();
        Job memory j = tao.getJob(id);
        assertEq(id, 1, "first id");
        assertEq(j.client, client, "client");
        assertEq(j.fee, FEE, "fee");
        assertEq(uint256(j.status), uint256(JobStatus.Requested), "status");
        assertEq(j.opCount, 10, "op count copied from model");
        assertEq(address(tao).balance, FEE, "fee escrowed");
    }

    /// The fee is stored in 96 bits: the largest value that fits is taken whole, one wei more is refused.
    function test_feeAboveUint96Reverts() public {
        uint256 max = type(uint96).max;
        vm.deal(client, max + 1);
        vm.prank(client);
        vm.expectRevert(ITaoErrors.FeeTooLarge.selector);
        tao.requestJob{value: max + 1}(MODEL, 0, address(0));
        vm.prank(client);
        uint256 id = tao.requestJob{value: max}(MODEL, 0, address(0));
        assertEq(tao.getJob(id).fee, max, "largest fee kept whole");
    }

    function test_requestUnknownModelReverts() public {
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.UnknownModel.selector, bytes32("nope")));
        tao.requestJob(bytes32("nope"), 0, address(0));
    }

    function test_cancelJob() public {
        uint256 id = _request();
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotClient.selector, id));
        tao.cancelJob(id);
        vm.prank(client);
        tao.cancelJob(id);
        assertEq(uint256(tao.getJob(id).status), uint256(JobStatus.Cancelled), "cancelled");
        assertEq(tao.balanceOf(client), FEE, "fee back");
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyFinalized.selector, id));
        tao.cancelJob(id);
    }

    function test_submitResult() public {
        uint256 id = _request();
        _submit(id);
        Job memory j = tao.getJob(id);
        assertEq(uint256(j.status), uint256(JobStatus.Submitted), "submitted");
        assertEq(j.provider, provider, "provider");
        assertEq(j.traceRoot, keccak256("root"), "root");
        assertEq(j.challengeDeadline, block.timestamp + WINDOW, "window");
    }

    function test_submitRevertsOnWrongBondOpsProviderStatus() public {
        uint256 id = _request();
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongBond.selector, PBOND, 1));
        tao.submitResult{value: 1}(id, 0, 0, 10);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.OpCountMismatch.selector, 10, 9));
        tao.submitResult{value: PBOND}(id, 0, 0, 9);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.UnknownJob.selector, 99));
        tao.submitResult{value: PBOND}(99, 0, 0, 10);
        _submit(id);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongJobStatus.selector, id, JobStatus.Submitted));
        _submit(id);
    }

    function test_designatedProviderOnly() public {
        vm.prank(client);
        uint256 id = tao.requestJob{value: FEE}(MODEL, 0, provider);
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.NotDesignatedProvider.selector, id));
        tao.submitResult{value: PBOND}(id, 0, 0, 10);
        _submit(id);
    }

    function test_finalizeAfterWindowPaysProvider() public {
        uint256 id = _request();
        _submit(id);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ChallengeWindowOpen.selector, id));
        tao.finalize(id);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectEmit(true, false, false, true, address(tao));
        emit ITaoEvents.JobClosed(id, JobStatus.Accepted);
        tao.finalize(id);
        assertEq(tao.balanceOf(provider), FEE + PBOND, "fee + bond credited");
        uint256 before = provider.balance;
        vm.prank(provider);
        tao.withdraw();
        assertEq(provider.balance - before, FEE + PBOND, "withdrawn");
        assertEq(address(tao).balance, 0, "nothing left");
    }

    /// The deadline second still belongs to the window: finalize waits for the next one.
    function test_finalizeAtDeadlineIsStillInWindow() public {
        uint256 id = _request();
        _submit(id);
        vm.warp(tao.getJob(id).challengeDeadline);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.ChallengeWindowOpen.selector, id));
        tao.finalize(id);
        vm.warp(block.timestamp + 1);
        tao.finalize(id);
        assertEq(uint256(tao.getJob(id).status), uint256(JobStatus.Accepted), "accepted one second later");
    }

    function test_refinalizeReverts() public {
        uint256 id = _request();
        _submit(id);
        vm.warp(block.timestamp + WINDOW + 1);
        tao.finalize(id);
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.AlreadyFinalized.selector, id));
        tao.finalize(id);
    }

    function test_finalizeRequestedReverts() public {
        uint256 id = _request();
        vm.expectRevert(abi.encodeWithSelector(ITaoErrors.WrongJobStatus.selector, id, JobStatus.Requested));
        tao.finalize(id);
    }

    function test_withdrawNothingReverts() public {
        vm.expectRevert(ITaoErrors.NothingToWithdraw.selector);
        tao.withdraw();
    }

    function test_withdrawToRejectingReceiverReverts() public {
        Rejector r = new Rejector();
        vm.deal(address(r), 1 ether);
        vm.prank(address(r));
        tao.requestJob{value: 1 ether}(MODEL, 0, address(0));
        vm.prank(address(r));
        tao.cancelJob(2 - 1);
        vm.prank(address(r));
        vm.expectRevert(ITaoErrors.TransferFailed.selector);
        tao.withdraw();
        assertEq(tao.balanceOf(address(r)), 1 ether, "balance kept after failed transfer");
    }

    /// The guard is released when withdraw returns, so one transaction may withdraw twice.
    function test_withdrawGuardReleasedOnReturn() public {
        Repeater r = new Repeater(tao);
        vm.deal(address(r), 2 ether);
        r.requestCancelWithdrawTwice(MODEL);
        assertEq(address(r).balance, 2 ether, "both fees back in one transaction");
        assertEq(tao.balanceOf(address(r)), 0, "nothing left credited");
    }

    function test_reentrantWithdrawCannotDrain() public {
        Reenterer r = new Reenterer(tao);
        vm.deal(address(r), 1 ether);
        _request();
        r.requestAndCancel(MODEL);
        r.pull();
        assertEq(address(r).balance, 1 ether, "got its own fee once");
        assertEq(r.innerError(), ITaoErrors.Reentrancy.selector, "inner call hit the guard");
        assertEq(address(tao).balance, FEE, "client's fee still escrowed");
    }
}

contract Rejector {
    receive() external payable {
        revert("no");
    }
}

contract Reenterer {
    TaoCoordinator internal immutable tao;
    bytes4 public innerError;

    constructor(TaoCoordinator t) {
        tao = t;
    }

    function requestAndCancel(bytes32 model) external {
        uint256 id = tao.requestJob{value: 1 ether}(model, 0, address(0));
        tao.cancelJob(id);
    }

    function pull() external {
        tao.withdraw();
    }

    receive() external payable {
        try tao.withdraw() {} catch (bytes memory err) {
            innerError = bytes4(err);
        }
    }
}

contract Repeater {
    TaoCoordinator internal immutable tao;

    constructor(TaoCoordinator t) {
        tao = t;
    }

    function requestCancelWithdrawTwice(bytes32 model) external {
        for (uint256 i; i < 2; ++i) {
            uint256 id = tao.requestJob{value: 1 ether}(model, 0, address(0));
            tao.cancelJob(id);
            tao.withdraw();
        }
    }

    receive() external payable {}
}
