import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { getAddress, type ContractRunner } from "ethers";

import { readDeployment } from "../deployments";
import { proofFor, readEpochFile } from "../epochs/epochFile";
import { fetchDeployment } from "./browser";
import { connectWith, type DeploymentSource, type SuiteContracts } from "./contracts";
import { EpochClaimError, type EpochClaim } from "./epochs";

/**
 * The SDK of the suite, for Node (the package's main entry). `./browser` is the same without the
 * file system, for bundlers. Every helper takes an ethers Signer, Provider or the `SuiteContracts`
 * they were bound to; none reads the environment or argv.
 */
export * from "./common";
export { fetchDeployment };
export { readDeployment, writeDeployment, deploymentPath } from "../deployments";

/**
 * The package's own `deployments/` folder: the first `deployments` beside a `package.json` found
 * walking up from this file, so it resolves the same from the sources and from `dist/`.
 */
export function packageDeploymentsDir(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return path.join(dir, "deployments");
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve("deployments");
    dir = parent;
  }
}

const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

/**
 * Typed contracts of the suite on the runner's chain (or `chainId`, which must then match the
 * runner's), from `deployments`: a record, a list of records, a folder of `<chainId>.json` records,
 * or an http(s) base URL serving them. By default the records shipped with the package.
 */
export async function connectSuite(
  runner: ContractRunner,
  chainId?: bigint | number,
  deployments: DeploymentSource = packageDeploymentsDir(),
): Promise<SuiteContracts> {
  return connectWith(runner, chainId, deployments, async (location, id) =>
    isUrl(location) ? fetchDeployment(location, id) : readDeployment(location, id),
  );
}

/**
 * `account`'s claim in an epoch file at a path or an http(s) URL, read with the pipeline's own reader
 * (`readEpochFile`: the layout, every total and the tree rebuilt and compared) and `proofFor`. A URL
 * is downloaded to a temporary file first and removed after. Returns null when the account has no
 * leaf in the file.
 */
export async function loadEpochClaim(source: string, account: string): Promise<EpochClaim | null> {
  let file = source;
  let temp: string | undefined;
  if (isUrl(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new EpochClaimError(`${source}: HTTP ${response.status}`);
    temp = await mkdtemp(path.join(tmpdir(), "epoch-"));
    file = path.join(temp, "epoch.json");
    await writeFile(file, await response.text());
  }
  try {
    const epoch = await readEpochFile(file, { devices: "check" });
    if (epoch.tree === null || !epoch.cumulative.has(account.toLowerCase())) return null;
    const proof = await proofFor(epoch, account);
    return {
      source,
      epoch: epoch.epoch,
      chainId: epoch.chainId,
      distributor: getAddress(epoch.distributor),
      root: epoch.root,
      account: getAddress(proof.account),
      cumulativeAmount: BigInt(proof.cumulativeAmount),
      proof: proof.proof,
    };
  } finally {
    if (temp !== undefined) await rm(temp, { recursive: true, force: true });
  }
}
