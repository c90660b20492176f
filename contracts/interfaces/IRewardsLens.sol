// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRewardsDistributor} from "./IRewardsDistributor.sol";

/**
 * @title IRewardsLens
 * @notice The views of a `RewardsDistributor`, served by a stateless lens that decodes the distributor's
 * storage through its `extsload` (in the manner of Uniswap v4's `StateView`). Each function has the
 * name, arguments and answer the distributor's own view had before it moved here, so a caller only
 * swaps the receiver. `nonces` and `paused` stay on the distributor. On chain, use
 * `RewardsDistributorStateLib` instead, which the lens wraps.
 */
interface IRewardsLens {
    /// @notice The distributor this lens reads.
    function distributor() external view returns (IRewardsDistributor);

    /// @notice The RewardToken.
    function token() external view returns (address);

    /// @notice Staking.
    function staking() external view returns (address);

    /// @notice The treasury.
    function treasury() external view returns (address);

    /// @notice Distinct oracles needed for a root to stand.
    function quorum() external view returns (uint256);

    /// @notice How many oracles are registered.
    function oracleCount() external view returns (uint256);

    /// @notice Whether `account` is a registered oracle.
    function isOracle(address account) external view returns (bool);

    /// @notice Seconds from a root standing to it being claimable.
    function challengeWindow() external view returns (uint256);

    /// @notice The split in force for `epoch`, in basis points.
    function splitOf(
        uint256 epoch
    ) external view returns (uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps);

    /// @notice The operators' share of `epoch`'s emission under the split in force for it.
    function operatorsShareOf(uint256 epoch) external view returns (uint256);

    /// @notice Whether `epoch` was distributed.
    function isDistributed(uint256 epoch) external view returns (bool);

    /// @notice The only epoch that can be posted now: the number of standing roots.
    function nextEpoch() external view returns (uint256);

    /// @notice The standing root of `epoch`, or zeros when none stands or a later epoch's root took its
    /// ring slot (the distributor's `RootPosted` and `RootAccepted` events keep every root).
    function rootOf(uint256 epoch) external view returns (bytes32 root, uint256 totalCumulative, uint256 claimableAt);

    /// @notice The latest claimable root, which claims verify against; `exists` is false before the first.
    function latestClaimable()
        external
        view
        returns (bool exists, uint256 epoch, bytes32 root, uint256 totalCumulative);

    /// @notice Votes that `(root, totalCumulative, inputHash)` holds for `epoch` in its current round.
    function votesFor(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) external view returns (uint256);

    /// @notice What `account` has claimed in all.
    function claimed(address account) external view returns (uint256);

    /// @notice Σ claimed by every account since deployment.
    function totalClaimed() external view returns (uint256);

    /// @notice Where `account`'s claims are paid: its chosen recipient, or the account itself.
    function claimRecipientOf(address account) external view returns (address);

    /// @notice What `sweep` may take right now.
    function sweepable() external view returns (uint256);

    /// @notice What was swept since deployment.
    function totalSwept() external view returns (uint256);
}
