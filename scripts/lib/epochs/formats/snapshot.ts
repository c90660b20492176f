import { writeAtomically } from "../../atomic";
import { SnapshotFormatError } from "../errors";
import { AccountNumbering, attachAccountIndex, beneficiaryId } from "../accountIndex";
import { normalizeSnapshot, sortSnapshot, validateSnapshot } from "../rules";
import { DEVICE_STATUSES } from "../types";
import { normalizeAddress } from "../util/address";
import { sharedKeccak, type Keccak } from "../util/keccak";
import { markPrepared } from "../util/sort";
import { forEachLineBytes } from "./lines";
import type {
  DeviceStatus,
  EpochParams,
  OwnerStake,
  ReadOptions,
  Snapshot,
  SnapshotContracts,
  SnapshotDevice,
  SnapshotHeader,
} from "../types";

/**
 * The snapshot file (`docs/epoch-files.md`): NDJSON, so that a million devices stream in and out in
 * constant memory per line.
 *
 *   line 1:            the header object (format, chain, epoch, block, contracts, params, counts)
 *   next `devices`:    [device, owner, recipient|null, classId, classMultiplierBps, status, onboardedAt, locationAsserted]
 *   next `stakes`:     [owner, stake]
 *
 * Devices are sorted by address and stakes by owner, strictly ascending (lowercase), which also
 * rules out duplicates. The counts in the header let the reader refuse a truncated file.
 */
export const SNAPSHOT_FORMAT = "depin-snapshot/v1";

const UINT = /^(0|[1-9][0-9]*)$/;
const MAX_UINT256 = (1n << 256n) - 1n;

/** Writes `snapshot` to `file` atomically (temp file + rename), sorted and validated first. */
export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  const keccak = await sharedKeccak();
  const sorted = sortSnapshot(normalizeSnapshot(snapshot, file, keccak));
  validateSnapshot(sorted, file);
  const { header } = sorted;
  const head = {
    format: SNAPSHOT_FORMAT,
    chainId: header.chainId.toString(),
    epoch: header.epoch.toString(),
    block: header.block.toString(),
    blockTimestamp: header.blockTimestamp.toString(),
    epochStart: header.epochStart.toString(),
    epochEnd: header.epochEnd.toString(),
    contracts: {
      deviceRegistry: header.contracts.deviceRegistry,
      staking: header.contracts.staking,
      rewardsDistributor: header.contracts.rewardsDistributor,
    },
    params: {
      emission: header.params.emission.toString(),
      operatorsBps: header.params.operatorsBps.toString(),
      stakersBps: header.params.stakersBps.toString(),
      treasuryBps: header.params.treasuryBps.toString(),
      epochLength: header.params.epochLength.toString(),
      minStakePerDevice: header.params.minStakePerDevice.toString(),
      maxProofs: header.params.maxProofs.toString(),
    },
    devices: sorted.devices.length,
    stakes: sorted.stakes.length,
  };
  await writeAtomically(file, async (sink) => {
    await sink.write(`${JSON.stringify(head)}\n`);
    for (const d of sorted.devices) {
      await sink.write(
        `["${d.device}","${d.owner}",${d.recipient === null ? "null" : `"${d.recipient}"`},${d.classId},${d.classMultiplierBps},"${d.status}",${d.onboardedAt},${d.locationAsserted}]\n`,
      );
    }
    for (const s of sorted.stakes) await sink.write(`["${s.owner}","${s.stake.toString()}"]\n`);
  });
}

