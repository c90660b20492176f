// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EmissionLib} from "../libraries/EmissionLib.sol";
import {RolesLib} from "../libraries/RolesLib.sol";

/// @notice Test-only: exposes EmissionLib and RolesLib to the TypeScript tests.
contract EmissionLibHarness {
    function emission(uint256 initial, uint256 halvingInterval, uint256 e) external pure returns (uint256) {
        return EmissionLib.emission(initial, halvingInterval, e);
    }

    function cumulativeEmission(uint256 initial, uint256 halvingInterval, uint256 e) external pure returns (uint256) {
        return EmissionLib.cumulativeEmission(initial, halvingInterval, e);
    }

    function totalEmission(uint256 initial, uint256 halvingInterval) external pure returns (uint256) {
        return EmissionLib.totalEmission(initial, halvingInterval);
    }

    function split(
        uint256 amount,
        uint256 operatorsBps,
        uint256 stakersBps
    ) external pure returns (uint256, uint256, uint256) {
        return EmissionLib.split(amount, operatorsBps, stakersBps);
    }

    function validateSplit(uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) external pure {
        EmissionLib.validateSplit(operatorsBps, stakersBps, treasuryBps);
    }

    function popcount(uint256 x) external pure returns (uint256) {
        return EmissionLib.popcount(x);
    }

    /// @notice The role ids in RolesLib order, so a test can compare them with scripts/lib/roles.ts.
    function roles() external pure returns (uint64[12] memory) {
        return
            [
                RolesLib.ADMIN,
                RolesLib.GUARDIAN,
                RolesLib.ORACLE,
                RolesLib.MINTER,
                RolesLib.MAKER_ADMIN,
                RolesLib.SLASHER,
                RolesLib.ROUTER_ADMIN,
                RolesLib.UPGRADER,
                RolesLib.FEE_BURNER,
                RolesLib.REWARDS_NOTIFIER,
                RolesLib.SUITE_ADMIN,
                RolesLib.PUBLIC
            ];
    }
}
