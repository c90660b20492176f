// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title EpochClockLib
 * @notice The suite's one epoch clock. Epoch `e` covers `[genesis + e*epochLength,
 * genesis + (e+1)*epochLength)`; before genesis no epoch has started and none has ended. Every
 * contract that reasons about epochs (RewardToken, RewardsDistributor, Staking) calls these
 * functions, and `scripts/lib/clock.ts` mirrors them for the tooling (a property test keeps the two
 * equal).
 * @dev One width everywhere: `genesis` is a `uint32` of Unix seconds (before 2106) and
 * `epochLength` a `uint24` of seconds (at most about 194 days), so that a contract can pack both in
 * one slot with other state. `check` enforces the widths; RewardToken calls it in its constructor,
 * and every other contract copies the token's clock. Under those widths no function here overflows
 * for any epoch a caller can pass: `hasEnded` compares against `endedEpochs` instead of computing an
 * end that could overflow, and `startOf`/`endOf` are only called with epochs that fit in 2**200.
 * Overriders and callers must never break: `hasEnded(e, t) == (t >= endOf(e))` for every `t`.
 */
library EpochClockLib {
    /// @notice The clock's genesis or epoch length does not fit its width, or the length is zero.
    error InvalidEpochClock(uint256 genesis, uint256 epochLength);

    /// @notice Reverts with `InvalidEpochClock` unless `genesis < 2**32` and `0 < epochLength < 2**24`.
    function check(uint256 genesis, uint256 epochLength) internal pure {
        if (genesis > type(uint32).max || epochLength == 0 || epochLength > type(uint24).max) {
            revert InvalidEpochClock(genesis, epochLength);
        }
    }

    /// @notice How many epochs have ended at `timestamp` (0 before genesis); also the index of the
    /// epoch in progress at `timestamp` once genesis is reached.
    function endedEpochs(uint256 genesis, uint256 epochLength, uint256 timestamp) internal pure returns (uint256) {
        if (timestamp < genesis) return 0;
        return (timestamp - genesis) / epochLength;
    }

    /// @notice Whether epoch `epoch` has ended at `timestamp`.
    function hasEnded(
        uint256 genesis,
        uint256 epochLength,
        uint256 epoch,
        uint256 timestamp
    ) internal pure returns (bool) {
        return epoch < endedEpochs(genesis, epochLength, timestamp);
    }

    /// @notice The first second of epoch `epoch`.
    function startOf(uint256 genesis, uint256 epochLength, uint256 epoch) internal pure returns (uint256) {
        return genesis + epoch * epochLength;
    }

    /// @notice The first second after epoch `epoch` (its end, exclusive).
    function endOf(uint256 genesis, uint256 epochLength, uint256 epoch) internal pure returns (uint256) {
        return genesis + (epoch + 1) * epochLength;
    }
}
