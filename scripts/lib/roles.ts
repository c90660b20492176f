/**
 * The role ids of the suite's single AccessManager, named once for TypeScript. Their twin for
 * Solidity is `contracts/libraries/RolesLib.sol`; a test keeps the two equal.
 */
export const Roles = {
  ADMIN: 0n,
  GUARDIAN: 1n,
  ORACLE: 2n,
  MINTER: 3n,
  MAKER_ADMIN: 4n,
  SLASHER: 5n,
  ROUTER_ADMIN: 6n,
  UPGRADER: 7n,
  /** Held by the DeviceRegistry contract: burns its fees in DataCredits. */
  FEE_BURNER: 8n,
  /** Held by the RewardsDistributor contract: notifies Staking of the stakers' share. */
  REWARDS_NOTIFIER: 9n,
  /**
   * Governance's administration of the suite's contracts (parameters, unpausing, sweeps, the oracle
   * registry). The manager's own ADMIN cannot have a role guardian, so these calls have a role of their
   * own, whose guardian is GUARDIAN: the emergency key can cancel a scheduled call, never execute one.
   */
  SUITE_ADMIN: 10n,
  PUBLIC: 2n ** 64n - 1n,
} as const;

export type RoleName = keyof typeof Roles;

/** Every role that can be granted (ADMIN and PUBLIC are the manager's own). */
export const GRANTABLE_ROLES: readonly RoleName[] = [
  "GUARDIAN",
  "ORACLE",
  "MINTER",
  "MAKER_ADMIN",
  "SLASHER",
  "ROUTER_ADMIN",
  "UPGRADER",
  "FEE_BURNER",
  "REWARDS_NOTIFIER",
  "SUITE_ADMIN",
];

/**
 * The roles whose scheduled calls the GUARDIAN may cancel (it is their role guardian): every governance
 * role on the suite's contracts. Not the manager's own ADMIN (OpenZeppelin locks it): grants, revocations
 * and function roles stay out of the guardian's reach, so governance can always remove a rogue guardian.
 */
export const GUARDED_ROLES: readonly RoleName[] = ["SUITE_ADMIN", "UPGRADER", "MAKER_ADMIN", "ROUTER_ADMIN", "SLASHER"];

export function roleName(id: bigint): RoleName {
  const entry = (Object.entries(Roles) as [RoleName, bigint][]).find(([, value]) => value === id);
  if (entry === undefined) throw new Error(`unknown role id ${id}`);
  return entry[0];
}
