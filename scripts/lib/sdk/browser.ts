import type { ContractRunner } from "ethers";

import { DeploymentError, parseDeployment, type DeploymentRecord } from "../deployment-record";
import { connectWith, type DeploymentSource, type SuiteContracts } from "./contracts";

export * from "./common";

/** Fetches `<base>/<chainId>.json` and parses it as a deployment record. */
export async function fetchDeployment(base: string, chainId: bigint): Promise<DeploymentRecord> {
  const url = `${base.replace(/\/+$/, "")}/${chainId}.json`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new DeploymentError(`cannot fetch ${url}: ${(error as Error).message}`);
  }
  if (response.status === 404) throw new DeploymentError(`no deployment of the suite on chain ${chainId} (${url})`);
  if (!response.ok) throw new DeploymentError(`${url}: HTTP ${response.status}`);
  return parseDeployment(await response.text(), url);
}

/**
 * The browser's `connectSuite`: typed contracts for the runner's chain (or `chainId`), from a record,
 * a list of records, or a base URL serving `deployments/<chainId>.json` (by default `/deployments`).
 */
export async function connectSuite(
  runner: ContractRunner,
  chainId?: bigint | number,
  deployments: DeploymentSource = "/deployments",
): Promise<SuiteContracts> {
  return connectWith(runner, chainId, deployments, fetchDeployment);
}
