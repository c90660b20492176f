import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { writeJsonAtomicallySync } from "./atomic";

import { DeploymentError, parseDeployment, type DeploymentRecord } from "./deployment-record";

export * from "./deployment-record";

export function deploymentPath(dir: string, chainId: number | bigint): string {
  return path.join(dir, `${chainId.toString()}.json`);
}

/** A contract of a record read by `readDeployment`: the file it came from and its name there. */
export interface RecordedContract {
  readonly file: string;
  readonly chainId: number;
  readonly name: string;
  readonly address: string;
}

/**
 * Every contract address of every record this process has read, by lowercase address (the latest
 * read wins). A call to one of them that finds no code can then name the record it came from:
 * see `recordedContract` and the provider guard of hardhat.config.ts.
 */
const recorded = new Map<string, RecordedContract>();

/** The record entry `readDeployment` read for `address`, if any. */
export function recordedContract(address: string): RecordedContract | undefined {
  return recorded.get(address.toLowerCase());
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
  for (const [name, address] of Object.entries(record.contracts)) {
    recorded.set(address.toLowerCase(), { file, chainId: record.chainId, name, address });
  }
  return record;
}

/**
 * The one line for a recorded contract that has no code on the chain, and what to do: on the
 * in-process `hardhat` network (which starts empty on every command, and shares chain id 31337 with
 * `localhost`) the record is a node's; elsewhere the chain was reset or is not the record's.
 */
export function noCodeMessage(contract: RecordedContract, network?: string): string {
  const what = `${contract.file} records ${contract.name} at ${contract.address}, but chain ${contract.chainId} has no code there`;
  if (network === "hardhat") {
    return `${what}: the in-process hardhat network starts empty on every command and shares chain id 31337 with localhost, so the record is a node's: add --network localhost`;
  }
  return `${what}: the chain was reset (a restarted node?) or is not the record's: deploy again with npx hardhat suite:deploy --network ${network ?? "<network>"} --reset`;
}

/** What `assertDeployed` needs of a provider. */
export interface CodeReader {
  getCode(address: string): Promise<string>;
}

/**
 * Checks that every contract of `record` (read from `file`) has code on `provider`'s chain.
 * Throws `DeploymentError` with `noCodeMessage`'s line for the first that has none.
 */
export async function assertDeployed(
  provider: CodeReader,
  record: DeploymentRecord,
  file: string,
  network?: string,
): Promise<void> {
  for (const [name, address] of Object.entries(record.contracts)) {
    if ((await provider.getCode(address)) === "0x") {
      throw new DeploymentError(noCodeMessage({ file, chainId: record.chainId, name, address }, network));
    }
  }
}

/**
 * `readDeployment`, then `assertDeployed`: the record of the provider's chain, each of whose
 * contracts has code there. What a task should load before it calls a contract.
 */
export async function loadDeployment(
  dir: string,
  chainId: number | bigint,
  provider: CodeReader,
  network?: string,
): Promise<DeploymentRecord> {
  const record = readDeployment(dir, chainId);
  await assertDeployed(provider, record, deploymentPath(dir, chainId), network);
  return record;
}

/** Writes `dir/<chainId>.json` atomically (a temporary file, then a rename). */
export function writeDeployment(dir: string, record: DeploymentRecord): string {
  const file = deploymentPath(dir, record.chainId);
  writeJsonAtomicallySync(file, record);
  return file;
}
