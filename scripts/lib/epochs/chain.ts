/**
 * The chain side of the epoch pipeline: reading a snapshot at one block, and publishing a computed
 * epoch file as the oracle. The pure side (compute, files, tree) is in the rest of this folder.
 */
import { existsSync } from "node:fs";
import path from "node:path";

import { ZeroAddress, ZeroHash, type Provider, type Signer } from "ethers";

import {
  RewardToken__factory,
  RewardsDistributor__factory,
  RewardsLens__factory,
  StakingLens__factory,
  type RewardsDistributor,
  type RewardsLens,
} from "../../../typechain-types";
import { addressOf, type DeploymentRecord } from "../deployments";
import { settlePending } from "../deploy/journal";
import { formatDate, formatTokens } from "../format";
import { describeError } from "../sdk/errors";
import { DeviceStatus, rebuildRegistry } from "../registry/indexer";
import { EpochError } from "./errors";
import { epochFileName, readEpochFile, readEpochFileHead, type EpochFile } from "./epochFile";
import { computeEpochFiles } from "./index";
import { writeSnapshot } from "./snapshot";
import type { DeviceStatus as SnapshotStatus, OwnerStake, Snapshot, SnapshotDevice } from "./types";

/** The pipeline's off-chain parameters, recorded in the deployment record by `suite:deploy`. */
export interface PipelineParams {
  readonly minStakePerDevice: bigint;
  readonly maxProofs: bigint;
}

/** Reads `params.pipeline` from a deployment record. */
export function pipelineParamsOf(record: DeploymentRecord): PipelineParams {
  const pipeline = (record.params as { pipeline?: { minStakePerDevice?: unknown; maxProofs?: unknown } } | undefined)
    ?.pipeline;
  if (typeof pipeline?.minStakePerDevice !== "string" || typeof pipeline.maxProofs !== "string") {
    throw new EpochError(`the deployment record of chain ${record.chainId} has no params.pipeline`);
  }
  return { minStakePerDevice: BigInt(pipeline.minStakePerDevice), maxProofs: BigInt(pipeline.maxProofs) };
}

/** The epoch's bounds, from the token's genesis and epoch length. */
export async function epochBounds(provider: Provider, record: DeploymentRecord, epoch: bigint) {
  const token = RewardToken__factory.connect(addressOf(record, "RewardToken"), provider);
  const genesis = await token.genesis();
  const epochLength = await token.epochLength();
  return { epochStart: genesis + epoch * epochLength, epochEnd: genesis + (epoch + 1n) * epochLength, epochLength };
}

/** The last block whose timestamp is before `timestamp`, by binary search over block numbers. */
export async function lastBlockBefore(provider: Provider, timestamp: bigint, low = 0): Promise<number> {
  let hi = await provider.getBlockNumber();
  let lo = low;
  const at = async (n: number) => BigInt((await provider.getBlock(n))?.timestamp ?? 0);
  if ((await at(lo)) >= timestamp) throw new EpochError(`no block before ${formatDate(timestamp)} from block ${low}`);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await at(mid)) < timestamp) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The first block in `[low, high]` at which `address` has code. */
export async function firstBlockWithCode(
  provider: Provider,
  address: string,
  low: number,
  high: number,
): Promise<number> {
  if ((await provider.getCode(address, high)) === "0x") throw new EpochError(`${address} has no code at block ${high}`);
  let lo = low;
  let hi = high;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await provider.getCode(address, mid)) === "0x") lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const STATUS: Record<number, SnapshotStatus> = {
  [DeviceStatus.Active]: "active",
  [DeviceStatus.Suspended]: "suspended",
  [DeviceStatus.Decommissioned]: "decommissioned",
};

export interface SnapshotRequest {
  readonly provider: Provider;
  readonly record: DeploymentRecord;
  readonly epoch: bigint;
  /** Read at this block; by default the last block before the epoch's end. */
  readonly block?: number;
  /** How many staking reads run at once. */
  readonly concurrency?: number;
  readonly onProgress?: (message: string) => void;
}

/**
 * Reads everything compute needs at one block: the devices, rebuilt from the registry's event log
 * (which scales with one `eth_getLogs` range, where a view per device would not); each owner's
 * operator stake at the epoch's end, from Staking's checkpoints; and the epoch's parameters, from
 * the token and the distributor (`minStakePerDevice` and `maxProofs` from the deployment record).
 * Throws `EpochError` for an epoch that has not ended.
 */
