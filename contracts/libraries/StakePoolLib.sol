// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {StakingLayout, StakingStorage} from "../staking/StakingLayout.sol";
import {CommissionLib} from "./CommissionLib.sol";
import {EpochClockLib} from "./EpochClockLib.sol";
import {RewardIndexLib} from "./RewardIndexLib.sol";

/**
 * @title StakePoolLib
 * @notice Staking's stake: operators, their bonded and unbonding pools of shares, positions, unbond
 * requests, slashing and the stake checkpoints (see `Staking`'s NatSpec and `docs/staking.md`).
 * @dev `bond`, `unbond` and `operatorId` are internal: they are on the paths gas budgets cover (stake,
 * delegate, unbond) and compile into `Staking`. The external functions (registration, redelegation,
 * rebond, withdrawal, slash, `operatorInfo`) are linked and run by DELEGATECALL in Staking's storage,
 * which keeps Staking under the 24 KiB limit; called directly, they act on the library's own, empty,
 * storage. Callers and overriders must never break:
 * - a pool's tokens per share only go down (slashes); shares are minted down and burned up, so
 *   rounding leaves tokens in the pool, never takes them from it;
 * - every change of a position first settles it (`RewardIndexLib.settleInto`), so shares never earn
 *   for an epoch in which they were not part of the stake at the epoch's end;
 * - every change of an operator's bonded tokens writes its stake checkpoint and the total's, keyed by
 *   the end of the current epoch (`EpochClockLib.endOf`);
 * - `totalUnbonding` is the sum of every unbonding pool's tokens;
 * - a 100% slash starts a new generation of both pools, and shares of an old generation are void.
 */