/** Reads and validates a snapshot file. Throws `SnapshotFormatError` (one line) when it is not whole and well formed. */
export async function readSnapshot(file: string, options: ReadOptions = {}): Promise<Snapshot> {
  const keccak = await sharedKeccak();
  let header: SnapshotHeader | undefined;
  let expectedDevices = 0;
  let expectedStakes = 0;
  const devices: SnapshotDevice[] = [];
  const stakes: OwnerStake[] = [];
  // Owners and recipients are numbered as they are read (`accountIndex.ts`), one shared string each.
  const numbering = new AccountNumbering();
  const ids: DeviceIds = { owner: -1, recipient: -1 };
  let ownerIds = new Int32Array(0);
  let beneficiaryIds = new Int32Array(0);
  const stakerIds: number[] = [];
  let previous = "";
  let lines = 0;
  const onLine = (text: string, line: number): void => {
    const fail = (reason: string): never => {
      throw new SnapshotFormatError(file, line, reason);
    };
    if (header === undefined) {
      const parsed = parseJson(text, fail);
      const raw = asRecord(parsed, "the header", fail);
      if (raw.format !== SNAPSHOT_FORMAT) fail(`not a snapshot file (format must be "${SNAPSHOT_FORMAT}")`);
      header = parseHeader(raw, fail, keccak);
      expectedDevices = count(raw.devices, "devices", fail);
      expectedStakes = count(raw.stakes, "stakes", fail);
      ownerIds = new Int32Array(expectedDevices);
      beneficiaryIds = new Int32Array(expectedDevices);
      return;
    }
    const index = line - 2;
    if (index < expectedDevices) {
      const device =
        fastDevice(text, numbering, ids) ?? parseDevice(parseJson(text, fail), fail, keccak, numbering, ids);
      addDevice(device, index, line);
    } else if (index < expectedDevices + expectedStakes) {
      addStake(parseStake(parseJson(text, fail), fail, keccak, numbering, ids), line);
    } else if (text.trim() !== "") {
      fail("unexpected line after the last stake");
    }
  };
  const addStake = (stake: OwnerStake, line: number): void => {
    stakerIds.push(ids.owner);
    if (stake.owner <= previous) {
      throw new SnapshotFormatError(
        file,
        line,
        `stake of ${stake.owner} is out of order or repeated (stakes are sorted by owner)`,
      );
    }
    previous = stake.owner;
    stakes.push(stake);
  };
  const addDevice = (device: SnapshotDevice, index: number, line: number): void => {
    ownerIds[index] = ids.owner;
    beneficiaryIds[index] = beneficiaryId(ids.owner, ids.recipient, device.recipient);
    if (device.device <= previous) {
      throw new SnapshotFormatError(
        file,
        line,
        `device ${device.device} is out of order or repeated (devices are sorted by address)`,
      );
    }
    previous = device.device;
    devices.push(device);
    if (index === expectedDevices - 1) previous = "";
  };
  try {
    await forEachLineBytes(file, { onBytes: options.onBytes }, (bytes, start, end, line) => {
      lines = line;
      const index = line - 2;
      // Device lines as `writeSnapshot` writes them are parsed from the bytes (no line string, no
      // regular expression; fresh strings for the addresses, which do not pin the chunk's text).
      // Measured on the 1M-device snapshot (146 MB, one run each, load 3): the step took 4.2 s wall
      // with the regular expression on line strings; this path's own CPU profile self time is 0.75 s
      // (`byteDevice`), plus the account look-ups below.
      if (header !== undefined && index >= 0 && index < expectedDevices) {
        const device = byteDevice(bytes, start, end, numbering, ids);
        if (device !== undefined) return addDevice(device, index, line);
      } else if (header !== undefined && index >= expectedDevices && index < expectedDevices + expectedStakes) {
        // Stake lines likewise (194,402 at 1M devices: JSON.parse and a fresh owner string each);
        // `readSnapshot` of the 1M-device snapshot alone: 3.16 → 3.04 s CPU (two alternations, load 5).
        const stake = byteStake(bytes, start, end, numbering, ids);
        if (stake !== undefined) return addStake(stake, line);
      }
      onLine(bytes.toString("utf8", start, end), line);
    });
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotFormatError(
      file,
      0,
      code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})`,
    );
  }
  if (header === undefined) throw new SnapshotFormatError(file, 0, "is empty");
  if (devices.length !== expectedDevices || stakes.length !== expectedStakes) {
    throw new SnapshotFormatError(
      file,
      0,
      `truncated: the header announces ${expectedDevices} devices and ${expectedStakes} stakes, found ${devices.length} and ${stakes.length} in ${lines} lines`,
    );
  }
  const snapshot: Snapshot = { header, devices, stakes };
  validateSnapshot(snapshot, file);
  return markPrepared(
    attachAccountIndex(snapshot, {
      accounts: numbering.accounts,
      owner: ownerIds,
      beneficiary: beneficiaryIds,
      staker: Int32Array.from(stakerIds),
    }),
  );
}

type Fail = (reason: string) => never;

/**
 * The device line exactly as `writeSnapshot` writes it, matched in one step (lowercase addresses,
 * integers below 10^15, so safe). Any other spelling of a valid line goes through JSON.parse.
 */
const CANONICAL_DEVICE =
  /^\["(0x[0-9a-f]{40})","(0x[0-9a-f]{40})",(?:null|"(0x[0-9a-f]{40})"),(0|[1-9][0-9]{0,14}),(0|[1-9][0-9]{0,14}),"(active|suspended|decommissioned)",(0|[1-9][0-9]{0,14}),(true|false)\]$/;

/** The account numbers of the device just parsed: its owner's, and its recipient's or −1. */
interface DeviceIds {
  owner: number;
  recipient: number;
}

/** Numbers `owner` and `recipient` into `ids` and gives their shared strings. */
function accountsOf(
  numbering: AccountNumbering,
  ids: DeviceIds,
  owner: string,
  recipient: string | null,
): [string, string | null] {
  ids.owner = numbering.idOf(owner);
  ids.recipient = recipient === null ? -1 : numbering.idOf(recipient);
  return [
    numbering.accounts[ids.owner] as string,
    recipient === null ? null : (numbering.accounts[ids.recipient] as string),
  ];
}

function fastDevice(text: string, numbering: AccountNumbering, ids: DeviceIds): SnapshotDevice | undefined {
  const m = CANONICAL_DEVICE.exec(text);
  if (m === null) return undefined;
  const [owner, recipient] = accountsOf(numbering, ids, m[2] as string, m[3] ?? null);
  return {
    device: m[1] as string,
    owner,
    recipient,
    classId: Number(m[4]),
    classMultiplierBps: Number(m[5]),
    status: m[6] as DeviceStatus,
    onboardedAt: Number(m[7]),
    locationAsserted: m[8] === "true",
  };
}

const HEX_DIGIT = (() => {
  const t = new Uint8Array(256);
  for (let c = 48; c <= 57; c++) t[c] = 1;
  for (let c = 97; c <= 102; c++) t[c] = 1;
  return t;
})();

/** A lowercase `0x` address at `at`. */
function isLowerAddress(b: Buffer, at: number, end: number): boolean {
  if (at + 42 > end || b[at] !== 48 || b[at + 1] !== 120) return false;
  for (let i = at + 2; i < at + 42; i++) if (HEX_DIGIT[b[i] as number] === 0) return false;
  return true;
}

/** Matches `text` (ASCII) at `at`. */
function bytesAre(b: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Where the canonical integer at `at` ends (no leading zero, at most 15 digits), or −1. */
function integerEnd(b: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end && (b[i] as number) >= 48 && (b[i] as number) <= 57) i++;
  if (i === at || i - at > 15 || (b[at] === 48 && i - at > 1)) return -1;
  return i;
}

function integerAt(b: Buffer, at: number, to: number): number {
  let v = 0;
  for (let i = at; i < to; i++) v = v * 10 + (b[i] as number) - 48;
  return v;
}

const STATUS_BYTES: readonly DeviceStatus[] = ["active", "suspended", "decommissioned"];

/**
 * `CANONICAL_DEVICE` on the bytes of a line: the same lines match, with the same values; any other
 * line gives `undefined` and goes through the string path.
 */
function byteDevice(
  b: Buffer,
  start: number,
  end: number,
  numbering: AccountNumbering,
  ids: DeviceIds,
): SnapshotDevice | undefined {
  let i = start;
  if (!bytesAre(b, i, '["') || !isLowerAddress(b, i + 2, end) || !bytesAre(b, i + 44, '","')) return undefined;
  const deviceAt = i + 2;
  i += 47;
  if (!isLowerAddress(b, i, end) || !bytesAre(b, i + 42, '",')) return undefined;
  const ownerAt = i;
  i += 44;
  let recipientAt = -1;
  if (bytesAre(b, i, "null,")) i += 5;
  else if (b[i] === 34 && isLowerAddress(b, i + 1, end) && bytesAre(b, i + 43, '",')) {
    recipientAt = i + 1;
    i += 45;
  } else return undefined;
  const classEnd = integerEnd(b, i, end);
  if (classEnd < 0 || b[classEnd] !== 44) return undefined;
  const classId = integerAt(b, i, classEnd);
  i = classEnd + 1;
  const multiplierEnd = integerEnd(b, i, end);
  if (multiplierEnd < 0 || !bytesAre(b, multiplierEnd, ',"')) return undefined;
  const classMultiplierBps = integerAt(b, i, multiplierEnd);
  i = multiplierEnd + 2;
  const status = STATUS_BYTES.find((s) => bytesAre(b, i, s) && bytesAre(b, i + s.length, '",'));
  if (status === undefined) return undefined;
  i += status.length + 2;
  const onboardedEnd = integerEnd(b, i, end);
  if (onboardedEnd < 0 || b[onboardedEnd] !== 44) return undefined;
  const onboardedAt = integerAt(b, i, onboardedEnd);
  i = onboardedEnd + 1;
  let locationAsserted: boolean;
  if (i + 5 === end && bytesAre(b, i, "true]")) locationAsserted = true;
  else if (i + 6 === end && bytesAre(b, i, "false]")) locationAsserted = false;
  else return undefined;
  ids.owner = numbering.idOfBytes(b, ownerAt);
  ids.recipient = recipientAt < 0 ? -1 : numbering.idOfBytes(b, recipientAt);
  const owner = numbering.accounts[ids.owner] as string;
  const recipient = recipientAt < 0 ? null : (numbering.accounts[ids.recipient] as string);
  return {
    device: b.toString("latin1", deviceAt, deviceAt + 42),
    owner,
    recipient,
    classId,
    classMultiplierBps,
    status,
    onboardedAt,
    locationAsserted,
  };
}

/** A stake line as `writeSnapshot` writes it (`["0x…","<uint>"]`, below 10^77), or `undefined`. */
function byteStake(
  b: Buffer,
  start: number,
  end: number,
  numbering: AccountNumbering,
  ids: DeviceIds,
): OwnerStake | undefined {
  if (!bytesAre(b, start, '["') || !isLowerAddress(b, start + 2, end) || !bytesAre(b, start + 44, '","'))
    return undefined;
  const at = start + 47;
  let i = at;
  while (i < end && (b[i] as number) >= 48 && (b[i] as number) <= 57) i++;
  if (i === at || i - at > 77 || (b[at] === 48 && i - at > 1) || i + 2 !== end || !bytesAre(b, i, '"]'))
    return undefined;
  ids.owner = numbering.idOfBytes(b, start + 2);
  ids.recipient = -1;
  return { owner: numbering.accounts[ids.owner] as string, stake: BigInt(b.toString("latin1", at, i)) };
}

function parseJson(text: string, fail: Fail): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail("is not valid JSON (truncated?)");
  }
}

function asRecord(value: unknown, what: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function uint(value: unknown, what: string, fail: Fail): bigint {
  if (typeof value !== "string" || !UINT.test(value)) return fail(`${what} must be a decimal integer string`);
  const out = BigInt(value);
  if (out > MAX_UINT256) fail(`${what} does not fit in a uint256`);
  return out;
}

function count(value: unknown, what: string, fail: Fail): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) fail(`${what} must be a count`);
  return value as number;
}

function smallInt(value: unknown, what: string, fail: Fail): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    fail(`${what} must be a non-negative integer`);
  return value as number;
}

function address(value: unknown, what: string, fail: Fail, keccak: Keccak): string {
  const out = typeof value === "string" ? normalizeAddress(value, keccak) : undefined;
  return out ?? fail(`${what} is not an address`);
}

function parseHeader(raw: Record<string, unknown>, fail: Fail, keccak: Keccak): SnapshotHeader {
  const c = asRecord(raw.contracts, "contracts", fail);
  const p = asRecord(raw.params, "params", fail);
  const contracts: SnapshotContracts = {
    deviceRegistry: address(c.deviceRegistry, "contracts.deviceRegistry", fail, keccak),
    staking: address(c.staking, "contracts.staking", fail, keccak),
    rewardsDistributor: address(c.rewardsDistributor, "contracts.rewardsDistributor", fail, keccak),
  };
  const params: EpochParams = {
    emission: uint(p.emission, "params.emission", fail),
    operatorsBps: uint(p.operatorsBps, "params.operatorsBps", fail),
    stakersBps: uint(p.stakersBps, "params.stakersBps", fail),
    treasuryBps: uint(p.treasuryBps, "params.treasuryBps", fail),
    epochLength: uint(p.epochLength, "params.epochLength", fail),
    minStakePerDevice: uint(p.minStakePerDevice, "params.minStakePerDevice", fail),
    maxProofs: uint(p.maxProofs, "params.maxProofs", fail),
  };
  return {
    chainId: uint(raw.chainId, "chainId", fail),
    epoch: uint(raw.epoch, "epoch", fail),
    block: uint(raw.block, "block", fail),
    blockTimestamp: uint(raw.blockTimestamp, "blockTimestamp", fail),
    epochStart: uint(raw.epochStart, "epochStart", fail),
    epochEnd: uint(raw.epochEnd, "epochEnd", fail),
    contracts,
    params,
  };
}

function parseDevice(
  value: unknown,
  fail: Fail,
  keccak: Keccak,
  numbering: AccountNumbering,
  ids: DeviceIds,
): SnapshotDevice {
  if (!Array.isArray(value) || value.length !== 8) return fail("a device line must be an array of 8 fields");
  const [device, owner, recipient, classId, multiplier, status, onboardedAt, located] = value as unknown[];
  if (typeof status !== "string" || !DEVICE_STATUSES.includes(status as DeviceStatus)) {
    fail(`status must be one of ${DEVICE_STATUSES.join(", ")}`);
  }
  if (typeof located !== "boolean") fail("locationAsserted must be true or false");
  const lower = address(device, "device", fail, keccak);
  const [ownerLower, recipientLower] = accountsOf(
    numbering,
    ids,
    address(owner, "owner", fail, keccak),
    recipient === null ? null : address(recipient, "recipient", fail, keccak),
  );
  return {
    device: lower,
    owner: ownerLower,
    recipient: recipientLower,
    classId: smallInt(classId, "classId", fail),
    classMultiplierBps: smallInt(multiplier, "classMultiplierBps", fail),
    status: status as DeviceStatus,
    onboardedAt: smallInt(onboardedAt, "onboardedAt", fail),
    locationAsserted: located as boolean,
  };
}

function parseStake(
  value: unknown,
  fail: Fail,
  keccak: Keccak,
  numbering: AccountNumbering,
  ids: DeviceIds,
): OwnerStake {
  if (!Array.isArray(value) || value.length !== 2) return fail("a stake line must be an array of 2 fields");
  const [owner] = accountsOf(numbering, ids, address(value[0], "owner", fail, keccak), null);
  return { owner, stake: uint(value[1], "stake", fail) };
}
