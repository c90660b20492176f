import { isAddress } from "ethers";

/*
 * The pure half of the deployment records: their shape, their parser and `addressOf`. It imports
 * nothing from Node, so that a browser bundle (the operator dApp, through the SDK's browser entry)
 * can parse a record it fetched. `deployments.ts` re-exports it and adds the file system.
 */

/**
 * The deployment record of one chain, `deployments/<chainId>.json`. dApps and tasks read contract
 * addresses from here and from nowhere else.
 */
export interface DeploymentRecord {
  readonly chainId: number;
  /** The block of the first deployment transaction. */
  readonly block: number;
  /** Contract name → address. */
  readonly contracts: Readonly<Record<string, string>>;
  /** The parameters used, as JSON (bigints as decimal strings). */
  readonly params?: unknown;
}

/** The names under which the suite records its contracts. */
export const CONTRACT_NAMES = [
  "AccessManager",
  "RewardToken",
  "DeviceRegistry",
  "DataCredits",
  "PriceFeed",
  "Staking",
  "StakingLens",
  "RewardsDistributor",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export class DeploymentError extends Error {
  override readonly name = "DeploymentError";
}

/** Parses and validates a record. Throws `DeploymentError` with a one-line reason. */
export function parseDeployment(json: string, source: string): DeploymentRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new DeploymentError(`${source} is not valid JSON`);
  }
  if (typeof raw !== "object" || raw === null) throw new DeploymentError(`${source} is not a deployment record`);
  const record = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(record.chainId)) throw new DeploymentError(`${source}: chainId must be an integer`);
  if (!Number.isSafeInteger(record.block)) throw new DeploymentError(`${source}: block must be an integer`);
  if (typeof record.contracts !== "object" || record.contracts === null) {
    throw new DeploymentError(`${source}: contracts must be an object of name → address`);
  }
  for (const [name, address] of Object.entries(record.contracts)) {
    if (typeof address !== "string" || !isAddress(address)) {
      throw new DeploymentError(`${source}: contracts.${name} is not an address`);
    }
  }
  return record as unknown as DeploymentRecord;
}

/** The address of `name` in the record. Throws `DeploymentError` when it is not recorded. */
export function addressOf(record: DeploymentRecord, name: ContractName): string {
  const address = record.contracts[name];
  if (address === undefined) throw new DeploymentError(`the deployment of chain ${record.chainId} has no ${name}`);
  return address;
}
