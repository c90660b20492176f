/** The chain side of the pipeline, part 1: reading everything compute needs at one block. */
import { ZeroAddress, type Provider } from "ethers";

import { RewardToken__factory, RewardsLens__factory, StakingLens__factory } from "../../../../typechain-types";
import { endOf, startOf, type EpochClock } from "../../clock";
import { addressOf, type DeploymentRecord } from "../../deployments";
import { formatDate } from "../../format";
import { DeviceStatus, rebuildRegistry } from "../../registry/indexer";
import { EpochError } from "../errors";
import type {
  DeviceStatus as SnapshotStatus,
  OwnerStake,
  PipelineParams,
  Snapshot,
  SnapshotDevice,
  SnapshotRequest,
} from "../types";

/** Reads `params.pipeline` from a deployment record. */
export function pipelineParamsOf(record: DeploymentRecord): PipelineParams {
  const pipeline = record.params?.pipeline;
  if (typeof pipeline?.minStakePerDevice !== "string" || typeof pipeline.maxProofs !== "string") {
    throw new EpochError(`the deployment record of chain ${record.chainId} has no params.pipeline`);
  }
  return { minStakePerDevice: BigInt(pipeline.minStakePerDevice), maxProofs: BigInt(pipeline.maxProofs) };
}

/** The token's epoch clock (genesis and epoch length), read from the chain. */
export async function epochClockOf(provider: Provider, record: DeploymentRecord): Promise<EpochClock> {
  const token = RewardToken__factory.connect(addressOf(record, "RewardToken"), provider);
  const [genesis, epochLength] = await Promise.all([token.genesis(), token.epochLength()]);
  return { genesis, epochLength };
}

/** The epoch's bounds `[epochStart, epochEnd)`, on the token's clock (`scripts/lib/clock.ts`). */
export async function epochBounds(
  provider: Provider,
  record: DeploymentRecord,
  epoch: bigint,
): Promise<{ epochStart: bigint; epochEnd: bigint; epochLength: bigint }> {
  const clock = await epochClockOf(provider, record);
  return { epochStart: startOf(clock, epoch), epochEnd: endOf(clock, epoch), epochLength: clock.epochLength };
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
export function notEnded(epoch: bigint, epochEnd: bigint, latest: number | bigint): EpochError {
  return new EpochError(
    `epoch ${epoch} has not ended: it ends at ${formatDate(epochEnd)}, the chain's latest block is at ${formatDate(latest)}`,
  );
}