export async function readChainSnapshot(request: SnapshotRequest): Promise<Snapshot> {
  const { provider, record, epoch } = request;
  const progress = request.onProgress ?? (() => undefined);
  const { epochStart, epochEnd, epochLength } = await epochBounds(provider, record, epoch);
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new EpochError("the node returned no latest block");
  if (BigInt(latest.timestamp) < epochEnd) throw notEnded(epoch, epochEnd, latest.timestamp);
  // An epoch that ended before the suite was fully deployed is read at the first block where it was
  // (the distributor's lens is deployed last): nothing had happened yet.
  const ready = await firstBlockWithCode(provider, addressOf(record, "RewardsLens"), record.block, latest.number);
  const block = request.block ?? Math.max(ready, await lastBlockBefore(provider, epochEnd));
  const blockInfo = await provider.getBlock(block);
  if (blockInfo === null) throw new EpochError(`block ${block} does not exist`);
  const blockTag = block;
  progress(`snapshot of epoch ${epoch} at block ${block} (${formatDate(blockInfo.timestamp)})`);

  const registryAddress = addressOf(record, "DeviceRegistry");
  const registry = await rebuildRegistry(provider, registryAddress, record.block, block);
  progress(`rebuilt the registry from its log: ${registry.devices.size} devices`);

  const devices: SnapshotDevice[] = [];
  const owners = new Set<string>();
  for (const device of registry.devices.values()) {
    const status = STATUS[device.status];
    if (status === undefined) continue;
    const klass = registry.classes.get(device.deviceClass);
    if (klass === undefined) throw new EpochError(`device ${device.device} has unknown class ${device.deviceClass}`);
    devices.push({
      device: device.device,
      owner: device.owner,
      recipient: device.recipient === ZeroAddress ? null : device.recipient,
      classId: Number(device.deviceClass),
      classMultiplierBps: Number(klass.multiplierBps),
      status,
      onboardedAt: Number(device.onboardedAt),
      locationAsserted: device.location !== 0n,
    });
    if (device.owner !== ZeroAddress) owners.add(device.owner);
  }

  const stakingLens = StakingLens__factory.connect(addressOf(record, "StakingLens"), provider);
  const stakes: OwnerStake[] = [];
  const list = [...owners];
  const concurrency = request.concurrency ?? 16;
  for (let i = 0; i < list.length; i += concurrency) {
    const batch = list.slice(i, i + concurrency);
    const values = await Promise.all(batch.map((owner) => stakingLens.operatorStakeAt(owner, epochEnd, { blockTag })));
    batch.forEach((owner, j) => {
      if (values[j] > 0n) stakes.push({ owner, stake: values[j] });
    });
    if (list.length > 1000 && (i / concurrency) % 100 === 0)
      progress(`read stake of ${i + batch.length}/${list.length} owners`);
  }

  const token = RewardToken__factory.connect(addressOf(record, "RewardToken"), provider);
  const lens = RewardsLens__factory.connect(addressOf(record, "RewardsLens"), provider);
  const [operatorsBps, stakersBps, treasuryBps] = await lens.splitOf(epoch, { blockTag });
  const { minStakePerDevice, maxProofs } = pipelineParamsOf(record);
  return {
    header: {
      chainId: BigInt(record.chainId),
      epoch,
      block: BigInt(block),
      blockTimestamp: BigInt(blockInfo.timestamp),
      epochStart,
      epochEnd,
      contracts: {
        deviceRegistry: registryAddress,
        staking: addressOf(record, "Staking"),
        rewardsDistributor: addressOf(record, "RewardsDistributor"),
      },
      params: {
        emission: await token.emission(epoch),
        operatorsBps,
        stakersBps,
        treasuryBps,
        epochLength,
        minStakePerDevice,
        maxProofs,
      },
    },
    devices,
    stakes,
  };
}

/** The error for an epoch that has not ended by the chain's latest block. */
function notEnded(epoch: bigint, epochEnd: bigint, latest: number | bigint): EpochError {
  return new EpochError(
    `epoch ${epoch} has not ended: it ends at ${formatDate(epochEnd)}, the chain's latest block is at ${formatDate(latest)}`,
  );
}

