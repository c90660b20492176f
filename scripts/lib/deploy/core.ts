import type { Signer } from "ethers";

import type { AccessManager, RewardToken } from "../../../typechain-types";
import { deployAuthority, grantRoles, restrictFunctions, type RoleGrant } from "./authority";
import { memoryJournal, type Journal } from "./journal";
import type { TokenParams } from "./params";
import { REWARD_TOKEN_ROLES, deployRewardToken } from "./token";

export interface CoreParams {
  readonly token: TokenParams;
  /** Role grants beyond the deployer's ADMIN, e.g. a guardian or an interim minter. */
  readonly grants?: readonly RoleGrant[];
  /** Where creations are journaled, so a killed deploy can resume (in memory by default). */
  readonly journal?: Journal;
}

export interface Core {
  readonly manager: AccessManager;
  readonly token: RewardToken;
}

/**
 * Deploys the authority and the token, restricts the token's functions to their roles and makes the
 * grants. The deployer stays ADMIN until `handOver`. Tests and the deploy task both call this.
 */
export async function deployCore(deployer: Signer, params: CoreParams): Promise<Core> {
  const journal = params.journal ?? memoryJournal();
  const manager = await deployAuthority(deployer, journal);
  const token = await deployRewardToken(deployer, manager, params.token, journal);
  await restrictFunctions(manager, await token.getAddress(), REWARD_TOKEN_ROLES);
  await grantRoles(manager, params.grants ?? []);
  return { manager, token };
}
