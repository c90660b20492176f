// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title RolesLib
 * @notice The role ids of the suite's single `AccessManager`, named once for Solidity. Their twin
 * for TypeScript is `scripts/lib/roles.ts`; a test keeps the two equal.
 * @dev `ADMIN` is the manager's own `ADMIN_ROLE` (0) and `PUBLIC` its `PUBLIC_ROLE`. Never renumber
 * a role of a deployed suite: the manager stores grants by id.
 */
library RolesLib {
    /// @notice Governance over the manager itself: roles, function roles, delays; behind an execution delay on
    /// public networks. Its calls are out of the guardian's reach, so a rogue guardian can always be removed.
    uint64 internal constant ADMIN = 0;
    /// @notice Pauses, vetoes pending reward roots and suspends devices; no execution delay.
    uint64 internal constant GUARDIAN = 1;
    /// @notice Posts epoch roots, updates the governed price feed and suspends devices.
    uint64 internal constant ORACLE = 2;
    /// @notice Mints the reward token within the emission schedule; held by the RewardsDistributor alone.
    uint64 internal constant MINTER = 3;
    /// @notice Adds, edits and disables device makers and classes.
    uint64 internal constant MAKER_ADMIN = 4;
    /// @notice Slashes operators' stake with an evidence hash.
    uint64 internal constant SLASHER = 5;
    /// @notice Registers and removes the routers that burn escrowed data credits.
    uint64 internal constant ROUTER_ADMIN = 6;
    /// @notice Upgrades the UUPS proxies of the suite.
    uint64 internal constant UPGRADER = 7;
    /// @notice Held by the DeviceRegistry contract alone: burns onboarding and location fees in DataCredits.
    uint64 internal constant FEE_BURNER = 8;
    /// @notice Held by the RewardsDistributor contract alone: notifies Staking of each epoch's stakers' share.
    uint64 internal constant REWARDS_NOTIFIER = 9;
    /// @notice Governance's administration of the suite's contracts (parameters, unpausing, sweeps, the oracle
    /// registry). Its role guardian is GUARDIAN, which may cancel (never execute) a scheduled call; the
    /// manager's own ADMIN cannot have a guardian.
    uint64 internal constant SUITE_ADMIN = 10;
    /// @notice Anyone; the manager's `PUBLIC_ROLE`.
    uint64 internal constant PUBLIC = type(uint64).max;
}
