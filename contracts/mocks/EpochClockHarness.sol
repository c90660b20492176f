// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EpochClockLib} from "../libraries/EpochClockLib.sol";

/// @notice Test-only: exposes EpochClockLib to the TypeScript tests, which compare it with `scripts/lib/clock.ts`.
contract EpochClockHarness {
    function check(uint256 genesis, uint256 epochLength) external pure {
        EpochClockLib.check(genesis, epochLength);
    }

    function endedEpochs(uint256 genesis, uint256 epochLength, uint256 timestamp) external pure returns (uint256) {
        return EpochClockLib.endedEpochs(genesis, epochLength, timestamp);
    }

    function hasEnded(
        uint256 genesis,
        uint256 epochLength,
        uint256 epoch,
        uint256 timestamp
    ) external pure returns (bool) {
        return EpochClockLib.hasEnded(genesis, epochLength, epoch, timestamp);
    }

    function startOf(uint256 genesis, uint256 epochLength, uint256 epoch) external pure returns (uint256) {
        return EpochClockLib.startOf(genesis, epochLength, epoch);
    }

    function endOf(uint256 genesis, uint256 epochLength, uint256 epoch) external pure returns (uint256) {
        return EpochClockLib.endOf(genesis, epochLength, epoch);
    }
}
