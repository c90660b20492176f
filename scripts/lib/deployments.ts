import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

import { DeploymentError, parseDeployment, type DeploymentRecord } from "./deployment-record";

export * from "./deployment-record";

export function deploymentPath(dir: string, chainId: number | bigint): string {
  return path.join(dir, `${chainId.toString()}.json`);
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

/** Writes `dir/<chainId>.json` atomically (a temporary file, then a rename). */
export function writeDeployment(dir: string, record: DeploymentRecord): string {
  const file = deploymentPath(dir, record.chainId);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record, null, 2) + "\n");
  renameSync(temp, file);
  return file;
}
