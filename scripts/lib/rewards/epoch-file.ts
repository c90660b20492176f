import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { isHexString } from "ethers";

import { RewardsError } from "./errors";
import { LEAF_ENCODING, treeTotal, type RewardLeaf, type RewardsTree } from "./tree";

/**
 * The epoch file this library reads, until the epoch pipeline defines its own (which will add to it):
 *
 * ```json
 * {
 *   "epoch": "12",                 // decimal string
 *   "root": "0x…",                 // must equal the tree's root
 *   "totalCumulative": "…",        // decimal wei; at least the sum of the tree's amounts
 *   "inputHash": "0x…",            // 32 bytes
 *   "tree": { … }                  // StandardMerkleTree.dump() over ["address", "uint256"]
 * }
 * ```
 */
export interface EpochFile {
  readonly epoch: bigint;
  readonly root: string;
  readonly totalCumulative: bigint;
  readonly inputHash: string;
  readonly tree: RewardsTree;
}

function decimal(value: unknown, field: string, source: string): bigint {
  if (typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value)) {
    throw new RewardsError(`${source}: ${field} must be a decimal string`);
  }
  return BigInt(value);
}

function bytes32(value: unknown, field: string, source: string): string {
  if (typeof value !== "string" || !isHexString(value, 32))
    throw new RewardsError(`${source}: ${field} must be 32 bytes of hex`);
  return value.toLowerCase();
}

/** Parses and checks an epoch file. Throws `RewardsError` with a one-line reason. */
export function parseEpochFile(json: string, source: string): EpochFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new RewardsError(`${source} is not valid JSON`);
  }
  if (typeof raw !== "object" || raw === null) throw new RewardsError(`${source} is not an epoch file`);
  const record = raw as Record<string, unknown>;
  const epoch = decimal(record.epoch, "epoch", source);
  const root = bytes32(record.root, "root", source);
  const totalCumulative = decimal(record.totalCumulative, "totalCumulative", source);
  const inputHash = bytes32(record.inputHash, "inputHash", source);
  const data = record.tree as Parameters<typeof StandardMerkleTree.load<RewardLeaf>>[0] | undefined;
  if (typeof data !== "object" || data === null || data.format !== "standard-v1") {
    throw new RewardsError(`${source}: tree must be a StandardMerkleTree dump (format standard-v1)`);
  }
  if (JSON.stringify(data.leafEncoding) !== JSON.stringify(LEAF_ENCODING)) {
    throw new RewardsError(`${source}: tree leaves must be encoded as ${JSON.stringify(LEAF_ENCODING)}`);
  }
  let tree: RewardsTree;
  try {
    tree = StandardMerkleTree.load(data);
    tree.validate();
  } catch (error) {
    throw new RewardsError(
      `${source}: the tree does not load (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (tree.root.toLowerCase() !== root)
    throw new RewardsError(`${source}: root ${root} is not the tree's root ${tree.root}`);
  const sum = treeTotal(tree);
  if (sum > totalCumulative) {
    throw new RewardsError(`${source}: the tree allocates ${sum}, more than totalCumulative ${totalCumulative}`);
  }
  return { epoch, root, totalCumulative, inputHash, tree };
}

/** The JSON of an epoch file, in the format `parseEpochFile` reads. */
export function formatEpochFile(file: EpochFile): string {
  return JSON.stringify(
    {
      epoch: file.epoch.toString(),
      root: file.root,
      totalCumulative: file.totalCumulative.toString(),
      inputHash: file.inputHash,
      tree: file.tree.dump(),
    },
    null,
    2,
  );
}
