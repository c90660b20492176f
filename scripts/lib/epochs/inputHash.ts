import type { Activity, ActivityRow, DeviceStatus, PreviousIdentity, Snapshot, SnapshotHeader } from "./types";
import { ZERO_ADDRESS } from "./util/address";
import { newKeccak, putAddress, putNumber, putUint256, WordHasher } from "./util/keccak";
import { isPrepared, sortByAddress } from "./util/sort";

/**
 * The canonical encoding of the three inputs, hashed with keccak-256 (`docs/epoch-files.md`).
 * Header fields are 32-byte ABI words (`abi.encode`), rows are `abi.encodePacked` (a million rows
 * hash in half the bytes), addresses are bytes (so their case does not matter), rows are sorted by
 * address, and only values enter the hash: whitespace, field order in JSON, row order, CRLF and
 * address case in the files change nothing.
 *
 *   inputHash    = keccak256("depin-epoch-inputs/v1" ‖ snapshotHash ‖ activityHash ‖ previousHash)
 *   snapshotHash = keccak256("depin-snapshot/v1" ‖ header words ‖ device rows ‖ stake rows)
 *     device row = device ‖ owner ‖ recipient (zero when none) ‖ uint32 classId ‖ uint32 classMultiplierBps
 *                  ‖ uint8 status ‖ uint64 onboardedAt ‖ uint8 locationAsserted            (78 bytes)
 *     stake row  = owner ‖ uint256 stake                                                   (52 bytes)
 *   activityHash = keccak256("depin-activity/v1" ‖ uint256 count ‖ rows sorted by device)
 *     row        = device ‖ uint256 uptime_seconds ‖ uint256 coverage_proofs ‖ uint256 data_bytes (116 bytes)
 *   previousHash = bytes32(0) without a previous epoch, else
 *                  keccak256("depin-previous/v1" ‖ chainId ‖ distributor ‖ epoch ‖ root ‖ totalCumulative)
 */
export const STATUS_CODES: Readonly<Record<DeviceStatus, number>> = { active: 0, suspended: 1, decommissioned: 2 };

export const ZERO_HASH = `0x${"00".repeat(32)}`;

/**
 * Hashes computed while the inputs were read (`formats/hashWhileReading.ts`: a worker hashes the
 * very bytes the reader parsed), so that the compute does not encode a million rows a second time.
 * Held weakly, per input object.
 */
const known = new WeakMap<object, string>();

/** Records the hash of `input` (a `Snapshot` or an `Activity`), computed from the bytes it was read from. */
export function attachInputHash<T extends object>(input: T, hash: string): T {
  known.set(input, hash);
  return input;
}

/** The snapshot's tag and header words, the start of `snapshotHash` (shared with the hashing worker). */
export function startSnapshotHash(
  w: WordHasher,
  header: SnapshotHeader,
  deviceCount: number,
  stakeCount: number,
): WordHasher {
  const p = header.params;
  w.tag("depin-snapshot/v1");
  w.uint(header.chainId).uint(header.epoch).uint(header.block).uint(header.blockTimestamp);
  w.uint(header.epochStart).uint(header.epochEnd);
  w.address(header.contracts.deviceRegistry)
    .address(header.contracts.staking)
    .address(header.contracts.rewardsDistributor);
  w.uint(p.emission).uint(p.operatorsBps).uint(p.stakersBps).uint(p.treasuryBps);
  w.uint(p.epochLength).uint(p.minStakePerDevice).uint(p.maxProofs);
  return w.small(deviceCount).small(stakeCount);
}

/** Expects the snapshot sorted (devices by address, stakes by owner), as `readSnapshot` gives it. */
export async function hashSnapshot(snapshot: Snapshot): Promise<string> {
  const cached = known.get(snapshot);
  if (cached !== undefined) return cached;
  const w = startSnapshotHash(
    new WordHasher(await newKeccak()),
    snapshot.header,
    snapshot.devices.length,
    snapshot.stakes.length,
  );
  const b = w.buffer;
  for (const d of snapshot.devices) {
    const at = w.packed(78);
    putAddress(b, at, d.device);
    putAddress(b, at + 20, d.owner);
    putAddress(b, at + 40, d.recipient ?? ZERO_ADDRESS);
    putNumber(b, at + 60, d.classId, 4);
    putNumber(b, at + 64, d.classMultiplierBps, 4);
    b[at + 68] = STATUS_CODES[d.status];
    putNumber(b, at + 69, d.onboardedAt, 8);
    b[at + 77] = d.locationAsserted ? 1 : 0;
  }
  for (const s of snapshot.stakes) {
    const at = w.packed(52);
    putAddress(b, at, s.owner);
    putUint256(b, at + 20, s.stake);
  }
  return w.digest();
}

/** Hashes rows sorted by lowercase device (as `readActivity` gives them); sorts a copy otherwise. */
export async function hashActivity(activity: Activity): Promise<string> {
  const cached = known.get(activity);
  if (cached !== undefined) return cached;
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
  const b = w.buffer;
  for (const r of rows) {
    const at = w.packed(116);
    putAddress(b, at, r.device);
    putUint256(b, at + 20, r.uptimeSeconds);
    putUint256(b, at + 52, r.coverageProofs);
    putUint256(b, at + 84, r.dataBytes);
  }
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
