import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, id, type Signer } from "ethers";

import type { RewardsDistributor } from "../../typechain-types";
import { buildRewardsTree, type Allocation, type RewardsTree } from "../fixtures/rewards-tree";

export const EPOCH = 86_400n;
export const WINDOW = 6n * 3600n;

/** Moves the chain to the first second after epoch `epoch` has ended. */
export async function endEpoch(genesis: bigint, epoch: bigint): Promise<void> {
  const target = genesis + (epoch + 1n) * EPOCH;
  if (BigInt(await time.latest()) < target) await time.increaseTo(target);
}

/** An input hash standing for the pipeline's canonical inputs of `epoch`. */
export function inputHashOf(epoch: bigint): string {
  return id(`inputs of epoch ${epoch}`);
}

/** Builds the tree of `allocations` and posts it for `epoch`; returns the tree and its total. */
export async function postTree(
  distributor: RewardsDistributor,
  oracle: Signer,
  epoch: bigint,
  allocations: readonly Allocation[],
  totalCumulative?: bigint,
): Promise<{ tree: RewardsTree; total: bigint }> {
  const tree = buildRewardsTree(allocations);
  const total = totalCumulative ?? allocations.reduce((sum, a) => sum + a.cumulativeAmount, 0n);
  await (
    await distributor.connect(oracle).postRoot(epoch, tree.root, total, inputHashOf(epoch), `ipfs://epoch-${epoch}`)
  ).wait();
  return { tree, total };
}

export const NO_INPUT = ZeroHash;
