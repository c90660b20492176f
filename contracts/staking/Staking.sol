// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IRewardToken} from "../interfaces/IRewardToken.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {StakingLib} from "../libraries/StakingLib.sol";
import {StakingLayout} from "./StakingLayout.sol";

/**
 * @title Staking
 * @notice Operators stake on themselves, delegators stake behind them, and both share the stakers'
 * part of each epoch's emission. Unbonding stake waits a cooldown and stays slashable; slashed stake
 * is burned.
 *
 * @dev Design (see also `docs/staking.md`):
 *
 * - **Positions.** Every account holds at most one bonded position, with one operator: an operator's
 *   position is its self-stake, a delegator's is its delegation. A position holds *shares* of the
 *   operator's bonded pool (tokens, shares); a slash lowers the pool's tokens, so it cuts every
 *   position of the operator in the same proportion in O(1). Unbond requests hold shares of a second
 *   pool per operator, the unbonding pool, which a slash cuts in the same proportion. A 100% slash
 *   empties both pools and starts a new *generation* of each: shares of an old generation are void,
 *   so nobody keeps a claim on slashed stake and later stakers do not absorb it.
 * - **Epochs and checkpoints.** Epoch `e` covers `[genesis + e*L, genesis + (e+1)*L)` (the
 *   RewardToken's timing). A change made during epoch `k` is part of the stake *at the end of* `k`,
 *   which is what epoch `k`'s rewards are split by, so stake added after an epoch ended earns nothing
 *   of it. The stake checkpoints (per operator and in total) are keyed by the epoch's end,
 *   `end(k) = genesis + (k+1)*L`: every change of an epoch lands in one checkpoint, and
 *   `operatorStakeAt(op, t)` returns the stake as it stood at the last epoch end at or before `t`
 *   (stake takes effect at the epoch boundary). The epoch pipeline reads `operatorStakeAt(owner,
 *   end(e))` for epoch `e`.
 * - **Rewards.** `notifyRewards(e, amount)` comes once per epoch, in epoch order from epoch 0, after
 *   `e` ended, possibly many epochs later or several in one block. It reads the total stake at
 *   `end(e)` and adds `amount * 1e27 / totalStake` to a cumulative reward-per-token index,
 *   `cumulative[e + 1]`. When the total stake at `end(e)` is zero nobody earned the amount: it goes back
 *   to the notifier, which sends it to the treasury, so no one can win a race to stake first. There is no first-staker
 *   inflation: a donation to Staking changes no share price, since pools count what was bonded, not
 *   the balance, and a pool's tokens per share only ever go down (slashes).
 * - **Lazy, O(1) settlement.** A position earns, for epochs `[a, b)` in which its shares were
 *   constant, `shares * tokensPerShare * (1 - commission) * (cum[b] - cum[a])`. The operator's
 *   tokens-per-share and commission change only at slashes and commission changes (rare, recorded
 *   per epoch in two small checkpoint traces), so a claim reads a handful of slots. Because epochs
 *   may be notified late, a position that changes while its previous shares still await a
 *   notification pushes them to a short per-account history, settled once notified.
 * - **Commission.** An operator earns its commission on its whole active stake (its self-stake
 *   included, which is equivalent to "commission out of the delegators' part" plus the full share
 *   of its self-stake): `commission * operatorStake(e) * r(e)`. It is accrued by walking the
 *   operator's stake checkpoints, one segment per epoch that had a change, on the operator's claim
 *   or by anyone through `accrueCommission` (bounded). A change takes effect at the next epoch and
 *   moves at most `maxCommissionStepBps` from the commission in effect.
 * - **Rounding.** Every rounding favours the pools and the reserve: shares are minted down and
 *   burned up, recorded tokens-per-share is rounded down, rewards are rounded down. What rounding
 *   leaves behind stays in Staking.
 * - **No reentrancy guard.** The only external calls are to the RewardToken (no transfer hooks) and to
 *   `StakingLib` (this contract's own code, by DELEGATECALL); every function updates its state before
 *   it moves tokens, so a guard would add gas and nothing else.
 * - **Redelegation** is an unbond plus a delegation: `redelegate(newOperator)` unbonds the whole
 *   stake from the current operator (a normal unbond request: cooldown, earns nothing, slashable by
 *   that operator, and only that operator, until withdrawn) and points the position at the new
 *   operator, to which the account then delegates (fresh tokens, or the unbonded ones once
 *   withdrawn). The new delegation is slashable by the new operator only.
 * - **Pause.** The GUARDIAN pauses registering, staking, unbonding, redelegating, rebonding,
 *   commission changes and claims. Withdrawals of matured unbonds, slashes, notifications (so the
 *   RewardsDistributor never reverts) and commission accrual are never paused. ADMIN unpauses.
 * - **Code size.** The paths that gas budgets cover (stake, delegate, unbond, claim, notify) run in
 *   this contract; the rest runs in the linked library `StakingLib` by DELEGATECALL, on this contract's
 *   ERC-7201 storage (`StakingLayout`), to stay under the 24 KiB limit.
 *
 * Overriders must never let tokens leave other than by `withdraw`, `claimRewards` and the burn of
 * `slash`, and must keep every reward computed from stake at an epoch's end.
 */
