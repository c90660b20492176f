// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DeviceRegistry} from "../registry/DeviceRegistry.sol";

/**
 * @title RegistryMockDeviceRegistryV2
 * @notice Test-only second version of the DeviceRegistry, to prove that an upgrade keeps every state and passes
 * the upgrades plugin's storage-layout validation. It only adds `version()`: the registry sits close to the
 * code-size limit.
 * It inherits V1's initializer, which the proxy already ran, and needs none of its own.
 * @custom:oz-upgrades-from contracts/registry/DeviceRegistry.sol:DeviceRegistry
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract RegistryMockDeviceRegistryV2 is DeviceRegistry {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() DeviceRegistry() {}

    /// @notice The implementation's version.
    function version() external pure returns (uint256) {
        return 2;
    }
}
