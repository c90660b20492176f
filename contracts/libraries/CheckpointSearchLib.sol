// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/**
 * @title CheckpointSearchLib
 * @notice The one search over Staking's checkpoint traces (stake, commission, tokens per share).
 * @dev Internal functions, compiled into their callers. Callers must never break: a trace's keys are
 * strictly increasing (`Checkpoints.push` keeps them so), and `indexAt(t, k)` is the index of the
 * last checkpoint whose key is at most `k`, the same checkpoint `upperLookupRecent(k)` reads.
 */
library CheckpointSearchLib {
    using Checkpoints for Checkpoints.Trace208;

    /// @dev The index of the last checkpoint whose key is at most `key`, if any (the newest first, then a
    /// binary search: the newest is the one most calls want).
    function indexAt(Checkpoints.Trace208 storage trace, uint256 key) internal view returns (bool, uint256) {
        uint256 len = trace.length();
        if (len == 0) return (false, 0);
        if (trace.at(uint32(len - 1))._key <= key) return (true, len - 1);
        uint256 low = 0;
        uint256 high = len - 1;
        while (low < high) {
            uint256 mid = Math.average(low, high);
            if (trace.at(uint32(mid))._key > key) high = mid;
            else low = mid + 1;
        }
        return low == 0 ? (false, 0) : (true, low - 1);
    }

    /// @dev The value of the last checkpoint of `trace` at or before `key`, 0 when there is none: what
    /// `upperLookupRecent` returns, through `indexAt`, which the claim path compiles into Staking anyway.
    function valueAt(Checkpoints.Trace208 storage trace, uint256 key) internal view returns (uint256) {
        (bool found, uint256 index) = indexAt(trace, key);
        return found ? trace.at(uint32(index))._value : 0;
    }
}
