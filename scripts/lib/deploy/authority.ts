import { id, type ContractRunner, type Signer } from "ethers";

import { AccessManager__factory, type AccessManager } from "../../../typechain-types";
import { GUARDED_ROLES, Roles, type RoleName } from "../roles";
import { createOnce, memoryJournal, type Journal } from "./journal";

/** The functions of one target and the role each is restricted to, by signature. */
export type RoleTable = Partial<Record<RoleName, readonly string[]>>;

/** One role grant: `account` gets `role`, and its calls wait `executionDelay` seconds. */
export interface RoleGrant {
  readonly role: RoleName;
  readonly account: string;
  readonly executionDelay?: number;
}

/**
 * Deploys the suite's single AccessManager with the deployer as its first ADMIN (no delay), then
 * `configureAuthority`.
 */
export async function deployAuthority(deployer: Signer, journal: Journal = memoryJournal()): Promise<AccessManager> {
  const factory = new AccessManager__factory(deployer);
  const address = await createOnce(deployer, journal, "AccessManager", factory, await deployer.getAddress());
  const manager = AccessManager__factory.connect(address, deployer);
  await configureAuthority(manager, deployer);
  return manager;
}

/**
 * While the deployer is ADMIN: makes GUARDIAN the role guardian of every governance role on the suite's
 * contracts (`GUARDED_ROLES`), so that the emergency key can cancel, never execute, a call governance
 * scheduled; and gives the deployer SUITE_ADMIN (without delay) until the handover. Reads the chain
 * first: a second run sends nothing, and after a handover it does nothing.
 */
export async function configureAuthority(manager: AccessManager, deployer: Signer): Promise<number> {
  const self = await deployer.getAddress();
  const [isAdmin] = await manager.hasRole(Roles.ADMIN, self);
  if (!isAdmin) return 0;
  let sent = 0;
  for (const role of GUARDED_ROLES) {
    if ((await manager.getRoleGuardian(Roles[role])) === Roles.GUARDIAN) continue;
    await (await manager.connect(deployer).setRoleGuardian(Roles[role], Roles.GUARDIAN)).wait();
    sent += 1;
  }
  return sent + (await grantRoles(manager.connect(deployer), [{ role: "SUITE_ADMIN", account: self }]));
}

export function connectAuthority(address: string, runner: ContractRunner): AccessManager {
  return AccessManager__factory.connect(address, runner);
}

/** The 4-byte selector of a function signature such as `mint(address,uint256)`. */
export function selectorOf(signature: string): string {
  return id(signature).slice(0, 10);
}

/**
 * Restricts each function of `target` to its role. Reads the current role of every selector first
 * and sends only what differs, so running it again sends nothing.
 */
export async function restrictFunctions(manager: AccessManager, target: string, table: RoleTable): Promise<number> {
  let sent = 0;
  for (const [role, signatures] of Object.entries(table) as [RoleName, readonly string[]][]) {
    const roleId = Roles[role];
    const pending: string[] = [];
    for (const signature of signatures) {
      const selector = selectorOf(signature);
      if ((await manager.getTargetFunctionRole(target, selector)) !== roleId) pending.push(selector);
    }
    if (pending.length > 0) {
      await (await manager.setTargetFunctionRole(target, pending, roleId)).wait();
      sent += 1;
    }
  }
  return sent;
}

/** Grants each role that is not held yet with the same execution delay. Returns how many were sent. */
export async function grantRoles(manager: AccessManager, grants: readonly RoleGrant[]): Promise<number> {
  let sent = 0;
  for (const { role, account, executionDelay = 0 } of grants) {
    const [isMember, currentDelay] = await manager.hasRole(Roles[role], account);
    if (isMember && Number(currentDelay) === executionDelay) continue;
    await (await manager.grantRole(Roles[role], account, executionDelay)).wait();
    sent += 1;
  }
  return sent;
}

/**
 * Hands governance to `governance` (a timelock or multisig): it gets each of `roles` (ADMIN by
 * default) with `executionDelay`, and the deployer renounces every role it holds. After this the
 * deployer can do nothing. Each step reads the chain first, so running it again sends nothing.
 */
export async function handOver(
  manager: AccessManager,
  deployer: Signer,
  governance: string,
  executionDelay: number,
  roles: readonly RoleName[] = ["ADMIN"],
): Promise<void> {
  const self = await deployer.getAddress();
  if (governance.toLowerCase() === self.toLowerCase()) {
    throw new Error("handover target must differ from the deployer");
  }
  await grantRoles(
    manager,
    roles.map((role) => ({ role, account: governance, executionDelay })),
  );
  for (const role of Object.keys(Roles) as RoleName[]) {
    if (role === "PUBLIC") continue;
    const [isMember] = await manager.hasRole(Roles[role], self);
    if (isMember) await (await manager.connect(deployer).renounceRole(Roles[role], self)).wait();
  }
}

/**
 * The current members of every role, rebuilt from the manager's `RoleGranted` and `RoleRevoked`
 * logs (the manager cannot enumerate them itself). Keys are role ids; addresses are checksummed.
 */
export async function roleMembers(manager: AccessManager, fromBlock = 0): Promise<Map<bigint, Set<string>>> {
  const members = new Map<bigint, Set<string>>();
  const granted = await manager.queryFilter(manager.filters.RoleGranted(), fromBlock);
  const revoked = await manager.queryFilter(manager.filters.RoleRevoked(), fromBlock);
  const events = [...granted.map((e) => ({ e, grant: true })), ...revoked.map((e) => ({ e, grant: false }))].sort(
    (a, b) => a.e.blockNumber - b.e.blockNumber || a.e.index - b.e.index,
  );
  for (const { e, grant } of events) {
    const role = e.args.roleId;
    const set = members.get(role) ?? new Set<string>();
    if (grant) set.add(e.args.account);
    else set.delete(e.args.account);
    members.set(role, set);
  }
  return members;
}
