import { newKeccak, WordHasher } from "./keccak";
import { isPrepared, sortByAddress } from "./sort";
import type { Activity, ActivityRow, DeviceStatus, Snapshot } from "./types";

/**
 * The canonical encoding of the three inputs, hashed with keccak-256 (`docs/epoch-files.md`).
 * Every field is one 32-byte ABI word (`abi.encode`), addresses are bytes (so their case does not
 * matter), rows are sorted by address, and only values enter the hash: whitespace, field order in
 * JSON, row order, CRLF and address case in the files change nothing.
 *
 *   inputHash    = keccak256("depin-epoch-inputs/v1" ‖ snapshotHash ‖ activityHash ‖ previousHash)
 *   snapshotHash = keccak256("depin-snapshot/v1" ‖ header words ‖ device rows ‖ stake rows)
 *   activityHash = keccak256("depin-activity/v1" ‖ count ‖ rows sorted by device)
 *   previousHash = bytes32(0) without a previous epoch, else
 *                  keccak256("depin-previous/v1" ‖ chainId ‖ distributor ‖ epoch ‖ root ‖ totalCumulative)
 */
export const STATUS_CODES: Readonly<Record<DeviceStatus, number>> = { active: 0, suspended: 1, decommissioned: 2 };

/** What identifies the previous epoch: its root commits to every cumulative amount. */
export interface PreviousIdentity {
  readonly chainId: bigint;
  readonly distributor: string;
  readonly epoch: bigint;
  readonly root: string;
  readonly totalCumulative: bigint;
}

export const ZERO_HASH = `0x${"00".repeat(32)}`;

/** Expects the snapshot sorted (devices by address, stakes by owner), as `readSnapshot` gives it. */
export async function hashSnapshot(snapshot: Snapshot): Promise<string> {
  const w = new WordHasher(await newKeccak()).tag("depin-snapshot/v1");
  const { header } = snapshot;
  const p = header.params;
  w.uint(header.chainId).uint(header.epoch).uint(header.block).uint(header.blockTimestamp);
  w.uint(header.epochStart).uint(header.epochEnd);
  w.address(header.contracts.deviceRegistry)
    .address(header.contracts.staking)
    .address(header.contracts.rewardsDistributor);
  w.uint(p.emission).uint(p.operatorsBps).uint(p.stakersBps).uint(p.treasuryBps);
  w.uint(p.epochLength).uint(p.minStakePerDevice).uint(p.maxProofs);
  w.small(snapshot.devices.length).small(snapshot.stakes.length);
  for (const d of snapshot.devices) {
    w.address(d.device)
      .address(d.owner)
      .address(d.recipient ?? `0x${"00".repeat(20)}`);
    w.small(d.classId).small(d.classMultiplierBps).small(STATUS_CODES[d.status]).small(d.onboardedAt);
    w.small(d.locationAsserted ? 1 : 0);
  }
  for (const s of snapshot.stakes) w.address(s.owner).uint(s.stake);
  return w.digest();
}

/** Hashes rows sorted by lowercase device (as `readActivity` gives them); sorts a copy otherwise. */
export async function hashActivity(activity: Activity): Promise<string> {
  let rows = activity.rows;
  for (let i = 0; i < rows.length && !isPrepared(rows); i++) {
    const device = (rows[i] as ActivityRow).device;
    if ((i > 0 && (rows[i - 1] as ActivityRow).device >= device) || device !== device.toLowerCase()) {
      rows = sortByAddress(
        rows.map((r) => ({ ...r, device: r.device.toLowerCase() })),
        (r) => r.device,
      );
      break;
    }
  }
  const w = new WordHasher(await newKeccak()).tag("depin-activity/v1");
  w.small(rows.length);
  for (const r of rows) w.address(r.device).uint(r.uptimeSeconds).uint(r.coverageProofs).uint(r.dataBytes);
  return w.digest();
}

export async function hashPrevious(previous: PreviousIdentity | undefined): Promise<string> {
  if (previous === undefined) return ZERO_HASH;
  const w = new WordHasher(await newKeccak()).tag("depin-previous/v1");
  w.uint(previous.chainId).address(previous.distributor).uint(previous.epoch).bytes32(previous.root);
  w.uint(previous.totalCumulative);
  return w.digest();
}

export async function hashInputs(snapshotHash: string, activityHash: string, previousHash: string): Promise<string> {
  return new WordHasher(await newKeccak())
    .tag("depin-epoch-inputs/v1")
    .bytes32(snapshotHash)
    .bytes32(activityHash)
    .bytes32(previousHash)
    .digest();
}
