// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RewardsDistributor} from "../rewards/RewardsDistributor.sol";

/**
 * @notice Test-only: a next RewardsDistributor implementation, to show that an upgrade keeps state.
 * It inherits the whole contract (so the same ERC-7201 namespace) and adds `version`. Like V1, it
 * compiles with the IR pipeline (`hardhat.config.ts`). The distributor's views are read through
 * `RewardsLens`, which decodes the same layout.
 * V2 adds no state, so it needs no initializer of its own: the proxy keeps V1's.
 * @custom:oz-upgrades-from contracts/rewards/RewardsDistributor.sol:RewardsDistributor
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract RewardsMockDistributorV2 is RewardsDistributor {
    function version() external pure returns (uint256) {
        return 2;
    }
}
