// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {StakingLayout} from "../staking/StakingLayout.sol";
import {CheckpointSearchLib} from "./CheckpointSearchLib.sol";
import {EpochClockLib} from "./EpochClockLib.sol";
import {StakePoolLib} from "./StakePoolLib.sol";

/**
 * @title RewardIndexLib
 * @notice Staking's rewards: the cumulative reward-per-token index that each epoch's notification
 * extends, and the lazy settlement of positions and their history against it (see `Staking`'s
 * NatSpec and `docs/staking.md`).
 * @dev Internal functions only, compiled into `Staking` (notify and claim are budgeted) and into
 * `StakePoolLib` (every change of a position settles it first). `rewardsOn` is the one formula of a
 * position's rewards; `StakingLens` computes `claimable` with it. Callers must never break:
 * - `cumulative[e + 1] - cumulative[e]` is epoch `e`'s rewards per token of the stake at `end(e)`
 *   (scaled by `INDEX_SCALE`), written once, in epoch order, and never again;
 * - a position is settled (its `settledEpoch` moved to `nextRewardEpoch`) before its shares change, and
 *   shares earn only for epochs at whose end they were part of the stake;
 * - every reward is rounded down, so `rewardReserve` always covers what settlement credits.
 */
library RewardIndexLib {
    using Checkpoints for Checkpoints.Trace208;
    using SafeCast for uint256;

    /// @notice The scale of the cumulative reward-per-token index.
    uint256 internal constant INDEX_SCALE = 1e27;

    /**
     * @dev `Staking.notifyRewards`, compiled into Staking: the RewardsDistributor's `distributeEpoch`
     * calls it every epoch, under a gas budget. It reads four cold words of the layout (the first, the
     * reserve's, the unbonding one and the newest total-stake checkpoint with its length) and the
     * cumulative index of `epoch`, and writes the index of `epoch + 1`, the reserve and the next epoch.
     * Returns what it did not take: all of `amount` when nothing was staked at the epoch's end (the caller
     * sends it back), so that no stake can collect the epochs before it (no race to stake first).
     */
    function notifyRewards(
        StakingLayout.Layout storage s,
        uint256 epoch,
        uint256 amount
    ) internal returns (uint256 returned) {
        uint256 expected = s.nextRewardEpoch;
        if (epoch != expected) revert IStaking.EpochNotNext(epoch, expected);
        // `epoch` is the 32-bit counter: its end cannot overflow.
        uint256 endsAt = EpochClockLib.endOf(s.genesis, s.epochLength, epoch);
        if (block.timestamp < endsAt) revert IStaking.EpochNotOver(epoch, endsAt);
        (, uint256 latestKey, uint256 latestStake) = s.totalStake.latestCheckpoint();
        uint256 owed = latestStake + s.totalUnbonding + s.rewardReserve;
        uint256 balance = s.token.balanceOf(address(this));
        if (balance < owed + amount) {
            revert IStaking.RewardsNotFunded(amount, balance > owed ? balance - owed : 0);
        }

        uint256 total = latestStake;
        if (latestKey > endsAt) {
            // The stake changed after the epoch ended. When the notification comes during the next epoch,
            // as it does on a live network, the checkpoint before the newest is the epoch's: one read,
            // where a search would read several. Otherwise (a late notification) search.
            uint256 len = s.totalStake.length();
            total = 0;
            if (len > 1) {
                Checkpoints.Checkpoint208 memory previous = s.totalStake.at(uint32(len - 2));
                total = previous._key <= endsAt ? previous._value : CheckpointSearchLib.valueAt(s.totalStake, endsAt);
            }
        }
        uint256 perToken = 0;
        if (total == 0) {
            returned = amount;
        } else {
            perToken = Math.mulDiv(amount, INDEX_SCALE, total);
            s.rewardReserve += amount.toUint128();
        }
        s.cumulative[epoch + 1] = s.cumulative[epoch] + perToken;
        s.nextRewardEpoch = (epoch + 1).toUint32();
        emit IStaking.RewardsNotified(epoch, amount, total, returned);
    }

    /// @dev `settle`, with what was earned added to the account's unclaimed rewards.
    function settleInto(
        StakingLayout.Layout storage s,
        address account,
        StakingLayout.Position memory p
    ) internal returns (StakingLayout.Account memory acc, bool accDirty) {
        uint256 earned;
        (earned, acc, accDirty) = settle(s, account, p);
        if (earned > 0) {
            acc.rewards = (acc.rewards + earned).toUint128();
            accDirty = true;
        }
    }

    /**
     * @dev Settles `account` through the last notified epoch: returns what its history and its position
     * `p` earned (not yet credited) and its account record. Finished history segments are deleted;
     * `p.settledEpoch` advances in memory. The caller writes the account (when `accDirty`) and the
     * position. An account whose position never pointed at an operator has nothing to settle.
     */
    function settle(
        StakingLayout.Layout storage s,
        address account,
        StakingLayout.Position memory p
    ) internal returns (uint256 earned, StakingLayout.Account memory acc, bool accDirty) {
        if (p.operatorId == 0) return (0, acc, false);
        acc = s.accounts[account];
        uint256 settledTo = s.nextRewardEpoch;
        uint256 i = acc.historyStart;
        while (i < acc.historyEnd) {
            StakingLayout.Segment storage seg = s.history[account][i];
            uint256 from = seg.fromEpoch;
            if (from >= settledTo) break;
            uint256 to = seg.toEpoch;
            uint256 end = Math.min(to, settledTo);
            earned += _segmentRewards(s, seg.operatorId, seg.generation, seg.shares, from, end);
            accDirty = true;
            if (end < to) {
                seg.fromEpoch = uint32(end);
                break;
            }
            delete s.history[account][i];
            // Cannot overflow: i < historyEnd, a uint32.
            unchecked {
                ++i;
            }
        }
        acc.historyStart = uint32(i);
        if (p.shares > 0) {
            uint256 from = Math.max(p.fromEpoch, p.settledEpoch);
            if (from < settledTo) {
                earned += _segmentRewards(s, p.operatorId, p.generation, p.shares, from, settledTo);
            }
        }
        p.settledEpoch = uint32(settledTo);
    }

    /**
     * @dev What `tokens` of bonded stake earn, net of a commission of `commissionBps`, for an index
     * increase of `indexDelta`; rounded down.
     */
    function rewardsOn(uint256 tokens, uint256 commissionBps, uint256 indexDelta) internal pure returns (uint256) {
        return Math.mulDiv(tokens * (StakePoolLib.BPS - commissionBps), indexDelta, StakePoolLib.BPS * INDEX_SCALE);
    }

    /**
     * @dev What `shares` of operator `id`'s bonded pool (generation `generation`) earned, net of
     * commission, over epochs `[from, to)`, all of them notified.
     */
    function _segmentRewards(
        StakingLayout.Layout storage s,
        uint32 id,
        uint32 generation,
        uint256 shares,
        uint256 from,
        uint256 to
    ) private view returns (uint256 earned) {
        StakingLayout.Operator storage o = s.operators[id];
        if (generation != o.bondedGeneration) to = Math.min(to, o.generationEnd[generation]);
        if (from >= to) return 0;
        if (!o.commissionChanged && !o.slashed) {
            // One commission, one token per share: a single stretch.
            return rewardsOn(shares, o.initialCommissionBps, s.cumulative[to] - s.cumulative[from]);
        }
        StakingLayout.RateCursor memory w;
        (w.hasC, w.ci) = CheckpointSearchLib.indexAt(o.commission, from);
        (w.hasT, w.ti) = CheckpointSearchLib.indexAt(o.tokensPerShare, from);
        w.cLen = o.commission.length();
        w.tLen = o.tokensPerShare.length();
        uint256 e = from;
        uint256 cumAtE = s.cumulative[e];
        while (e < to) {
            uint256 next = to;
            uint256 nc = w.hasC ? w.ci + 1 : 0;
            uint256 nt = w.hasT ? w.ti + 1 : 0;
            if (nc < w.cLen) next = Math.min(next, o.commission.at(uint32(nc))._key);
            if (nt < w.tLen) next = Math.min(next, o.tokensPerShare.at(uint32(nt))._key);
            uint256 cumAtNext = s.cumulative[next];
            earned += _netRewards(o, w, shares, cumAtNext - cumAtE);
            if (nc < w.cLen && o.commission.at(uint32(nc))._key == next) (w.hasC, w.ci) = (true, nc);
            if (nt < w.tLen && o.tokensPerShare.at(uint32(nt))._key == next) (w.hasT, w.ti) = (true, nt);
            (e, cumAtE) = (next, cumAtNext);
        }
    }

    /// @dev What `shares` earn, net of commission, for an index increase of `delta` at cursor `w`.
    function _netRewards(
        StakingLayout.Operator storage o,
        StakingLayout.RateCursor memory w,
        uint256 shares,
        uint256 delta
    ) private view returns (uint256) {
        uint256 c = w.hasC ? o.commission.at(uint32(w.ci))._value : 0;
        uint256 tps = w.hasT ? o.tokensPerShare.at(uint32(w.ti))._value : StakePoolLib.TPS_SCALE;
        return rewardsOn(StakePoolLib.tokensOf(shares, tps), c, delta);
    }
}
