// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IRewardToken} from "../interfaces/IRewardToken.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {CommissionLib} from "../libraries/CommissionLib.sol";
import {EpochClockLib} from "../libraries/EpochClockLib.sol";
import {RewardIndexLib} from "../libraries/RewardIndexLib.sol";
import {StakePoolLib} from "../libraries/StakePoolLib.sol";
import {StakingLayout} from "./StakingLayout.sol";
import {SuitePausable} from "../utils/SuitePausable.sol";

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
 *   the lens's `operatorStakeAt(op, t)` returns the stake as it stood at the last epoch end at or before
 *   `t` (stake takes effect at the epoch boundary). The epoch pipeline reads `operatorStakeAt(owner,
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
 *   the linked `StakePoolLib` and `CommissionLib` (this contract's own code, by DELEGATECALL); every
 *   function updates its state before it moves tokens, so a guard would add gas and nothing else.
 * - **Redelegation** is an unbond plus a delegation: `redelegate(newOperator)` unbonds the whole
 *   stake from the current operator (a normal unbond request: cooldown, earns nothing, slashable by
 *   that operator, and only that operator, until withdrawn) and points the position at the new
 *   operator, to which the account then delegates (fresh tokens, or the unbonded ones once
 *   withdrawn). The new delegation is slashable by the new operator only.
 * - **Pause.** `SuitePausable`, the suite's one pause convention (OpenZeppelin's `PausableUpgradeable`
 *   surface). The GUARDIAN pauses registering, staking, unbonding, redelegating, rebonding,
 *   commission changes and claims. Withdrawals of matured unbonds, slashes, notifications (so the
 *   RewardsDistributor never reverts) and commission accrual are never paused. SUITE_ADMIN unpauses.
 *   The flag lives in this contract's first storage word (`_pausedFlag` and `_setPausedFlag` point
 *   `SuitePausable` at it), which every paused call reads anyway: in Pausable's own namespace it would
 *   add a cold read (~2.1k gas) to each stake, delegate and claim. Pausable's own namespace stays
 *   empty (its initializer stores false).
 * - **Code, by domain.** `StakePoolLib` holds pools, shares, positions and slashing; `RewardIndexLib`
 *   the reward index and settlement; `CommissionLib` the commission; every epoch computation goes
 *   through `EpochClockLib`. The paths that gas budgets cover (stake, delegate, unbond, claim, notify)
 *   compile into this contract; the rest runs in the linked `StakePoolLib` and `CommissionLib` by
 *   DELEGATECALL, on this contract's ERC-7201 storage (`StakingLayout`), to stay under the 24 KiB limit.
 * - **Views.** The views that loop, search checkpoints or compute pending amounts live in the
 *   stateless `StakingLens`, which decodes this contract's storage through `extsload`.
 *
 * Overriders must never let tokens leave other than by `withdraw`, `claimRewards` and the burn of
 * `slash`, and must keep every reward computed from stake at an epoch's end.
 */
contract Staking is IStaking, Initializable, AccessManagedUpgradeable, SuitePausable, UUPSUpgradeable, StakingLayout {
    using SafeERC20 for IERC20;

    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    /// @notice 100% in basis points.
    uint256 public constant BPS = StakePoolLib.BPS;
    /// @notice The most unbond requests an account may have pending at once.
    uint256 public constant MAX_UNBOND_REQUESTS = StakePoolLib.MAX_UNBOND_REQUESTS;

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
        __Pausable_init();
        Layout storage s = _getStorage();
        s.token = IERC20(rewardToken);
        uint256 genesis = IRewardToken(rewardToken).genesis();
        uint256 epochLength = IRewardToken(rewardToken).epochLength();
        EpochClockLib.check(genesis, epochLength);
        s.genesis = uint32(genesis);
        s.epochLength = uint24(epochLength);
        // Epochs are notified in order from epoch 0: an epoch with no stake returns its share (see notifyRewards).
        _setParams(s, initialParams);
    }

    // ─── Operator functions ───────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function registerOperator(uint16 commissionBps) external whenNotPaused {
        StakePoolLib.registerOperator(msg.sender, commissionBps);
    }

    /// @inheritdoc IStaking
    function setCommission(uint16 commissionBps) external whenNotPaused {
        CommissionLib.setCommission(msg.sender, commissionBps);
    }

    // ─── Staker functions ─────────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function stake(uint256 amount) external whenNotPaused {
        Layout storage s = _getStorage();
        StakePoolLib.bond(s, msg.sender, StakePoolLib.operatorId(s, msg.sender), amount, false);
        s.token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStaking
    function delegate(address operator, uint256 amount) external whenNotPaused {
        Layout storage s = _getStorage();
        StakePoolLib.bond(s, msg.sender, StakePoolLib.operatorId(s, operator), amount, true);
        s.token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStaking
    function unbond(uint256 amount) external whenNotPaused {
        StakePoolLib.unbond(_getStorage(), msg.sender, amount);
    }

    /// @inheritdoc IStaking
    function redelegate(address newOperator) external whenNotPaused {
        StakePoolLib.redelegate(msg.sender, newOperator);
    }

    /// @inheritdoc IStaking
    function rebond(uint256 index) external whenNotPaused {
        StakePoolLib.rebond(msg.sender, index);
    }

    /// @inheritdoc IStaking
    function withdraw() external returns (uint256 paid) {
        paid = StakePoolLib.withdrawMatured(msg.sender);
        if (paid > 0) _getStorage().token.safeTransfer(msg.sender, paid);
    }

    /// @inheritdoc IStaking
    function claimRewards() external whenNotPaused returns (uint256 paid) {
        Layout storage s = _getStorage();
        Position memory p = s.positions[msg.sender];
        // An operator's position points at itself: its claim includes its commission.
        if (p.operatorId != 0 && s.operators[p.operatorId].account == msg.sender) {
            CommissionLib.accrueCommission(p.operatorId, type(uint256).max);
        }
        uint256 settledBefore = p.settledEpoch;
        (uint256 earned, Account memory acc, bool accDirty) = RewardIndexLib.settle(s, msg.sender, p);
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
        CommissionLib.accrueCommission(StakePoolLib.operatorId(_getStorage(), operator), maxSegments);
    }

    // ─── Privileged functions ─────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function notifyRewards(uint256 epoch, uint256 amount) external restricted returns (uint256 returned) {
        returned = RewardIndexLib.notifyRewards(_getStorage(), epoch, amount);
        // No stake at the epoch's end: nobody earned the share, and it goes back to the notifier.
        if (returned != 0) _getStorage().token.safeTransfer(msg.sender, returned);
    }

    /// @inheritdoc IStaking
    function slash(address operator, uint256 bps, bytes32 evidenceHash) external restricted {
        uint256 burned = StakePoolLib.slash(operator, bps, evidenceHash);
        if (burned > 0) ERC20Burnable(address(_getStorage().token)).burn(burned);
    }

    /// @inheritdoc IStaking
    function setParams(StakingParams calldata newParams) external restricted {
        _setParams(_getStorage(), newParams);
    }

    /// @inheritdoc IStaking
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IStaking
    function unpause() external restricted {
        _unpause();
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IStaking
    function paused() public view override(IStaking, SuitePausable) returns (bool) {
        return SuitePausable.paused();
    }

    /// @inheritdoc IStaking
    function stakeOf(address delegator, address operator) external view returns (uint256) {
        Layout storage s = _getStorage();
        Position memory p = s.positions[delegator];
        uint32 id = s.operatorIdOf[operator];
        if (id == 0 || p.operatorId != id) return 0;
        return StakePoolLib.positionTokens(s.operators[id], p);
    }

    /// @inheritdoc IStaking
    function positionOf(address account) external view returns (address operator, uint256 shares) {
        Layout storage s = _getStorage();
        Position memory p = s.positions[account];
        if (p.operatorId == 0) return (address(0), 0);
        Operator storage o = s.operators[p.operatorId];
        return (o.account, p.generation == o.bondedGeneration ? p.shares : 0);
    }

    /// @inheritdoc IStaking
    function operatorInfo(address operator) external view returns (OperatorInfo memory) {
        return StakePoolLib.operatorInfo(operator);
    }

    /// @inheritdoc IStaking
    function operatorById(uint32 id) external view returns (address) {
        return _getStorage().operators[id].account;
    }

    /// @inheritdoc IStaking
    function token() external view returns (address) {
        return address(_getStorage().token);
    }

    /// @inheritdoc IStaking
    function params() external view returns (StakingParams memory) {
        Layout storage s = _getStorage();
        return StakingParams({unbondingPeriod: s.unbondingPeriod, maxCommissionStepBps: s.maxCommissionStepBps});
    }

    /// @inheritdoc IStaking
    function nextRewardEpoch() external view returns (uint256) {
        return _getStorage().nextRewardEpoch;
    }

    /// @inheritdoc IStaking
    function rewardReserve() external view returns (uint256) {
        return _getStorage().rewardReserve;
    }

    /// @inheritdoc IStaking
    function totalUnbonding() external view returns (uint256) {
        return _getStorage().totalUnbonding;
    }

    /// @inheritdoc IStaking
    function extsload(bytes32 slot) external view returns (bytes32 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            value := sload(slot)
        }
    }

    /// @inheritdoc IStaking
    function extsload(bytes32 startSlot, uint256 nSlots) external view returns (bytes32[] memory values) {
        values = new bytes32[](nSlots);
        for (uint256 i = 0; i < nSlots; ++i) {
            bytes32 slot = bytes32(uint256(startSlot) + i);
            bytes32 value;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                value := sload(slot)
            }
            values[i] = value;
        }
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    /// @dev `SuitePausable`'s flag: the first word of the layout, which every paused call reads anyway.
    function _pausedFlag() internal view override returns (bool) {
        return _getStorage().paused;
    }

    /// @dev Written only by `SuitePausable`'s `_pause` and `_unpause`.
    function _setPausedFlag(bool value) internal override {
        _getStorage().paused = value;
    }

    /// @dev Checks and stores the governed parameters.
    function _setParams(Layout storage s, StakingParams calldata newParams) private {
        if (newParams.unbondingPeriod == 0 || newParams.maxCommissionStepBps > BPS) {
            revert InvalidParams(newParams.unbondingPeriod, newParams.maxCommissionStepBps);
        }
        s.unbondingPeriod = newParams.unbondingPeriod;
        s.maxCommissionStepBps = newParams.maxCommissionStepBps;
        emit ParamsUpdated(newParams.unbondingPeriod, newParams.maxCommissionStepBps);
    }

    /// @dev Upgrades are `restricted`: the deploy library wires `upgradeToAndCall` to UPGRADER.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}
}
