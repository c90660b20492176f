import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

import { isAddress } from "ethers";

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
  "RewardsDistributor",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export class DeploymentError extends Error {
  override readonly name = "DeploymentError";
}

export function deploymentPath(dir: string, chainId: number | bigint): string {
  return path.join(dir, `${chainId.toString()}.json`);
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

/** Reads `dir/<chainId>.json`. Throws `DeploymentError` when it is missing or malformed. */
export function readDeployment(dir: string, chainId: number | bigint): DeploymentRecord {
  const file = deploymentPath(dir, chainId);
  if (!existsSync(file)) {
    throw new DeploymentError(`no deployment for chain ${chainId} (${file}): run suite:deploy first`);
  }
  const record = parseDeployment(readFileSync(file, "utf8"), file);
  if (BigInt(record.chainId) !== BigInt(chainId)) {
    throw new DeploymentError(`${file} records chain ${record.chainId}, not ${chainId}`);
  }
  return record;
}

/** The address of `name` in the record. Throws `DeploymentError` when it is not recorded. */
export function addressOf(record: DeploymentRecord, name: ContractName): string {
  const address = record.contracts[name];
  if (address === undefined) throw new DeploymentError(`the deployment of chain ${record.chainId} has no ${name}`);
  return address;
}

/** Writes `dir/<chainId>.json` atomically (a temporary file, then a rename). */
export function writeDeployment(dir: string, record: DeploymentRecord): string {
  const file = deploymentPath(dir, record.chainId);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record, null, 2) + "\n");
  renameSync(temp, file);
  return file;
}
