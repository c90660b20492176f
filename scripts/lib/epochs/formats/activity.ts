import { writeAtomically } from "../../atomic";
import { ActivityFormatError } from "../errors";
import { sortActivityRows } from "../rules";
import type { Activity, ActivityRow, Line, ReadOptions } from "../types";
import { normalizeAddress } from "../util/address";
import { sharedKeccak, type Keccak } from "../util/keccak";
import { markPrepared } from "../util/sort";
import { forEachLineBytes } from "./lines";

/**
 * The activity file: CSV with the header `device,uptime_seconds,coverage_proofs,data_bytes`, then
 * one row per device. Fields may carry surrounding spaces, lines may end in CRLF, blank lines are
 * skipped, and rows may come in any order; none of that changes the input hash. Each value is a
 * non-negative decimal integer that fits in a uint256.
 */
export const ACTIVITY_HEADER = "device,uptime_seconds,coverage_proofs,data_bytes";
const COLUMNS = ACTIVITY_HEADER.split(",");
const DIGITS = /^[0-9]+$/;
/** 77 digits at most: below 10^77 < 2^256, so a match always fits in a uint256. */
const CANONICAL_ROW = /^(0x[0-9a-f]{40}),([0-9]{1,77}),([0-9]{1,77}),([0-9]{1,77})$/;
const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * Parses an activity file as a stream (a million rows in a few hundred megabytes). The first
 * problem stops it with an `ActivityFormatError` carrying the line: a wrong header, a device that is
 * not an address, a value that is negative or not an integer, or a device listed twice (addresses
 * compared case-insensitively).
 */
