// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStaking} from "./IStaking.sol";

/**
 * @title IStakingLens
 * @notice Staking's heavy views, served from outside it, in the manner of Uniswap v4's `StateView`:
 * a stateless contract reads Staking's storage through `IStaking.extsload` and decodes it. Each view
 * keeps the name and the signature it had on Staking, so a caller only swaps the receiver.
 * @dev These are the views that loop, search checkpoints or compute pending amounts: `claimable`
 * walks the account's history and the operator's commission and tokens-per-share checkpoints and
 * accrues the commission; `unbondRequests` loops over up to `MAX_UNBOND_REQUESTS` requests and values
 * each; `operatorStakeAt` and `totalStakeAt` search a stake checkpoint trace. No contract of the suite
 * calls them on chain. Staking keeps the cheap views and those other contracts call on chain
 * (`operatorInfo`, `rewardReserve`, `totalUnbonding`, ...).
 */
interface IStakingLens {
    /// @notice The Staking proxy this lens reads.
    function staking() external view returns (IStaking);

    /// @notice What `claimRewards` would pay `account` now (commission accrual included).
    function claimable(address account) external view returns (uint256);

    /// @notice The account's pending unbond requests and their value now (0 for a voided generation).
    function unbondRequests(
        address account
    ) external view returns (IStaking.UnbondRequest[] memory requests, uint256[] memory amounts);

    /**
     * @notice The active stake of `operator` (self plus delegated, unbonding excluded) at `timestamp`.
     * @dev Stake changes take effect at the end of the epoch in which they are made: for `timestamp` in
     * `[end(e), end(e+1))` this is the stake at the end of epoch `e`, where `end(e) = genesis + (e+1) *
     * epochLength`. So `operatorStakeAt(op, end(e))` is the stake epoch `e`'s rewards are split by.
     * 0 for an address that is not an operator.
     */
    function operatorStakeAt(address operator, uint256 timestamp) external view returns (uint256);

    /// @notice The active stake of all operators at `timestamp` (epoch-boundary semantics, as `operatorStakeAt`).
    function totalStakeAt(uint256 timestamp) external view returns (uint256);
}
