import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from "node:fs";
import path from "node:path";

import { writeFileAtomicallySync } from "../atomic";

import type { Provider, Signer } from "ethers";

import {
  deploymentPath,
  readDeployment,
  writeDeployment,
  type DeploymentRecord,
  type RecordedParams,
} from "../deployments";
import { handOver } from "./authority";
import { DeployError, displayPath as shown, fileJournal, memoryJournal, type Journal } from "./journal";
import { GOVERNANCE_ROLES, deploySuite, type Suite } from "./suite";
import { ParamsError, paramsToJson, parseSuiteParams } from "./suite-params";
import { schemaParser } from "../schema";

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
  /**
   * When the journal or the record is stale (the chain was reset: a recorded contract has no code,
   * or the chain's genesis block is not the journal's), move them aside and deploy afresh.
   */
  readonly reset?: boolean;
  /** The network's name and its own params file (`deploy/params/<network>.json`), for the hints of errors. */
  readonly network?: string;
  readonly networkParamsFile?: string;
  readonly log: (line: string) => void;
}

export interface SuiteDeployResult {
  readonly suite: Suite;
  readonly record: DeploymentRecord;
  /** Transactions this run sent; 0 means the suite was deployed and wired already. */
  readonly sent: number;
  readonly recordFile?: string;
}

/**
 * The journal's pin: the params file it was started with, what "now" meant then, and the hash of
 * the chain's genesis block (absent in pins written before it was recorded), by which a reset
 * chain is told from the one the journal was written on.
 */
interface ParamsPin {
  readonly paramsSha256: string;
  readonly now: string;
  readonly genesis?: string;
}

const pinFile = schemaParser<ParamsPin>(
  {
    type: "object",
    properties: {
      paramsSha256: { type: "string", pattern: "^[0-9a-f]{64}$", messages: { pattern: "must be a SHA-256 in hex" } },
      now: { type: "string", pattern: "^[0-9]+$", messages: { pattern: "must be a decimal Unix time" } },
      genesis: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$", messages: { pattern: "must be a block hash" } },
    },
    required: ["paramsSha256", "now"],
    additionalProperties: false,
  },
  { error: DeployError },
);

/** Reads the pin of a journal. Throws `DeployError` with one line when it is malformed. */
function readPin(file: string): ParamsPin {
  return pinFile.text(readFileSync(file, "utf8"), shown(file));
}

/** How `suite:init-params --from` names a params file: by its network name when it is one of deploy/params/. */
function templateArg(file: string, networkParamsFile: string | undefined): string {
  if (networkParamsFile !== undefined && path.dirname(file) === path.dirname(networkParamsFile)) {
    return path.basename(file, ".json");
  }
  return shown(file);
}

/** The one line for a params file that does not exist, saying how to write one. */
function missingParamsMessage(request: SuiteDeployRequest): string {
  const network = request.network ?? "<network>";
  const init = `npx hardhat suite:init-params --network ${network} --from localhost`;
  if (request.networkParamsFile === undefined || request.paramsFile === request.networkParamsFile) {
    return `${shown(request.paramsFile)}: no such params file: write it for chain ${request.chainId} with ${init} (--from testnet for a public testnet), review it, then deploy again`;
  }
  return `${shown(request.paramsFile)}: no such params file (--params): check the path, or write ${shown(request.networkParamsFile)} for chain ${request.chainId} with ${init}`;
}

/** The one line for a params file that does not list the network's chain, saying what to run. */
function wrongChainMessage(request: SuiteDeployRequest, chainIds: readonly number[]): string {
  const { chainId, paramsFile, networkParamsFile } = request;
  const network = request.network ?? "<network>";
  const what = `${shown(paramsFile)} is for chain ${chainIds.join(", ")}, but the network is chain ${chainId}`;
  if (networkParamsFile === undefined) {
    return `${what}: write a params file for chain ${chainId} with npx hardhat suite:init-params --network ${network} --from ${templateArg(paramsFile, undefined)}`;
  }
  if (paramsFile === networkParamsFile) {
    return `${what}: add ${chainId} to its chainIds if its parameters suit this chain, or rewrite it for chain ${chainId} with npx hardhat suite:init-params --network ${network} --from ${templateArg(paramsFile, networkParamsFile)} --force`;
  }
  const init = `npx hardhat suite:init-params --network ${network} --from ${templateArg(paramsFile, networkParamsFile)}`;
  if (!existsSync(networkParamsFile)) {
    return `${what}: write ${shown(networkParamsFile)} for chain ${chainId} from it with ${init}, then deploy without --params`;
  }
  if (listedChainIds(networkParamsFile).includes(chainId)) {
    return `${what}: drop --params to deploy with ${shown(networkParamsFile)}, which is for chain ${chainId}`;
  }
  return `${what}: rewrite ${shown(networkParamsFile)} from it for chain ${chainId} with ${init} --force, then deploy without --params`;
}

/** The `chainIds` a params file lists, read loosely (none when it cannot be read). */
function listedChainIds(file: string): unknown[] {
  try {
    const chainIds = (JSON.parse(readFileSync(file, "utf8")) as { chainIds?: unknown }).chainIds;
    return Array.isArray(chainIds) ? chainIds : [];
  } catch {
    return [];
  }
}

/** The hash of the chain's genesis block. */
async function genesisHash(provider: Provider): Promise<string> {
  const genesis = await provider.getBlock(0);
  if (genesis === null || genesis.hash === null) throw new DeployError("the node returned no genesis block");
  return genesis.hash;
}

