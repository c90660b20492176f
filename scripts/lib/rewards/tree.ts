import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, getAddress, isAddress, keccak256 } from "ethers";

import { RewardsError } from "./errors";

/** The leaf encoding of the RewardsDistributor: `(account, cumulativeAmount)`. */
export const LEAF_ENCODING = ["address", "uint256"];

/** A tree value: a checksummed account and its cumulative amount in wei, as a decimal string (JSON-safe). */
export type RewardLeaf = [string, string];
export type RewardsTree = StandardMerkleTree<RewardLeaf>;

/** What an account may have claimed in all, through the epoch of the tree. */
export interface Allocation {
  readonly account: string;
  readonly cumulativeAmount: bigint;
}

/** A proof of one leaf, in the form `claim(account, cumulativeAmount, proof)` takes. */
export interface RewardProof {
  readonly account: string;
  readonly cumulativeAmount: bigint;
  readonly proof: string[];
}

const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * Builds the StandardMerkleTree of `allocations`. Throws `RewardsError` on a bad address, a negative
 * or oversized amount, or an account listed twice (a cumulative tree has one leaf per account).
 */
export function buildRewardsTree(allocations: readonly Allocation[]): RewardsTree {
  if (allocations.length === 0) throw new RewardsError("a rewards tree needs at least one allocation");
  const seen = new Set<string>();
  const values: RewardLeaf[] = allocations.map(({ account, cumulativeAmount }) => {
    if (!isAddress(account)) throw new RewardsError(`not an address: ${account}`);
    const checksummed = getAddress(account);
    if (seen.has(checksummed)) throw new RewardsError(`account listed twice: ${checksummed}`);
    seen.add(checksummed);
    if (cumulativeAmount < 0n || cumulativeAmount > MAX_UINT256) {
      throw new RewardsError(`amount out of range for ${checksummed}: ${cumulativeAmount}`);
    }
    return [checksummed, cumulativeAmount.toString()];
  });
  return StandardMerkleTree.of(values, LEAF_ENCODING);
}

/** The contract's leaf: `keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`. */
export function rewardLeafHash(account: string, cumulativeAmount: bigint): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(LEAF_ENCODING, [account, cumulativeAmount])));
}

/** The sum of the tree's cumulative amounts: at most the root's `totalCumulative`. */
export function treeTotal(tree: RewardsTree): bigint {
  let total = 0n;
  for (const [, [, amount]] of tree.entries()) total += BigInt(amount);
  return total;
}

/** The proof of `account`'s leaf. Throws `RewardsError` when the tree has no leaf for it. */
export function proofFor(tree: RewardsTree, account: string): RewardProof {
  if (!isAddress(account)) throw new RewardsError(`not an address: ${account}`);
  const checksummed = getAddress(account);
  for (const [index, [leafAccount, amount]] of tree.entries()) {
    if (getAddress(leafAccount) === checksummed) {
      return { account: checksummed, cumulativeAmount: BigInt(amount), proof: tree.getProof(index) };
    }
  }
  throw new RewardsError(`no leaf for ${checksummed} in the tree of root ${tree.root}`);
}
