/**
 * The worker of `hashWhileReading.ts`: it receives the bytes of the snapshot and the activity file,
 * chunk by chunk, as the main thread reads them, and computes `snapshotHash` and `activityHash`
 * (`inputHash.ts`) from them on the other core. It understands the canonical form only (what
 * `writeSnapshot` and `writeActivity` write: lowercase addresses, plain digits); at anything else it
 * gives up on that file (`null`) and the main thread hashes the parsed input as before, so a hash
 * never depends on which path computed it. It parses bytes, never strings: one pass, no objects per row.
 */
import { parentPort } from "node:worker_threads";

import { startSnapshotHash } from "../inputHash";
import type { HashReply, HashRequest, SnapshotHeader, Which } from "../types";
import { newKeccak, putNumber, WordHasher } from "../util/keccak";

const NL = 10;
const CR = 13;
const QUOTE = 34;

/** Gives up on one file: the main thread hashes it. */
class NotCanonical extends Error {}

const HEX = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[97 + i] = 10 + i;
  return t;
})();

/** Copies the 20 bytes of `0x` + 40 lowercase hex digits at `at` in `src` to `dst`; returns the end. */
function address(src: Uint8Array, at: number, dst: Uint8Array, to: number): number {
  if (src[at] !== 48 || src[at + 1] !== 120) throw new NotCanonical();
  for (let i = 0; i < 20; i++) {
    const hi = HEX[src[at + 2 + 2 * i] as number] as number;
    const lo = HEX[src[at + 3 + 2 * i] as number] as number;
    if (hi < 0 || lo < 0) throw new NotCanonical();
    dst[to + i] = hi * 16 + lo;
  }
  return at + 42;
}

/** A decimal integer of 1 to 15 digits at `at` (no leading zero but "0"); returns [value, end]. */
function digits(src: Uint8Array, at: number, end: number, leadingZeros: boolean): [number, number] {
  let v = 0;
  let i = at;
  while (i < end && (src[i] as number) >= 48 && (src[i] as number) <= 57) v = v * 10 + (src[i++] as number) - 48;
  if (i === at || i - at > 15 || (!leadingZeros && src[at] === 48 && i - at > 1)) throw new NotCanonical();
  return [v, i];
}

function expect(src: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) if (src[at + i] !== text.charCodeAt(i)) throw new NotCanonical();
  return at + text.length;
}

const STATUSES = ["active", "suspended", "decommissioned"];

/** Splits chunks into lines (bytes), carrying the part line over. */
class Lines {
  private _rest = new Uint8Array(0);
  constructor(private readonly _onLine: (src: Uint8Array, start: number, end: number) => void) {}
  push(chunk: Uint8Array): void {
    const buf = this._rest.length === 0 ? chunk : Buffer.concat([this._rest, chunk]);
    let start = 0;
    for (let nl = buf.indexOf(NL, start); nl !== -1; nl = buf.indexOf(NL, start)) {
      this._onLine(buf, start, nl > start && buf[nl - 1] === CR ? nl - 1 : nl);
      start = nl + 1;
    }
    this._rest = buf.slice(start);
  }
  end(): void {
    if (this._rest.length > 0) this._onLine(this._rest, 0, this._rest.length);
  }
}

/** snapshotHash, streamed: the file's rows are already in the hash's order. */
class SnapshotHasher {
  private _w: WordHasher | undefined;
  private _devices = 0;
  private _stakes = 0;
  private _seen = 0;
  readonly lines = new Lines((src, start, end) => this._line(src, start, end));
  constructor(private readonly _keccak: Awaited<ReturnType<typeof newKeccak>>) {}

  private _line(src: Uint8Array, start: number, end: number): void {
    if (this._w === undefined) return this._header(Buffer.from(src.subarray(start, end)).toString("utf8"));
    if (this._seen < this._devices) this._device(this._w, src, start, end);
    else if (this._seen < this._devices + this._stakes) this._stake(this._w, src, start, end);
    else if (end > start) throw new NotCanonical();
    else return; // a blank line after the last stake: the reader allows it
    this._seen++;
  }

