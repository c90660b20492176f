// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {StakingLayout, StakingStorage} from "../staking/StakingLayout.sol";
import {CheckpointSearchLib} from "./CheckpointSearchLib.sol";
import {EpochClockLib} from "./EpochClockLib.sol";
import {RewardIndexLib} from "./RewardIndexLib.sol";
import {StakePoolLib} from "./StakePoolLib.sol";

/**
 * @title CommissionLib
 * @notice Operators' commission: its schedule (one checkpoint per epoch in which it changes) and its
 * accrual, `commission * operatorStake(e) * r(e)` per epoch, on the operator's whole active stake (see
 * `Staking`'s NatSpec and `docs/staking.md`).
 * @dev `setCommission` and `accrueCommission` are linked and run by DELEGATECALL in Staking's storage;
 * the internal functions compile into their callers. `commissionOn` is the one formula of commission;
 * `StakingLens` computes `claimable` with it. Callers must never break:
 * - a change takes effect at the next epoch, never the current one, and moves at most
 *   `maxCommissionStepBps` from the commission in effect;
 * - `commissionSettled` only moves forward, to at most `nextRewardEpoch`, and every epoch before it
 *   was accrued exactly once;
 * - commission is rounded down.
 */
library CommissionLib {
    using Checkpoints for Checkpoints.Trace208;
    using SafeCast for uint256;

    // ─── External (linked) functions ──────────────────────────────────────────────────────────

    /// @dev `Staking.setCommission` for `account`.
    function setCommission(address account, uint16 commissionBps) external {
        StakingLayout.Layout storage s = StakingStorage.getStorage();
        uint32 id = StakePoolLib.operatorId(s, account);
        if (commissionBps > StakePoolLib.BPS) revert IStaking.InvalidCommission(commissionBps);
        StakingLayout.Operator storage o = s.operators[id];
        uint256 epoch = EpochClockLib.endedEpochs(s.genesis, s.epochLength, block.timestamp);
        uint256 current = commissionAt(o, epoch);
        uint256 step = commissionBps > current ? commissionBps - current : current - commissionBps;
        if (step > s.maxCommissionStepBps) {
            revert IStaking.CommissionStepTooLarge(current, commissionBps, s.maxCommissionStepBps);
        }
        // A change already scheduled for the next epoch is replaced (same key).
        o.commission.push((epoch + 1).toUint48(), commissionBps);
        o.commissionChanged = true;
        emit IStaking.CommissionChangeScheduled(account, commissionBps, epoch + 1);
    }

    /// @dev `Staking.accrueCommission` for operator `id`.
    function accrueCommission(uint32 id, uint256 maxSegments) external {
        StakingLayout.Layout storage s = StakingStorage.getStorage();
        StakingLayout.Operator storage o = s.operators[id];
        (uint256 owed, uint256 through) = _commissionOwed(s, o, maxSegments);
        if (through == o.commissionSettled) return;
        o.commissionSettled = uint32(through);
        if (owed > 0) {
            StakingLayout.Account storage acc = s.accounts[o.account];
            acc.rewards = (acc.rewards + owed).toUint128();
        }
        emit IStaking.CommissionAccrued(o.account, owed, through);
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    /// @dev A new operator's commission: `commissionBps` from `epoch` on, accrued from `epoch`.
    function initCommission(StakingLayout.Operator storage o, uint256 epoch, uint16 commissionBps) internal {
        o.commissionSettled = epoch.toUint32();
        o.initialCommissionBps = commissionBps;
        o.commission.push(epoch.toUint48(), commissionBps);
    }

    /// @dev The commission of `o` in effect during `epoch`.
    function commissionAt(StakingLayout.Operator storage o, uint256 epoch) internal view returns (uint256) {
        return o.commission.upperLookupRecent(epoch.toUint48());
    }

    /// @dev The commission of `commissionBps` on `tokens` of stake for an index increase of `indexDelta`;
    /// rounded down.
    function commissionOn(uint256 tokens, uint256 commissionBps, uint256 indexDelta) internal pure returns (uint256) {
        return Math.mulDiv(tokens * commissionBps, indexDelta, StakePoolLib.BPS * RewardIndexLib.INDEX_SCALE);
    }

    // ─── Private ──────────────────────────────────────────────────────────────────────────────

    /**
     * @dev The commission operator `o` earned since `commissionSettled`, over at most `maxSegments`
     * stretches of constant stake, and the epoch it is then accrued through.
     */
    function _commissionOwed(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 maxSegments
    ) private view returns (uint256 owed, uint256 e) {
        uint256 settledTo = s.nextRewardEpoch;
        e = o.commissionSettled;
        for (uint256 n = 0; n < maxSegments && e < settledTo; ++n) {
            (uint256 part, uint256 next) = _commissionStep(s, o, e, settledTo);
            owed += part;
            e = next;
        }
    }

    /// @dev One stretch of constant stake from epoch `e`: its commission and the epoch after it.
    function _commissionStep(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 e,
        uint256 settledTo
    ) private view returns (uint256 owed, uint256 next) {
        uint256 genesis = s.genesis;
        uint256 epochLength = s.epochLength;
        (bool found, uint256 idx) = CheckpointSearchLib.indexAt(o.stake, EpochClockLib.endOf(genesis, epochLength, e));
        uint256 tokens = found ? o.stake.at(uint32(idx))._value : 0;
        next = settledTo;
        uint256 following = found ? idx + 1 : 0;
        // A checkpoint keyed by the end of epoch `k` is the stake at the end of `k`: it applies from `k` on.
        if (following < o.stake.length()) {
            uint256 key = o.stake.at(uint32(following))._key;
            next = Math.min(next, EpochClockLib.endedEpochs(genesis, epochLength, key) - 1);
        }
        if (tokens > 0) owed = _commissionOver(s, o, tokens, e, next);
    }

    /// @dev The commission on `tokens` of stake held over epochs `[from, to)`.
    function _commissionOver(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 tokens,
        uint256 from,
        uint256 to
    ) private view returns (uint256 owed) {
        (, uint256 ci) = CheckpointSearchLib.indexAt(o.commission, from);
        uint256 cLen = o.commission.length();
        uint256 e = from;
        while (e < to) {
            uint256 c = o.commission.at(uint32(ci))._value;
            uint256 next = to;
            if (ci + 1 < cLen) next = Math.min(next, o.commission.at(uint32(ci + 1))._key);
            if (c > 0) owed += commissionOn(tokens, c, s.cumulative[next] - s.cumulative[e]);
            if (ci + 1 < cLen && o.commission.at(uint32(ci + 1))._key == next) ++ci;
            e = next;
        }
    }
}
