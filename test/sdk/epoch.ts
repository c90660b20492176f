import { ZeroAddress, type Provider, type Signer } from "ethers";
import path from "node:path";

import type { RewardToken, RewardsDistributor, Staking } from "../../typechain-types";
import {
  computeEpoch,
  epochFileName,
  writeEpochFile,
  type ActivityRow,
  type EpochResult,
  type PreviousEpoch,
  type Snapshot,
  type SnapshotDevice,
} from "../../scripts/lib/epochs";
import { DeviceStatus, rebuildRegistry } from "../../scripts/lib/registry/indexer";

/** The contracts an oracle reads and posts to. */
export interface EpochContracts {
  readonly token: RewardToken;
  readonly staking: Staking;
  readonly distributor: RewardsDistributor;
  readonly registry: string;
  /** The deployment's first block, where the registry's log starts. */
  readonly fromBlock: number;
}

const STATUS = { [DeviceStatus.Active]: "active", [DeviceStatus.Suspended]: "suspended" } as const;

/**
 * What an oracle does for an ended epoch, for tests: reads the snapshot from the chain (the registry
 * rebuilt from its log at the latest block, each owner's bonded operator stake), computes the epoch
 * with the pipeline (`computeEpoch`), writes `outDir/epoch-<E>.json` and posts its root as `oracle`.
 * The caller moves time past the epoch's end first, and past the challenge window after.
 */
export async function runEpoch(
  provider: Provider,
  contracts: EpochContracts,
  oracle: Signer,
  epoch: bigint,
  activity: readonly ActivityRow[],
  pipeline: { readonly minStakePerDevice: bigint; readonly maxProofs: bigint },
  outDir: string,
  previous?: PreviousEpoch,
): Promise<{ file: string; result: EpochResult }> {
  const block = await provider.getBlock("latest");
  if (block === null) throw new Error("no latest block");
  const { token, staking, distributor } = contracts;
  const [genesis, epochLength, emission, split, { chainId }] = await Promise.all([
    token.genesis(),
    token.epochLength(),
    token.emission(epoch),
    distributor.splitOf(epoch),
    provider.getNetwork(),
  ]);
  const registry = await rebuildRegistry(provider, contracts.registry, contracts.fromBlock, block.number);
  const devices: SnapshotDevice[] = [];
  const owners = new Set<string>();
  for (const d of registry.devices.values()) {
    const decommissioned = d.status === DeviceStatus.Decommissioned;
    if (!decommissioned) owners.add(d.owner);
    devices.push({
      device: d.device.toLowerCase(),
      owner: decommissioned ? ZeroAddress : d.owner.toLowerCase(),
      recipient: d.recipient === ZeroAddress ? null : d.recipient.toLowerCase(),
      classId: Number(d.deviceClass),
      classMultiplierBps: Number(registry.classes.get(d.deviceClass)?.multiplierBps ?? 0n),
      status: decommissioned ? "decommissioned" : STATUS[d.status as 1 | 2],
      onboardedAt: Number(d.onboardedAt),
      locationAsserted: d.location !== 0n,
    });
  }
  const stakes = [];
  for (const owner of owners) {
    const info = await staking.operatorInfo(owner);
    if (info.bondedTokens > 0n) stakes.push({ owner: owner.toLowerCase(), stake: info.bondedTokens });
  }
  const snapshot: Snapshot = {
    header: {
      chainId,
      epoch,
      block: BigInt(block.number),
      blockTimestamp: BigInt(block.timestamp),
      epochStart: genesis + epoch * epochLength,
      epochEnd: genesis + (epoch + 1n) * epochLength,
      contracts: {
        deviceRegistry: contracts.registry.toLowerCase(),
        staking: (await staking.getAddress()).toLowerCase(),
        rewardsDistributor: (await distributor.getAddress()).toLowerCase(),
      },
      params: {
        emission,
        operatorsBps: split.operatorsBps,
        stakersBps: split.stakersBps,
        treasuryBps: split.treasuryBps,
        epochLength,
        minStakePerDevice: pipeline.minStakePerDevice,
        maxProofs: pipeline.maxProofs,
      },
    },
    devices: devices.sort((a, b) => (a.device < b.device ? -1 : 1)),
    stakes: stakes.sort((a, b) => (a.owner < b.owner ? -1 : 1)),
  };
  const result = await computeEpoch(epoch, snapshot, { source: "test activity", rows: activity }, previous);
  const file = path.join(outDir, epochFileName(epoch));
  await writeEpochFile(file, result);
  const tx = await distributor
    .connect(oracle)
    .postRoot(epoch, result.root, result.totalCumulative, result.inputHash, `file://${file}`);
  await tx.wait();
  return { file, result };
}
