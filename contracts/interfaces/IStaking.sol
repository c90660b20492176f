// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IAccessManagerErrors} from "./IAccessManagerErrors.sol";

/**
 * @title IStaking
 * @notice Operators' and delegators' stake, unbonding, slashing and the stakers' share of rewards.
 * @dev Every account holds at most one bonded position, with one operator at a time: an operator's
 * position is its self-stake; a delegator's is its delegation. Stake is counted in the RewardToken.
 * Rewards of epoch `e` are split by the stake in place when `e` ended, whenever they are notified.
 * See `docs/staking.md` and the NatSpec of `Staking` for the accounting. The views that loop, search
 * checkpoints or compute pending amounts (`claimable`, `unbondRequests`, `operatorStakeAt`,
 * `totalStakeAt`) are served by `StakingLens` (`IStakingLens`), which reads Staking's storage through
 * `extsload`.
 */
interface IStaking is IERC20Errors, IAccessManagerErrors {
    // ─── Structs ──────────────────────────────────────────────────────────────────────────────

    /// @notice The governed parameters.
    struct StakingParams {
        /// @notice Seconds an unbond request waits before `withdraw` pays it (default 7 days).
        uint64 unbondingPeriod;
        /// @notice The most a commission may move per epoch, in basis points.
        uint16 maxCommissionStepBps;
    }

    /// @notice One pending unbond request: shares of an operator's unbonding pool.
    struct UnbondRequest {
        /// @notice The operator's id.
        uint32 operatorId;
        /// @notice The unbonding pool's generation; a 100% slash starts a new one and voids the old.
        uint32 generation;
        /// @notice When `withdraw` may pay it.
        uint64 maturity;
        /// @notice Shares of the operator's unbonding pool.
        uint128 shares;
    }

    /// @notice A summary of one operator.
    struct OperatorInfo {
        uint32 id;
        /// @notice The commission in effect in the current epoch.
        uint16 commissionBps;
        /// @notice Active stake (self plus delegated).
        uint256 bondedTokens;
        uint256 bondedShares;
        /// @notice Stake waiting in the operator's unbonding pool.
        uint256 unbondingTokens;
        uint256 unbondingShares;
        /// @notice The operator's own position, in tokens.
        uint256 selfStake;
    }

    // ─── Errors ───────────────────────────────────────────────────────────────────────────────

    /// @notice The address is not a registered operator.
    error NotAnOperator(address account);
    /// @notice The operator is already registered.
    error OperatorAlreadyRegistered(address operator);
    /// @notice The commission is above 10,000 basis points.
    error InvalidCommission(uint256 commissionBps);
    /// @notice The commission moves by more than `maxStepBps` from the one in effect.
    error CommissionStepTooLarge(uint256 current, uint256 requested, uint256 maxStepBps);
    /// @notice An amount of zero was given.
    error ZeroAmount();
    /// @notice The amount would mint no share of the pool.
    error ZeroShares(uint256 amount);
    /// @notice The account's stake is with another operator; unbond it (or redelegate) first.
    error StakedWithAnotherOperator(address account, address operator);
    /// @notice An operator can stake only on itself.
    error OperatorCannotDelegate(address operator);
    /// @notice More is asked than the account has bonded.
    error InsufficientStake(uint256 requested, uint256 available);
    /// @notice The account already has the most pending unbond requests allowed.
    error TooManyUnbondRequests(uint256 maxRequests);
    /// @notice No unbond request at this index.
    error UnbondRequestNotFound(uint256 index);
    /// @notice A request can be rebonded only to the operator the account is staked with.
    error RebondToAnotherOperator(address requestOperator, address currentOperator);
    /// @notice Notifications must come epoch by epoch; `expected` is the next one.
    error EpochNotNext(uint256 epoch, uint256 expected);
    /// @notice The epoch is not over: it ends at `endsAt` (a timestamp). The distributor's `EpochNotEnded`
    /// counts ended epochs instead; the two names keep the two meanings apart.
    error EpochNotOver(uint256 epoch, uint256 endsAt);
    /// @notice Staking does not hold the notified tokens on top of what it already owes.
    error RewardsNotFunded(uint256 amount, uint256 available);
    /// @notice The slash is zero or above 10,000 basis points.
    error InvalidSlashBps(uint256 bps);
    /// @notice The parameter is out of range.
    error InvalidParams(uint64 unbondingPeriod, uint16 maxCommissionStepBps);
    /// @notice Redelegation to the current operator.
    error SameOperator(address operator);
    // `EnforcedPause()` and `ExpectedPause()` come with OpenZeppelin's `PausableUpgradeable`, which
    // `Staking` inherits (declaring them here too would clash with it); so do `Paused` and `Unpaused`.

