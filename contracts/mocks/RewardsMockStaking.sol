// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @notice Test-only stand-in for Staking in the rewards tests: it holds the stakers' share it is sent
 * and records each notification in storage, as the real contract does, so gas figures stay honest.
 */
contract RewardsMockStaking {
    /// @notice An epoch was notified twice.
    error RewardsMockStakingAlreadyNotified(uint256 epoch);

    event RewardsNotified(uint256 indexed epoch, uint256 amount);

    mapping(uint256 epoch => uint256) public notified;
    uint256 public totalNotified;

    function notifyRewards(uint256 epoch, uint256 amount) external {
        if (notified[epoch] != 0) revert RewardsMockStakingAlreadyNotified(epoch);
        notified[epoch] = amount;
        totalNotified += amount;
        emit RewardsNotified(epoch, amount);
    }

    function operatorStakeAt(address, uint256) external pure returns (uint256) {
        return 0;
    }
}