library StakePoolLib {
    using Checkpoints for Checkpoints.Trace208;
    using SafeCast for uint256;

    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    /// @notice 100% in basis points.
    uint256 internal constant BPS = 10_000;
    /// @notice The most unbond requests an account may have pending at once.
    uint256 internal constant MAX_UNBOND_REQUESTS = 32;
    /// @notice The scale of recorded tokens per share.
    uint256 internal constant TPS_SCALE = 1e18;

    // ─── External (linked) functions ──────────────────────────────────────────────────────────

    /// @dev `Staking.registerOperator` for `account`.
    function registerOperator(address account, uint16 commissionBps) external {
        StakingLayout.Layout storage s = StakingStorage.getStorage();
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
        uint256 epoch = EpochClockLib.endedEpochs(s.genesis, s.epochLength, block.timestamp);
        o.account = account;
        CommissionLib.initCommission(o, epoch, commissionBps);
        // A zero checkpoint at registration: the first stake then pays for an update, not a new array.
        o.stake.push(EpochClockLib.endOf(s.genesis, s.epochLength, epoch).toUint48(), 0);
        // An operator's position points at itself from now on.
        _replacePosition(s, account, p, id, 0, 0);
        emit IStaking.OperatorRegistered(account, id, commissionBps);
    }

    /// @dev `Staking.redelegate` for `account`.
    function redelegate(address account, address newOperator) external {
        StakingLayout.Layout storage s = StakingStorage.getStorage();
        if (s.operatorIdOf[account] != 0) revert IStaking.OperatorCannotDelegate(account);
        uint32 newId = operatorId(s, newOperator);
        StakingLayout.Position memory p = s.positions[account];
        if (p.operatorId == newId) revert IStaking.SameOperator(newOperator);
        StakingLayout.Operator storage old = s.operators[p.operatorId];
        uint256 amount = positionTokens(old, p);
        if (amount > 0) unbond(s, account, amount);
        // Point the (now empty) position at the new operator; the next delegation bonds there.
        p = s.positions[account];
        _replacePosition(s, account, p, newId, s.operators[newId].bondedGeneration, 0);
        emit IStaking.Redelegated(account, old.account, newOperator, amount);
    }

    /// @dev `Staking.rebond` for `account`.
    function rebond(address account, uint256 index) external {
        StakingLayout.Layout storage s = StakingStorage.getStorage();
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
        bond(s, account, r.operatorId, amount, false);
        emit IStaking.Rebonded(account, o.account, amount);
    }

    /// @dev Takes `account`'s matured unbond requests out of their pools; returns what to pay.
    function withdrawMatured(address account) external returns (uint256 paid) {
        StakingLayout.Layout storage s = StakingStorage.getStorage();
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
        StakingLayout.Layout storage s = StakingStorage.getStorage();
        StakingLayout.Operator storage o = s.operators[operatorId(s, operator)];
        uint256 bonded = o.bondedTokens;
        uint256 unbonding = o.unbondingTokens;
        uint256 epoch = EpochClockLib.endedEpochs(s.genesis, s.epochLength, block.timestamp);
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
                o.tokensPerShare.push(epoch.toUint48(), uint208(((bonded - bondedCut) * TPS_SCALE) / o.bondedShares));
            }
        }
        // The cut is part of the operator's unbonding pool, which `totalUnbonding` includes.
        s.totalUnbonding -= uint128(unbondingCut);
        _recordStake(s, o, bonded - bondedCut, bonded, false, epoch);
        emit IStaking.Slashed(operator, bps, evidenceHash, bondedCut, unbondingCut);
        return bondedCut + unbondingCut;
    }

    /// @dev `Staking.operatorInfo`.
    function operatorInfo(address operator) external view returns (IStaking.OperatorInfo memory info) {
        StakingLayout.Layout storage s = StakingStorage.getStorage();
        uint32 id = operatorId(s, operator);
        StakingLayout.Operator storage o = s.operators[id];
        info.id = id;
        info.commissionBps = uint16(
            CommissionLib.commissionAt(o, EpochClockLib.endedEpochs(s.genesis, s.epochLength, block.timestamp))
        );
        info.bondedTokens = o.bondedTokens;
        info.bondedShares = o.bondedShares;
        info.unbondingTokens = o.unbondingTokens;
        info.unbondingShares = o.unbondingShares;
        StakingLayout.Position memory p = s.positions[operator];
        if (p.operatorId == id) info.selfStake = positionTokens(o, p);
    }

    // ─── Internal: the budgeted paths ─────────────────────────────────────────────────────────

    /**
     * @dev Bonds `amount` to operator `id` for `account` (the caller moves the tokens). With
     * `asDelegator`, refuses an operator, whose position always points at itself.
     */
    function bond(
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

    /// @dev Moves `amount` of `account`'s bonded stake into its operator's unbonding pool.
    function unbond(StakingLayout.Layout storage s, address account, uint256 amount) internal {
        if (amount == 0) revert IStaking.ZeroAmount();
        StakingLayout.Position memory p = s.positions[account];
        StakingLayout.Operator storage o = s.operators[p.operatorId];
        uint256 available = positionTokens(o, p);
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

    // ─── Internal: reads ──────────────────────────────────────────────────────────────────────

    /// @dev The id of `operator`; reverts with `NotAnOperator` when it is not registered.
    function operatorId(StakingLayout.Layout storage s, address operator) internal view returns (uint32 id) {
        id = s.operatorIdOf[operator];
        if (id == 0) revert IStaking.NotAnOperator(operator);
    }

    /// @dev What position `p` holds of `o`'s bonded pool now, in tokens (0 for a voided generation).
    function positionTokens(
        StakingLayout.Operator storage o,
        StakingLayout.Position memory p
    ) internal view returns (uint256) {
        if (p.shares == 0 || p.generation != o.bondedGeneration) return 0;
        return (uint256(p.shares) * o.bondedTokens) / o.bondedShares;
    }

    /// @dev What `shares` of an unbonding pool of `poolTokens` over `poolShares` are worth: the pool's last
    /// shares take what rounding left in it, as `withdraw` pays them.
    function unbondValue(uint256 shares, uint256 poolTokens, uint256 poolShares) internal pure returns (uint256) {
        if (shares == poolShares) return poolTokens;
        return (shares * poolTokens) / poolShares;
    }

    /// @dev `shares` of a bonded pool at `tokensPerShare` (scaled by `TPS_SCALE`), in tokens, rounded down.
    function tokensOf(uint256 shares, uint256 tokensPerShare) internal pure returns (uint256) {
        return Math.mulDiv(shares, tokensPerShare, TPS_SCALE);
    }

    // ─── Private ──────────────────────────────────────────────────────────────────────────────

    /// @dev Adds `amount` to `o`'s bonded pool; returns the shares minted and the pool's tokens before.
    function _mintBonded(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        uint256 amount
    ) private returns (uint256 minted, uint256 tokens) {
        tokens = o.bondedTokens;
        uint256 shares = o.bondedShares;
        if (shares == 0) {
            // An empty pool restarts at one token per share.
            minted = amount;
            if (o.tokensPerShare.length() > 0 && o.tokensPerShare.latest() != TPS_SCALE) {
                uint256 epoch = EpochClockLib.endedEpochs(s.genesis, s.epochLength, block.timestamp);
                o.tokensPerShare.push(epoch.toUint48(), uint208(TPS_SCALE));
            }
        } else {
            minted = (amount * shares) / tokens;
        }
        if (minted == 0) revert IStaking.ZeroShares(amount);
        // Cannot exceed 128 bits: tokens are part of the token's supply, capped below 2**128.
        o.bondedTokens = uint128(tokens + amount);
        o.bondedShares = (shares + minted).toUint128();
    }

    /// @dev Adds `amount` to operator `o`'s unbonding pool as a new request of `account`.
    function _enterUnbonding(
        StakingLayout.Layout storage s,
        StakingLayout.Operator storage o,
        address account,
        uint32 id,
        uint256 amount
    ) private {
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
    ) private returns (uint256 amount) {
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

    function _removeRequest(IStaking.UnbondRequest[] storage requests, uint256 index) private {
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
    ) private {
        uint48 key = EpochClockLib.endOf(s.genesis, s.epochLength, epoch).toUint48();
        o.stake.push(key, uint208(tokens));
        uint256 total = s.totalStake.latest();
        s.totalStake.push(key, uint208(increase ? total + (tokens - before) : total - (before - tokens)));
    }

    /**
     * @dev Replaces `account`'s position `p` after settling it. Shares that still await a notification
     * for epochs before the current one move to the account's history. Returns the current epoch.
     */
    function _replacePosition(
        StakingLayout.Layout storage s,
        address account,
        StakingLayout.Position memory p,
        uint32 id,
        uint32 generation,
        uint256 shares
    ) private returns (uint256 epoch) {
        epoch = EpochClockLib.endedEpochs(s.genesis, s.epochLength, block.timestamp);
        StakingLayout.Position memory next = StakingLayout.Position({
            operatorId: id,
            generation: generation,
            fromEpoch: uint32(epoch),
            settledEpoch: 0,
            shares: shares.toUint128()
        });
        (StakingLayout.Account memory acc, bool accDirty) = RewardIndexLib.settleInto(s, account, p);
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
    ) private {
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
}