/**
 * Why the journal or the record of `chainId` in `dir` no longer matches the chain, or undefined
 * when it does (or there is neither). A journaled creation or a recorded contract without code
 * says the chain was reset; so does a genesis block other than the one the pin recorded.
 */
async function staleDeployment(provider: Provider, dir: string, chainId: number): Promise<string | undefined> {
  const journalDir = path.join(dir, ".journal");
  const journalFile = path.join(journalDir, `${chainId}.json`);
  const recordFile = deploymentPath(dir, chainId);
  const noCode = (file: string, name: string, address: string) =>
    `${shown(file)} records ${name} at ${address}, but chain ${chainId} has no code there`;
  if (existsSync(journalFile)) {
    for (const [name, entry] of Object.entries(fileJournal(journalFile).entries())) {
      if (entry.status === "deployed" && (await provider.getCode(entry.address)) === "0x") {
        return noCode(journalFile, name, entry.address);
      }
    }
  }
  if (existsSync(recordFile)) {
    for (const [name, address] of Object.entries(readDeployment(dir, chainId).contracts)) {
      if ((await provider.getCode(address)) === "0x") return noCode(recordFile, name, address);
    }
  }
  const pinPath = path.join(journalDir, `${chainId}.params.json`);
  if (existsSync(pinPath)) {
    const pin = readPin(pinPath);
    const genesis = await genesisHash(provider);
    if (pin.genesis !== undefined && pin.genesis !== genesis) {
      return `${shown(pinPath)} was written on a chain whose genesis block is ${pin.genesis}, but chain ${chainId}'s is ${genesis}`;
    }
  }
  return undefined;
}

/**
 * Moves every file of chain `chainId`'s deployment (the record and anything else named
 * `<chainId>.*` in `dir`, and the journal's `<chainId>.*` files) into a new folder
 * `dir/.journal/<chainId>.stale-<n>/`, laid out as `dir` is (so `--deployments` can read it), with
 * `n` the first number not taken. Deletes nothing. Returns the folder and the files moved.
 */
export function moveDeploymentAside(dir: string, chainId: number): { folder: string; moved: string[] } {
  const journalDir = path.join(dir, ".journal");
  let n = 1;
  while (existsSync(path.join(journalDir, `${chainId}.stale-${n}`))) n++;
  const folder = path.join(journalDir, `${chainId}.stale-${n}`);
  const moved: string[] = [];
  for (const [from, to] of [
    [dir, folder],
    [journalDir, path.join(folder, ".journal")],
  ] as const) {
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from).sort()) {
      if (!name.startsWith(`${chainId}.`) || !statSync(path.join(from, name)).isFile()) continue;
      mkdirSync(to, { recursive: true });
      renameSync(path.join(from, name), path.join(to, name));
      moved.push(path.relative(dir, path.join(from, name)));
    }
  }
  return { folder, moved };
}

/** The governance a previous run handed over to, if any, so a re-run keeps it in the record. */
function governanceOf(record: DeploymentRecord | undefined): Pick<RecordedParams, "governance" | "handoverDelay"> {
  const params = record?.params;
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
  const network = request.network ?? "<network>";
  if (!existsSync(request.paramsFile)) throw new ParamsError(missingParamsMessage(request));
  const text = readFileSync(request.paramsFile, "utf8");
  const sha256 = createHash("sha256").update(text).digest("hex");
  const provider = deployer.provider;
  if (provider === null) throw new DeployError("the deployer signer has no provider");
  const deployerAddress = await deployer.getAddress();

  const journalDir = path.join(request.deploymentsDir, ".journal");
  const pinPath = path.join(journalDir, `${chainId}.params.json`);
  // A journal or a record that the chain no longer holds (a restarted node) blocks the deploy,
  // unless --reset moves it aside; it is checked before anything else reads it.
  const stale = request.persist ? await staleDeployment(provider, request.deploymentsDir, chainId) : undefined;
  if (stale !== undefined && request.reset !== true) {
    throw new DeployError(
      `${stale}: the chain was reset (a restarted node?): run npx hardhat suite:deploy --network ${network} --reset to move the journal and the record aside and deploy afresh`,
    );
  }
  let now: bigint;
  if (request.persist && stale === undefined && existsSync(pinPath)) {
    const pin = readPin(pinPath);
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
  if (!file.chainIds.includes(chainId)) throw new ParamsError(wrongChainMessage(request, file.chainIds));
  if (request.handover !== undefined && request.handover.toLowerCase() === deployerAddress.toLowerCase()) {
    throw new ParamsError("--handover must name another account than the deployer");
  }

  if (stale !== undefined) {
    const { folder, moved } = moveDeploymentAside(request.deploymentsDir, chainId);
    log(`${stale}: moved ${moved.join(", ")} aside to ${shown(folder)}`);
  } else if (request.reset === true) {
    log(
      request.persist
        ? `nothing to reset: the chain holds every contract the journal and the record of chain ${chainId} name`
        : `nothing to reset: the in-process chain keeps no journal`,
    );
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
    const pin: ParamsPin = { paramsSha256: sha256, now: now.toString(), genesis: await genesisHash(provider) };
    writeFileAtomicallySync(pinPath, JSON.stringify(pin) + "\n");
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
      ...paramsToJson(file.params),
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