    // ─── Events ───────────────────────────────────────────────────────────────────────────────

    /// @notice A new operator registered.
    event OperatorRegistered(address indexed operator, uint32 indexed id, uint16 commissionBps);
    /// @notice An operator's commission will change at the start of `effectiveEpoch`.
    event CommissionChangeScheduled(address indexed operator, uint16 commissionBps, uint256 effectiveEpoch);
    /// @notice `account` bonded `amount` to `operator` (itself for self-stake) for `shares`.
    event Staked(address indexed account, address indexed operator, uint256 amount, uint256 shares);
    /// @notice `account` started unbonding `amount` from `operator`.
    event Unbonded(
        address indexed account,
        address indexed operator,
        uint256 amount,
        uint256 unbondingShares,
        uint256 maturity
    );
    /// @notice `account` moved its stake away from `from`; its position now points at `to`.
    event Redelegated(address indexed account, address indexed from, address indexed to, uint256 amount);
    /// @notice `account` returned a pending unbond request of `amount` to `operator`'s bonded stake.
    event Rebonded(address indexed account, address indexed operator, uint256 amount);
    /// @notice `account` withdrew its matured unbond requests.
    event Withdrawn(address indexed account, uint256 amount, uint256 requests);
    /// @notice `operator` was slashed: these totals were burned, exactly.
    event Slashed(
        address indexed operator,
        uint256 bps,
        bytes32 indexed evidenceHash,
        uint256 bondedSlashed,
        uint256 unbondingSlashed
    );
    /// @notice Epoch `epoch`'s stakers' share `amount` was recorded over `totalStake`; `returned` went back
    /// to the notifier (all of it when `totalStake` is zero).
    event RewardsNotified(uint256 indexed epoch, uint256 amount, uint256 totalStake, uint256 returned);
    /// @notice `operator`'s commission was accrued through the end of epoch `throughEpoch - 1`.
    event CommissionAccrued(address indexed operator, uint256 amount, uint256 throughEpoch);
    /// @notice `account` claimed `amount` of rewards.
    event RewardsClaimed(address indexed account, uint256 amount);
    /// @notice The governed parameters changed.
    event ParamsUpdated(uint64 unbondingPeriod, uint16 maxCommissionStepBps);
    // `Paused(address)` and `Unpaused(address)` come with OpenZeppelin's `PausableUpgradeable` too.

    // ─── Operators ────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Registers the caller as an operator with `commissionBps`, effective from the current epoch.
     * @dev The caller must hold no bonded stake with another operator. Paused by the guardian.
     */
    function registerOperator(uint16 commissionBps) external;

    /**
     * @notice Schedules the caller's commission to become `commissionBps` at the start of the next epoch.
     * @dev It may differ from the commission in effect now by at most `maxCommissionStepBps`. A second
     * call in the same epoch replaces the first.
     */
    function setCommission(uint16 commissionBps) external;

    // ─── Stakers ──────────────────────────────────────────────────────────────────────────────

    /**
     * @notice An operator bonds `amount` tokens on itself (pulled with `transferFrom`).
     * @dev The stake counts from the end of the current epoch on. Paused by the guardian.
     */
    function stake(uint256 amount) external;

    /**
     * @notice Bonds `amount` tokens (pulled with `transferFrom`) to `operator`.
     * @dev The caller's stake must be with `operator` or be zero. Paused by the guardian.
     */
    function delegate(address operator, uint256 amount) external;

    /**
     * @notice Starts unbonding `amount` of the caller's stake: it leaves the active stake now, earns
     * nothing, stays slashable by its operator, and `withdraw` pays it after `unbondingPeriod`.
     * @dev At most `MAX_UNBOND_REQUESTS` requests may be pending. Paused by the guardian.
     */
    function unbond(uint256 amount) external;

    /**
     * @notice Redelegation: unbonds the caller's whole stake from its operator (a normal unbond
     * request, slashable by that operator until withdrawn) and points the caller's position at
     * `newOperator`, to which it may then `delegate`. Paused by the guardian.
     */
    function redelegate(address newOperator) external;

