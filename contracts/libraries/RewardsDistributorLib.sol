// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EmissionLib} from "./EmissionLib.sol";

/**
 * @title RewardsDistributorLib
 * @notice The rules that `RewardsDistributor` applies to its own storage and that
 * `RewardsDistributorStateLib` (with `RewardsLens`) applies to the same storage read through
 * `extsload`, written once: the search for the latest claimable root, the split in force for an epoch,
 * the operators' share of an epoch and the keys of the oracle ballots. Each function that reads state
 * takes it as a view function of `(source, key)`, so the caller decides whether it comes from `sload`
 * (the distributor, which ignores `source`) or from `extsload` on the distributor at `source`.
 * @dev Overriders and callers must never break: for a given state, the distributor and the lens get
 * the same answer, because both call these functions.
 */
library RewardsDistributorLib {
    /// @notice How many of the newest roots the distributor keeps.
    uint256 internal constant RING = 64;

    /**
     * @notice How many roots are claimable at `timestamp`: `e + 1` for the latest claimable epoch `e`.
     * @dev Claimable times never decrease with the epoch, so the claimable roots are a prefix and a
     * binary search finds its end; the root just before the newest is tried first, as it is the usual
     * answer. The pending roots are never superseded and number at most `RING - 1` (see
     * `RootRing._accept`), which bounds the search; a superseded epoch reads as claimable (its
     * `claimableAtOf` is 0).
     * @param nextEpoch The number of standing roots.
     * @param headClaimableAt When the newest standing root is claimable.
     * @param claimableAtOf When the root of an epoch below `nextEpoch` is claimable, 0 when superseded.
     * @param source Passed through to `claimableAtOf`.
     */
    function claimableCount(
        uint256 nextEpoch,
        uint256 headClaimableAt,
        uint256 timestamp,
        function(address, uint256) view returns (uint256) claimableAtOf,
        address source
    ) internal view returns (uint256) {
        uint256 high = nextEpoch;
        if (high == 0 || headClaimableAt <= timestamp) return high;
        // The newest root is pending: the answer lies in [max(0, high - RING), high - 1].
        unchecked {
            // high > 0 here, and every later subtraction is guarded by a comparison.
            high -= 1;
            if (high == 0 || claimableAtOf(source, high - 1) <= timestamp) return high;
            // Epoch high - 1 is pending too: search below it for the first pending epoch.
            high -= 1;
            uint256 low = nextEpoch > RING ? nextEpoch - RING : 0;
            while (low < high) {
                // low < high < 2**40, so the sum cannot overflow.
                uint256 mid = (low + high) >> 1;
                if (claimableAtOf(source, mid) <= timestamp) low = mid + 1;
                else high = mid;
            }
            return low;
        }
    }

    /**
     * @notice The split in force for `epoch`: the current one (from `fromEpoch` on), or the newest
     * earlier entry of the history that covers it.
     * @param historyLength How many earlier splits are recorded; entry 0 applies from epoch 0.
     * @param entryAt The history's entry `i`: its first epoch and its shares.
     * @param source Passed through to `entryAt`.
     */
    function splitOf(
        uint256 fromEpoch,
        uint256 operatorsBps,
        uint256 stakersBps,
        uint256 historyLength,
        uint256 epoch,
        function(address, uint256) view returns (uint256, uint256, uint256) entryAt,
        address source
    ) internal view returns (uint256, uint256) {
        if (epoch >= fromEpoch) return (operatorsBps, stakersBps);
        // Entry 0 applies from epoch 0, so the walk returns before it runs out.
        for (uint256 i = historyLength; i > 0;) {
            // i > 0.
            unchecked {
                --i;
            }
            (uint256 entryFrom, uint256 entryOperators, uint256 entryStakers) = entryAt(source, i);
            if (epoch >= entryFrom) return (entryOperators, entryStakers);
        }
        return (0, 0);
    }

    /// @notice The operators' share of `epoch`'s emission under `operatorsBps`.
    function operatorsShare(
        uint256 initialEpochEmission,
        uint256 halvingInterval,
        uint256 epoch,
        uint256 operatorsBps
    ) internal pure returns (uint256) {
        return (EmissionLib.emission(initialEpochEmission, halvingInterval, epoch) * operatorsBps) / EmissionLib.BPS;
    }

    /// @notice The key of `oracle`'s ballot for `epoch` in veto round `round`.
    function ballotKey(uint256 epoch, uint256 round, address oracle) internal pure returns (bytes32) {
        return keccak256(abi.encode(epoch, round, oracle));
    }

    /// @notice The key of a tuple's tally for `epoch` in veto round `round`.
    function tupleKey(
        uint256 epoch,
        uint256 round,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(epoch, round, root, totalCumulative, inputHash));
    }
}