/**
 * The distributor keeps its newest roots in a ring of 64 slots: the root of epoch `e` can stand only
 * once the root of epoch `e − 63` is claimable (`TooManyPendingRoots(epoch, retryAt)`).
 */
export const ROOT_RING = 64n;

/** What `epoch:publish` did: "waiting" when the ring holds the root back until `retryAt`. */
export type PublishOutcome = "posted" | "already-posted" | "already-stands" | "dry-run" | "waiting";

export interface PublishResult {
  readonly outcome: PublishOutcome;
  readonly epoch: bigint;
  readonly root: string;
  readonly totalCumulative: bigint;
  readonly inputHash: string;
  readonly oracle: string;
  readonly txHash?: string;
  /** Whether the root stands after this post (quorum reached). */
  readonly stands?: boolean;
  /** When the root that stands becomes claimable. */
  readonly claimableAt?: bigint;
  /** "waiting": the distributor takes the root from this time on. */
  readonly retryAt?: bigint;
}

/**
 * Posts an epoch file's root as `oracle`, idempotently. The file was checked by `readEpochFile`
 * (its root is its tree's root, its totals add up). Before sending it waits for the oracle's
 * pending transactions, then asks the chain: a root that stands already is this one (exit clean)
 * or another (refuse); an earlier epoch not yet posted is refused; a post this oracle already made
 * is reported, not repeated; a root the ring holds back is reported with the time it is taken from
 * ("waiting"). A crash at any point, run again, never posts twice.
 */
export async function publishEpoch(
  distributorAddress: string,
  lensAddress: string,
  oracle: Signer,
  file: EpochFile,
  options: { readonly uri?: string; readonly dryRun?: boolean } = {},
): Promise<PublishResult> {
  const provider = oracle.provider;
  if (provider === null) throw new EpochError("the oracle signer has no provider");
  const { chainId } = await provider.getNetwork();
  if (file.chainId !== chainId)
    throw new EpochError(`${file.source} is for chain ${file.chainId}, the network is chain ${chainId}`);
  if (file.contracts.rewardsDistributor.toLowerCase() !== distributorAddress.toLowerCase()) {
    throw new EpochError(
      `${file.source} is for distributor ${file.contracts.rewardsDistributor}, not ${distributorAddress}`,
    );
  }
  const distributor = RewardsDistributor__factory.connect(distributorAddress, oracle);
  const lens = RewardsLens__factory.connect(lensAddress, oracle);
  const self = await oracle.getAddress();
  const base = {
    epoch: file.epoch,
    root: file.root,
    totalCumulative: file.totalCumulative,
    inputHash: file.inputHash,
    oracle: self,
  };
  if (!(await lens.isOracle(self))) throw new EpochError(`${self} is not a registered oracle of the distributor`);

  await settlePending(oracle);
  const next = await lens.nextEpoch();
  if (file.epoch < next) {
    const standing = await standingRoot(distributor, lens, file.epoch);
    if (standing === file.root.toLowerCase()) return { ...base, outcome: "already-stands" };
    throw new EpochError(`a different root stands for epoch ${file.epoch}: ${standing}`);
  }
  if (file.epoch > next) throw new EpochError(outOfOrder(next, file.epoch));

  const uri = options.uri ?? "";
  const args = [file.epoch, file.root, file.totalCumulative, file.inputHash, uri] as const;
  try {
    // Against the pending block: the time the transaction would meet, even on a node that mines only on demand.
    await distributor.postRoot.staticCall(...args, { blockTag: "pending" });
  } catch (error) {
    const reason = distributor.interface.parseError(revertData(error) ?? "0x");
    if (reason?.name === "OracleAlreadyVoted") return { ...base, outcome: "already-posted" };
    if (reason?.name === "TooManyPendingRoots")
      return { ...base, outcome: "waiting", retryAt: reason.args[1] as bigint };
    if (reason === null) throw new EpochError(`postRoot would revert: ${oneLine(error)}`);
    throw new EpochError(`postRoot would revert: ${describeError(error)}`);
  }
  if (options.dryRun === true) return { ...base, outcome: "dry-run" };
  const tx = await distributor.postRoot(...args);
  await tx.wait();
  const [root, , claimableAt] = await lens.rootOf(file.epoch);
  const stands = root.toLowerCase() === file.root.toLowerCase() && (await lens.nextEpoch()) > file.epoch;
  return { ...base, outcome: "posted", txHash: tx.hash, stands, ...(stands ? { claimableAt } : {}) };
}

