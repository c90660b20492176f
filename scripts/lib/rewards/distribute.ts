import { endOf } from "../clock";
import type { RewardsDistributor, RewardsLens } from "../../../typechain-types";
import { connectRewardToken } from "../deploy/token";
import { formatDate } from "../format";
import { RewardsError } from "./errors";

export interface DistributedEpoch {
  /** "already-distributed": the epoch was distributed before (by this task, a post or anyone); nothing was sent. */
  readonly outcome: "distributed" | "already-distributed";
  readonly epoch: bigint;
  /** The distribution's transaction (found in the distributor's events when it was done before). */
  readonly transaction: string;
  readonly emission: bigint;
  readonly operators: bigint;
  readonly stakers: bigint;
  readonly treasury: bigint;
}

/**
 * Distributes `epoch` once it has ended. An epoch distributed already is reported from its
 * `EpochDistributed` event, and nothing is sent. Refuses, with a one-line reason and before sending
 * anything, an epoch that has not ended, one whose previous epoch is not distributed, and a paused
 * distributor. Reads the distributor's state through its `lens`.
 */
export async function distributeEpoch(
  distributor: RewardsDistributor,
  lens: RewardsLens,
  epoch: bigint,
): Promise<DistributedEpoch> {
  if (epoch < 0n) throw new RewardsError(`epoch must not be negative: ${epoch}`);
  if (await lens.isDistributed(epoch)) {
    const events = await distributor.queryFilter(distributor.filters.EpochDistributed(epoch));
    const event = events.at(-1);
    if (event === undefined)
      throw new RewardsError(`epoch ${epoch} was distributed, but no EpochDistributed event is found`);
    return {
      outcome: "already-distributed",
      epoch,
      transaction: event.transactionHash,
      emission: event.args.emission,
      operators: event.args.operators,
      stakers: event.args.stakers,
      treasury: event.args.treasury,
    };
  }
  if (await distributor.paused()) throw new RewardsError("posting and distribution are paused");
  const token = connectRewardToken(await lens.token(), distributor.runner!);
  // Against the pending block: the time the transaction would meet, even on a node that mines only on demand.
  const ended = await token.endedEpochs({ blockTag: "pending" });
  if (epoch >= ended) {
    const endsAt = endOf({ genesis: await token.genesis(), epochLength: await token.epochLength() }, epoch);
    throw new RewardsError(`epoch ${epoch} has not ended: it ends at ${formatDate(endsAt)}`);
  }
  if (epoch > 0n && !(await lens.isDistributed(epoch - 1n))) {
    throw new RewardsError(`epochs are distributed in order: epoch ${epoch - 1n} is not distributed yet`);
  }
  const receipt = await (await distributor.distributeEpoch(epoch)).wait();
  if (receipt === null) throw new RewardsError(`the distribution of epoch ${epoch} was not mined`);
  for (const log of receipt.logs) {
    const parsed = distributor.interface.parseLog(log);
    if (parsed?.name === "EpochDistributed") {
      return {
        outcome: "distributed",
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