contract Staking is IStaking, Initializable, AccessManagedUpgradeable, UUPSUpgradeable, StakingLayout {
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    /// @notice 100% in basis points.
    uint256 public constant BPS = StakingLib.BPS;
    /// @notice The most unbond requests an account may have pending at once.
    uint256 public constant MAX_UNBOND_REQUESTS = StakingLib.MAX_UNBOND_REQUESTS;

    // ─── Modifiers ────────────────────────────────────────────────────────────────────────────

    /// @dev The pause flag shares a slot with the token and the notified epoch, read anyway.
    modifier whenNotPaused() {
        if (StakingLib._layout().paused) revert EnforcedPause();
        _;
    }

    // ─── Constructor and initializer ──────────────────────────────────────────────────────────

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @param authority The suite's AccessManager.
     * @param rewardToken The RewardToken: the staked token, and the source of epoch timing.
     * @param initialParams The governed parameters.
     */
    function initialize(
        address authority,
        address rewardToken,
        StakingParams calldata initialParams
    ) external initializer {
        __AccessManaged_init(authority);
        StakingLayout.Layout storage s = StakingLib._layout();
        s.token = IERC20(rewardToken);
        s.genesis = IRewardToken(rewardToken).genesis().toUint32();
        s.epochLength = IRewardToken(rewardToken).epochLength().toUint24();
        // Epochs are notified in order from epoch 0: an epoch with no stake returns its share (see notifyRewards).
        StakingLib._setParams(s, initialParams);
    }

    // ─── Operator functions ───────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function registerOperator(uint16 commissionBps) external whenNotPaused {
        StakingLib.registerOperator(msg.sender, commissionBps);
    }

    /// @inheritdoc IStaking
    function setCommission(uint16 commissionBps) external whenNotPaused {
        StakingLib.setCommission(msg.sender, commissionBps);
    }

    // ─── Staker functions ─────────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function stake(uint256 amount) external whenNotPaused {
        StakingLayout.Layout storage s = StakingLib._layout();
        StakingLib._bond(s, msg.sender, StakingLib._operatorId(s, msg.sender), amount, false);
        s.token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStaking
    function delegate(address operator, uint256 amount) external whenNotPaused {
        StakingLayout.Layout storage s = StakingLib._layout();
        StakingLib._bond(s, msg.sender, StakingLib._operatorId(s, operator), amount, true);
        s.token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStaking
    function unbond(uint256 amount) external whenNotPaused {
        StakingLib._unbond(StakingLib._layout(), msg.sender, amount);
    }

    /// @inheritdoc IStaking
    function redelegate(address newOperator) external whenNotPaused {
        StakingLib.redelegate(msg.sender, newOperator);
    }

    /// @inheritdoc IStaking
    function rebond(uint256 index) external whenNotPaused {
        StakingLib.rebond(msg.sender, index);
    }

    /// @inheritdoc IStaking
    function withdraw() external returns (uint256 paid) {
        paid = StakingLib.withdrawMatured(msg.sender);
        if (paid > 0) StakingLib._layout().token.safeTransfer(msg.sender, paid);
    }

    /// @inheritdoc IStaking
    function claimRewards() external whenNotPaused returns (uint256 paid) {
        StakingLayout.Layout storage s = StakingLib._layout();
        StakingLayout.Position memory p = s.positions[msg.sender];
        // An operator's position points at itself: its claim includes its commission.
        if (p.operatorId != 0 && s.operators[p.operatorId].account == msg.sender) {
            StakingLib.accrueCommission(p.operatorId, type(uint256).max);
        }
        uint256 settledBefore = p.settledEpoch;
        (uint256 earned, StakingLayout.Account memory acc, bool accDirty) = StakingLib._settle(s, msg.sender, p);
        paid = earned + acc.rewards;
        if (acc.rewards > 0) {
            acc.rewards = 0;
            accDirty = true;
        }
        if (accDirty) s.accounts[msg.sender] = acc;
        if (p.settledEpoch != settledBefore) s.positions[msg.sender] = p;
        if (paid > 0) s.rewardReserve -= uint128(paid);
        emit RewardsClaimed(msg.sender, paid);
        if (paid > 0) s.token.safeTransfer(msg.sender, paid);
    }

    /// @inheritdoc IStaking
    function accrueCommission(address operator, uint256 maxSegments) external {
        StakingLib.accrueCommission(StakingLib._operatorId(StakingLib._layout(), operator), maxSegments);
    }

    // ─── Privileged functions ─────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function notifyRewards(uint256 epoch, uint256 amount) external restricted returns (uint256 returned) {
        returned = StakingLib._notifyRewards(StakingLib._layout(), epoch, amount);
        // No stake at the epoch's end: nobody earned the share, and it goes back to the notifier.
        if (returned != 0) StakingLib._layout().token.safeTransfer(msg.sender, returned);
    }

    /// @inheritdoc IStaking
    function slash(address operator, uint256 bps, bytes32 evidenceHash) external restricted {
        uint256 burned = StakingLib.slash(operator, bps, evidenceHash);
        if (burned > 0) ERC20Burnable(address(StakingLib._layout().token)).burn(burned);
    }

    /// @inheritdoc IStaking
    function setParams(StakingParams calldata newParams) external restricted {
        StakingLib._setParams(StakingLib._layout(), newParams);
    }

    /// @inheritdoc IStaking
    function pause() external restricted {
        StakingLayout.Layout storage s = StakingLib._layout();
        if (s.paused) revert EnforcedPause();
        s.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IStaking
    function unpause() external restricted {
        StakingLayout.Layout storage s = StakingLib._layout();
        if (!s.paused) revert ExpectedPause();
        s.paused = false;
        emit Unpaused(msg.sender);
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function paused() external view returns (bool) {
        return StakingLib._layout().paused;
    }

    /// @inheritdoc IStaking
    function operatorStakeAt(address operator, uint256 timestamp) external view returns (uint256) {
        StakingLayout.Layout storage s = StakingLib._layout();
        uint32 id = s.operatorIdOf[operator];
        if (id == 0) return 0;
        return StakingLib._valueAt(s.operators[id].stake, timestamp.toUint48());
    }

    /// @inheritdoc IStaking
    function totalStakeAt(uint256 timestamp) external view returns (uint256) {
        return StakingLib._valueAt(StakingLib._layout().totalStake, timestamp.toUint48());
    }

    /// @inheritdoc IStaking
    function stakeOf(address delegator, address operator) external view returns (uint256) {
        StakingLayout.Layout storage s = StakingLib._layout();
        StakingLayout.Position memory p = s.positions[delegator];
        uint32 id = s.operatorIdOf[operator];
        if (id == 0 || p.operatorId != id) return 0;
        return StakingLib._positionTokens(s.operators[id], p);
    }

    /// @inheritdoc IStaking
    function positionOf(address account) external view returns (address operator, uint256 shares) {
        StakingLayout.Layout storage s = StakingLib._layout();
        StakingLayout.Position memory p = s.positions[account];
        if (p.operatorId == 0) return (address(0), 0);
        StakingLayout.Operator storage o = s.operators[p.operatorId];
        return (o.account, p.generation == o.bondedGeneration ? p.shares : 0);
    }

    /// @inheritdoc IStaking
    function claimable(address account) external view returns (uint256) {
        return StakingLib.claimable(account);
    }

    /// @inheritdoc IStaking
    function unbondRequests(
        address account
    ) external view returns (UnbondRequest[] memory requests, uint256[] memory amounts) {
        return StakingLib.unbondRequests(account);
    }

    /// @inheritdoc IStaking
    function operatorInfo(address operator) external view returns (OperatorInfo memory) {
        return StakingLib.operatorInfo(operator);
    }

    /// @inheritdoc IStaking
    function operatorById(uint32 id) external view returns (address) {
        return StakingLib._layout().operators[id].account;
    }

    /// @inheritdoc IStaking
    function token() external view returns (address) {
        return address(StakingLib._layout().token);
    }

    /// @inheritdoc IStaking
    function params() external view returns (StakingParams memory) {
        StakingLayout.Layout storage s = StakingLib._layout();
        return StakingParams({unbondingPeriod: s.unbondingPeriod, maxCommissionStepBps: s.maxCommissionStepBps});
    }

    /// @inheritdoc IStaking
    function nextRewardEpoch() external view returns (uint256) {
        return StakingLib._layout().nextRewardEpoch;
    }

    /// @inheritdoc IStaking
    function rewardReserve() external view returns (uint256) {
        return StakingLib._layout().rewardReserve;
    }

    /// @inheritdoc IStaking
    function totalUnbonding() external view returns (uint256) {
        return StakingLib._layout().totalUnbonding;
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    /// @dev Upgrades are `restricted`: the deploy library wires `upgradeToAndCall` to UPGRADER.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}
}
