// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {StakingLayout} from "../staking/StakingLayout.sol";

/**
 * @title StakingLib
 * @notice The storage and the accounting of `Staking` (see its NatSpec and `docs/staking.md`).
 * @dev Internal functions hold the paths that gas budgets cover (stake, delegate, unbond, claim, and the
 * notification of each epoch's rewards) and are compiled into `Staking`. External functions hold the
 * rest (registration, commission, slashing, redelegation, withdrawals, views) and run by DELEGATECALL
 * in Staking's storage, which keeps Staking under the 24 KiB code limit. Only `Staking` may call them
 * meaningfully: called directly, a library acts on its own (empty) storage. Overriders must keep every
 * reward computed from stake at an epoch's end and every rounding in favour of the pools.
 */
library StakingLib {
    using Checkpoints for Checkpoints.Trace208;
    using SafeCast for uint256;

    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    /// @notice 100% in basis points.
    uint256 internal constant BPS = 10_000;
    /// @notice The most unbond requests an account may have pending at once.
    uint256 internal constant MAX_UNBOND_REQUESTS = 32;
    /// @dev The scale of the cumulative reward-per-token index.
    uint256 private constant _INDEX_SCALE = 1e27;
    /// @dev The scale of recorded tokens-per-share.
    uint256 private constant _TPS_SCALE = 1e18;

    // keccak256(abi.encode(uint256(keccak256("depin.storage.Staking")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_LOCATION = 0x55c6028ae2e317ccde059f61853e93ef134b4f6fcba3f48a0b006f0bcc90de00;

    function _layout() internal pure returns (StakingLayout.Layout storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }

    // ─── External (linked) functions: the paths no gas budget covers ─────────────────────────

    /// @dev `Staking.registerOperator` for `account`.
    function registerOperator(address account, uint16 commissionBps) external {
        StakingLayout.Layout storage s = _layout();
        if (s.operatorIdOf[account] != 0) revert IStaking.OperatorAlreadyRegistered(account);
        if (commissionBps > BPS) revert IStaking.InvalidCommission(commissionBps);
        StakingLayout.Position memory p = s.positions[account];
        if (p.shares > 0 && p.generation == s.operators[p.operatorId].bondedGeneration) {
            revert IStaking.StakedWithAnotherOperator(account, s.operators[p.operatorId].account);
        }
        uint32 id = s.operatorCount + 1;
        s.operatorCount = id;
        s.operatorIdOf[account] = id;
        StakingLayout.Operator storage o = s.operators[id];
        uint256 epoch = _epochAt(s, block.timestamp);
        o.account = account;
        o.commissionSettled = epoch.toUint32();
        o.initialCommissionBps = commissionBps;
        o.commission.push(epoch.toUint48(), commissionBps);
        // A zero checkpoint at registration: the first stake then pays for an update, not a new array.
        o.stake.push(_boundary(s).toUint48(), 0);
        // An operator's position points at itself from now on.
        _replacePosition(s, account, p, id, 0, 0);
        emit IStaking.OperatorRegistered(account, id, commissionBps);
    }

    /// @dev `Staking.setCommission` for `account`.
    function setCommission(address account, uint16 commissionBps) external {
        StakingLayout.Layout storage s = _layout();
        uint32 id = _operatorId(s, account);
        if (commissionBps > BPS) revert IStaking.InvalidCommission(commissionBps);
        StakingLayout.Operator storage o = s.operators[id];
        uint256 epoch = _epochAt(s, block.timestamp);
        uint256 current = o.commission.upperLookupRecent(epoch.toUint48());
        uint256 step = commissionBps > current ? commissionBps - current : current - commissionBps;
        if (step > s.maxCommissionStepBps) {
            revert IStaking.CommissionStepTooLarge(current, commissionBps, s.maxCommissionStepBps);
        }
        // A change already scheduled for the next epoch is replaced (same key).
        o.commission.push((epoch + 1).toUint48(), commissionBps);
        o.commissionChanged = true;
        emit IStaking.CommissionChangeScheduled(account, commissionBps, epoch + 1);
    }

    /// @dev `Staking.redelegate` for `account`.
    function redelegate(address account, address newOperator) external {
        StakingLayout.Layout storage s = _layout();
        if (s.operatorIdOf[account] != 0) revert IStaking.OperatorCannotDelegate(account);
        uint32 newId = _operatorId(s, newOperator);
        StakingLayout.Position memory p = s.positions[account];
        if (p.operatorId == newId) revert IStaking.SameOperator(newOperator);
        StakingLayout.Operator storage old = s.operators[p.operatorId];
        uint256 amount = _positionTokens(old, p);
        if (amount > 0) _unbond(s, account, amount);
        // Point the (now empty) position at the new operator; the next delegation bonds there.
        p = s.positions[account];
        _replacePosition(s, account, p, newId, s.operators[newId].bondedGeneration, 0);
        emit IStaking.Redelegated(account, old.account, newOperator, amount);
    }

    /// @dev `Staking.rebond` for `account`.
    function rebond(address account, uint256 index) external {
        StakingLayout.Layout storage s = _layout();
        IStaking.UnbondRequest[] storage requests = s.unbonds[account];
        if (index >= requests.length) revert IStaking.UnbondRequestNotFound(index);
        IStaking.UnbondRequest memory r = requests[index];
        // An operator stakes only on itself: a request it made as a delegator, before it registered, is
        // withdrawn, never rebonded (that would point the operator's position at another operator).
        uint32 own = s.operatorIdOf[account];
        if (own != 0 && own != r.operatorId) revert IStaking.OperatorCannotDelegate(account);
        StakingLayout.Position memory p = s.positions[account];
        StakingLayout.Operator storage o = s.operators[r.operatorId];
        if (
            p.operatorId != r.operatorId && p.shares > 0 && p.generation == s.operators[p.operatorId].bondedGeneration
        ) {
            revert IStaking.RebondToAnotherOperator(o.account, s.operators[p.operatorId].account);
        }
        uint256 amount = _releaseUnbond(s, o, r);
        _removeRequest(requests, index);
        if (amount == 0) revert IStaking.ZeroAmount();
        _bond(s, account, r.operatorId, amount, false);
        emit IStaking.Rebonded(account, o.account, amount);
    }

    /// @dev Takes `account`'s matured unbond requests out of their pools; returns what to pay.
    function withdrawMatured(address account) external returns (uint256 paid) {
        StakingLayout.Layout storage s = _layout();
        IStaking.UnbondRequest[] storage requests = s.unbonds[account];
        uint256 count = 0;
        uint256 i = 0;
        while (i < requests.length) {
            IStaking.UnbondRequest memory r = requests[i];
            if (r.maturity > block.timestamp) {
                // Cannot overflow: i < requests.length <= MAX_UNBOND_REQUESTS.
                unchecked {
                    ++i;
                }
                continue;
            }
            paid += _releaseUnbond(s, s.operators[r.operatorId], r);
            _removeRequest(requests, i);
            // Cannot overflow: at most MAX_UNBOND_REQUESTS requests.
            unchecked {
                ++count;
            }
        }
        emit IStaking.Withdrawn(account, paid, count);
    }

    /// @dev `Staking.slash`; returns the amount to burn.
    function slash(address operator, uint256 bps, bytes32 evidenceHash) external returns (uint256) {
        if (bps == 0 || bps > BPS) revert IStaking.InvalidSlashBps(bps);
        StakingLayout.Layout storage s = _layout();
        StakingLayout.Operator storage o = s.operators[_operatorId(s, operator)];
        uint256 bonded = o.bondedTokens;
        uint256 unbonding = o.unbondingTokens;
        uint256 epoch = _epochAt(s, block.timestamp);
        uint256 bondedCut;
        uint256 unbondingCut;
        if (bps == BPS) {
            bondedCut = bonded;
            unbondingCut = unbonding;
            // Void every share of both pools: a new generation of each starts empty.
            o.generationEnd[o.bondedGeneration] = epoch;
            ++o.bondedGeneration;
            ++o.unbondingGeneration;
            o.bondedTokens = 0;
            o.bondedShares = 0;
            o.unbondingTokens = 0;
            o.unbondingShares = 0;
        } else {
            bondedCut = (bonded * bps) / BPS;
            unbondingCut = (unbonding * bps) / BPS;
            o.bondedTokens = uint128(bonded - bondedCut);
            o.unbondingTokens = uint128(unbonding - unbondingCut);
            if (o.bondedShares > 0) {
                o.slashed = true;
                o.tokensPerShare.push(epoch.toUint48(), uint208(((bonded - bondedCut) * _TPS_SCALE) / o.bondedShares));
            }
        }
        // The cut is part of the operator's unbonding pool, which `totalUnbonding` includes.
        s.totalUnbonding -= uint128(unbondingCut);
        _recordStake(s, o, bonded - bondedCut, bonded, false, epoch);
        emit IStaking.Slashed(operator, bps, evidenceHash, bondedCut, unbondingCut);
        return bondedCut + unbondingCut;
    }

    /// @dev `Staking.accrueCommission` for operator `id`.
    function accrueCommission(uint32 id, uint256 maxSegments) external {
        StakingLayout.Layout storage s = _layout();
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

    /// @dev `Staking.claimable`.
    function claimable(address account) external view returns (uint256 amount) {
        StakingLayout.Layout storage s = _layout();
        StakingLayout.Account memory acc = s.accounts[account];
        uint256 settledTo = s.nextRewardEpoch;
        amount = acc.rewards;
        for (uint256 i = acc.historyStart; i < acc.historyEnd; ++i) {
            StakingLayout.Segment memory seg = s.history[account][i];
            if (seg.fromEpoch >= settledTo) break;
            uint256 to = Math.min(seg.toEpoch, settledTo);
            amount += _segmentRewards(s, seg.operatorId, seg.generation, seg.shares, seg.fromEpoch, to);
        }
        StakingLayout.Position memory p = s.positions[account];
        if (p.shares > 0) {
            uint256 from = Math.max(p.fromEpoch, p.settledEpoch);
            amount += _segmentRewards(s, p.operatorId, p.generation, p.shares, from, settledTo);
        }
        uint32 id = s.operatorIdOf[account];
        if (id != 0) {
            (uint256 commission, ) = _commissionOwed(s, s.operators[id], type(uint256).max);
            amount += commission;
        }
    }

    /// @dev `Staking.unbondRequests`.
    function unbondRequests(
        address account
    ) external view returns (IStaking.UnbondRequest[] memory requests, uint256[] memory amounts) {
        StakingLayout.Layout storage s = _layout();
        requests = s.unbonds[account];
        amounts = new uint256[](requests.length);
        for (uint256 i = 0; i < requests.length; ++i) {
            amounts[i] = _unbondValue(s.operators[requests[i].operatorId], requests[i]);
        }
    }

    /// @dev `Staking.operatorInfo`.
    function operatorInfo(address operator) external view returns (IStaking.OperatorInfo memory info) {
        StakingLayout.Layout storage s = _layout();
        uint32 id = _operatorId(s, operator);
        StakingLayout.Operator storage o = s.operators[id];
        info.id = id;
        info.commissionBps = uint16(o.commission.upperLookupRecent(_epochAt(s, block.timestamp).toUint48()));
        info.bondedTokens = o.bondedTokens;
        info.bondedShares = o.bondedShares;
        info.unbondingTokens = o.unbondingTokens;
        info.unbondingShares = o.unbondingShares;
        StakingLayout.Position memory p = s.positions[operator];
        if (p.operatorId == id) info.selfStake = _positionTokens(o, p);
    }

    // ─── Internal: notifications ──────────────────────────────────────────────────────────────

    /**
     * @dev `Staking.notifyRewards`, compiled into Staking: the RewardsDistributor's `distributeEpoch`
     * calls it every epoch, under a gas budget. It reads four cold words of the layout (the first, the
     * reserve's, the unbonding one and the newest total-stake checkpoint with its length) and the
     * cumulative index of `epoch`, and writes the index of `epoch + 1`, the reserve and the next epoch.
     * Returns what it did not take: all of `amount` when nothing was staked at the epoch's end (the caller
     * sends it back), so that no stake can collect the epochs before it (no race to stake first).
     */
    function _notifyRewards(
        StakingLayout.Layout storage s,
        uint256 epoch,
        uint256 amount
    ) internal returns (uint256 returned) {
        uint256 expected = s.nextRewardEpoch;
        if (epoch != expected) revert IStaking.EpochNotNext(epoch, expected);
        uint256 endsAt = uint256(s.genesis) + (epoch + 1) * s.epochLength;
        if (block.timestamp < endsAt) revert IStaking.EpochNotEnded(epoch, endsAt);
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
                total = previous._key <= endsAt ? previous._value : _valueAt(s.totalStake, endsAt);
            }
        }
        uint256 perToken = 0;
        if (total == 0) {
            returned = amount;
        } else {
            perToken = Math.mulDiv(amount, _INDEX_SCALE, total);
            s.rewardReserve += amount.toUint128();
        }
        s.cumulative[epoch + 1] = s.cumulative[epoch] + perToken;
        s.nextRewardEpoch = (epoch + 1).toUint32();
        emit IStaking.RewardsNotified(epoch, amount, total, returned);
    }

    // ─── Internal: stake ──────────────────────────────────────────────────────────────────────

    /**
     * @dev Bonds `amount` to operator `id` for `account` (the caller moves the tokens). With
     * `asDelegator`, refuses an operator, whose position always points at itself.
     */
    function _bond(
        StakingLayout.Layout storage s,
        address account,
        uint32 id,
        uint256 amount,
        bool asDelegator
    ) internal {
        if (amount == 0) revert IStaking.ZeroAmount();
        StakingLayout.Operator storage o = s.operators[id];
        StakingLayout.Position memory p = s.positions[account];
        uint32 generation = o.bondedGeneration;
        uint256 held = 0;
        if (p.operatorId != 0) {
            StakingLayout.Operator storage current = s.operators[p.operatorId];
            if (asDelegator && current.account == account) revert IStaking.OperatorCannotDelegate(account);
            if (p.shares > 0 && p.generation == current.bondedGeneration) {
                if (p.operatorId != id) revert IStaking.StakedWithAnotherOperator(account, current.account);
                held = p.shares;
            }
        }

        (uint256 minted, uint256 tokens) = _mintBonded(s, o, amount);
        uint256 epoch = _replacePosition(s, account, p, id, generation, held + minted);
        _recordStake(s, o, tokens + amount, tokens, true, epoch);
        emit IStaking.Staked(account, o.account, amount, minted);
    }

    /// @dev Adds `amount` to `o`'s bonded pool; returns the shares minted and the pool's tokens before.
    function _mintBonded(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 amount
    ) internal returns (uint256 minted, uint256 tokens) {
        tokens = o.bondedTokens;
        uint256 shares = o.bondedShares;
        if (shares == 0) {
            // An empty pool restarts at one token per share.
            minted = amount;
            if (o.tokensPerShare.length() > 0 && o.tokensPerShare.latest() != _TPS_SCALE) {
                o.tokensPerShare.push(_epochAt(s, block.timestamp).toUint48(), uint208(_TPS_SCALE));
            }
        } else {
            minted = (amount * shares) / tokens;
        }
        if (minted == 0) revert IStaking.ZeroShares(amount);
        // Cannot exceed 128 bits: tokens are part of the token's supply, capped below 2**128.
        o.bondedTokens = uint128(tokens + amount);
        o.bondedShares = (shares + minted).toUint128();
    }

    /// @dev Moves `amount` of `account`'s bonded stake into its operator's unbonding pool.
    function _unbond(StakingLayout.Layout storage s, address account, uint256 amount) internal {
        if (amount == 0) revert IStaking.ZeroAmount();
        StakingLayout.Position memory p = s.positions[account];
        StakingLayout.Operator storage o = s.operators[p.operatorId];
        uint256 available = _positionTokens(o, p);
        if (amount > available) revert IStaking.InsufficientStake(amount, available);
        uint256 tokens = o.bondedTokens;
        uint256 burned;
        {
            uint256 shares = o.bondedShares;
            burned = Math.mulDiv(amount, shares, tokens, Math.Rounding.Ceil);
            // The last holder of the pool takes what rounding left in it.
            if (burned == shares) amount = tokens;
            o.bondedTokens = uint128(tokens - amount);
            o.bondedShares = uint128(shares - burned);
        }
        _enterUnbonding(s, o, account, p.operatorId, amount);
        uint256 remaining = p.shares - burned;
        uint256 epoch = _replacePosition(s, account, p, p.operatorId, p.generation, remaining);
        _recordStake(s, o, tokens - amount, tokens, false, epoch);
    }

    /// @dev Adds `amount` to operator `o`'s unbonding pool as a new request of `account`.
    function _enterUnbonding(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        address account,
        uint32 id,
        uint256 amount
    ) internal {
        IStaking.UnbondRequest[] storage requests = s.unbonds[account];
        if (requests.length >= MAX_UNBOND_REQUESTS) revert IStaking.TooManyUnbondRequests(MAX_UNBOND_REQUESTS);
        uint256 uTokens = o.unbondingTokens;
        uint256 uShares = o.unbondingShares;
        uint256 minted = uShares == 0 ? amount : (amount * uShares) / uTokens;
        o.unbondingTokens = (uTokens + amount).toUint128();
        o.unbondingShares = (uShares + minted).toUint128();
        s.totalUnbonding = (s.totalUnbonding + amount).toUint128();
        uint256 maturity = block.timestamp + s.unbondingPeriod;
        requests.push(
            IStaking.UnbondRequest({
                operatorId: id,
                generation: o.unbondingGeneration,
                maturity: uint64(maturity),
                shares: minted.toUint128()
            })
        );
        emit IStaking.Unbonded(account, o.account, amount, minted, maturity);
    }

    /// @dev Takes request `r` out of its operator's unbonding pool and returns its value.
    function _releaseUnbond(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        IStaking.UnbondRequest memory r
    ) internal returns (uint256 amount) {
        if (r.generation != o.unbondingGeneration) return 0;
        uint256 uShares = o.unbondingShares;
        uint256 uTokens = o.unbondingTokens;
        amount = (uint256(r.shares) * uTokens) / uShares;
        // The last request of the pool takes what rounding left in it.
        if (r.shares == uShares) amount = uTokens;
        o.unbondingShares = uint128(uShares - r.shares);
        o.unbondingTokens = uint128(uTokens - amount);
        // `amount` is at most the pool's tokens, which `totalUnbonding` includes.
        s.totalUnbonding -= uint128(amount);
    }

    function _removeRequest(IStaking.UnbondRequest[] storage requests, uint256 index) internal {
        uint256 last = requests.length - 1;
        if (index != last) requests[index] = requests[last];
        requests.pop();
    }

    /**
     * @dev Writes the operator's and the total's stake checkpoints after a change from `before` to
     * `tokens`. Both are keyed by the end of the current epoch: every change of an epoch lands in one
     * checkpoint, the stake at that epoch's end, which is also the stake in force from then on.
     */
    function _recordStake(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 tokens,
        uint256 before,
        bool increase,
        uint256 epoch
    ) internal {
        uint48 key = (uint256(s.genesis) + (epoch + 1) * s.epochLength).toUint48();
        o.stake.push(key, uint208(tokens));
        uint256 total = s.totalStake.latest();
        s.totalStake.push(key, uint208(increase ? total + (tokens - before) : total - (before - tokens)));
    }

    /**
     * @dev Replaces `account`'s position `p` (already settled by `_settleInto`). Shares that still await
     * a notification for epochs before the current one move to the account's history.
     */
    function _replacePosition(
        StakingLayout.Layout storage s,
        address account,
        StakingLayout.Position memory p,
        uint32 id,
        uint32 generation,
        uint256 shares
    ) internal returns (uint256 epoch) {
        epoch = _epochAt(s, block.timestamp);
        StakingLayout.Position memory next = StakingLayout.Position({
            operatorId: id,
            generation: generation,
            fromEpoch: uint32(epoch),
            settledEpoch: 0,
            shares: shares.toUint128()
        });
        (StakingLayout.Account memory acc, bool accDirty) = _settleInto(s, account, p);
        _writePosition(s, account, acc, accDirty, p, next);
    }

    /// @dev Writes `next` over the settled position `p`, moving `p`'s unsettled epochs to the history.
    function _writePosition(
        StakingLayout.Layout storage s,
        address account,
        StakingLayout.Account memory acc,
        bool accDirty,
        StakingLayout.Position memory p,
        StakingLayout.Position memory next
    ) internal {
        uint256 epoch = next.fromEpoch;
        uint256 from = Math.max(p.fromEpoch, p.settledEpoch);
        if (p.shares > 0 && from < epoch) {
            s.history[account][acc.historyEnd] = StakingLayout.Segment({
                operatorId: p.operatorId,
                generation: p.generation,
                fromEpoch: uint32(from),
                toEpoch: uint32(epoch),
                shares: p.shares
            });
            ++acc.historyEnd;
            accDirty = true;
        }
        if (accDirty) s.accounts[account] = acc;
        next.settledEpoch = p.settledEpoch;
        s.positions[account] = next;
    }

    // ─── Internal: rewards ────────────────────────────────────────────────────────────────────

    /// @dev `_settle`, with what was earned added to the account's unclaimed rewards.
    function _settleInto(
        StakingLayout.Layout storage s,
        address account,
        StakingLayout.Position memory p
    ) internal returns (StakingLayout.Account memory acc, bool accDirty) {
        uint256 earned;
        (earned, acc, accDirty) = _settle(s, account, p);
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
    function _settle(
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
    ) internal view returns (uint256 earned) {
        StakingLayout.Operator storage o = s.operators[id];
        if (generation != o.bondedGeneration) to = Math.min(to, o.generationEnd[generation]);
        if (from >= to) return 0;
        if (!o.commissionChanged && !o.slashed) {
            // One commission, one token per share: a single stretch.
            return
                Math.mulDiv(
                    shares * (BPS - o.initialCommissionBps),
                    s.cumulative[to] - s.cumulative[from],
                    BPS * _INDEX_SCALE
                );
        }
        StakingLayout.RateCursor memory w;
        (w.hasC, w.ci) = _indexAt(o.commission, from);
        (w.hasT, w.ti) = _indexAt(o.tokensPerShare, from);
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
    ) internal view returns (uint256) {
        uint256 c = w.hasC ? o.commission.at(uint32(w.ci))._value : 0;
        uint256 tps = w.hasT ? o.tokensPerShare.at(uint32(w.ti))._value : _TPS_SCALE;
        uint256 tokens = Math.mulDiv(shares, tps, _TPS_SCALE);
        return Math.mulDiv(tokens * (BPS - c), delta, BPS * _INDEX_SCALE);
    }

    /**
     * @dev The commission operator `o` earned since `commissionSettled`, over at most `maxSegments`
     * stretches of constant stake, and the epoch it is then accrued through.
     */
    function _commissionOwed(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 maxSegments
    ) internal view returns (uint256 owed, uint256 e) {
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
    ) internal view returns (uint256 owed, uint256 next) {
        (bool found, uint256 idx) = _indexAt(o.stake, uint256(s.genesis) + (e + 1) * s.epochLength);
        uint256 tokens = found ? o.stake.at(uint32(idx))._value : 0;
        next = settledTo;
        uint256 following = found ? idx + 1 : 0;
        // A checkpoint keyed by the end of epoch `k` is the stake at the end of `k`: it applies from `k` on.
        if (following < o.stake.length()) next = Math.min(next, _epochAt(s, o.stake.at(uint32(following))._key) - 1);
        if (tokens > 0) owed = _commissionOver(s, o, tokens, e, next);
    }

    /// @dev The commission on `tokens` of stake held over epochs `[from, to)`.
    function _commissionOver(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 tokens,
        uint256 from,
        uint256 to
    ) internal view returns (uint256 owed) {
        (, uint256 ci) = _indexAt(o.commission, from);
        uint256 cLen = o.commission.length();
        uint256 e = from;
        while (e < to) {
            uint256 c = o.commission.at(uint32(ci))._value;
            uint256 next = to;
            if (ci + 1 < cLen) next = Math.min(next, o.commission.at(uint32(ci + 1))._key);
            if (c > 0) owed += Math.mulDiv(tokens * c, s.cumulative[next] - s.cumulative[e], BPS * _INDEX_SCALE);
            if (ci + 1 < cLen && o.commission.at(uint32(ci + 1))._key == next) ++ci;
            e = next;
        }
    }

    // ─── Internal: helpers ────────────────────────────────────────────────────────────────────

    /// @dev The index of the last checkpoint whose key is at most `key`, if any (binary search, last first).
    /**
     * @dev The value of the last checkpoint of `trace` at or before `key`, 0 when there is none: what
     * `upperLookupRecent` returns, through `_indexAt`, which the claim path compiles into Staking anyway.
     */
    function _valueAt(Checkpoints.Trace208 storage trace, uint256 key) internal view returns (uint256) {
        (bool found, uint256 index) = _indexAt(trace, key);
        return found ? trace.at(uint32(index))._value : 0;
    }

    function _indexAt(Checkpoints.Trace208 storage trace, uint256 key) internal view returns (bool, uint256) {
        uint256 len = trace.length();
        if (len == 0) return (false, 0);
        if (trace.at(uint32(len - 1))._key <= key) return (true, len - 1);
        uint256 low = 0;
        uint256 high = len - 1;
        while (low < high) {
            uint256 mid = Math.average(low, high);
            if (trace.at(uint32(mid))._key > key) high = mid;
            else low = mid + 1;
        }
        return low == 0 ? (false, 0) : (true, low - 1);
    }

    function _positionTokens(
        StakingLayout.Operator storage o,
        StakingLayout.Position memory p
    ) internal view returns (uint256) {
        if (p.shares == 0 || p.generation != o.bondedGeneration) return 0;
        return (uint256(p.shares) * o.bondedTokens) / o.bondedShares;
    }

    function _unbondValue(
        StakingLayout.Operator storage o,
        IStaking.UnbondRequest memory r
    ) internal view returns (uint256) {
        if (r.generation != o.unbondingGeneration) return 0;
        if (r.shares == o.unbondingShares) return o.unbondingTokens;
        return (uint256(r.shares) * o.unbondingTokens) / o.unbondingShares;
    }

    function _operatorId(StakingLayout.Layout storage s, address operator) internal view returns (uint32 id) {
        id = s.operatorIdOf[operator];
        if (id == 0) revert IStaking.NotAnOperator(operator);
    }

    /// @dev The end of the current epoch: the key of this epoch's stake checkpoints.
    function _boundary(StakingLayout.Layout storage s) internal view returns (uint256) {
        return uint256(s.genesis) + (_epochAt(s, block.timestamp) + 1) * s.epochLength;
    }

    function _epochAt(StakingLayout.Layout storage s, uint256 timestamp) internal view returns (uint256) {
        uint256 genesis = s.genesis;
        if (timestamp < genesis) return 0;
        return (timestamp - genesis) / s.epochLength;
    }

    function _setParams(StakingLayout.Layout storage s, IStaking.StakingParams calldata newParams) internal {
        if (newParams.unbondingPeriod == 0 || newParams.maxCommissionStepBps > BPS) {
            revert IStaking.InvalidParams(newParams.unbondingPeriod, newParams.maxCommissionStepBps);
        }
        s.unbondingPeriod = newParams.unbondingPeriod;
        s.maxCommissionStepBps = newParams.maxCommissionStepBps;
        emit IStaking.ParamsUpdated(newParams.unbondingPeriod, newParams.maxCommissionStepBps);
    }
}
