// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title RegistryMockDataCredits
 * @notice Test-only stand-in for DataCredits on the DeviceRegistry's fee path, so the registry's unit tests can
 * hand out credits directly. It has `IDataCredits.burnFee`'s signature and semantics (a balance debit that reverts
 * when short, a running total and an event) but no access control. The fee path through the real DataCredits and
 * its FEE_BURNER role is tested in `DeviceRegistry.credits.test.ts`, and the gas bench uses the real contract.
 * `credit` mints for tests. Never deploy it on a public network.
 */
contract RegistryMockDataCredits {
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

    /// @notice Burns `amount` of `payer`'s credits, like `IDataCredits.burnFee`.
    function burnFee(address payer, uint256 amount, bytes32 reason) external {
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
