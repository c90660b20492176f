import type { BuiltTree } from "./types";
import { sharedKeccak, writeHex } from "./util/keccak";
import { sortByAddress } from "./util/sort";

/**
 * A merkle builder that produces exactly the tree of `@openzeppelin/merkle-tree`'s
 * `StandardMerkleTree.of(values, ["address", "uint256"])`, at network scale.
 *
 * The library's layout, reproduced here:
 * - leaf = keccak256(keccak256(abi.encode(account, amount)));
 * - leaves are sorted by their hash, ascending as bytes (`sortLeaves: true`, the default);
 * - the tree is an array of 2n − 1 nodes: the i-th sorted leaf sits at index 2n − 2 − i, and node
 *   i (i < n − 1) is keccak256 of its children 2i + 1 and 2i + 2, the smaller one first;
 * - `values` keeps the caller's order, each with the index of its leaf in the tree.
 *
 * Its `dump()` therefore loads with `StandardMerkleTree.load`, and `getProof` there gives the same
 * proofs as `proofAt` here. The library hashes in JavaScript (16 s for 100,000 leaves); this builder
 * hashes with WebAssembly keccak through one reused hasher.
 */
export const LEAF_ENCODING = ["address", "uint256"] as const;

const MAX_UINT256 = (1n << 256n) - 1n;

/** The standard leaf of `(account, amount)` as 0x-hex. */
export async function standardLeaf(account: string, amount: bigint): Promise<string> {
  const keccak = await sharedKeccak();
  const buffer = Buffer.alloc(64);
  encodeLeaf(buffer, account, amount);
  const inner = keccak.init().update(buffer).digest("binary");
  return `0x${keccak.init().update(inner).digest("hex")}`;
}

/**
 * Builds the tree of `values` (`[account, amount]`, accounts as 0x-hex in any case). Throws on an
 * empty list, as the library does.
 */
export async function buildStandardTree(
  values: readonly (readonly [string, bigint])[],
  onProgress?: (done: number, total: number) => void,
): Promise<BuiltTree> {
  const n = values.length;
  if (n === 0) throw new RangeError("a merkle tree needs at least one leaf");
  const keccak = await sharedKeccak();
  const size = 2 * n - 1;
  const nodes = new Uint8Array(size * 32);
  const leafHashes = Buffer.alloc(n * 32);
  const buffer = Buffer.alloc(64);
  for (let i = 0; i < n; i++) {
    const [account, amount] = values[i] as readonly [string, bigint];
    encodeLeaf(buffer, account, amount);
    const inner = keccak.init().update(buffer).digest("binary");
    leafHashes.set(keccak.init().update(inner).digest("binary"), i * 32);
  }
  // Sorting the leaves by their hex (the library compares bytes; for equal-length lowercase hex
  // the orders agree), by bucket; equal leaves (the same pair twice) keep their order, as in the
  // library's stable sort.
  const leafHex = hexes(leafHashes, n);
  const order = sortByAddress(
    Array.from({ length: n }, (_, i) => i),
    (i) => leafHex[i] as string,
    (a, b) => a - b,
  );
  const treeIndex = new Int32Array(n);
  const tree = new Array<string>(size);
  for (let leaf = 0; leaf < n; leaf++) {
    const valueIndex = order[leaf] as number;
    const at = size - 1 - leaf;
    nodes.set(leafHashes.subarray(valueIndex * 32, valueIndex * 32 + 32), at * 32);
    tree[at] = leafHex[valueIndex] as string;
    treeIndex[valueIndex] = at;
  }
  const pair = new Uint8Array(64);
  for (let i = size - 1 - n; i >= 0; i--) {
    const l = (2 * i + 1) * 32;
    const r = (2 * i + 2) * 32;
    if (compareAt(nodes, l, nodes, r) <= 0) {
      pair.set(nodes.subarray(l, l + 32), 0);
      pair.set(nodes.subarray(r, r + 32), 32);
    } else {
      pair.set(nodes.subarray(r, r + 32), 0);
      pair.set(nodes.subarray(l, l + 32), 32);
    }
    nodes.set(keccak.init().update(pair).digest("binary"), i * 32);
    if (onProgress !== undefined && i % 100_000 === 0) onProgress(size - i, size);
  }
  const internal = hexes(Buffer.from(nodes.buffer, nodes.byteOffset, (size - n) * 32), size - n);
  for (let i = 0; i < size - n; i++) tree[i] = internal[i] as string;
  return { root: tree[0] as string, tree, treeIndex };
}

/** The `count` 32-byte words of `bytes` as 0x-prefixed hex strings, from one hex conversion. */
function hexes(bytes: Buffer, count: number): string[] {
  const hex = bytes.toString("hex", 0, count * 32);
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = `0x${hex.slice(i * 64, i * 64 + 64)}`;
  return out;
}

/** The proof of the leaf at `treeIndex` (siblings from the leaf up), as the library's `getProof` gives it. */
export function proofAt(tree: readonly string[], treeIndex: number): string[] {
  if (
    !Number.isSafeInteger(treeIndex) ||
    treeIndex < 0 ||
    treeIndex >= tree.length ||
    2 * treeIndex + 1 < tree.length
  ) {
    throw new RangeError(`${treeIndex} is not a leaf index`);
  }
  const proof: string[] = [];
  let i = treeIndex;
  while (i > 0) {
    proof.push(tree[i % 2 === 1 ? i + 1 : i - 1] as string);
    i = Math.floor((i - 1) / 2);
  }
  return proof;
}

/** Recomputes the root from a leaf and its proof (sorted pairs), for checks. */
export async function processProof(leaf: string, proof: readonly string[]): Promise<string> {
  const keccak = await sharedKeccak();
  const pair = new Uint8Array(64);
  let node = leaf.toLowerCase();
  for (const sibling of proof) {
    const s = sibling.toLowerCase();
    const [a, b] = node <= s ? [node, s] : [s, node];
    writeHex(pair, 0, a, 32);
    writeHex(pair, 32, b, 32);
    node = `0x${keccak.init().update(pair).digest("hex")}`;
  }
  return node;
}

function encodeLeaf(buffer: Buffer, account: string, amount: bigint): void {
  if (amount < 0n || amount > MAX_UINT256) throw new RangeError(`${amount} does not fit in a uint256`);
  buffer.fill(0, 0, 12);
  if (account.length !== 42 || buffer.write(account.slice(2), 12, 20, "hex") !== 20) {
    throw new RangeError(`${account} is not an address`);
  }
  buffer.write(amount.toString(16).padStart(64, "0"), 32, 32, "hex");
}

function compareAt(a: Uint8Array, ai: number, b: Uint8Array, bi: number): number {
  for (let k = 0; k < 32; k++) {
    const d = (a[ai + k] as number) - (b[bi + k] as number);
    if (d !== 0) return d;
  }
  return 0;
}
