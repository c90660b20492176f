import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import type { Signer } from "ethers";

import { deploymentPath, readDeployment, writeDeployment, type DeploymentRecord } from "../deployments";
import { handOver } from "./authority";
import { DeployError, fileJournal, memoryJournal, writeFileAtomic, type Journal } from "./journal";
import { GOVERNANCE_ROLES, deploySuite, type Suite } from "./suite";
import { ParamsError, paramsToJson, parseSuiteParams } from "./suite-params";

/** What `suite:deploy` needs; the task fills it from the network and its arguments. */
export interface SuiteDeployRequest {
  readonly deployer: Signer;
  /** The second configured account, which `"oracle"` in a params file names. */
  readonly oracle?: string;
  readonly chainId: number;
  readonly paramsFile: string;
  /** Where `<chainId>.json` and the journal (`.journal/<chainId>.*`) live. */
  readonly deploymentsDir: string;
  /** False on the in-process chain, which dies with the process: nothing is written. */
  readonly persist: boolean;
  /** Hand every governance role to this address at the end, and renounce the deployer's. */
  readonly handover?: string;
  readonly log: (line: string) => void;
}

export interface SuiteDeployResult {
  readonly suite: Suite;
  readonly record: DeploymentRecord;
  /** Transactions this run sent; 0 means the suite was deployed and wired already. */
  readonly sent: number;
  readonly recordFile?: string;
}

/** The journal's pin: the params file it was started with, and what "now" meant then. */
interface ParamsPin {
  readonly paramsSha256: string;
  readonly now: string;
}

/** The governance a previous run handed over to, if any, so a re-run keeps it in the record. */
function governanceOf(record: DeploymentRecord | undefined): Record<string, unknown> {
  const params = record?.params as Record<string, unknown> | undefined;
  if (params?.governance === undefined) return {};
  return { governance: params.governance, handoverDelay: params.handoverDelay };
}

/**
 * `suite:deploy` as one call. Checks the params and the chain id before the first transaction;
 * journals every creation so that a run killed at any point resumes; pins the params file, so a
 * resumed run deploys what the first run began; hands over when asked; and writes
 * `deployments/<chainId>.json` at the end. A second run with the same params sends nothing and says so.
 */
export async function runSuiteDeploy(request: SuiteDeployRequest): Promise<SuiteDeployResult> {
  const { deployer, chainId, log } = request;
  if (!existsSync(request.paramsFile)) throw new ParamsError(`${request.paramsFile}: no such params file`);
  const text = readFileSync(request.paramsFile, "utf8");
  const sha256 = createHash("sha256").update(text).digest("hex");
  const provider = deployer.provider;
  if (provider === null) throw new DeployError("the deployer signer has no provider");
  const deployerAddress = await deployer.getAddress();

  const journalDir = path.join(request.deploymentsDir, ".journal");
  const pinFile = path.join(journalDir, `${chainId}.params.json`);
  let now: bigint;
  if (request.persist && existsSync(pinFile)) {
    const pin = JSON.parse(readFileSync(pinFile, "utf8")) as ParamsPin;
    if (pin.paramsSha256 !== sha256) {
      throw new ParamsError(
        `${request.paramsFile} changed since the deployment on chain ${chainId} began: restore it, or delete ${journalDir}/${chainId}.* to deploy anew`,
      );
    }
    now = BigInt(pin.now);
  } else {
    const latest = await provider.getBlock("latest");
    if (latest === null) throw new DeployError("the node returned no latest block");
    now = BigInt(latest.timestamp);
  }

  const file = parseSuiteParams(text, request.paramsFile, { deployer: deployerAddress, oracle: request.oracle, now });
  if (!file.chainIds.includes(chainId)) {
    throw new ParamsError(
      `${request.paramsFile} is for chain ${file.chainIds.join(", ")}, but the network is chain ${chainId}`,
    );
  }
  if (request.handover !== undefined && request.handover.toLowerCase() === deployerAddress.toLowerCase()) {
    throw new ParamsError("--handover must name another account than the deployer");
  }

  let journal: Journal = memoryJournal();
  if (request.persist) {
    const recordFile = deploymentPath(request.deploymentsDir, chainId);
    const journalFile = path.join(journalDir, `${chainId}.json`);
    if (existsSync(recordFile) && !existsSync(journalFile)) {
      throw new DeployError(
        `${recordFile} exists without its journal: move it away to deploy a new suite on chain ${chainId}`,
      );
    }
    writeFileAtomic(pinFile, JSON.stringify({ paramsSha256: sha256, now: now.toString() } satisfies ParamsPin) + "\n");
    journal = fileJournal(journalFile);
  }

  const nonceBefore = await provider.getTransactionCount(deployerAddress, "latest");
  log(`deploying the suite to chain ${chainId} from ${deployerAddress} with ${request.paramsFile}`);
  const suite = await deploySuite(deployer, file.params, journal);
  if (request.handover !== undefined) {
    await handOver(suite.manager, deployer, request.handover, file.handoverDelay, GOVERNANCE_ROLES);
    log(`handed every governance role to ${request.handover} behind a ${file.handoverDelay} s delay`);
  }
  const sent = (await provider.getTransactionCount(deployerAddress, "latest")) - nonceBefore;

  const blocks = Object.values(journal.entries())
    .map((entry) => entry.block)
    .filter((block): block is number => block !== undefined);
  const previous =
    request.persist && existsSync(deploymentPath(request.deploymentsDir, chainId))
      ? readDeployment(request.deploymentsDir, chainId)
      : undefined;
  const record: DeploymentRecord = {
    chainId,
    block: previous?.block ?? (blocks.length > 0 ? Math.min(...blocks) : 0),
    contracts: { ...suite.addresses },
    params: {
      file: path.basename(request.paramsFile),
      sha256,
      deployer: deployerAddress,
      ...(paramsToJson(file.params) as Record<string, unknown>),
      ...(request.handover !== undefined
        ? { governance: request.handover, handoverDelay: file.handoverDelay }
        : governanceOf(previous)),
    },
  };
  let recordFile: string | undefined;
  if (request.persist) recordFile = writeDeployment(request.deploymentsDir, record);

  if (sent === 0)
    log(`nothing to do: the suite is already deployed on chain ${chainId}${recordFile ? ` (${recordFile})` : ""}`);
  else log(`sent ${sent} transaction(s)${recordFile ? `; wrote ${recordFile}` : ""}`);
  return { suite, record, sent, recordFile };
}
