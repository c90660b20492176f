// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @dev Test-only: a token whose schedule getters return whatever the test set, so that the
/// distributor's initializer can be shown to refuse values that do not fit its packed storage.
contract RewardsMockSchedule {
    uint256 public genesis;
    uint256 public epochLength = 1 days;
    uint256 public halvingInterval = 365;
    uint256 public initialEpochEmission = 1e18;

    function set(uint256 genesis_, uint256 epochLength_, uint256 halvingInterval_, uint256 emission_) external {
        genesis = genesis_;
        epochLength = epochLength_;
        halvingInterval = halvingInterval_;
        initialEpochEmission = emission_;
    }
}
