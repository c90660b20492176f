// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DataCredits} from "../credits/DataCredits.sol";

/**
 * @notice Test-only: a second version of DataCredits that adds one view, to test that an upgrade
 * keeps the state and that the storage layout stays compatible.
 * It adds no state, so it needs no initializer of its own.
 * @custom:oz-upgrades-from contracts/credits/DataCredits.sol:DataCredits
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract CreditsMockDataCreditsV2 is DataCredits {
    function upgradedVersion() external pure returns (uint256) {
        return 2;
    }
}
