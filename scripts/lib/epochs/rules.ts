import { ActivityFormatError, SnapshotFormatError } from "./errors";
import type { ActivityRow, Snapshot } from "./types";
import { ZERO_ADDRESS, normalizeAddress } from "./util/address";
import type { Keccak } from "./util/keccak";
import { sortByAddress } from "./util/sort";

/**
 * The rules the inputs keep however they were made (read from a file, or built in memory by the
 * chain reader or a test): addresses lowercase, rows sorted by address and unique, parameters in
 * range. The readers in `formats/` and the compute both apply them.
 */

const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_UINT32 = 2 ** 32 - 1;

/**
 * Checks the rules every snapshot keeps, whether read from a file or built in memory: parameters in
 * range, a split that adds up to 10,000 bps, devices and stakes sorted and unique, an owner for every
 * device that is not decommissioned. Expects lowercase addresses (see `normalizeSnapshot`).
 */
export function validateSnapshot(snapshot: Snapshot, source: string): void {
  const fail = (reason: string): never => {
    throw new SnapshotFormatError(source, 0, reason);
  };
  const { header } = snapshot;
  const p = header.params;
  for (const [name, value] of Object.entries({ ...p, chainId: header.chainId, epoch: header.epoch })) {
    if (value < 0n || value > MAX_UINT256) fail(`${name} is out of range`);
  }
  if (p.operatorsBps + p.stakersBps + p.treasuryBps !== 10_000n)
    fail("operatorsBps + stakersBps + treasuryBps must be 10000");
  if (p.epochLength === 0n) fail("epochLength must be positive");
  if (header.epochEnd - header.epochStart !== p.epochLength) fail("epochEnd - epochStart must equal epochLength");
  let previous = "";
  for (const d of snapshot.devices) {
    if (d.device <= previous) fail(`device ${d.device} is out of order or repeated`);
    previous = d.device;
    if (d.status !== "decommissioned" && d.owner === ZERO_ADDRESS) fail(`device ${d.device} has no owner`);
    if (!(d.classId <= MAX_UINT32 && d.classMultiplierBps <= MAX_UINT32)) {
      fail(`device ${d.device}: classId and classMultiplierBps must fit in a uint32`);
    }
    if (!Number.isSafeInteger(d.onboardedAt) || d.onboardedAt < 0)
      fail(`device ${d.device}: onboardedAt is not a time`);
  }
  previous = "";
  for (const s of snapshot.stakes) {
    if (s.owner <= previous) fail(`stake of ${s.owner} is out of order or repeated`);
    previous = s.owner;
    if (s.stake < 0n || s.stake > MAX_UINT256) fail(`stake of ${s.owner} is out of range`);
  }
}

/** Lowercases every address of an in-memory snapshot (checking each one). */
export function normalizeSnapshot(snapshot: Snapshot, source: string, keccak: Keccak): Snapshot {
  const fail = (reason: string): never => {
    throw new SnapshotFormatError(source, 0, reason);
  };
  const addr = (value: string, what: string): string =>
    normalizeAddress(value, keccak) ?? fail(`${what} is not an address: ${value}`);
  const c = snapshot.header.contracts;
  return {
    header: {
      ...snapshot.header,
      contracts: {
        deviceRegistry: addr(c.deviceRegistry, "deviceRegistry"),
        staking: addr(c.staking, "staking"),
        rewardsDistributor: addr(c.rewardsDistributor, "rewardsDistributor"),
      },
    },
    devices: snapshot.devices.map((d) => ({
      ...d,
      device: addr(d.device, "device"),
      owner: addr(d.owner, "owner"),
      recipient: d.recipient === null ? null : addr(d.recipient, "recipient"),
    })),
    stakes: snapshot.stakes.map((s) => ({ owner: addr(s.owner, "owner"), stake: s.stake })),
  };
}

/** The same snapshot with devices sorted by address and stakes by owner (the file's order). */
export function sortSnapshot(snapshot: Snapshot): Snapshot {
  return {
    header: snapshot.header,
    devices: isSortedBy(snapshot.devices, (d) => d.device)
      ? snapshot.devices
      : sortByAddress([...snapshot.devices], (d) => d.device),
    stakes: isSortedBy(snapshot.stakes, (s) => s.owner)
      ? snapshot.stakes
      : sortByAddress([...snapshot.stakes], (s) => s.owner),
  };
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isSortedBy<T>(items: readonly T[], key: (item: T) => string): boolean {
  for (let i = 1; i < items.length; i++) {
    if (key(items[i - 1] as T) > key(items[i] as T)) return false;
  }
  return true;
}

/**
 * Sorts rows by device (in place when given a fresh array) and refuses a device listed twice,
 * naming the later of its lines. Sorting first (rather than a set of a million addresses while
 * reading) keeps the parse fast and small; the compute and the input hash need this order anyway.
 */
export function sortActivityRows(source: string, rows: ActivityRow[]): ActivityRow[] {
  sortByAddress(
    rows,
    (r) => r.device,
    (a, b) => (a.line ?? 0) - (b.line ?? 0),
  );
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1] as ActivityRow;
    const b = rows[i] as ActivityRow;
    if (a.device === b.device) {
      throw new ActivityFormatError(
        source,
        b.line ?? 0,
        `device ${b.device} is listed twice${a.line === undefined ? "" : ` (first on line ${a.line})`}`,
      );
    }
  }
  return rows;
}
