// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Staking} from "../staking/Staking.sol";

/// @notice Test-only: a second version of Staking, to show that an upgrade keeps the state.
/// @custom:oz-upgrades-unsafe-allow constructor
contract StakingV2Mock is Staking {
    /// @notice The upgrade's own initializer: V2 adds no state.
    /// @custom:oz-upgrades-validate-as-initializer
    // solhint-disable-next-line no-empty-blocks
    function initializeV2() external reinitializer(2) {}

    /// @notice The version of this implementation.
    function version() external pure returns (uint256) {
        return 2;
    }
}