function outOfOrder(next: bigint, epoch: bigint): string {
  const before = epoch - next > 1n ? `epochs ${next} to ${epoch - 1n}` : `epoch ${next}`;
  return `the distributor takes epoch ${next} next: ${before} must stand before epoch ${epoch} (epoch:catch-up --through ${epoch} runs them in order)`;
}

/** The root that stands for `epoch`, from the distributor's ring or, for an old epoch, its events. */
async function standingRoot(distributor: RewardsDistributor, lens: RewardsLens, epoch: bigint): Promise<string> {
  const [root, , claimableAt] = await lens.rootOf(epoch);
  if (root !== ZeroHash || claimableAt !== 0n) return root.toLowerCase();
  const accepted = await distributor.queryFilter(distributor.filters.RootAccepted(epoch));
  const last = accepted.at(-1);
  if (last === undefined) throw new EpochError(`no root is recorded for epoch ${epoch}`);
  return last.args.root.toLowerCase();
}

function revertData(error: unknown): string | undefined {
  const data = (error as { data?: unknown }).data;
  return typeof data === "string" ? data : undefined;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/** Where the distributor stands for one epoch, read before any snapshot. */
export interface EpochOrder {
  /**
   * "stands": a root stands for the epoch already; "next": the distributor takes it now; "waiting":
   * the ring holds it back until `retryAt`.
   */
  readonly state: "stands" | "next" | "waiting";
  readonly epoch: bigint;
  /** "stands": the root that stands. */
  readonly root?: string;
  /** "waiting": when the root of `epoch − 63` becomes claimable, and with it room for this one. */
  readonly retryAt?: bigint;
  /** "next" and "waiting", for an epoch after 0: the root that stands for the epoch before. */
  readonly previous?: { readonly root: string; readonly totalCumulative: bigint };
}

/** Unix seconds of the machine's clock. */
export const systemClock = (): bigint => BigInt(Math.floor(Date.now() / 1000));

/**
 * Checks, before anything is read at length or written, that `epoch` is the one the distributor
 * takes next and has ended, and whether the ring of roots has room for it now. Throws `EpochError`
 * for an epoch out of order, one not ended by the chain's latest block, or paused posting. "Now", for
 * the ring, is the later of the latest block's time and `clock()`: a local node that mines only on
 * demand stamps its next block with the wall clock.
 */
export async function checkEpochOrder(
  provider: Provider,
  record: DeploymentRecord,
  epoch: bigint,
  clock: () => bigint = systemClock,
): Promise<EpochOrder> {
  const distributor = RewardsDistributor__factory.connect(addressOf(record, "RewardsDistributor"), provider);
  const lens = RewardsLens__factory.connect(addressOf(record, "RewardsLens"), provider);
  const next = await lens.nextEpoch();
  if (epoch < next) return { state: "stands", epoch, root: await standingRoot(distributor, lens, epoch) };
  if (epoch > next) throw new EpochError(outOfOrder(next, epoch));
  const { epochEnd } = await epochBounds(provider, record, epoch);
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new EpochError("the node returned no latest block");
  if (BigInt(latest.timestamp) < epochEnd) throw notEnded(epoch, epochEnd, latest.timestamp);
  if (await distributor.paused()) throw new EpochError("posting is paused on the distributor");
  let previous: EpochOrder["previous"];
  if (epoch > 0n) {
    const [root, totalCumulative] = await lens.rootOf(epoch - 1n);
    previous = { root: root.toLowerCase(), totalCumulative };
  }
  if (epoch >= ROOT_RING) {
    const [, , retryAt] = await lens.rootOf(epoch - (ROOT_RING - 1n));
    const now = BigInt(latest.timestamp) > clock() ? BigInt(latest.timestamp) : clock();
    if (retryAt > now) return { state: "waiting", epoch, retryAt, previous };
  }
  return { state: "next", epoch, previous };
}

export interface RunEpochRequest {
  readonly record: DeploymentRecord;
  readonly oracle: Signer;
  readonly epoch: bigint;
  readonly activityFile: string;
  /** The previous epoch's file; by default `outDir/epoch-<E-1>.json` when it exists. */
  readonly previousFile?: string;
  readonly outDir: string;
  readonly uri?: string;
  readonly onProgress?: (message: string) => void;
  /** The clock `checkEpochOrder` uses for the ring; the system's by default. */
  readonly clock?: () => bigint;
}

/**
 * What one epoch's run did: "posted" (the root stands if `stands`, else it awaits the other oracles'
 * votes), "already-posted" (this oracle's vote is in, the others' are awaited), "already-stands"
 * (nothing was done: no snapshot, no file, no transaction), "waiting" (the ring holds the root back
 * until `retryAt`: nothing was sent).
 */
export interface EpochStep {
  readonly epoch: bigint;
  readonly outcome: "posted" | "already-posted" | "already-stands" | "waiting";
  readonly root?: string;
  readonly stands?: boolean;
  readonly claimableAt?: bigint;
  readonly retryAt?: bigint;
  readonly snapshotFile?: string;
  readonly epochFile?: string;
  readonly publish?: PublishResult;
}

/**
 * `epoch:run`: snapshot → compute → publish for one oracle, keeping each step's output in `outDir`
 * (`snapshot-<E>.ndjson`, `epoch-<E>.json`, the folder created when missing). Before the snapshot it
 * checks the order (`checkEpochOrder`), the activity file, and that the previous epoch's file is the
 * one whose root stands (or, without one, that the previous root's total is 0). An epoch that stands
 * already is reported and nothing is done; a run that crashed is run again.
 */
export async function runEpochStep(request: RunEpochRequest): Promise<EpochStep> {
  const provider = request.oracle.provider;
  if (provider === null) throw new EpochError("the oracle signer has no provider");
  const { epoch, outDir, record } = request;
  const progress = request.onProgress ?? (() => undefined);
  const distributorAddress = addressOf(record, "RewardsDistributor");
  const epochFile = path.join(outDir, epochFileName(epoch));

  const order = await checkEpochOrder(provider, record, epoch, request.clock);
  if (order.state === "stands") {
    const root = order.root as string;
    if (!existsSync(epochFile)) return { epoch, outcome: "already-stands", root };
    const head = await readEpochFileHead(epochFile);
    if (head.root !== root)
      throw new EpochError(`${epochFile} has root ${head.root}, but ${root} stands for epoch ${epoch}`);
    return { epoch, outcome: "already-stands", root, epochFile };
  }
  if (order.state === "waiting") return { epoch, outcome: "waiting", retryAt: order.retryAt };
  const self = await request.oracle.getAddress();
  const lens = RewardsLens__factory.connect(addressOf(record, "RewardsLens"), provider);
  if (!(await lens.isOracle(self))) throw new EpochError(`${self} is not a registered oracle of the distributor`);
  if (!existsSync(request.activityFile)) throw new EpochError(`${request.activityFile}: no such file`);

  const previousFile = await checkPreviousFile(epoch, order.previous, request.previousFile, outDir);

  const snapshotFile = path.join(outDir, `snapshot-${epoch}.ndjson`);
  const snapshot = await readChainSnapshot({ provider, record, epoch, onProgress: progress });
  await writeSnapshot(snapshotFile, snapshot);
  const { file } = await computeEpochFiles({
    epoch,
    snapshotFile,
    activityFile: request.activityFile,
    previousFile,
    outDir,
    onProgress: progress,
  });
  const publish = await publishEpoch(
    distributorAddress,
    addressOf(record, "RewardsLens"),
    request.oracle,
    await readEpochFile(file, { devices: "skip" }),
    {
      uri: request.uri,
    },
  );
  const common = { epoch, root: publish.root, snapshotFile, epochFile: file, publish };
  switch (publish.outcome) {
    case "waiting":
      return { ...common, outcome: "waiting", retryAt: publish.retryAt };
    case "posted":
      return { ...common, outcome: "posted", stands: publish.stands, claimableAt: publish.claimableAt };
    case "already-posted":
      return { ...common, outcome: "already-posted", stands: false };
    default:
      return { ...common, outcome: "already-stands" };
  }
}

/**
 * The previous epoch's file for `epoch`: `previousFile`, else `outDir/epoch-<E-1>.json` when it
 * exists. It must be the file of the root that stands for `epoch − 1` (read from its header); without
 * one, that root's total must be 0, since the cumulative amounts would otherwise start over. Throws
 * `EpochError` naming the file to supply.
 */
async function checkPreviousFile(
  epoch: bigint,
  standing: EpochOrder["previous"],
  previousFile: string | undefined,
  outDir: string,
): Promise<string | undefined> {
  const defaultPrevious = epoch > 0n ? path.join(outDir, epochFileName(epoch - 1n)) : undefined;
  const file =
    previousFile ?? (defaultPrevious !== undefined && existsSync(defaultPrevious) ? defaultPrevious : undefined);
  if (standing === undefined) return file;
  if (file !== undefined) {
    const head = await readEpochFileHead(file);
    if (head.epoch !== epoch - 1n || head.root !== standing.root) {
      throw new EpochError(
        `${file} is epoch ${head.epoch}'s file with root ${head.root}, but ${standing.root} stands for epoch ${epoch - 1n}`,
      );
    }
  } else if (standing.totalCumulative > 0n) {
    throw new EpochError(
      `epoch ${epoch} starts from epoch ${epoch - 1n}'s amounts (${formatTokens(standing.totalCumulative)}, root ${standing.root}): put its file ${epochFileName(epoch - 1n)} in ${outDir} or give --previous`,
    );
  }
  return file;
}

/**
 * `runEpochStep` for callers that expect a root to be published (the demo, tests): returns the
 * files and what `publishEpoch` did, and throws `EpochError` when nothing was published (the epoch
 * stands already, or the ring holds it back).
 */
export async function runEpoch(
  request: RunEpochRequest,
): Promise<{ snapshotFile: string; epochFile: string; publish: PublishResult }> {
  const step = await runEpochStep(request);
  if (step.publish === undefined || step.snapshotFile === undefined || step.epochFile === undefined) {
    throw new EpochError(`epoch ${step.epoch}: ${describeStep(step)}`);
  }
  return { snapshotFile: step.snapshotFile, epochFile: step.epochFile, publish: step.publish };
}

/** One line for people about what a step did. */
export function describeStep(step: EpochStep): string {
  const root = step.root === undefined ? "" : `root ${step.root.slice(0, 10)}…`;
  switch (step.outcome) {
    case "posted":
      return step.stands === true
        ? `posted ${root}: it stands${step.claimableAt === undefined ? "" : `, claimable from ${formatDate(step.claimableAt)}`}`
        : `voted for ${root}: it stands once a quorum of oracles post the same root`;
    case "already-posted":
      return `this oracle's vote for ${root} is in already: it stands once a quorum of oracles post the same root`;
    case "already-stands":
      return `${root} stands already: nothing to do`;
    case "waiting":
      return `the distributor takes this root from ${formatDate(step.retryAt ?? 0n)}, once the root of epoch ${step.epoch - (ROOT_RING - 1n)} is claimable: run again then`;
  }
}

export interface CatchUpRequest {
  readonly record: DeploymentRecord;
  readonly oracle: Signer;
  /** The last epoch to run; by default the last epoch that has ended by the chain's latest block. */
  readonly through?: bigint;
  /** Holds `activity-<E>.csv` for every epoch to run. */
  readonly activityDir: string;
  readonly outDir: string;
  /** The file of the epoch before the first one to run; by default `outDir/epoch-<E-1>.json`. */
  readonly previousFile?: string;
  readonly uri?: string;
  readonly onProgress?: (message: string) => void;
  readonly clock?: () => bigint;
}

export interface CatchUpResult {
  /** The first epoch the distributor was missing. */
  readonly from: bigint;
  /** The last epoch to run, or null when none has ended. */
  readonly through: bigint | null;
  readonly steps: readonly EpochStep[];
  /** Whether a root stands for every epoch through `through`. */
  readonly complete: boolean;
  /** Why it stopped early: the ring (until `retryAt`), or a quorum that needs other oracles' votes. */
  readonly stopped?: { readonly epoch: bigint; readonly reason: "ring" | "quorum"; readonly retryAt?: bigint };
  /** One line for people. */
  readonly message: string;
}

/** The activity file of `epoch` in a catch-up's activity folder. */
export function activityFileName(epoch: bigint): string {
  return `activity-${epoch}.csv`;
}

/**
 * `epoch:catch-up`: runs every epoch the distributor is missing, in order, through `through`, in
 * one process: for each, the order check, snapshot, compute and publish of `runEpochStep`. Checks
 * its inputs first (the epochs have ended, every activity file is there). Stops cleanly where the
 * ring of roots holds the next root back (`stopped.reason` "ring", with the time to resume) or where
 * a root needs other oracles' votes to stand ("quorum"). Resumable and idempotent: run again, it
 * starts from the distributor's next epoch, and an epoch whose root stands is never run twice.
 */
export async function catchUpEpochs(request: CatchUpRequest): Promise<CatchUpResult> {
  const provider = request.oracle.provider;
  if (provider === null) throw new EpochError("the oracle signer has no provider");
  const progress = request.onProgress ?? (() => undefined);
  const lens = RewardsLens__factory.connect(addressOf(request.record, "RewardsLens"), provider);
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new EpochError("the node returned no latest block");
  const { epochStart: genesis, epochLength } = await epochBounds(provider, request.record, 0n);
  const now = BigInt(latest.timestamp);
  const ended = now < genesis ? 0n : (now - genesis) / epochLength;
  const next = await lens.nextEpoch();
  if (request.through !== undefined && request.through >= ended) {
    throw notEnded(request.through, genesis + (request.through + 1n) * epochLength, now);
  }
  if (request.through === undefined && ended === 0n) {
    const message = `no epoch has ended yet: epoch 0 ends at ${formatDate(genesis + epochLength)}`;
    return { from: next, through: null, steps: [], complete: true, message };
  }
  const through = request.through ?? ended - 1n;
  if (next > through) {
    const message = `every epoch through ${through} stands already: the distributor takes epoch ${next} next`;
    return { from: next, through, steps: [], complete: true, message };
  }
  const activity = (epoch: bigint) => path.join(request.activityDir, activityFileName(epoch));
  const missing: bigint[] = [];
  for (let e = next; e <= through; e++) if (!existsSync(activity(e))) missing.push(e);
  if (missing.length > 0) {
    const list =
      missing.length > 5 ? `${missing.slice(0, 5).join(", ")} and ${missing.length - 5} more` : missing.join(", ");
    throw new EpochError(`${request.activityDir} has no activity file for epoch ${list} (activity-<E>.csv)`);
  }
  if (next > 0n) {
    const [root, totalCumulative] = await lens.rootOf(next - 1n);
    await checkPreviousFile(next, { root: root.toLowerCase(), totalCumulative }, request.previousFile, request.outDir);
  }

  const total = through - next + 1n;
  progress(`epochs ${next} to ${through}: ${total} to run`);
  const steps: EpochStep[] = [];
  for (let e = next; e <= through; e++) {
    const prefix = `epoch ${e} (${e - next + 1n}/${total})`;
    const step = await runEpochStep({
      record: request.record,
      oracle: request.oracle,
      epoch: e,
      activityFile: activity(e),
      previousFile: e === next ? request.previousFile : undefined,
      outDir: request.outDir,
      uri: request.uri,
      onProgress: (message) => progress(`${prefix}: ${message}`),
      clock: request.clock,
    });
    steps.push(step);
    progress(`${prefix}: ${describeStep(step)}`);
    if (step.outcome === "waiting") {
      const message = `stopped before epoch ${e}: ${describeStep(step)}`;
      return {
        from: next,
        through,
        steps,
        complete: false,
        stopped: { epoch: e, reason: "ring", retryAt: step.retryAt },
        message,
      };
    }
    if (step.outcome === "already-posted" || (step.outcome === "posted" && step.stands !== true)) {
      const message = `stopped at epoch ${e}: ${describeStep(step)}; run again once it stands`;
      return { from: next, through, steps, complete: false, stopped: { epoch: e, reason: "quorum" }, message };
    }
  }
  return { from: next, through, steps, complete: true, message: `every epoch through ${through} stands` };
}
