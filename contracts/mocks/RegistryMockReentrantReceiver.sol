// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

import {IDeviceRegistry} from "../interfaces/IDeviceRegistry.sol";

/**
 * @title RegistryMockReentrantReceiver
 * @notice Test-only device owner that, on receiving a device token, re-enters `onboard` with a request it was
 * primed with, catches the outcome and records it, so that a test can inspect what the re-entry achieved.
 */
contract RegistryMockReentrantReceiver is IERC721Receiver {
    IDeviceRegistry private immutable _registry;
    IDeviceRegistry.OnboardRequest private _reentry;
    bool private _armed;

    /// @notice How many tokens it received.
    uint256 public received;
    /// @notice Whether the re-entry succeeded.
    bool public reentrySucceeded;
    /// @notice The revert data of the re-entry, when it failed.
    bytes public reentryError;

    constructor(IDeviceRegistry registry) {
        _registry = registry;
    }

    /// @notice Sets the request to re-enter with on the next token received.
    function arm(IDeviceRegistry.OnboardRequest calldata reentry) external {
        _reentry = reentry;
        _armed = true;
    }

    /// @notice Onboards as the owner (so that it pays its own fee).
    function onboard(IDeviceRegistry.OnboardRequest calldata request) external returns (uint256) {
        return _registry.onboard(request);
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        received += 1;
        if (_armed) {
            _armed = false;
            try _registry.onboard(_reentry) {
                reentrySucceeded = true;
            } catch (bytes memory reason) {
                reentryError = reason;
            }
        }
        return IERC721Receiver.onERC721Received.selector;
    }
}
