// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";

/**
 * @title SuitePausable
 * @notice The suite's one pause convention, written once: OpenZeppelin's `PausableUpgradeable` surface
 * (`paused()`, `whenNotPaused`/`whenPaused`, `EnforcedPause()`/`ExpectedPause()`,
 * `Paused(address)`/`Unpaused(address)`), with the flag kept where the contract's paused paths read
 * anyway. DataCredits, DeviceRegistry, Staking and the RewardsDistributor inherit it.
 * @dev Pausable's own ERC-7201 slot would cost every paused path one more cold read (~2.1k gas on each
 * mint, onboarding, location assertion, stake, delegation, claim and root post, measured), so each
 * contract implements `_pausedFlag` and `_setPausedFlag` over a bool in a storage word those paths
 * already load. Pausable's slot stays empty (`__Pausable_init` writes false there).
 * Overriders must never break: `paused() == _pausedFlag()`; only `_pause` and `_unpause` call
 * `_setPausedFlag`; `_pause` reverts with `EnforcedPause` when paused and `_unpause` with
 * `ExpectedPause` when not.
 */
abstract contract SuitePausable is PausableUpgradeable {
    /// @notice Whether the contract is paused.
    function paused() public view virtual override returns (bool) {
        return _pausedFlag();
    }

    /// @dev The flag, read from the contract's own storage.
    function _pausedFlag() internal view virtual returns (bool);

    /// @dev Writes the flag; called only by `_pause` and `_unpause`.
    function _setPausedFlag(bool value) internal virtual;

    /// @dev OpenZeppelin's `_pause`, on the contract's own flag.
    function _pause() internal virtual override whenNotPaused {
        _setPausedFlag(true);
        emit Paused(_msgSender());
    }

    /// @dev OpenZeppelin's `_unpause`, on the contract's own flag.
    function _unpause() internal virtual override whenPaused {
        _setPausedFlag(false);
        emit Unpaused(_msgSender());
    }
}
