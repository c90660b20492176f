// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IDataCredits
 * @notice Non-transferable data credits, minted by burning the reward token at a fixed dollar price.
 * @dev This first version declares only the fee path the DeviceRegistry uses. The DataCredits work
 * extends this interface; `burnFee` keeps this exact signature.
 */
interface IDataCredits {
    /**
     * @notice Burns `amount` credits of `payer` as a protocol fee, for `reason` (e.g. keccak256("ONBOARD")).
     * @dev `restricted`: the FEE_BURNER role, held by the DeviceRegistry. Reverts when `payer` holds
     * fewer than `amount` credits.
     */
    function burnFee(address payer, uint256 amount, bytes32 reason) external;
}
