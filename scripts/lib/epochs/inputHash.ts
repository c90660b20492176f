import type { Activity, ActivityRow, DeviceStatus, PreviousIdentity, Snapshot } from "./types";
import { ZERO_ADDRESS } from "./util/address";
import { newKeccak, WordHasher } from "./util/keccak";
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
const MAX_UINT256 = (1n << 256n) - 1n;

/** A non-negative safe integer as `digits` hex digits; throws when it does not fit. */
function fixedHex(value: number, digits: number): string {
  const hex = value.toString(16);
  if (!Number.isSafeInteger(value) || value < 0 || hex.length > digits)
    throw new RangeError(`${value} does not fit in ${digits / 2} bytes`);
  return hex.padStart(digits, "0");
}

function uint256Hex(value: bigint): string {
  if (value < 0n || value > MAX_UINT256) throw new RangeError(`${value} does not fit in a uint256`);
  return value.toString(16).padStart(64, "0");
}

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
    w.hexRow(
      d.device.slice(2) +
        d.owner.slice(2) +
        (d.recipient ?? ZERO_ADDRESS).slice(2) +
        fixedHex(d.classId, 8) +
        fixedHex(d.classMultiplierBps, 8) +
        fixedHex(STATUS_CODES[d.status], 2) +
        fixedHex(d.onboardedAt, 16) +
        (d.locationAsserted ? "01" : "00"),
    );
  }
  for (const s of snapshot.stakes) w.hexRow(s.owner.slice(2) + uint256Hex(s.stake));
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
  for (const r of rows) {
    w.hexRow(r.device.slice(2) + uint256Hex(r.uptimeSeconds) + uint256Hex(r.coverageProofs) + uint256Hex(r.dataBytes));
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
