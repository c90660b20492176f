// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {IStakingLens} from "../interfaces/IStakingLens.sol";
import {CommissionLib} from "../libraries/CommissionLib.sol";
import {EpochClockLib} from "../libraries/EpochClockLib.sol";
import {RewardIndexLib} from "../libraries/RewardIndexLib.sol";
import {StakePoolLib} from "../libraries/StakePoolLib.sol";
import {StakingStateLib} from "../libraries/StakingStateLib.sol";
import {StakingLayout} from "./StakingLayout.sol";

/**
 * @title StakingLens
 * @notice Staking's heavy views (`claimable`, `unbondRequests`, `operatorStakeAt`, `totalStakeAt`),
 * served outside Staking so they cost it no code: a stateless contract, deployed once per Staking,
 * that reads Staking's storage through `extsload` (`StakingStateLib`), as Uniswap v4's `StateView`.
 * @dev Why these four: each loops, searches checkpoints or computes a pending amount, and no contract
 * of the suite calls it on chain (`operatorInfo`, `rewardReserve` and `totalUnbonding`, which the
 * invariant lens calls, and the cheap getters stay on Staking). The walks below follow
 * `RewardIndexLib` and `CommissionLib` step by step and share their formulas (`rewardsOn`,
 * `commissionOn`, `StakePoolLib.tokensOf` and `unbondValue`), so `claimable` is what `claimRewards`
 * pays; the staking tests compare the two. Not upgradeable and holding nothing: after an upgrade of
 * Staking that changes its layout, deploy a new lens. Overriders must never write to Staking.
 */