export async function readActivity(
  file: string,
  onProgress?: (rows: number) => void,
  options: ReadOptions = {},
): Promise<Activity> {
  try {
    const parser = await ActivityParser.create(file, onProgress);
    // Canonical rows (lowercase address, plain digits) are parsed from the bytes: no line string, no
    // regular expression, and a flat string per device rather than a slice that pins the chunk's
    // text (the join and the sort compare these strings). Measured on the 1M-device activity
    // (854,683 rows, CPU profile, load 3): regular expression path 0.63 s of self time plus 0.76 s
    // in the join's comparisons (which pin sliced strings); this path 0.34 s of self time, and the
    // compute's self time fell from 2.77 to 1.23 s (the join compares flat strings).
    await forEachLineBytes(file, { onBytes: options.onBytes }, (bytes, start, end, line) => {
      if (!parser.bytes(bytes, start, end, line)) parser.line(bytes.toString("utf8", start, end), line);
    });
    return parser.finish();
  } catch (error) {
    if (error instanceof ActivityFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ActivityFormatError(
      file,
      0,
      code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})`,
    );
  }
}

/** Parses activity CSV from batches of already split lines (what `readActivity` does after reading). */
export async function parseActivityLines(
  source: string,
  batches: AsyncIterable<readonly Line[]> | Iterable<readonly Line[]>,
  onProgress?: (rows: number) => void,
): Promise<Activity> {
  const parser = await ActivityParser.create(source, onProgress);
  for await (const batch of batches) for (const { text, line } of batch) parser.line(text, line);
  return parser.finish();
}

const HEX_DIGIT = (() => {
  const t = new Uint8Array(256);
  for (let c = 48; c <= 57; c++) t[c] = 1;
  for (let c = 97; c <= 102; c++) t[c] = 1;
  return t;
})();

/** The rows of one activity file, line by line. */
class ActivityParser {
  private readonly _rows: ActivityRow[] = [];
  private _headerSeen = false;

  private constructor(
    private readonly _source: string,
    private readonly _keccak: Keccak,
    private readonly _onProgress: ((rows: number) => void) | undefined,
  ) {}

  static async create(source: string, onProgress?: (rows: number) => void): Promise<ActivityParser> {
    return new ActivityParser(source, await sharedKeccak(), onProgress);
  }

  private _push(row: ActivityRow): void {
    this._rows.push(row);
    if (this._onProgress !== undefined && this._rows.length % 100_000 === 0) this._onProgress(this._rows.length);
  }

  /** A canonical row (`CANONICAL_ROW`) read from its bytes; false for any other line. */
  bytes(b: Buffer, start: number, end: number, line: number): boolean {
    if (!this._headerSeen || end - start < 49 || b[start] !== 48 || b[start + 1] !== 120 || b[start + 42] !== 44)
      return false;
    for (let i = start + 2; i < start + 42; i++) if (HEX_DIGIT[b[i] as number] === 0) return false;
    const e1 = digitsEnd(b, start + 43, end);
    if (e1 < 0 || b[e1] !== 44) return false;
    const e2 = digitsEnd(b, e1 + 1, end);
    if (e2 < 0 || b[e2] !== 44) return false;
    const e3 = digitsEnd(b, e2 + 1, end);
    if (e3 !== end) return false;
    this._push({
      device: b.toString("latin1", start, start + 42),
      line,
      uptimeSeconds: amountAt(b, start + 43, e1),
      coverageProofs: amountAt(b, e1 + 1, e2),
      dataBytes: amountAt(b, e2 + 1, e3),
    });
    return true;
  }

  line(text: string, line: number): void {
    const fail = (reason: string): never => {
      throw new ActivityFormatError(this._source, line, reason);
    };
    if (this._headerSeen) {
      // The canonical row (lowercase address, plain digits, no spaces) in one match; anything else
      // takes the general path below, which says what is wrong.
      const m = CANONICAL_ROW.exec(text);
      if (m !== null) {
        this._push({
          device: m[1] as string,
          line,
          uptimeSeconds: amount(m[2] as string),
          coverageProofs: amount(m[3] as string),
          dataBytes: amount(m[4] as string),
        });
        return;
      }
    }
    const content = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (content.trim() === "") return;
    const fields = content.split(",").map((f) => f.trim());
    if (!this._headerSeen) {
      if (fields.length !== COLUMNS.length || fields.some((f, i) => f !== COLUMNS[i])) {
        fail(`the header must be exactly "${ACTIVITY_HEADER}"`);
      }
      this._headerSeen = true;
      return;
    }
    if (fields.length !== COLUMNS.length) fail(`expected ${COLUMNS.length} fields, found ${fields.length}`);
    const [deviceText, uptime, proofs, bytes] = fields as [string, string, string, string];
    const device = normalizeAddress(deviceText, this._keccak);
    if (device === undefined) return fail(`device "${deviceText}" is not an address`);
    this._push({
      device,
      line,
      uptimeSeconds: value(uptime, COLUMNS[1] as string, fail),
      coverageProofs: value(proofs, COLUMNS[2] as string, fail),
      dataBytes: value(bytes, COLUMNS[3] as string, fail),
    });
  }

  finish(): Activity {
    if (!this._headerSeen)
      throw new ActivityFormatError(this._source, 1, `the file is empty (expected the header "${ACTIVITY_HEADER}")`);
    return { source: this._source, rows: markPrepared(sortActivityRows(this._source, this._rows)) };
  }
}

/** Where the run of 1 to 77 digits at `at` ends, or −1 (as `CANONICAL_ROW`'s `[0-9]{1,77}`). */
function digitsEnd(b: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end && (b[i] as number) >= 48 && (b[i] as number) <= 57) i++;
  return i === at || i - at > 77 ? -1 : i;
}

/** `amount` of the digits `b[at .. to)`. */
function amountAt(b: Buffer, at: number, to: number): bigint {
  if (to - at <= 15) {
    let v = 0;
    for (let i = at; i < to; i++) v = v * 10 + (b[i] as number) - 48;
    return v < SMALL.length ? (SMALL[v] ??= BigInt(v)) : BigInt(v);
  }
  return BigInt(b.toString("latin1", at, to));
}

/**
 * One shared bigint per small value: uptimes (mostly the epoch's length) and proofs repeat across
 * rows, and each bigint is a heap object of its own: the heap the 854,683 rows of the 1M-device
 * activity take fell from 274 to 228 MiB.
 */
const SMALL = new Array<bigint | undefined>(1 << 17).fill(undefined);

function amount(digits: string): bigint {
  if (digits.length <= 6) {
    const v = Number(digits);
    if (v < SMALL.length) return (SMALL[v] ??= BigInt(v));
  }
  return BigInt(digits);
}

function value(text: string, column: string, fail: (reason: string) => never): bigint {
  if (!DIGITS.test(text)) {
    if (/^-\s*[0-9]+(\.[0-9]*)?$/.test(text)) fail(`${column} is negative: ${text}`);
    fail(`${column} is not a non-negative integer: "${text}"`);
  }
  const out = BigInt(text);
  if (out > MAX_UINT256) fail(`${column} does not fit in a uint256: ${text}`);
  return out;
}

/** Writes rows as an activity file, atomically (the generator and the tests use it). */
export async function writeActivity(file: string, rows: Iterable<ActivityRow>): Promise<void> {
  await writeAtomically(file, async (sink) => {
    await sink.write(`${ACTIVITY_HEADER}\n`);
    for (const r of rows) await sink.write(`${r.device},${r.uptimeSeconds},${r.coverageProofs},${r.dataBytes}\n`);
  });
}
