// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IStaking
 * @notice Operators' and delegators' stake, unbonding, slashing and the stakers' share of rewards.
 * @dev This first version declares only what the RewardsDistributor and the epoch pipeline use.
 * The Staking work extends this interface; these signatures stay as they are.
 */
interface IStaking {
    /**
     * @notice Tells Staking that `amount` reward tokens of epoch `epoch` were just minted to it.
     * @dev `restricted`: the REWARDS_NOTIFIER role, held by the RewardsDistributor. Called once per epoch.
     */
    function notifyRewards(uint256 epoch, uint256 amount) external;

    /// @notice The active stake of `operator` (self plus delegated, unbonding excluded) at `timestamp`.
    function operatorStakeAt(address operator, uint256 timestamp) external view returns (uint256);
}
