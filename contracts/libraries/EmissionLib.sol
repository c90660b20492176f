// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title EmissionLib
 * @notice The emission schedule of the suite: `emission(e) = initial >> (e / halvingInterval)`, its
 * cumulative sum in closed form, and the operators/stakers/treasury split in basis points.
 * @dev Preconditions the callers guarantee (RewardToken checks them in its constructor):
 * `initial < 2**128` and `0 < halvingInterval < 2**64`. Under them no expression here can overflow
 * for any epoch `e`, so every epoch up to `type(uint256).max` has a defined cumulative emission.
 * Overriders and callers must never break: `cumulativeEmission(e) == sum(emission(i), i = 0..e)`.
 */
library EmissionLib {
    /// @notice The basis-point denominator of every split.
    uint256 internal constant BPS = 10_000;

    /// @notice The split does not add up to 10,000 basis points.
    error EmissionInvalidSplit(uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps);

    /// @notice The emission of epoch `e`: `initial` halved once per full `halvingInterval` before it.
    function emission(uint256 initial, uint256 halvingInterval, uint256 e) internal pure returns (uint256) {
        uint256 halvings = e / halvingInterval;
        // A shift by 256 or more is 0 in the EVM, which is the right answer past 255 halvings.
        return initial >> halvings;
    }

    /**
     * @notice The emission of epochs 0 through `e` inclusive, in O(1).
     * @dev With `q = e / H` full halving periods before `e` and `p = e % H` epochs of period `q`
     * before it, the sum is `H * S(q) + (p + 1) * (initial >> q)`, where `S(q)` is the emission
     * of one epoch of each earlier period: `sum(initial >> i, i < q)`. Because
     * `sum(x >> i, i >= 0) == 2x - popcount(x)` for every `x`, `S(q)` is that sum for `initial`
     * less the same sum for `initial >> q`. This stays exact past 64 (or 256) halvings.
     */
    function cumulativeEmission(uint256 initial, uint256 halvingInterval, uint256 e) internal pure returns (uint256) {
        uint256 q = e / halvingInterval;
        uint256 p = e % halvingInterval;
        uint256 tail = initial >> q;
        uint256 perPeriod = (2 * initial - popcount(initial)) - (2 * tail - popcount(tail));
        return halvingInterval * perPeriod + (p + 1) * tail;
    }

    /**
     * @notice The emission of every epoch there will ever be: `cumulativeEmission(e)` for any epoch `e`
     * past the last one with a non-zero emission, `halvingInterval * (2 * initial - popcount(initial))`.
     * @dev Under the preconditions `initial < 2**128`, so `initial >> q` is 0 from `q = 128` halvings on
     * (an EVM shift by 256 or more is 0 too): the tail of `cumulativeEmission` vanishes and `S(q)` is
     * `2 * initial - popcount(initial)`. The product stays below `2**64 * 2**129`: no overflow.
     */
    function totalEmission(uint256 initial, uint256 halvingInterval) internal pure returns (uint256) {
        return halvingInterval * (2 * initial - popcount(initial));
    }

    /**
     * @notice Splits `amount` between operators, stakers and the treasury. The operators' and the
     * stakers' shares round down; the treasury takes the remainder, so the three add up to `amount`.
     */
    function split(
        uint256 amount,
        uint256 operatorsBps,
        uint256 stakersBps
    ) internal pure returns (uint256 operators, uint256 stakers, uint256 treasury) {
        operators = (amount * operatorsBps) / BPS;
        stakers = (amount * stakersBps) / BPS;
        treasury = amount - operators - stakers;
    }

    /// @notice Reverts with `EmissionInvalidSplit` unless the three shares add up to `BPS`.
    function validateSplit(uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) internal pure {
        if (operatorsBps + stakersBps + treasuryBps != BPS) {
            revert EmissionInvalidSplit(operatorsBps, stakersBps, treasuryBps);
        }
    }

    /// @notice The number of set bits of `x`, by parallel (SWAR) sums in O(1).
    function popcount(uint256 x) internal pure returns (uint256) {
        // Each step adds neighbouring lanes whose counts fit in the wider lane, so nothing carries
        // across lanes and nothing can overflow 256 bits.
        unchecked {
            x = x - ((x >> 1) & 0x5555555555555555555555555555555555555555555555555555555555555555);
            x =
                (x & 0x3333333333333333333333333333333333333333333333333333333333333333) +
                ((x >> 2) & 0x3333333333333333333333333333333333333333333333333333333333333333);
            x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f;
            x = (x + (x >> 8)) & 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff;
            x = (x + (x >> 16)) & 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff;
            x = (x + (x >> 32)) & 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff;
            x = (x + (x >> 64)) & 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff;
            return (x + (x >> 128)) & 0x1ff;
        }
    }
}
