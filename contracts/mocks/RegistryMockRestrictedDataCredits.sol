// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {RegistryMockDataCredits} from "./RegistryMockDataCredits.sol";

/**
 * @title RegistryMockRestrictedDataCredits
 * @notice Test-only `RegistryMockDataCredits` whose `burnFee` is `restricted`, as the real DataCredits' is: it
 * proves the deploy library's FEE_BURNER grant to the registry end to end, and measures the access check's cost.
 */
contract RegistryMockRestrictedDataCredits is RegistryMockDataCredits, AccessManaged {
    constructor(address authority) AccessManaged(authority) {}

    /// @notice `restricted`: FEE_BURNER.
    function burnFee(address payer, uint256 amount, bytes32 reason) public override restricted {
        super.burnFee(payer, amount, reason);
    }
}
