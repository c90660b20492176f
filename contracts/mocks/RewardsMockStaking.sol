// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @notice Test-only stand-in for Staking in the rewards tests: it holds the stakers' share it is sent
 * and records each notification in storage, as the real contract does, so gas figures stay honest.
 * With `returnAllOf` set it sends every share back, as Staking does for an epoch with no stake.
 */
contract RewardsMockStaking {
    /// @notice An epoch was notified twice.
    error RewardsMockStakingAlreadyNotified(uint256 epoch);

    event RewardsNotified(uint256 indexed epoch, uint256 amount);

    mapping(uint256 epoch => uint256) public notified;
    uint256 public totalNotified;
    /// @notice When set, the token whose every notified share goes back to the notifier.
    IERC20 public returnAllOf;

    function setReturnAll(IERC20 token) external {
        returnAllOf = token;
    }

    function notifyRewards(uint256 epoch, uint256 amount) external returns (uint256 returned) {
        if (notified[epoch] != 0) revert RewardsMockStakingAlreadyNotified(epoch);
        notified[epoch] = amount;
        totalNotified += amount;
        emit RewardsNotified(epoch, amount);
        if (address(returnAllOf) != address(0) && amount != 0) {
            returned = amount;
            if (!returnAllOf.transfer(msg.sender, amount)) revert RewardsMockStakingAlreadyNotified(epoch);
        }
    }

    function operatorStakeAt(address, uint256) external pure returns (uint256) {
        return 0;
    }
}
