import { EpochFileError } from "../../errors";
import type { EpochFileHead } from "../../types";
import { readLineBatches } from "../lines";
import { EPOCH_FORMAT, HASH, UINT } from "./layout";

/**
 * Reads only the header of an epoch file (its first lines: epoch, chain, distributor, root, total),
 * to check which epoch and root a file is before a long job relies on it; `readEpochFile` checks the
 * whole file later. Throws `EpochFileError` for a file that does not start like an epoch file.
 */
export async function readEpochFileHead(file: string): Promise<EpochFileHead> {
  const parts: string[] = [];
  try {
    outer: for await (const batch of readLineBatches(file))
      for (const { text, line } of batch) {
        if (line === 1) {
          if (text !== "{") throw new EpochFileError(file, "not an epoch file (expected '{' on the first line)");
          continue;
        }
        if (text.startsWith('"accountColumns"')) break outer;
        parts.push(text);
        if (line > 32) break outer;
      }
  } catch (error) {
    if (error instanceof EpochFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new EpochFileError(file, "no such file");
    throw new EpochFileError(file, `cannot be read (${code ?? (error as Error).message})`);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(`{${parts.join("").replace(/,$/, "")}}`) as Record<string, unknown>;
  } catch {
    throw new EpochFileError(file, "the header is not valid JSON");
  }
  if (raw.format !== EPOCH_FORMAT)
    throw new EpochFileError(file, `not an epoch file (format must be "${EPOCH_FORMAT}")`);
  const uint = (key: string): bigint => {
    const v = raw[key];
    if (typeof v !== "string" || !UINT.test(v))
      throw new EpochFileError(file, `${key} must be a decimal integer string`);
    return BigInt(v);
  };
  const text = (key: string, pattern: RegExp): string => {
    const v = raw[key];
    if (typeof v !== "string" || !pattern.test(v)) throw new EpochFileError(file, `${key} is malformed`);
    return v;
  };
  return {
    epoch: uint("epoch"),
    chainId: uint("chainId"),
    distributor: text("distributor", /^0x[0-9a-fA-F]{40}$/).toLowerCase(),
    root: text("root", HASH),
    totalCumulative: uint("totalCumulative"),
  };
}