contract StakingLens is IStakingLens {
    using SafeCast for uint256;
    using StakingStateLib for IStaking;
    using StakingStateLib for StakingStateLib.Trace;

    /// @dev A walk over an operator's commission and tokens-per-share checkpoints.
    struct Walk {
        StakingStateLib.Trace commission;
        StakingStateLib.Trace tps;
        StakingLayout.RateCursor w;
    }

    /// @dev A walk over an operator's stake checkpoints, accruing its commission.
    struct Accrual {
        StakingStateLib.Trace stakes;
        StakingStateLib.Trace commission;
        uint256 genesis;
        uint256 epochLength;
        uint256 settledTo;
    }

    /// @inheritdoc IStakingLens
    IStaking public immutable staking;

    /// @param staking_ The Staking proxy to read.
    constructor(IStaking staking_) {
        staking = staking_;
    }

    /// @inheritdoc IStakingLens
    function claimable(address account) external view returns (uint256 amount) {
        (uint256 genesis, uint256 epochLength, uint256 settledTo) = staking.clock();
        StakingLayout.Account memory acc = staking.accountRecord(account);
        amount = acc.rewards;
        for (uint256 i = acc.historyStart; i < acc.historyEnd; ++i) {
            StakingLayout.Segment memory seg = staking.segment(account, i);
            if (seg.fromEpoch >= settledTo) break;
            uint256 to = Math.min(seg.toEpoch, settledTo);
            amount += _segmentRewards(seg.operatorId, seg.generation, seg.shares, seg.fromEpoch, to);
        }
        StakingLayout.Position memory p = staking.position(account);
        if (p.shares > 0) {
            uint256 from = Math.max(p.fromEpoch, p.settledEpoch);
            amount += _segmentRewards(p.operatorId, p.generation, p.shares, from, settledTo);
        }
        uint32 id = staking.operatorIdOf(account);
        if (id != 0) amount += _commissionOwed(id, genesis, epochLength, settledTo);
    }

    /// @inheritdoc IStakingLens
    function unbondRequests(
        address account
    ) external view returns (IStaking.UnbondRequest[] memory requests, uint256[] memory amounts) {
        requests = staking.unbondRequests(account);
        amounts = new uint256[](requests.length);
        for (uint256 i = 0; i < requests.length; ++i) {
            StakingStateLib.OperatorState memory o = staking.operatorState(requests[i].operatorId);
            if (requests[i].generation != o.unbondingGeneration) continue;
            amounts[i] = StakePoolLib.unbondValue(requests[i].shares, o.unbondingTokens, o.unbondingShares);
        }
    }

    /// @inheritdoc IStakingLens
    function operatorStakeAt(address operator, uint256 timestamp) external view returns (uint256) {
        uint32 id = staking.operatorIdOf(operator);
        if (id == 0) return 0;
        return staking.stakeTrace(id).valueAt(timestamp.toUint48());
    }

    /// @inheritdoc IStakingLens
    function totalStakeAt(uint256 timestamp) external view returns (uint256) {
        return staking.totalStakeTrace().valueAt(timestamp.toUint48());
    }

    // ─── Private: RewardIndexLib's segment walk ───────────────────────────────────────────────

    /// @dev As `RewardIndexLib`: what `shares` of operator `id`'s pool earned over `[from, to)`, net.
    function _segmentRewards(
        uint32 id,
        uint32 generation,
        uint256 shares,
        uint256 from,
        uint256 to
    ) private view returns (uint256 earned) {
        StakingStateLib.OperatorState memory o = staking.operatorState(id);
        if (generation != o.bondedGeneration) to = Math.min(to, staking.generationEnd(id, generation));
        if (from >= to) return 0;
        if (!o.commissionChanged && !o.slashed) {
            // One commission, one token per share: a single stretch.
            uint256 delta = staking.cumulative(to) - staking.cumulative(from);
            return RewardIndexLib.rewardsOn(shares, o.initialCommissionBps, delta);
        }
        Walk memory k;
        k.commission = staking.commissionTrace(id);
        k.tps = staking.tokensPerShareTrace(id);
        (k.w.hasC, k.w.ci) = k.commission.indexAt(from);
        (k.w.hasT, k.w.ti) = k.tps.indexAt(from);
        k.w.cLen = k.commission.length;
        k.w.tLen = k.tps.length;
        uint256 e = from;
        uint256 cumAtE = staking.cumulative(e);
        while (e < to) {
            uint256 next = Math.min(to, _nextChange(k));
            uint256 cumAtNext = staking.cumulative(next);
            earned += _netRewards(k, shares, cumAtNext - cumAtE);
            _advance(k, next);
            (e, cumAtE) = (next, cumAtNext);
        }
    }

    /// @dev The key of the next commission or tokens-per-share checkpoint after the cursor (max if none).
    function _nextChange(Walk memory k) private view returns (uint256 next) {
        next = type(uint256).max;
        uint256 nc = k.w.hasC ? k.w.ci + 1 : 0;
        uint256 nt = k.w.hasT ? k.w.ti + 1 : 0;
        if (nc < k.w.cLen) (next, ) = k.commission.at(nc);
        if (nt < k.w.tLen) {
            (uint256 key, ) = k.tps.at(nt);
            next = Math.min(next, key);
        }
    }

    /// @dev Moves the cursor onto the checkpoints keyed `next`.
    function _advance(Walk memory k, uint256 next) private view {
        uint256 nc = k.w.hasC ? k.w.ci + 1 : 0;
        uint256 nt = k.w.hasT ? k.w.ti + 1 : 0;
        if (nc < k.w.cLen) {
            (uint256 key, ) = k.commission.at(nc);
            if (key == next) (k.w.hasC, k.w.ci) = (true, nc);
        }
        if (nt < k.w.tLen) {
            (uint256 key, ) = k.tps.at(nt);
            if (key == next) (k.w.hasT, k.w.ti) = (true, nt);
        }
    }

    /// @dev As `RewardIndexLib`: what `shares` earn, net of commission, for an index increase of `delta`.
    function _netRewards(Walk memory k, uint256 shares, uint256 delta) private view returns (uint256) {
        uint256 c = 0;
        uint256 tokensPerShare = StakePoolLib.TPS_SCALE;
        if (k.w.hasC) (, c) = k.commission.at(k.w.ci);
        if (k.w.hasT) (, tokensPerShare) = k.tps.at(k.w.ti);
        return RewardIndexLib.rewardsOn(StakePoolLib.tokensOf(shares, tokensPerShare), c, delta);
    }

    // ─── Private: CommissionLib's accrual walk ────────────────────────────────────────────────

    /// @dev As `CommissionLib`: the commission operator `id` earned since `commissionSettled`.
    function _commissionOwed(
        uint32 id,
        uint256 genesis,
        uint256 epochLength,
        uint256 settledTo
    ) private view returns (uint256 owed) {
        Accrual memory a = Accrual({
            stakes: staking.stakeTrace(id),
            commission: staking.commissionTrace(id),
            genesis: genesis,
            epochLength: epochLength,
            settledTo: settledTo
        });
        uint256 e = staking.operatorState(id).commissionSettled;
        while (e < settledTo) {
            (uint256 part, uint256 next) = _commissionStep(a, e);
            owed += part;
            e = next;
        }
    }

    /// @dev As `CommissionLib`: one stretch of constant stake from epoch `e`, its commission and the epoch after.
    function _commissionStep(Accrual memory a, uint256 e) private view returns (uint256 owed, uint256 next) {
        (bool found, uint256 idx) = a.stakes.indexAt(EpochClockLib.endOf(a.genesis, a.epochLength, e));
        uint256 tokens = 0;
        if (found) (, tokens) = a.stakes.at(idx);
        next = a.settledTo;
        uint256 following = found ? idx + 1 : 0;
        // A checkpoint keyed by the end of epoch `k` is the stake at the end of `k`: it applies from `k` on.
        if (following < a.stakes.length) {
            (uint256 key, ) = a.stakes.at(following);
            next = Math.min(next, EpochClockLib.endedEpochs(a.genesis, a.epochLength, key) - 1);
        }
        if (tokens > 0) owed = _commissionOver(a.commission, tokens, e, next);
    }

    /// @dev As `CommissionLib`: the commission on `tokens` of stake held over epochs `[from, to)`.
    function _commissionOver(
        StakingStateLib.Trace memory commission,
        uint256 tokens,
        uint256 from,
        uint256 to
    ) private view returns (uint256 owed) {
        (, uint256 ci) = commission.indexAt(from);
        uint256 e = from;
        while (e < to) {
            (, uint256 c) = commission.at(ci);
            uint256 next = to;
            uint256 nextKey = type(uint256).max;
            if (ci + 1 < commission.length) (nextKey, ) = commission.at(ci + 1);
            next = Math.min(next, nextKey);
            if (c > 0) owed += CommissionLib.commissionOn(tokens, c, staking.cumulative(next) - staking.cumulative(e));
            if (nextKey == next) ++ci;
            e = next;
        }
    }
}
