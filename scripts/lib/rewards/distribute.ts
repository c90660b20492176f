import type { RewardsDistributor } from "../../../typechain-types";
import { connectRewardToken } from "../deploy/token";
import { RewardsError } from "./errors";

export interface DistributedEpoch {
  readonly epoch: bigint;
  readonly transaction: string;
  readonly emission: bigint;
  readonly operators: bigint;
  readonly stakers: bigint;
  readonly treasury: bigint;
}

/**
 * Distributes `epoch` once it has ended. Refuses, with a one-line reason, an epoch that has not ended
 * or that was distributed, before sending anything.
 */
export async function distributeEpoch(distributor: RewardsDistributor, epoch: bigint): Promise<DistributedEpoch> {
  if (epoch < 0n) throw new RewardsError(`epoch must not be negative: ${epoch}`);
  if (await distributor.isDistributed(epoch)) throw new RewardsError(`epoch ${epoch} was distributed already`);
  if ((await distributor.paused()).posting) throw new RewardsError("posting and distribution are paused");
  const token = connectRewardToken(await distributor.token(), distributor.runner!);
  const ended = await token.endedEpochs();
  if (epoch >= ended) throw new RewardsError(`epoch ${epoch} has not ended (${ended} epochs have)`);
  const receipt = await (await distributor.distributeEpoch(epoch)).wait();
  if (receipt === null) throw new RewardsError(`the distribution of epoch ${epoch} was not mined`);
  for (const log of receipt.logs) {
    const parsed = distributor.interface.parseLog(log);
    if (parsed?.name === "EpochDistributed") {
      return {
        epoch,
        transaction: receipt.hash,
        emission: parsed.args.emission as bigint,
        operators: parsed.args.operators as bigint,
        stakers: parsed.args.stakers as bigint,
        treasury: parsed.args.treasury as bigint,
      };
    }
  }
  throw new RewardsError(`epoch ${epoch}: no EpochDistributed event in ${receipt.hash}`);
}
