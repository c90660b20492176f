// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {StakingLayout, StakingStorage} from "../staking/StakingLayout.sol";

/**
 * @title StakingStateLib
 * @notice Reads `Staking`'s ERC-7201 storage from outside it, through `IStaking.extsload`, as Uniswap
 * v4's `StateLibrary` reads the PoolManager's. `StakingLens` is built on it.
 * @dev Slots are computed by the compiler from `StakingLayout` (a storage pointer into the namespace
 * is taken, never read, and its `.slot` used), so mappings, arrays and struct members follow the
 * layout by construction. Packed words are decoded by bit offset, in declaration order from the low
 * bits: a change of a packed struct in `StakingLayout` must change its decoder here. Callers must never
 * break: every function is a read of one consistent block (call it from a view, not across blocks).
 */
library StakingStateLib {
    /// @notice An operator's value fields (`StakingLayout.Operator` without its traces and mapping).
    struct OperatorState {
        address account;
        uint16 bondedGeneration;
        uint16 unbondingGeneration;
        uint16 initialCommissionBps;
        bool commissionChanged;
        bool slashed;
        uint32 commissionSettled;
        uint128 bondedTokens;
        uint128 bondedShares;
        uint128 unbondingTokens;
        uint128 unbondingShares;
    }

    /// @notice A checkpoint trace of Staking's (`Checkpoints.Trace208`): its array's slot and length.
    struct Trace {
        IStaking staking;
        bytes32 slot;
        uint256 length;
    }

    // ─── The layout's first word ──────────────────────────────────────────────────────────────

    /// @notice The epoch clock (genesis, epoch length) and the next epoch to notify.
    function clock(
        IStaking staking
    ) internal view returns (uint256 genesis, uint256 epochLength, uint256 nextRewardEpoch) {
        uint256 word = uint256(staking.extsload(StakingStorage.STORAGE_LOCATION));
        genesis = uint32(word >> 160);
        epochLength = uint24(word >> 192);
        nextRewardEpoch = uint32(word >> 216);
    }

    // ─── Mappings of the layout ───────────────────────────────────────────────────────────────

    /// @notice The id of `account` as an operator, 0 when it is not one.
    function operatorIdOf(IStaking staking, address account) internal view returns (uint32) {
        mapping(address => uint32) storage m = StakingStorage.getStorage().operatorIdOf;
        return uint32(uint256(staking.extsload(_mappingSlot(_slotOf(m), bytes32(uint256(uint160(account)))))));
    }

    /// @notice The value fields of operator `id`.
    function operatorState(IStaking staking, uint32 id) internal view returns (OperatorState memory o) {
        bytes32[] memory words = staking.extsload(_slotOf(StakingStorage.getStorage().operators[id]), 3);
        uint256 w = uint256(words[0]);
        o.account = address(uint160(w));
        o.bondedGeneration = uint16(w >> 160);
        o.unbondingGeneration = uint16(w >> 176);
        o.initialCommissionBps = uint16(w >> 192);
        o.commissionChanged = uint8(w >> 208) != 0;
        o.slashed = uint8(w >> 216) != 0;
        o.commissionSettled = uint32(w >> 224);
        (o.bondedTokens, o.bondedShares) = _pair(words[1]);
        (o.unbondingTokens, o.unbondingShares) = _pair(words[2]);
    }

    /// @notice The epoch of the 100% slash that voided bonded generation `generation` of operator `id`.
    function generationEnd(IStaking staking, uint32 id, uint256 generation) internal view returns (uint256) {
        mapping(uint256 => uint256) storage m = StakingStorage.getStorage().operators[id].generationEnd;
        return uint256(staking.extsload(_mappingSlot(_slotOf(m), bytes32(generation))));
    }

    /// @notice `account`'s bonded position.
    function position(IStaking staking, address account) internal view returns (StakingLayout.Position memory p) {
        uint256 w = uint256(staking.extsload(_slotOf(StakingStorage.getStorage().positions[account])));
        p.operatorId = uint32(w);
        p.generation = uint32(w >> 32);
        p.fromEpoch = uint32(w >> 64);
        p.settledEpoch = uint32(w >> 96);
        p.shares = uint128(w >> 128);
    }

    /// @notice `account`'s unclaimed rewards and the bounds of its history.
    function accountRecord(IStaking staking, address holder) internal view returns (StakingLayout.Account memory a) {
        uint256 w = uint256(staking.extsload(_slotOf(StakingStorage.getStorage().accounts[holder])));
        a.rewards = uint128(w);
        a.historyStart = uint32(w >> 128);
        a.historyEnd = uint32(w >> 160);
    }

    /// @notice Segment `index` of `holder`'s history.
    function segment(
        IStaking staking,
        address holder,
        uint256 index
    ) internal view returns (StakingLayout.Segment memory seg) {
        uint256 w = uint256(staking.extsload(_slotOf(StakingStorage.getStorage().history[holder][index])));
        seg.operatorId = uint32(w);
        seg.generation = uint32(w >> 32);
        seg.fromEpoch = uint32(w >> 64);
        seg.toEpoch = uint32(w >> 96);
        seg.shares = uint128(w >> 128);
    }

    /// @notice `holder`'s pending unbond requests.
    function unbondRequests(
        IStaking staking,
        address holder
    ) internal view returns (IStaking.UnbondRequest[] memory requests) {
        bytes32 slot = _slotOf(StakingStorage.getStorage().unbonds[holder]);
        uint256 length = uint256(staking.extsload(slot));
        requests = new IStaking.UnbondRequest[](length);
        if (length == 0) return requests;
        bytes32[] memory words = staking.extsload(keccak256(abi.encode(slot)), length);
        for (uint256 i = 0; i < length; ++i) {
            uint256 w = uint256(words[i]);
            requests[i] = IStaking.UnbondRequest({
                operatorId: uint32(w),
                generation: uint32(w >> 32),
                maturity: uint64(w >> 64),
                shares: uint128(w >> 128)
            });
        }
    }

    /// @notice The cumulative reward-per-token index of every epoch before `epoch`.
    function cumulative(IStaking staking, uint256 epoch) internal view returns (uint256) {
        mapping(uint256 => uint256) storage m = StakingStorage.getStorage().cumulative;
        return uint256(staking.extsload(_mappingSlot(_slotOf(m), bytes32(epoch))));
    }

    // ─── Checkpoint traces ────────────────────────────────────────────────────────────────────

    /// @notice The total stake's trace (epoch end → total stake at that end).
    function totalStakeTrace(IStaking staking) internal view returns (Trace memory) {
        return _trace(staking, StakingStorage.getStorage().totalStake);
    }

    /// @notice Operator `id`'s stake trace (epoch end → its stake at that end).
    function stakeTrace(IStaking staking, uint32 id) internal view returns (Trace memory) {
        return _trace(staking, StakingStorage.getStorage().operators[id].stake);
    }

    /// @notice Operator `id`'s commission trace (epoch → commission in effect from it).
    function commissionTrace(IStaking staking, uint32 id) internal view returns (Trace memory) {
        return _trace(staking, StakingStorage.getStorage().operators[id].commission);
    }

    /// @notice Operator `id`'s tokens-per-share trace (epoch → tokens per share at its end).
    function tokensPerShareTrace(IStaking staking, uint32 id) internal view returns (Trace memory) {
        return _trace(staking, StakingStorage.getStorage().operators[id].tokensPerShare);
    }

    /// @notice Checkpoint `index` of `trace`.
    function at(Trace memory trace, uint256 index) internal view returns (uint256 key, uint256 value) {
        uint256 w = uint256(trace.staking.extsload(bytes32(uint256(keccak256(abi.encode(trace.slot))) + index)));
        key = uint48(w);
        value = w >> 48;
    }

    /// @notice As `CheckpointSearchLib.indexAt`: the last checkpoint whose key is at most `key`, if any.
    function indexAt(Trace memory trace, uint256 key) internal view returns (bool, uint256) {
        uint256 len = trace.length;
        if (len == 0) return (false, 0);
        (uint256 lastKey, ) = at(trace, len - 1);
        if (lastKey <= key) return (true, len - 1);
        uint256 low = 0;
        uint256 high = len - 1;
        while (low < high) {
            uint256 mid = Math.average(low, high);
            (uint256 midKey, ) = at(trace, mid);
            if (midKey > key) high = mid;
            else low = mid + 1;
        }
        return low == 0 ? (false, 0) : (true, low - 1);
    }

    /// @notice As `CheckpointSearchLib.valueAt`: the value at or before `key`, 0 when there is none.
    function valueAt(Trace memory trace, uint256 key) internal view returns (uint256 value) {
        (bool found, uint256 index) = indexAt(trace, key);
        if (found) (, value) = at(trace, index);
    }

    // ─── Private ──────────────────────────────────────────────────────────────────────────────

    function _trace(IStaking staking, Checkpoints.Trace208 storage t) private view returns (Trace memory) {
        bytes32 slot;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := t.slot
        }
        return Trace({staking: staking, slot: slot, length: uint256(staking.extsload(slot))});
    }

    function _slotOf(mapping(address => uint32) storage m) private pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := m.slot
        }
    }

    function _slotOf(mapping(uint256 => uint256) storage m) private pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := m.slot
        }
    }

    function _slotOf(StakingLayout.Operator storage o) private pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := o.slot
        }
    }

    function _slotOf(StakingLayout.Position storage p) private pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := p.slot
        }
    }

    function _slotOf(StakingLayout.Account storage a) private pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := a.slot
        }
    }

    function _slotOf(StakingLayout.Segment storage seg) private pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := seg.slot
        }
    }

    function _slotOf(IStaking.UnbondRequest[] storage requests) private pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slot := requests.slot
        }
    }

    /// @dev The slot of `key` in the mapping at `slot` (value-type keys: `keccak256(key . slot)`).
    function _mappingSlot(bytes32 slot, bytes32 key) private pure returns (bytes32) {
        return keccak256(abi.encode(key, slot));
    }

    /// @dev A word of two `uint128`s, the low one first.
    function _pair(bytes32 word) private pure returns (uint128 low, uint128 high) {
        low = uint128(uint256(word));
        high = uint128(uint256(word) >> 128);
    }
}