  private _header(text: string): void {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const c = raw.contracts as Record<string, unknown>;
    const p = raw.params as Record<string, unknown>;
    const uint = (v: unknown): bigint => {
      if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,76})$/.test(v)) throw new NotCanonical();
      return BigInt(v);
    };
    const addr = (v: unknown): string => {
      if (typeof v !== "string" || !/^0x[0-9a-f]{40}$/.test(v)) throw new NotCanonical();
      return v;
    };
    const count = (v: unknown): number => {
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new NotCanonical();
      return v;
    };
    const header: SnapshotHeader = {
      chainId: uint(raw.chainId),
      epoch: uint(raw.epoch),
      block: uint(raw.block),
      blockTimestamp: uint(raw.blockTimestamp),
      epochStart: uint(raw.epochStart),
      epochEnd: uint(raw.epochEnd),
      contracts: {
        deviceRegistry: addr(c.deviceRegistry),
        staking: addr(c.staking),
        rewardsDistributor: addr(c.rewardsDistributor),
      },
      params: {
        emission: uint(p.emission),
        operatorsBps: uint(p.operatorsBps),
        stakersBps: uint(p.stakersBps),
        treasuryBps: uint(p.treasuryBps),
        epochLength: uint(p.epochLength),
        minStakePerDevice: uint(p.minStakePerDevice),
        maxProofs: uint(p.maxProofs),
      },
    };
    this._devices = count(raw.devices);
    this._stakes = count(raw.stakes);
    this._w = startSnapshotHash(new WordHasher(this._keccak), header, this._devices, this._stakes);
  }

  /** `["device","owner",null|"recipient",classId,multiplier,"status",onboardedAt,true|false]` → 78 bytes. */
  private _device(w: WordHasher, src: Uint8Array, start: number, end: number): void {
    const b = w.buffer;
    const at = w.packed(78);
    let i = expect(src, start, '["');
    i = expect(src, address(src, i, b, at), '","');
    i = expect(src, address(src, i, b, at + 20), '",');
    if (src[i] === QUOTE) i = expect(src, address(src, i + 1, b, at + 40), '",');
    else i = expect(src, i, "null,");
    let v: number;
    [v, i] = digits(src, i, end, false);
    putOrGiveUp(b, at + 60, v, 4);
    [v, i] = digits(src, expect(src, i, ","), end, false);
    putOrGiveUp(b, at + 64, v, 4);
    i = expect(src, i, ',"');
    const status = STATUSES.findIndex((s) => src[i + s.length] === QUOTE && matches(src, i, s));
    if (status < 0) throw new NotCanonical();
    b[at + 68] = status;
    i = expect(src, i + (STATUSES[status] as string).length, '",');
    [v, i] = digits(src, i, end, false);
    putNumber(b, at + 69, v, 8);
    i = expect(src, i, ",");
    if (matches(src, i, "true]")) b[at + 77] = 1;
    else if (!matches(src, i, "false]")) throw new NotCanonical();
    if (i + (b[at + 77] === 1 ? 5 : 6) !== end) throw new NotCanonical();
  }

  /** `["owner","stake"]` → 52 bytes. */
  private _stake(w: WordHasher, src: Uint8Array, start: number, end: number): void {
    const b = w.buffer;
    const at = w.packed(52);
    let i = expect(src, start, '["');
    i = expect(src, address(src, i, b, at), '","');
    const text = Buffer.from(src.subarray(i, end)).toString("latin1");
    const m = /^(0|[1-9][0-9]{0,76})"\]$/.exec(text);
    if (m === null) throw new NotCanonical();
    const stake = BigInt(m[1] as string);
    if (stake >> 256n !== 0n) throw new NotCanonical();
    b.write(stake.toString(16).padStart(64, "0"), at + 20, 32, "hex");
  }

  digest(): string {
    this.lines.end();
    if (this._w === undefined || this._seen !== this._devices + this._stakes) throw new NotCanonical();
    return this._w.digest();
  }
}

