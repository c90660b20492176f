// SPDX-License-Identifier: MIT
// The layout, its slot and its accessor belong together: the contract (which the upgrades tooling
// validates) and the accessor's library (which the staking libraries call) share this file.
// solhint-disable one-contract-per-file
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IStaking} from "../interfaces/IStaking.sol";

/**
 * @title StakingLayout
 * @notice The ERC-7201 namespaced storage of `Staking`, declared in a contract so that the upgrades
 * tooling validates it, with its slot and its accessor (`StakingStorage`, below: the layout, the slot
 * and the accessor stay in one file). `Staking` inherits it and reads it through `_getStorage()`; the
 * staking libraries (`StakePoolLib`, `RewardIndexLib`, `CommissionLib`) read and write it through
 * `StakingStorage.getStorage()`; `StakingStateLib` decodes it from outside, through `extsload`, for
 * `StakingLens`.
 * @dev Upgrades may only append: to `Layout`, to `Operator` (its mapping is last, so appending is
 * safe), never between fields. `StakingStateLib` decodes the packed words of `Layout`, `Operator`,
 * `Position`, `Account`, `Segment` and `IStaking.UnbondRequest` by their bit offsets: a change of
 * those words must change it too (the lens tests compare it with Staking's own getters).
 */
abstract contract StakingLayout {
    struct Operator {
        address account;
        uint16 bondedGeneration;
        uint16 unbondingGeneration;
        /// @dev The commission set at registration: the only one while `commissionChanged` is false.
        uint16 initialCommissionBps;
        /// @dev The `commission` trace holds more than the registration's checkpoint.
        bool commissionChanged;
        /// @dev The `tokensPerShare` trace holds a checkpoint (a slash happened); otherwise it is exactly 1.
        bool slashed;
        /// @dev Commission is accrued for every epoch before this one.
        uint32 commissionSettled;
        uint128 bondedTokens;
        uint128 bondedShares;
        uint128 unbondingTokens;
        uint128 unbondingShares;
        /// @dev Epoch boundary (`genesis + (k+1)*epochLength`) → stake at the end of epoch `k`.
        Checkpoints.Trace208 stake;
        /// @dev Epoch → commission (bps) in effect from that epoch.
        Checkpoints.Trace208 commission;
        /// @dev Epoch → bonded tokens per share (1e18) at that epoch's end, written at slashes and restarts.
        Checkpoints.Trace208 tokensPerShare;
        /// @dev Bonded generation → the epoch of the 100% slash that voided it.
        mapping(uint256 generation => uint256) generationEnd;
    }

    /// @dev Where a walk over an operator's commission and tokens-per-share checkpoints stands.
    struct RateCursor {
        bool hasC;
        bool hasT;
        uint256 ci;
        uint256 ti;
        uint256 cLen;
        uint256 tLen;
    }

    /// @dev One slot: the current bonded position.
    struct Position {
        uint32 operatorId;
        uint32 generation;
        /// @dev The shares are part of the stake at the end of this epoch and every later one.
        uint32 fromEpoch;
        /// @dev The position is settled for every epoch before this one.
        uint32 settledEpoch;
        uint128 shares;
    }

    /// @dev One slot: rewards settled but not claimed, and the account's history of segments.
    struct Account {
        uint128 rewards;
        uint32 historyStart;
        uint32 historyEnd;
    }

    /// @dev Shares held for epochs `[fromEpoch, toEpoch)` that still await settlement.
    struct Segment {
        uint32 operatorId;
        uint32 generation;
        uint32 fromEpoch;
        uint32 toEpoch;
        uint128 shares;
    }

    /// @custom:storage-location erc7201:depin.storage.Staking
    struct Layout {
        IERC20 token;
        /// @dev The RewardToken's timing, cached: genesis and epoch length share the first slot with the
        /// token, the next epoch to notify and the pause flag, which every staking call reads. Genesis fits
        /// 32 bits until 2106 (the initializer checks it); the epoch counter is 32 bits wide like every
        /// other epoch in this layout, so it cannot run out before the epochs themselves (2**32 epochs).
        uint32 genesis;
        uint24 epochLength;
        uint32 nextRewardEpoch;
        bool paused;
        uint64 unbondingPeriod;
        uint16 maxCommissionStepBps;
        uint32 operatorCount;
        uint128 rewardReserve;
        /// @dev Read by every notification: the unbonding pools' sum (below the token's cap, under 2**128).
        uint128 totalUnbonding;
        /// @dev Epoch boundary → total stake at the end of the epoch that ends there.
        Checkpoints.Trace208 totalStake;
        mapping(address account => uint32) operatorIdOf;
        mapping(uint256 id => Operator) operators;
        mapping(address account => Position) positions;
        mapping(address account => Account) accounts;
        mapping(address account => mapping(uint256 index => Segment)) history;
        mapping(address account => IStaking.UnbondRequest[]) unbonds;
        /// @dev `cumulative[k]`: rewards per token (1e27) of every epoch before `k`.
        mapping(uint256 epoch => uint256) cumulative;
    }

    /// @dev Staking's storage (for the contracts that inherit the layout).
    function _getStorage() internal pure returns (Layout storage) {
        return StakingStorage.getStorage();
    }
}

/**
 * @title StakingStorage
 * @notice Where `Staking`'s ERC-7201 storage lives, and the accessor the staking libraries share
 * (`StakingLayout._getStorage()` is the contract's).
 * @dev Only meaningful in code that runs as `Staking` (its own code, or a linked library by
 * DELEGATECALL): elsewhere it points at an empty namespace. `StakingStateLib` only takes the addresses
 * of its slots, never reads them.
 */
library StakingStorage {
    /// @dev keccak256(abi.encode(uint256(keccak256("depin.storage.Staking")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant STORAGE_LOCATION = 0x55c6028ae2e317ccde059f61853e93ef134b4f6fcba3f48a0b006f0bcc90de00;

    /// @dev Staking's storage.
    function getStorage() internal pure returns (StakingLayout.Layout storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}
