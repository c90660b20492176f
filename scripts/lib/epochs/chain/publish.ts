/** The chain side of the pipeline, part 2: where the distributor stands, and posting a root. */
import { ZeroHash, type Provider, type Signer } from "ethers";

import {
  RewardsDistributor__factory,
  RewardsLens__factory,
  type RewardsDistributor,
  type RewardsLens,
} from "../../../../typechain-types";
import type { DeploymentRecord } from "../../deployments";
import { addressOf } from "../../deployments";
import { settlePending } from "../../deploy/journal";
import { describeError } from "../../sdk/errors";
import { EpochError } from "../errors";
import type { EpochFile, EpochOrder, PublishResult } from "../types";
import { epochBounds, notEnded } from "./snapshot";

/**
 * The distributor keeps its newest roots in a ring of 64 slots: the root of epoch `e` can stand only
 * once the root of epoch `e − 63` is claimable (`TooManyPendingRoots(epoch, retryAt)`).
 */
export const ROOT_RING = 64n;

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

export function outOfOrder(next: bigint, epoch: bigint): string {
  const before = epoch - next > 1n ? `epochs ${next} to ${epoch - 1n}` : `epoch ${next}`;
  return `the distributor takes epoch ${next} next: ${before} must stand before epoch ${epoch} (epoch:catch-up --through ${epoch} runs them in order)`;
}

/** The root that stands for `epoch`, from the distributor's ring or, for an old epoch, its events. */
export async function standingRoot(distributor: RewardsDistributor, lens: RewardsLens, epoch: bigint): Promise<string> {
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
