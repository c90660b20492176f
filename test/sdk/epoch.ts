import { type Provider, type Signer } from "ethers";
import path from "node:path";

import type { RewardToken, RewardsDistributor, RewardsLens, Staking, StakingLens } from "../../typechain-types";
import type { DeploymentRecord } from "../../scripts/lib/deployments";
import {
  computeEpoch,
  epochFileName,
  writeEpochFile,
  type ActivityRow,
  type EpochResult,
  type PreviousEpoch,
} from "../../scripts/lib/epochs";
import { readChainSnapshot } from "../../scripts/lib/epochs/chain";

/** The contracts an oracle reads and posts to. */
export interface EpochContracts {
  readonly token: RewardToken;
  readonly staking: Staking;
  readonly stakingLens: StakingLens;
  readonly distributor: RewardsDistributor;
  /** The distributor's views, which the snapshot reads the split from. */
  readonly rewardsLens: RewardsLens;
  readonly registry: string;
  /** The deployment's first block, where the registry's log starts. */
  readonly fromBlock: number;
}

/**
 * What an oracle does for an ended epoch, for tests: reads the snapshot with the pipeline's own
 * reader (`readChainSnapshot`: the registry rebuilt from its log and each owner's operator stake,
 * at the last block before the epoch's end), computes the epoch from in-memory activity rows
 * (`computeEpoch`), writes `outDir/epoch-<E>.json` and posts its root as `oracle`. The caller moves
 * time to the epoch's end or past it first, and past the challenge window after.
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
  const { chainId } = await provider.getNetwork();
  const record: DeploymentRecord = {
    chainId: Number(chainId),
    block: contracts.fromBlock,
    contracts: {
      RewardToken: await contracts.token.getAddress(),
      DeviceRegistry: contracts.registry,
      Staking: await contracts.staking.getAddress(),
      StakingLens: await contracts.stakingLens.getAddress(),
      RewardsDistributor: await contracts.distributor.getAddress(),
      RewardsLens: await contracts.rewardsLens.getAddress(),
    },
    params: {
      pipeline: { minStakePerDevice: pipeline.minStakePerDevice.toString(), maxProofs: pipeline.maxProofs.toString() },
    },
  };
  const snapshot = await readChainSnapshot({ provider, record, epoch });
  const result = await computeEpoch(epoch, snapshot, { source: "test activity", rows: activity }, previous);
  const file = path.join(outDir, epochFileName(epoch));
  await writeEpochFile(file, result);
  const tx = await contracts.distributor
    .connect(oracle)
    .postRoot(epoch, result.root, result.totalCumulative, result.inputHash, `file://${file}`);
  await tx.wait();
  return { file, result };
}
