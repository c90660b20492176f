// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDataCredits} from "../interfaces/IDataCredits.sol";

/**
 * @title RegistryMockDataCredits
 * @notice Test-only stand-in for DataCredits on the DeviceRegistry's fee path, until the real contract lands.
 * @dev `burnFee` does the work the real one must, at its storage cost: a balance debit that reverts when short,
 * a running total and an event. It has NO access control: the real DataCredits' `restricted` check (FEE_BURNER
 * through the AccessManager) costs about 12,800 gas more per burn, which the gas bench does not include.
 * `credit` mints for tests. Never deploy it on a public network.
 */
contract RegistryMockDataCredits is IDataCredits {
    mapping(address account => uint256) private _balances;
    uint256 private _totalBurned;

    /// @notice `payer` holds fewer credits than the fee.
    error RegistryMockInsufficientCredits(address payer, uint256 balance, uint256 needed);

    /// @notice A fee was burned.
    event FeeBurned(address indexed payer, uint256 amount, bytes32 indexed reason);

    /// @notice Test helper: gives `account` `amount` credits.
    function credit(address account, uint256 amount) external {
        _balances[account] += amount;
    }

    /// @inheritdoc IDataCredits
    function burnFee(address payer, uint256 amount, bytes32 reason) public virtual {
        uint256 balance = _balances[payer];
        if (balance < amount) revert RegistryMockInsufficientCredits(payer, balance, amount);
        // Cannot underflow: checked just above.
        unchecked {
            _balances[payer] = balance - amount;
        }
        _totalBurned += amount;
        emit FeeBurned(payer, amount, reason);
    }

    /// @notice The credits of `account`.
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /// @notice Every fee burned so far.
    function totalBurned() external view returns (uint256) {
        return _totalBurned;
    }
}
