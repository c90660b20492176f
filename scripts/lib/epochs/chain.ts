/**
 * The chain side of the epoch pipeline: reading a snapshot at one block, and publishing a computed
 * epoch file as the oracle. The pure side (compute, files, tree) is in the rest of this folder.
 */
import { ZeroAddress, ZeroHash, type Provider, type Signer } from "ethers";

import {
  RewardToken__factory,
  RewardsDistributor__factory,
  Staking__factory,
  type RewardsDistributor,
} from "../../../typechain-types";
import { addressOf, type DeploymentRecord } from "../deployments";
import { settlePending } from "../deploy/journal";
import { DeviceStatus, rebuildRegistry } from "../registry/indexer";
import { EpochError } from "./errors";
import type { EpochFile } from "./epochFile";
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
  if ((await at(lo)) >= timestamp) throw new EpochError(`no block before ${timestamp} from block ${low}`);
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
  if (BigInt(latest.timestamp) < epochEnd) {
    throw new EpochError(`epoch ${epoch} has not ended: it ends at ${epochEnd}, the chain is at ${latest.timestamp}`);
  }
  // An epoch that ended before the suite was fully deployed is read at the first block where it was:
  // nothing had happened yet.
  const ready = await firstBlockWithCode(
    provider,
    addressOf(record, "RewardsDistributor"),
    record.block,
    latest.number,
  );
  const block = request.block ?? Math.max(ready, await lastBlockBefore(provider, epochEnd));
  const blockInfo = await provider.getBlock(block);
  if (blockInfo === null) throw new EpochError(`block ${block} does not exist`);
  const blockTag = block;
  progress(`snapshot of epoch ${epoch} at block ${block} (timestamp ${blockInfo.timestamp})`);

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

  const staking = Staking__factory.connect(addressOf(record, "Staking"), provider);
  const stakes: OwnerStake[] = [];
  const list = [...owners];
  const concurrency = request.concurrency ?? 16;
  for (let i = 0; i < list.length; i += concurrency) {
    const batch = list.slice(i, i + concurrency);
    const values = await Promise.all(batch.map((owner) => staking.operatorStakeAt(owner, epochEnd, { blockTag })));
    batch.forEach((owner, j) => {
      if (values[j] > 0n) stakes.push({ owner, stake: values[j] });
    });
    if (list.length > 1000 && (i / concurrency) % 100 === 0)
      progress(`read stake of ${i + batch.length}/${list.length} owners`);
  }

  const token = RewardToken__factory.connect(addressOf(record, "RewardToken"), provider);
  const distributor = RewardsDistributor__factory.connect(addressOf(record, "RewardsDistributor"), provider);
  const [operatorsBps, stakersBps, treasuryBps] = await distributor.splitOf(epoch, { blockTag });
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

/** What `epoch:publish` did. */
export type PublishOutcome = "posted" | "already-posted" | "already-stands" | "dry-run";

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
}

/**
 * Posts an epoch file's root as `oracle`, idempotently. The file was checked by `readEpochFile`
 * (its root is its tree's root, its totals add up). Before sending it waits for the oracle's
 * pending transactions, then asks the chain: a root that stands already is this one (exit clean)
 * or another (refuse); an earlier epoch not yet posted is refused; a post this oracle already made
 * is reported, not repeated. A crash at any point, run again, never posts twice.
 */
export async function publishEpoch(
  distributorAddress: string,
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
  const self = await oracle.getAddress();
  const base = {
    epoch: file.epoch,
    root: file.root,
    totalCumulative: file.totalCumulative,
    inputHash: file.inputHash,
    oracle: self,
  };
  if (!(await distributor.isOracle(self)))
    throw new EpochError(`${self} is not a registered oracle of the distributor`);

  await settlePending(oracle);
  const next = await distributor.nextEpoch();
  if (file.epoch < next) {
    const standing = await standingRoot(distributor, file.epoch);
    if (standing === file.root.toLowerCase()) return { ...base, outcome: "already-stands" };
    throw new EpochError(`a different root stands for epoch ${file.epoch}: ${standing}`);
  }
  if (file.epoch > next) throw new EpochError(`epoch ${next} must be posted before epoch ${file.epoch}`);

  const uri = options.uri ?? "";
  const args = [file.epoch, file.root, file.totalCumulative, file.inputHash, uri] as const;
  try {
    await distributor.postRoot.staticCall(...args);
  } catch (error) {
    const reason = distributor.interface.parseError(revertData(error) ?? "0x");
    if (reason?.name === "OracleAlreadyVoted") return { ...base, outcome: "already-posted" };
    throw new EpochError(
      `postRoot would revert: ${reason === null ? oneLine(error) : `${reason.name}(${reason.args.join(", ")})`}`,
    );
  }
  if (options.dryRun === true) return { ...base, outcome: "dry-run" };
  const tx = await distributor.postRoot(...args);
  await tx.wait();
  const [root] = await distributor.rootOf(file.epoch);
  return {
    ...base,
    outcome: "posted",
    txHash: tx.hash,
    stands: root.toLowerCase() === file.root.toLowerCase() && root !== ZeroHash,
  };
}

/** The root that stands for `epoch`, from the distributor's ring or, for an old epoch, its events. */
async function standingRoot(distributor: RewardsDistributor, epoch: bigint): Promise<string> {
  const [root] = await distributor.rootOf(epoch);
  if (root !== ZeroHash) return root.toLowerCase();
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
}

/**
 * `epoch:run`: snapshot → compute → publish for one oracle, keeping each step's output in `outDir`
 * (`snapshot-<E>.ndjson`, `epoch-<E>.json`). Each step is safe to repeat: a run that crashed is run again.
 */
export async function runEpoch(
  request: RunEpochRequest,
): Promise<{ snapshotFile: string; epochFile: string; publish: PublishResult }> {
  const { existsSync } = await import("node:fs");
  const path = await import("node:path");
  const { writeSnapshot } = await import("./snapshot");
  const { computeEpochFiles } = await import("./index");
  const { epochFileName, readEpochFile } = await import("./epochFile");
  const provider = request.oracle.provider;
  if (provider === null) throw new EpochError("the oracle signer has no provider");

  const snapshotFile = path.join(request.outDir, `snapshot-${request.epoch}.ndjson`);
  const snapshot = await readChainSnapshot({
    provider,
    record: request.record,
    epoch: request.epoch,
    onProgress: request.onProgress,
  });
  await writeSnapshot(snapshotFile, snapshot);

  const defaultPrevious = request.epoch > 0n ? path.join(request.outDir, epochFileName(request.epoch - 1n)) : undefined;
  const previousFile =
    request.previousFile ??
    (defaultPrevious !== undefined && existsSync(defaultPrevious) ? defaultPrevious : undefined);
  const { file } = await computeEpochFiles({
    epoch: request.epoch,
    snapshotFile,
    activityFile: request.activityFile,
    previousFile,
    outDir: request.outDir,
    onProgress: request.onProgress,
  });
  const epochFile = await readEpochFile(file, { devices: "skip" });
  const publish = await publishEpoch(addressOf(request.record, "RewardsDistributor"), request.oracle, epochFile, {
    uri: request.uri,
  });
  return { snapshotFile, epochFile: file, publish };
}
