import { concat, hexlify, keccak256, randomBytes } from "ethers";

import { rewardLeafHash } from "./tree";

/** OpenZeppelin's commutative node hash: keccak256 of the two children, smaller first. */
export function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** The root reached from `leaf` by folding `proof` with `hashPair`, as `MerkleProof` does. */
export function foldProof(leaf: string, proof: readonly string[]): string {
  return proof.reduce((node, sibling) => hashPair(node, sibling), leaf);
}

export interface SyntheticTree {
  readonly root: string;
  /** One proof per leaf, in the order given, each `depth` elements long. */
  readonly proofs: string[][];
}

/**
 * A valid path set of a tree of 2^depth leaves without building it: the given leaves sit in the
 * first bottom subtree (filled up with random leaves) and random siblings stand for the rest of the
 * tree above it. For gas measurements, where only the proof length matters.
 */
export function syntheticTree(
  leaves: readonly { account: string; cumulativeAmount: bigint }[],
  depth: number,
  siblings: readonly string[] = Array.from({ length: depth }, () => hexlify(randomBytes(32))),
): SyntheticTree {
  let width = 1;
  let low = 0;
  while (width < leaves.length) {
    width *= 2;
    low += 1;
  }
  if (low > depth) throw new Error(`${leaves.length} leaves do not fit a tree of depth ${depth}`);
  let level: string[] = leaves.map((leaf) => rewardLeafHash(leaf.account, leaf.cumulativeAmount));
  for (let i = leaves.length; i < width; i++) level.push(siblings[i % siblings.length]);
  const proofs: string[][] = leaves.map(() => []);
  let index = leaves.map((_, i) => i);
  for (let l = 0; l < low; l++) {
    index.forEach((position, leaf) => proofs[leaf].push(level[position ^ 1]));
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashPair(level[i], level[i + 1]));
    level = next;
    index = index.map((position) => position >> 1);
  }
  let root = level[0];
  for (let l = low; l < depth; l++) {
    proofs.forEach((proof) => proof.push(siblings[l]));
    root = hashPair(root, siblings[l]);
  }
  return { root, proofs };
}
