import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, isAddress, type Signer } from "ethers";

import type { SuiteContracts } from "./contracts";
import { UserError } from "../errors";

/** What an owner needs to claim from one epoch file: its leaf and proof, and the root they prove against. */
export interface EpochClaim {
  /** Where the file came from (a path or a URL). */
  readonly source: string;
  readonly epoch: bigint;
  readonly chainId: bigint;
  readonly distributor: string;
  readonly root: string;
  readonly account: string;
  /** Everything the account may have claimed through this epoch. */
  readonly cumulativeAmount: bigint;
  readonly proof: readonly string[];
}

export class EpochClaimError extends UserError {
  override readonly name = "EpochClaimError";
}

/**
 * The claim of `account` in an epoch file's text (`docs/epoch-files.md`, format `depin-epoch/v1`),
 * read the way any dApp can: `JSON.parse`, then `StandardMerkleTree.load` of its `tree` member. The
 * loaded tree is validated and its root must be the file's `root`. Browser-safe; the Node entry's
 * `loadEpochClaim` reads files with the pipeline's full consistency checks instead. Returns null when
 * the account has no leaf in the file (it earned nothing through this epoch).
 */
export function epochClaimFromText(text: string, account: string, source: string): EpochClaim | null {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new EpochClaimError(`${source} is not JSON`);
  }
  if (doc.format !== "depin-epoch/v1") throw new EpochClaimError(`${source} is not a depin-epoch/v1 file`);
  if (!isAddress(account)) throw new EpochClaimError(`${account} is not an address`);
  const header = (key: string): string => {
    const value = doc[key];
    if (typeof value !== "string") throw new EpochClaimError(`${source}: ${key} is missing`);
    return value;
  };
  const base = {
    source,
    epoch: BigInt(header("epoch")),
    chainId: BigInt(header("chainId")),
    distributor: getAddress(header("distributor")),
    root: header("root"),
  };
  if (doc.tree === null) return null;
  let tree: StandardMerkleTree<[string, string]>;
  try {
    tree = StandardMerkleTree.load<[string, string]>(
      doc.tree as Parameters<typeof StandardMerkleTree.load<[string, string]>>[0],
    );
    tree.validate();
  } catch (error) {
    throw new EpochClaimError(`${source}: the tree does not load (${(error as Error).message})`);
  }
  if (tree.root !== base.root) throw new EpochClaimError(`${source}: the tree's root is not the file's root`);
  const wanted = getAddress(account);
  for (const [index, [leaf, amount]] of tree.entries()) {
    if (getAddress(leaf) === wanted) {
      return { ...base, account: wanted, cumulativeAmount: BigInt(amount), proof: tree.getProof(index) };
    }
  }
  return null;
}

/** Fetches an epoch file over HTTP(S) (or any URL `fetch` knows) and reads `account`'s claim from it. */
export async function fetchEpochClaim(url: string, account: string): Promise<EpochClaim | null> {
  const response = await fetch(url);
  if (!response.ok) throw new EpochClaimError(`${url}: HTTP ${response.status}`);
  return epochClaimFromText(await response.text(), account, url);
}

/** How a claim stands against the chain now. */
export interface ClaimStatus {
  /** The root claims are checked against now, or null before the first claimable root. */
  readonly latestRoot: string | null;
  readonly latestEpoch: bigint | null;
  /** Whether the file's root is the latest claimable root, so its proof will be accepted. */
  readonly current: boolean;
  readonly claimed: bigint;
  /** What a claim would pay now (0 when the file is not current). */
  readonly due: bigint;
}

/** Compares a claim with the distributor's state: whether it is against the latest root, and what it would pay. */
export async function claimStatus(suite: SuiteContracts, claim: EpochClaim): Promise<ClaimStatus> {
  const [latest, claimed] = await Promise.all([
    suite.rewardsLens.latestClaimable(),
    suite.rewardsLens.claimed(claim.account),
  ]);
  const current = latest.exists && latest.root === claim.root;
  return {
    latestRoot: latest.exists ? latest.root : null,
    latestEpoch: latest.exists ? latest.epoch : null,
    current,
    claimed,
    due: current && claim.cumulativeAmount > claimed ? claim.cumulativeAmount - claimed : 0n,
  };
}

/**
 * Claims `claim` from `sender` (anyone may send; the tokens go to the claim's account). Checks first
 * that the file is of this chain and distributor and that its root is the latest claimable one, with
 * a one-line reason otherwise. Returns what was paid, read from the `Claimed` event (0 when nothing
 * was due).
 */
export async function claimRewards(
  suite: SuiteContracts,
  sender: Signer,
  claim: EpochClaim,
): Promise<{ paid: bigint; hash: string }> {
  if (claim.chainId !== suite.chainId) throw new EpochClaimError(`the epoch file is of chain ${claim.chainId}`);
  if (claim.distributor !== getAddress(await suite.distributor.getAddress())) {
    throw new EpochClaimError(`the epoch file is of distributor ${claim.distributor}, not this suite's`);
  }
  const status = await claimStatus(suite, claim);
  if (!status.current) {
    throw new EpochClaimError(
      status.latestRoot === null
        ? "no root is claimable yet: wait for the challenge window to end"
        : `epoch ${claim.epoch}'s root is not the latest claimable root (epoch ${status.latestEpoch}): load the latest epoch file`,
    );
  }
  const tx = await suite.distributor.connect(sender).claim(claim.account, claim.cumulativeAmount, [...claim.proof]);
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("the claim was not mined");
  let paid = 0n;
  for (const log of receipt.logs) {
    const parsed = suite.distributor.interface.parseLog(log);
    if (parsed?.name === "Claimed") paid += parsed.args.amount as bigint;
  }
  return { paid, hash: receipt.hash };
}