    /**
     * @notice Returns pending unbond request `index` to the bonded stake of its operator, which must be
     * the caller's current operator (or the caller has no stake). An operator rebonds only requests of
     * its own pool: a request it made as a delegator, before it registered, is withdrawn instead.
     * Paused by the guardian.
     */
    function rebond(uint256 index) external;

    /**
     * @notice Pays the caller every matured unbond request, at its value after slashes.
     * @dev Not paused: matured stake can always leave. Returns the amount paid.
     */
    function withdraw() external returns (uint256);

    /// @notice Pays the caller its rewards (and an operator's commission). Paused by the guardian.
    function claimRewards() external returns (uint256);

    /**
     * @notice Accrues `operator`'s commission over at most `maxSegments` stake segments, so a long-idle
     * operator's claim can be split over several transactions. Anyone may call it.
     */
    function accrueCommission(address operator, uint256 maxSegments) external;

    // ─── Privileged ───────────────────────────────────────────────────────────────────────────

    /**
     * @notice Tells Staking that `amount` reward tokens of epoch `epoch` were just minted to it.
     * @dev `restricted`: the REWARDS_NOTIFIER role, held by the RewardsDistributor. Called once per
     * epoch, in epoch order from epoch 0 (`EpochNotNext` otherwise), after the epoch ended (`EpochNotOver`). Split by
     * the stake at the epoch's end. When that stake is zero nobody earned the share: Staking sends it
     * back to the caller and returns it (the distributor forwards it to the treasury), so the first
     * staker of a new network collects no epoch from before its stake counted. Staking must hold
     * `amount` on top of what it owes (`RewardsNotFunded`). Not paused.
     * @return returned What was sent back: `amount` when no stake counted at the epoch's end, else 0.
     */
    function notifyRewards(uint256 epoch, uint256 amount) external returns (uint256 returned);

    /**
     * @notice Slashes `operator` by `bps`: its bonded stake and its unbonding pool lose the same
     * proportion, and the tokens are burned.
     * @dev `restricted`: the SLASHER role. A 100% slash voids every share of both pools.
     */
    function slash(address operator, uint256 bps, bytes32 evidenceHash) external;

    /// @notice Sets the governed parameters. `restricted`: SUITE_ADMIN.
    function setParams(StakingParams calldata params) external;

    /**
     * @notice Pauses registering, commission changes, staking, delegating, unbonding, redelegating,
     * rebonding and claims; withdrawals, slashes, notifications and commission accrual go on.
     * @dev OpenZeppelin's `Pausable`: `restricted` to the GUARDIAN; `EnforcedPause` when already paused.
     */
    function pause() external;

    /// @notice Lifts the pause. `restricted`: SUITE_ADMIN; `ExpectedPause` when not paused.
    function unpause() external;

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @notice Whether the guardian's pause is on.
    function paused() external view returns (bool);

    /// @notice The bonded stake of `delegator` with `operator` now (an operator's self-stake for itself).
    function stakeOf(address delegator, address operator) external view returns (uint256);

    /// @notice The operator the account's position points at, and its shares of that operator's pool.
    function positionOf(address account) external view returns (address operator, uint256 shares);

    /// @notice A summary of `operator`.
    function operatorInfo(address operator) external view returns (OperatorInfo memory);

    /// @notice The address of operator `id`.
    function operatorById(uint32 id) external view returns (address);

    /// @notice The staked token.
    function token() external view returns (address);

    /// @notice The governed parameters.
    function params() external view returns (StakingParams memory);

    /// @notice The next epoch `notifyRewards` expects.
    function nextRewardEpoch() external view returns (uint256);

    /// @notice Rewards notified but not yet claimed: what Staking still owes.
    function rewardReserve() external view returns (uint256);

    /// @notice The sum of every operator's unbonding pool.
    function totalUnbonding() external view returns (uint256);

    // ─── Raw storage (for StakingLens) ────────────────────────────────────────────────────────

    /**
     * @notice The word at `slot` of Staking's storage, as Uniswap v4's `extsload`.
     * @dev `StakingLens` decodes Staking's ERC-7201 layout (`StakingLayout`) from these words, so that the
     * heavy views (`claimable`, `unbondRequests`, `operatorStakeAt`, `totalStakeAt`) cost Staking no code.
     */
    function extsload(bytes32 slot) external view returns (bytes32 value);

    /// @notice The `nSlots` words of Staking's storage from `startSlot` on, as Uniswap v4's `extsload`.
    function extsload(bytes32 startSlot, uint256 nSlots) external view returns (bytes32[] memory values);
}
