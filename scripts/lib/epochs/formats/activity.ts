import { writeAtomically } from "../../atomic";
import { ActivityFormatError } from "../errors";
import { sortActivityRows } from "../rules";
import type { Activity, ActivityRow, Line, ReadOptions } from "../types";
import { normalizeAddress } from "../util/address";
import { sharedKeccak } from "../util/keccak";
import { markPrepared } from "../util/sort";
import { readLineBatches } from "./lines";

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
    return await parseActivityLines(file, readLineBatches(file, { onBytes: options.onBytes }), onProgress);
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
  const keccak = await sharedKeccak();
  const rows: ActivityRow[] = [];
  let headerSeen = false;
  for await (const batch of batches)
    for (const { text, line } of batch) {
      const fail = (reason: string): never => {
        throw new ActivityFormatError(source, line, reason);
      };
      if (headerSeen) {
        // The canonical row (lowercase address, plain digits, no spaces) in one match; anything else
        // takes the general path below, which says what is wrong.
        const m = CANONICAL_ROW.exec(text);
        if (m !== null) {
          rows.push({
            device: m[1] as string,
            line,
            uptimeSeconds: amount(m[2] as string),
            coverageProofs: amount(m[3] as string),
            dataBytes: amount(m[4] as string),
          });
          if (onProgress !== undefined && rows.length % 100_000 === 0) onProgress(rows.length);
          continue;
        }
      }
      const content = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (content.trim() === "") continue;
      const fields = content.split(",").map((f) => f.trim());
      if (!headerSeen) {
        if (fields.length !== COLUMNS.length || fields.some((f, i) => f !== COLUMNS[i])) {
          fail(`the header must be exactly "${ACTIVITY_HEADER}"`);
        }
        headerSeen = true;
        continue;
      }
      if (fields.length !== COLUMNS.length) fail(`expected ${COLUMNS.length} fields, found ${fields.length}`);
      const [deviceText, uptime, proofs, bytes] = fields as [string, string, string, string];
      const device = normalizeAddress(deviceText, keccak);
      if (device === undefined) return fail(`device "${deviceText}" is not an address`);
      rows.push({
        device,
        line,
        uptimeSeconds: value(uptime, COLUMNS[1] as string, fail),
        coverageProofs: value(proofs, COLUMNS[2] as string, fail),
        dataBytes: value(bytes, COLUMNS[3] as string, fail),
      });
      if (onProgress !== undefined && rows.length % 100_000 === 0) onProgress(rows.length);
    }
  if (!headerSeen)
    throw new ActivityFormatError(source, 1, `the file is empty (expected the header "${ACTIVITY_HEADER}")`);
  return { source, rows: markPrepared(sortActivityRows(source, rows)) };
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