function matches(src: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (src[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function putOrGiveUp(b: Uint8Array, at: number, value: number, width: number): void {
  if (value >= 2 ** (8 * width)) throw new NotCanonical();
  putNumber(b, at, value, width);
}

const ACTIVITY_HEADER = "device,uptime_seconds,coverage_proofs,data_bytes";

/**
 * activityHash: rows are kept as 20 bytes of address and three numbers below 2^53 (44 bytes a row,
 * 38 MB at 854,683 rows), sorted by address once the file has been read, then hashed.
 */
class ActivityHasher {
  private _header = false;
  private _n = 0;
  private _addresses = new Uint8Array(20 * 65_536);
  private _values = new Float64Array(3 * 65_536);
  readonly lines = new Lines((src, start, end) => this._line(src, start, end));
  constructor(private readonly _keccak: Awaited<ReturnType<typeof newKeccak>>) {}

  private _line(src: Uint8Array, start: number, end: number): void {
    if (!this._header) {
      if (end - start !== ACTIVITY_HEADER.length || !matches(src, start, ACTIVITY_HEADER)) throw new NotCanonical();
      this._header = true;
      return;
    }
    if (end === start) return; // a blank line: the reader skips it too
    if (this._n * 20 === this._addresses.length) {
      const a = new Uint8Array(this._addresses.length * 2);
      a.set(this._addresses);
      this._addresses = a;
      const v = new Float64Array(this._values.length * 2);
      v.set(this._values);
      this._values = v;
    }
    let i = expect(src, address(src, start, this._addresses, this._n * 20), ",");
    for (let k = 0; k < 3; k++) {
      let v: number;
      [v, i] = digits(src, i, end, true);
      this._values[this._n * 3 + k] = v;
      if (k < 2) i = expect(src, i, ",");
    }
    if (i !== end) throw new NotCanonical();
    this._n++;
  }

  digest(): string {
    this.lines.end();
    if (!this._header) throw new NotCanonical();
    const n = this._n;
    const a = this._addresses;
    // Sort row indices by address: by the first 6 bytes as a number, then byte by byte.
    const head = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let v = 0;
      for (let k = 0; k < 6; k++) v = v * 256 + (a[r * 20 + k] as number);
      head[r] = v;
    }
    const order = Array.from({ length: n }, (_, r) => r);
    order.sort((x, y) => {
      const d = (head[x] as number) - (head[y] as number);
      if (d !== 0) return d;
      for (let k = 6; k < 20; k++) {
        const e = (a[x * 20 + k] as number) - (a[y * 20 + k] as number);
        if (e !== 0) return e;
      }
      throw new NotCanonical(); // a device listed twice: the reader refuses the file
    });
    const w = new WordHasher(this._keccak).tag("depin-activity/v1").small(n);
    const b = w.buffer;
    for (const r of order) {
      const at = w.packed(116);
      b.set(a.subarray(r * 20, r * 20 + 20), at);
      putNumber(b, at + 20 + 24, this._values[r * 3] as number, 8);
      putNumber(b, at + 52 + 24, this._values[r * 3 + 1] as number, 8);
      putNumber(b, at + 84 + 24, this._values[r * 3 + 2] as number, 8);
    }
    return w.digest();
  }
}

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  const hashers = { snapshot: new SnapshotHasher(await newKeccak()), activity: new ActivityHasher(await newKeccak()) };
  const failed = new Set<Which>();
  port.on("message", (message: HashRequest) => {
    const { which } = message;
    if (failed.has(which) && message.kind === "end") {
      port.postMessage({ which, hash: null } satisfies HashReply);
      return;
    }
    try {
      if (message.kind === "bytes") {
        if (!failed.has(which)) hashers[which].lines.push(new Uint8Array(message.bytes, 0, message.length));
        port.postMessage({ which, done: message.length } satisfies HashReply);
      } else port.postMessage({ which, hash: hashers[which].digest() } satisfies HashReply);
    } catch (error) {
      if (!(error instanceof NotCanonical) && !(error instanceof SyntaxError) && !(error instanceof TypeError)) {
        throw error;
      }
      failed.add(which);
      port.postMessage(
        message.kind === "end"
          ? ({ which, hash: null } satisfies HashReply)
          : ({ which, done: message.length } satisfies HashReply),
      );
    }
  });
}

if (parentPort !== null) void main(parentPort);
