import type { RewardsDistributor, RewardsLens } from "../../../typechain-types";
import { epochFileName, proofFor, type EpochFile } from "../epochs/epochFile";
import { formatDate } from "../format";
import { RewardsError } from "./errors";

/** What `rewards:claim` did: paid what was due, or found nothing due and sent nothing. */
export interface ClaimResult {
  readonly outcome: "paid" | "nothing-due";
  readonly epoch: bigint;
  readonly account: string;
  /** Where the claim pays: the account, or the recipient it chose. */
  readonly recipient: string;
  readonly cumulativeAmount: bigint;
  /** What the account had claimed before. */
  readonly claimedBefore: bigint;
  readonly paid: bigint;
  readonly txHash?: string;
}

/**
 * Claims `account`'s rewards with its proof from `file`, sent by `distributor`'s runner (reading
 * through the distributor's `lens`). Before
 * sending, it checks that the file is of the latest claimable root (claims verify against that root
 * alone: an older file's proof would fail as `InvalidProof`), naming the epoch that is claimable, and
 * that something is due; when nothing is, it says so and sends nothing. Throws `RewardsError` (or
 * the file's `EpochFileError` for an account without an amount) with one line.
 */
export async function claimWithFile(
  distributor: RewardsDistributor,
  lens: RewardsLens,
  file: EpochFile,
  account: string,
): Promise<ClaimResult> {
  const [exists, epoch, root] = await lens.latestClaimable();
  const fileRoot = file.root.toLowerCase();
  if (!exists || epoch !== file.epoch || root.toLowerCase() !== fileRoot) {
    const [standing, , claimableAt] = await lens.rootOf(file.epoch);
    const latest = exists ? `the latest claimable root is epoch ${epoch}'s` : "no root is claimable yet";
    if (exists && file.epoch < epoch) {
      throw new RewardsError(
        `${file.source} is epoch ${file.epoch}'s file, but ${latest} (${root}): claim with ${epochFileName(epoch)}`,
      );
    }
    if (standing.toLowerCase() === fileRoot && claimableAt !== 0n && (!exists || file.epoch > epoch)) {
      throw new RewardsError(`epoch ${file.epoch}'s root is claimable from ${formatDate(claimableAt)}; ${latest}`);
    }
    throw new RewardsError(`${file.source}'s root ${file.root} does not stand for epoch ${file.epoch}; ${latest}`);
  }
  const proof = await proofFor(file, account);
  const cumulativeAmount = BigInt(proof.cumulativeAmount);
  const [claimedBefore, recipient, paused] = await Promise.all([
    lens.claimed(proof.account),
    lens.claimRecipientOf(proof.account),
    distributor.paused(),
  ]);
  const base = { epoch, account: proof.account, recipient: recipient.toLowerCase(), cumulativeAmount, claimedBefore };
  if (claimedBefore >= cumulativeAmount) return { ...base, outcome: "nothing-due", paid: 0n };
  if (paused) throw new RewardsError("claims are paused on the distributor");
  const tx = await distributor.claim(proof.account, cumulativeAmount, [...proof.proof]);
  await tx.wait();
  const paid = (await lens.claimed(proof.account)) - claimedBefore;
  return { ...base, outcome: "paid", paid, txHash: tx.hash };
}
