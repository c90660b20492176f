// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";

import {IDeviceRegistry} from "../interfaces/IDeviceRegistry.sol";

/**
 * @title DeviceSuspensionLib
 * @notice The DeviceRegistry's suspensions: the oracles' budget per window, the record of who suspended each device,
 * and the guardian's lift of one account's suspensions. The rules are `IDeviceRegistry`'s.
 * @dev An external (linked) library, like `DeviceOnboardingLib`, so that the registry stays under the 24,576-byte
 * code limit at the suite's optimizer settings. It runs in the registry's context (`msg.sender` is the registry's
 * caller, and its events are the registry's). It is stateless and has no `selfdestruct`; it only touches the storage
 * the registry passes and reverts with the registry's own errors. Overriders must never let the oracle path skip
 * the budget, or let a lift reinstate a device that `suspender` did not suspend.
 */
library DeviceSuspensionLib {
    /**
     * @notice The oracle path: counts the suspension against the caller's budget, then suspends. Reverts with
     * `UnknownDevice` for an id that names no device that ever onboarded, `SuspensionBudgetExceeded` when the caller
     * has made `budget.perWindow` suspensions in its current window, and `InvalidDeviceStatus` unless the device is
     * Active; a revert uses no budget.
     * @param budget The oracles' budget.
     * @param used The caller's use of it.
     * @param devices The registry's device records, by device address.
     * @param tokenId The device's token id.
     * @param reasonCode The suspension's reason code.
     */
    function suspendWithinBudget(
        IDeviceRegistry.SuspensionBudget storage budget,
        IDeviceRegistry.OracleSuspensions storage used,
        mapping(address device => IDeviceRegistry.DeviceRecord) storage devices,
        uint256 tokenId,
        uint16 reasonCode
    ) external {
        IDeviceRegistry.DeviceRecord storage record = _knownDevice(devices, tokenId);
        uint256 window = budget.windowSeconds;
        uint256 start = used.windowStart;
        uint256 count = used.count;
        // The caller's first suspension after its window is over opens the next one (with no window set, each
        // call opens one, and the zero budget of such a proxy refuses it).
        if (block.timestamp >= start + window) {
            start = block.timestamp;
            count = 0;
        }
        uint256 perWindow = budget.perWindow;
        if (count >= perWindow) {
            revert IDeviceRegistry.SuspensionBudgetExceeded(msg.sender, perWindow, window, start + window);
        }
        // Both fit: `start` is a block timestamp, and `count` < `perWindow`, a uint32.
        used.windowStart = uint40(start);
        used.count = uint32(count + 1);
        _suspend(record, tokenId, reasonCode);
    }

    /**
     * @notice The guardian's path: suspends with no budget. Reverts with `UnknownDevice` or `InvalidDeviceStatus`.
     * @param devices The registry's device records, by device address.
     * @param tokenId The device's token id.
     * @param reasonCode The suspension's reason code.
     */
    function suspend(
        mapping(address device => IDeviceRegistry.DeviceRecord) storage devices,
        uint256 tokenId,
        uint16 reasonCode
    ) external {
        _suspend(_knownDevice(devices, tokenId), tokenId, reasonCode);
    }

    /**
     * @notice Governance's `reinstate`: a Suspended device back to Active. Reverts with `UnknownDevice`, or
     * `InvalidDeviceStatus` unless the device is Suspended.
     * @param devices The registry's device records, by device address.
     * @param tokenId The device's token id.
     */
    function reinstate(
        mapping(address device => IDeviceRegistry.DeviceRecord) storage devices,
        uint256 tokenId
    ) external {
        IDeviceRegistry.DeviceRecord storage record = _knownDevice(devices, tokenId);
        IDeviceRegistry.DeviceStatus status = record.status;
        if (status != IDeviceRegistry.DeviceStatus.Suspended) {
            revert IDeviceRegistry.InvalidDeviceStatus(tokenId, status);
        }
        _reinstate(record, tokenId);
    }

    /**
     * @notice Reinstates each listed device that is Suspended with `suspender` as its `suspendedBy`, skipping every
     * other id (an id above 160 bits too: truncated, it would alias a device). Returns how many it reinstated.
     * @param devices The registry's device records, by device address.
     * @param suspender The account whose suspensions to lift.
     * @param tokenIds The devices to lift.
     */
    function lift(
        mapping(address device => IDeviceRegistry.DeviceRecord) storage devices,
        address suspender,
        uint256[] calldata tokenIds
    ) external returns (uint256 lifted) {
        if (tokenIds.length == 0) revert IDeviceRegistry.EmptyBatch();
        for (uint256 i = 0; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            if (tokenId > type(uint160).max) continue;
            IDeviceRegistry.DeviceRecord storage record = devices[address(uint160(tokenId))];
            if (record.status != IDeviceRegistry.DeviceStatus.Suspended || record.suspendedBy != suspender) continue;
            _reinstate(record, tokenId);
            ++lifted;
        }
        emit IDeviceRegistry.SuspensionsLifted(suspender, lifted);
    }

    /// @dev Suspends an Active device and records the caller as its `suspendedBy`.
    function _suspend(IDeviceRegistry.DeviceRecord storage record, uint256 tokenId, uint16 reasonCode) private {
        IDeviceRegistry.DeviceStatus status = record.status;
        if (status != IDeviceRegistry.DeviceStatus.Active) revert IDeviceRegistry.InvalidDeviceStatus(tokenId, status);
        record.status = IDeviceRegistry.DeviceStatus.Suspended;
        record.suspensionReason = reasonCode;
        // The record's second slot (see `DeviceRecord`): ~22.1k gas on a device's first suspension, ~5k at most later.
        record.suspendedBy = msg.sender;
        emit IDeviceRegistry.DeviceSuspended(tokenId, reasonCode, msg.sender);
        emit IERC4906.MetadataUpdate(tokenId);
    }

    function _reinstate(IDeviceRegistry.DeviceRecord storage record, uint256 tokenId) private {
        record.status = IDeviceRegistry.DeviceStatus.Active;
        emit IDeviceRegistry.DeviceReinstated(tokenId);
        emit IERC4906.MetadataUpdate(tokenId);
    }

    /// @dev The record of a key that onboarded (the registry's `_knownDevice`); reverts with `UnknownDevice`.
    function _knownDevice(
        mapping(address device => IDeviceRegistry.DeviceRecord) storage devices,
        uint256 tokenId
    ) private view returns (IDeviceRegistry.DeviceRecord storage record) {
        if (tokenId > type(uint160).max) revert IDeviceRegistry.UnknownDevice(tokenId);
        record = devices[address(uint160(tokenId))];
        if (record.onboardedAt == 0) revert IDeviceRegistry.UnknownDevice(tokenId);
    }
}
